// Drag a board's entries by their grip to reorder them or to move them into another section. The arrow
// buttons do the same from the keyboard and without JavaScript; a drop posts what they would: the section
// the entry lands in and the entry it now comes before (none: the end of that section).
(() => {
  let dragged = null;

  function token() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch {
      return "";
    }
  }

  function clearMarks() {
    document.querySelectorAll(".drop-before, .drop-after, .drop-into").forEach((el) => {
      el.classList.remove("drop-before", "drop-after", "drop-into");
    });
  }

  function enable(root) {
    const lists = root.matches?.("[data-sortable]") ? [root] : root.querySelectorAll?.("[data-sortable]") || [];
    lists.forEach((list) => list.classList.add("is-sortable"));
  }

  document.addEventListener("DOMContentLoaded", () => enable(document));
  document.addEventListener("htmx:load", (event) => enable(event.target));

  // Only the grip starts a drag, so text in an entry can still be selected and its links clicked.
  document.addEventListener("pointerdown", (event) => {
    const grip = event.target.closest(".is-sortable .board-grip");
    if (grip) grip.closest(".board-entry").draggable = true;
  });

  document.addEventListener("dragstart", (event) => {
    const entry = event.target.closest?.(".is-sortable .board-entry");
    if (!entry || !entry.draggable) return;
    dragged = entry;
    entry.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.dataset.entry);
  });

  document.addEventListener("dragend", () => {
    if (dragged) {
      dragged.classList.remove("is-dragging");
      dragged.draggable = false;
    }
    dragged = null;
    clearMarks();
  });

  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const section = event.target.closest?.(".is-sortable .board-section");
    if (!section) return;
    event.preventDefault();
    clearMarks();
    const entry = event.target.closest(".board-entry");
    if (entry && entry !== dragged) {
      const box = entry.getBoundingClientRect();
      entry.classList.add(event.clientY < box.top + box.height / 2 ? "drop-before" : "drop-after");
    } else if (!entry) {
      section.classList.add("drop-into");
    }
  });

  document.addEventListener("drop", (event) => {
    if (!dragged) return;
    const section = event.target.closest?.(".is-sortable .board-section");
    if (!section) return;
    event.preventDefault();
    const container = section.closest("[data-sortable]");
    const entry = event.target.closest(".board-entry");
    let before = "";
    if (entry && entry !== dragged) {
      const after = entry.classList.contains("drop-after");
      let next = after ? entry.nextElementSibling : entry;
      if (next === dragged) next = next.nextElementSibling;
      before = next ? next.dataset.entry : "";
    } else if (entry === dragged) {
      clearMarks();
      return;
    }
    const url = container.dataset.moveUrl.replace(/\/0\/move$/, `/${dragged.dataset.entry}/move`);
    clearMarks();
    htmx.ajax("POST", url, {
      target: "#board-body",
      swap: "outerHTML",
      values: { section: section.dataset.section || "", before, view: "list" },
      headers: { "X-CSRFToken": token() },
    });
  });
})();
