// The runs page: while a link run is going, ask /api/runs for its stage every
// second; when it ends, reload the page to show its result (or its error).
(function () {
  "use strict";
  var section = document.getElementById("run");
  if (!section || section.getAttribute("data-state") !== "running") {
    return;
  }
  var words = JSON.parse(section.getAttribute("data-words") || "{}");
  var locale = section.getAttribute("data-lang") === "fa" ? "fa-IR" : "en";
  var stage = document.getElementById("run-stage");
  var seconds = document.getElementById("run-seconds");
  function poll() {
    fetch("/api/runs", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var run = body && body.run;
        if (!run) {
          return;
        }
        if (run.state !== "running") {
          window.location.reload();
          return;
        }
        stage.textContent = words[run.stage] || run.stage;
        seconds.textContent = Math.round(run.seconds).toLocaleString(locale);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
