// A page shown as slides: one at a time, keyboard and buttons to move, full screen on request.
// Without JavaScript every slide is shown, one under the other.
(function () {
  "use strict";

  function start() {
    var deck = document.querySelector("[data-slides]");
    if (!deck) return;
    var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
    var counter = document.querySelector("[data-current]");
    var announce = document.querySelector("[data-announce]");
    var index = 0;
    document.body.classList.add("js");

    function show(next) {
      index = Math.max(0, Math.min(slides.length - 1, next));
      slides.forEach(function (slide, i) {
        slide.hidden = i !== index;
        slide.classList.toggle("current", i === index);
      });
      if (counter) counter.textContent = String(index + 1);
      if (announce) announce.textContent = "Slide " + (index + 1) + " of " + slides.length;
      history.replaceState(null, "", "#" + (index + 1));
      slides[index].scrollTop = 0;
    }

    function fullscreen() {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    }

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var key = event.key;
      if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || key === "n" ||
          (key === " " && !event.shiftKey)) {
        show(index + 1);
      } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || key === "p" ||
                 (key === " " && event.shiftKey)) {
        show(index - 1);
      } else if (key === "Home") {
        show(0);
      } else if (key === "End") {
        show(slides.length - 1);
      } else if (key === "f" || key === "F") {
        fullscreen();
      } else if (key === "Escape") {
        // In full screen the browser leaves full screen itself; otherwise Escape leaves the presentation.
        if (!document.fullscreenElement) window.location.href = deck.getAttribute("data-exit");
      } else {
        return;
      }
      event.preventDefault();
    });

    var prev = document.querySelector("[data-prev]");
    var next = document.querySelector("[data-next]");
    var full = document.querySelector("[data-fullscreen]");
    if (prev) prev.addEventListener("click", function () { show(index - 1); });
    if (next) next.addEventListener("click", function () { show(index + 1); });
    if (full) full.addEventListener("click", fullscreen);

    var fromHash = parseInt(window.location.hash.slice(1), 10);
    show(isNaN(fromHash) ? 0 : fromHash - 1);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
