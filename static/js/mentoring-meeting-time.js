// The meeting form: show the chosen start on both people's clocks as it is typed. The input holds a wall
// time in the person's own zone (which may differ from the browser's), so it is read as that zone's time.
(function () {
  "use strict";

  function parts(date, zone) {
    const out = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }

  // The instant whose wall-clock time in `zone` is the typed one (two passes settle summer-time edges).
  function fromWallTime(value, zone) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
    if (!m) return null;
    const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    let guess = wall;
    for (let i = 0; i < 2; i++) {
      const p = parts(new Date(guess), zone);
      const seen = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
      guess += wall - seen;
    }
    return new Date(guess);
  }

  function label(date, zone) {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23",
    }).format(date);
  }

  function strong(text) {
    const el = document.createElement("strong");
    el.textContent = text;
    return el;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const preview = document.querySelector("[data-my-zone][data-input]");
    const input = preview && document.getElementById(preview.dataset.input);
    if (!input) return;
    const mine = preview.dataset.myZone, theirs = preview.dataset.theirZone, name = preview.dataset.theirName;
    function update() {
      let when;
      try { when = fromWallTime(input.value, mine); } catch (e) { return; }
      if (!when) return;
      preview.replaceChildren(strong(label(when, mine)), " your time");
      if (theirs && theirs !== mine) {
        preview.append(" = ", strong(label(when, theirs)), " for " + name + " (" + theirs + ")");
      }
    }
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
})();
