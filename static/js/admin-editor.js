/* Roadmap and step pages of the admin: drag-and-drop ordering of inline
 * rows, and a preview of Markdown boxes.
 *
 * Ordering: each row of an inline that has a "position" box gets a drag
 * handle. Dropping a row renumbers the position boxes of the rows in use, in
 * their new order (1, 2, 3…; per step in the topics inline); nothing is saved
 * until the form is, and the server's two-phase position update applies it.
 * Typing numbers in the position boxes stays the keyboard way to reorder, so
 * the handle itself is hidden from assistive technology.
 *
 * Preview: each Markdown box ("Markdown." in its help text) gets a Preview
 * button that posts the text to the admin's markdown-preview URL, which
 * answers with the sanitised HTML the site would show.
 *
 * Words: the script holds no English. The page's translated template
 * (admin/roadmaps/includes/form_top.html) puts them, in the reader's
 * language, on the #markdown-preview-url element as data-*-label attributes.
 */
(function () {
  "use strict";

  function rowsOf(group) {
    var stacked = group.dataset.inlineType === "stacked";
    var selector = stacked ? ".inline-related:not(.empty-form)" : "tbody tr.form-row:not(.empty-form)";
    return Array.prototype.filter.call(group.querySelectorAll(selector), function (row) {
      return row.querySelector("input[name$='-position']");
    });
  }

  function inUse(row) {
    var id = row.querySelector("input[type='hidden'][name$='-id']");
    if (id && id.value) return true;
    var title = row.querySelector("input[name$='-title'], input[name$='-name'], textarea[name$='-body']");
    return Boolean(title && title.value.trim());
  }

  function isRetired(row) {
    var retired = row.querySelector("input[type='checkbox'][name$='-retired']");
    return Boolean(retired && retired.checked);
  }

  function renumber(group) {
    var next = {};
    rowsOf(group).forEach(function (row) {
      if (!inUse(row) || isRetired(row)) return;
      var step = row.querySelector("select[name$='-step']");
      var key = step ? step.value : "";
      next[key] = (next[key] || 0) + 1;
      var box = row.querySelector("input[name$='-position']");
      if (box.value !== String(next[key])) {
        box.value = String(next[key]);
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function makeSortable(group, labels) {
    var rows = rowsOf(group);
    if (rows.length < 2) return;
    var dragged = null;
    rows.forEach(function (row) {
      var handle = document.createElement("span");
      handle.className = "drag-handle";
      handle.setAttribute("aria-hidden", "true");
      handle.title = labels.dragLabel || "";
      handle.textContent = "⠿";
      var cell = row.querySelector("td.original") || row.querySelector("h3") || row;
      cell.insertBefore(handle, cell.firstChild);
      handle.addEventListener("mousedown", function () { row.draggable = true; });
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.id || "row");
      });
      row.addEventListener("dragend", function () {
        row.draggable = false;
        row.classList.remove("dragging");
        dragged = null;
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
      });
      row.addEventListener("drop", function (event) {
        if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) return;
        event.preventDefault();
        var box = row.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
        renumber(group);
      });
    });
  }

  function addPreview(textarea, url, token, labels) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = labels.previewLabel;
    var output = document.createElement("div");
    output.className = "markdown-preview";
    output.setAttribute("aria-live", "polite");
    output.hidden = true;
    // Below the box (and its help text), not beside it in the admin's flex row.
    var row = textarea.closest(".flex-container") || textarea;
    var anchor = row.nextElementSibling && row.nextElementSibling.classList.contains("help")
      ? row.nextElementSibling : row;
    anchor.insertAdjacentElement("afterend", output);
    anchor.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("text", textarea.value);
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          if (html) {
            output.innerHTML = html; // sanitised by the server (nh3)
          } else {
            var empty = document.createElement("p");
            empty.textContent = labels.emptyLabel;
            output.replaceChildren(empty);
          }
          output.hidden = false;
        })
        .catch(function () { output.textContent = labels.failedLabel; output.hidden = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var url = document.getElementById("markdown-preview-url");
    var labels = url ? url.dataset : {};
    document.querySelectorAll(".js-inline-admin-formset").forEach(function (group) { makeSortable(group, labels); });
    var token = document.querySelector("input[name='csrfmiddlewaretoken']");
    if (!url || !token) return;
    // The server marks the boxes that take Markdown (roadmaps.markdown.mark_markdown_box),
    // whatever language their help text is in.
    document.querySelectorAll("textarea[data-markdown]").forEach(function (textarea) {
      if (textarea.closest(".empty-form")) return;
      addPreview(textarea, url.dataset.url, token.value, labels);
    });
  });
})();
