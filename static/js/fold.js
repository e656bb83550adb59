// Fold <details data-fold-narrow> on narrow screens (the catalogue's filters) when the page loads, so what they
// filter comes first; once someone opens them they stay open while htmx replaces them. Wide screens and
// browsers without JavaScript keep them open.
(function () {
  var narrow = window.matchMedia("(max-width: 48rem)");
  var opened = false;
  function fold(root) {
    root.querySelectorAll("details[data-fold-narrow]").forEach(function (d) {
      if (narrow.matches && !opened) d.open = false;
      d.addEventListener("toggle", function () { if (narrow.matches) opened = d.open; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fold(document); });
  document.addEventListener("htmx:afterSwap", function (e) { fold(e.target); });
})();
