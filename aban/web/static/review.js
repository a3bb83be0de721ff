// Keyboard shortcuts of the review queue: m match, n not a match, s skip.
// Keys are read by position (event.code), so they work on a Persian layout too.
(function () {
  "use strict";
  var sent = false;
  document.addEventListener("keydown", function (event) {
    if (sent || event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable ||
        ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) >= 0)) {
      return;
    }
    var form = document.getElementById("decide");
    var button = form && form.querySelector('button[data-key="' + event.code + '"]');
    if (!button) {
      return;
    }
    event.preventDefault();
    sent = true;
    form.requestSubmit(button);
  });
})();
