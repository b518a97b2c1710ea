/* Waymark: after a failed submit, move focus to the form's error summary.
 *
 * The server marks the summary data-error-summary and tabindex="-1" (focusable
 * by script, not in the tab order). A keyboard or screen-reader user then
 * starts at the list of what to fix, each entry a link to its field, instead
 * of at the top of the page. Loaded as a file of ours, only on a page that has
 * a summary: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    // Two summaries on a page load this file twice: focus the first once.
    if (summary && !summary.contains(document.activeElement)) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
