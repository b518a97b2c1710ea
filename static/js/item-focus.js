// Keeps focus on an item after an htmx tick on the roadmap page.
//
// A tick swaps the item's widget for the one of its new state, whose buttons
// differ. htmx restores focus only to an element with the focused one's id,
// and the buttons of a 2,000-item page carry no id (they would make the page
// a third heavier), so this puts focus on the button that took the focused
// one's place: "r" Done and the Reset of a done item, "b" Skip and the Start
// of a skipped item, "a" the rest (Start of a new item, Reset of one in
// progress or skipped). Without it, focus falls to <body>.
(function () {
  "use strict";

  const BUTTONS = ".learner-item button[name=set]";

  function place(button) {
    const widget = button.closest(".learner-item");
    const found = widget.className.match(/learner-item--(\w+)/);
    const state = found ? found[1] : "not_started";
    const value = button.value.split(" ")[1];
    if (value === "done" || state === "done") return "r";
    if (value === "skipped" || (state === "skipped" && value === "in_progress")) return "b";
    return "a";
  }

  let pending = null;

  document.addEventListener("htmx:beforeSwap", function () {
    const focused = document.activeElement;
    pending = focused && focused.matches(BUTTONS)
      ? { widget: focused.closest(".learner-item").id, place: place(focused) }
      : null;
  });

  document.addEventListener("htmx:afterSwap", function () {
    if (!pending) return;
    const widget = document.getElementById(pending.widget);
    if (!widget || widget.contains(document.activeElement)) return;
    const buttons = Array.from(widget.querySelectorAll("button[name=set]"));
    const next = buttons.find(function (button) { return place(button) === pending.place; }) || buttons[0];
    if (next) {
      next.focus();
      pending = null;
    }
  });
})();
