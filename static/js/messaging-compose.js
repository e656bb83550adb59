// The message composer as chat apps have it: Enter sends, Shift+Enter starts a new line, and what you send
// scrolls into view. Without this file the Send button does the same, and the textarea keeps its ordinary
// Enter; so does a touch screen, whose keyboard has no Shift+Enter to reach for.
(function () {
  // Fired on the form once the answer is swapped in (a failed send answers with the composer only).
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful || !form.matches || !form.matches("form.composer")) return;
    var last = document.querySelector("#thread-messages > li.msg-mine:last-child");
    if (last) last.scrollIntoView({ block: "nearest" });
  });
  if (window.matchMedia("(pointer: coarse)").matches) return;
  var help = document.getElementById("composer-help");
  if (help) help.hidden = false;
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || !box.closest) return;
    var form = box.closest("form.composer");
    if (!form || box.tagName !== "TEXTAREA") return;
    event.preventDefault();
    if (box.value.trim()) form.requestSubmit();
  });
})();
