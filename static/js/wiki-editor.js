// The wiki editor: Ctrl/Cmd+S saves, leaving with unsaved text asks first, and the conflict screen's
// "start from" buttons swap the editor's text. Without JavaScript the form works as it is (a Preview
// button stands in for the live preview, and "My own text" is a submit that asks the server).
(function () {
  "use strict";

  function setup(form) {
    var text = form.querySelector("textarea[name=text]");
    var dirty = form.hasAttribute("data-dirty");
    form.classList.add("js");

    form.addEventListener("input", function (event) {
      if (event.target.name !== "mine") dirty = true;
    });
    form.addEventListener("submit", function () {
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to show their prompt
    });

    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        var save = form.querySelector("[data-save]");
        if (form.requestSubmit) form.requestSubmit(save || undefined);
        else (save || form).click();
      }
    });

    // "Insert a file or image": put the chosen file's Markdown where the cursor is.
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-insert]");
      if (!button || !text) return;
      event.preventDefault();
      var snippet = button.getAttribute("data-insert");
      var start = text.selectionStart, end = text.selectionEnd;
      text.value = text.value.slice(0, start) + snippet + text.value.slice(end);
      text.selectionStart = text.selectionEnd = start + snippet.length;
      dirty = true;
      text.dispatchEvent(new Event("input", { bubbles: true }));
      text.focus();
    });

    // Conflict screen: fill the editor from the marked merge or from the person's own text.
    var fills = form.querySelectorAll("[data-fill]");
    fills.forEach(function (button) {
      button.addEventListener("click", function (event) {
        var source = document.getElementById(button.getAttribute("data-fill"));
        if (!source || !text) return;
        event.preventDefault();
        text.value = source.value;
        dirty = true;
        fills.forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        text.dispatchEvent(new Event("input", { bubbles: true }));
        text.focus();
      });
    });
  }

  function start() {
    document.querySelectorAll("form[data-wiki-editor]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
