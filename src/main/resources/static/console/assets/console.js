// Small enhancements on top of server-rendered pages that work without script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a rejected form, move the keyboard focus to the error summary so it is read out first.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
