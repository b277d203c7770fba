// Small enhancements on top of server-rendered pages that work without script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a rejected form, move the keyboard focus to the error summary so it is read out first.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    // The directory's filters are folded away on phones; on wider screens they are shown from the start.
    var filters = document.getElementById("more-filters");
    if (filters && window.matchMedia("(min-width: 641px)").matches) {
      filters.open = true;
    }
  });
})();
