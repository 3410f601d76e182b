// Without script every option row shows; with it, empty rows after the first
// ones fold away and "More options" shows the next one.
(function () {
  var button = document.getElementById("more-slots");
  if (!button) return;
  var keep = parseInt(button.dataset.keep, 10) || 2;
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-slot-row]"));
  function isEmpty(row) {
    return !row.querySelector(".is-invalid") && Array.prototype.every.call(
      row.querySelectorAll("input"), function (input) { return !input.value; });
  }
  // Keep every row up to the last filled one, and at least the first `keep + 1`.
  var last = keep;
  rows.forEach(function (row, index) { if (!isEmpty(row)) last = Math.max(last, index); });
  var hidden = rows.filter(function (row, index) { return index > last; });
  hidden.forEach(function (row) { row.hidden = true; });
  function update() { button.classList.toggle("d-none", hidden.length === 0); }
  button.addEventListener("click", function () {
    var row = hidden.shift();
    if (row) {
      row.hidden = false;
      var first = row.querySelector("input");
      if (first) first.focus();
    }
    update();
  });
  update();
}());
