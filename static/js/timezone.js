/* Waymark: fill a time-zone <select> with the browser's own zone.
 *
 * Only selects marked data-browser-time-zone, which the server puts where
 * nobody has chosen a zone yet (the sign-up form, account settings while the
 * stored zone is still the default), so a choice is never overridden.
 * Without JavaScript the select keeps its server-side default (UTC). A line
 * under the field says what was filled in, so it is checked before saving.
 * Loaded as a file of ours: the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function fill(select, zone) {
    var option = null;
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === zone) {
        option = select.options[i];
        break;
      }
    }
    // A zone this list does not know (a very new or very old name): leave
    // the default rather than guess.
    if (!option || select.value === zone) {
      return;
    }
    select.value = zone;
    var note = document.createElement("span");
    note.className = "browser-time-zone-note";
    // The server writes the line, in the page's language, as the attribute's value.
    var line = select.getAttribute("data-browser-time-zone") || "Filled in from your browser: {zone}.";
    note.textContent = " " + line.replace("{zone}", option.textContent);
    var helpId = (select.getAttribute("aria-describedby") || "").split(" ")[0];
    var help = helpId && document.getElementById(helpId);
    if (help) {
      help.appendChild(note); // read out with the field, via aria-describedby
    } else {
      select.insertAdjacentElement("afterend", note);
    }
  }

  function init() {
    var zone = browserZone();
    if (!zone) {
      return;
    }
    var selects = document.querySelectorAll("select[data-browser-time-zone]");
    for (var i = 0; i < selects.length; i += 1) {
      fill(selects[i], zone);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
