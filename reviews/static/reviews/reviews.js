// Reviews panel: show the server's refusals (a 400 or 403 answer with the reason) in place; htmx leaves
// error answers unswapped unless told.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if ((status === 400 || status === 403) && event.detail.elt.closest(".reviews-panel")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
