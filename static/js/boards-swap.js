// Board pages: show the server's refusals in place (htmx leaves a 400 answer unswapped unless told), and keep
// the keyboard on the entry that just moved when its list is drawn again.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 400 && event.detail.elt.closest(".board-page")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSettle", () => {
  const moved = document.querySelector(".board-page [data-moved]");
  if (!moved) return;
  const direction = moved.dataset.moved;
  moved.removeAttribute("data-moved");
  const same = direction ? moved.querySelector(`button[name=direction][value=${direction}]:not(:disabled)`) : null;
  const button = same || moved.querySelector("button[name=direction]:not(:disabled)");
  if (button) button.focus({ preventScroll: true });
  moved.scrollIntoView({ block: "nearest" });
});
