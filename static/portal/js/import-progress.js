// Polls the import's progress and reloads the page once it is finished, so the
// report appears. Without this script the page offers a refresh link instead.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !box.dataset.statusUrl || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var delay = 1500;

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        if (status.finished) {
          window.location.reload();
          return;
        }
        if (text) {
          text.textContent = status.text;
        }
        if (bar) {
          bar.value = status.percent;
          bar.textContent = status.percent + "%";
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A hiccup of the network or the server: try again, a little later each time.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
