// A character count under every textarea with data-max-characters. It says the limit
// before it is reached and never cuts text off: what is too long stays in the field,
// the counter says by how much, and the server refuses it with the same message.
// The visible count follows every keystroke; screen readers hear it once typing pauses,
// not after every letter.
(function () {
  "use strict";

  var PAUSE_MS = 1000;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return numbers.format(values[key]);
    });
  }

  function attach(field) {
    var max = parseInt(field.dataset.maxCharacters, 10);
    var visible = document.createElement("div");
    visible.id = field.id + "-count";
    visible.className = "form-text character-count";
    visible.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    spoken.setAttribute("aria-atomic", "true");
    field.insertAdjacentElement("afterend", spoken);
    field.insertAdjacentElement("afterend", visible);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + visible.id);

    var timer = null;
    function update() {
      var count = field.value.length;
      var over = count - max;
      var message = over > 0 ? field.dataset.overMessage : field.dataset.countMessage;
      visible.textContent = fill(message, { count: count, max: max, over: over });
      visible.classList.toggle("text-danger", over > 0);
      visible.classList.toggle("fw-semibold", over > 0);
    }
    field.addEventListener("input", function () {
      update();
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        spoken.textContent = visible.textContent;
      }, PAUSE_MS);
    });
    update();
  }

  document.querySelectorAll("textarea[data-max-characters]").forEach(attach);
})();
