/* Counts down the QR's validity next to the printed expiry time. The server sends
   seconds left (not a clock time), so a phone with a wrong clock still counts right;
   elements swapped in by htmx are picked up on the next tick. */
(function () {
  "use strict";
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-seconds-left]").forEach(function (el) {
      if (!el.dataset.deadline) {
        el.dataset.deadline = String(now + Number(el.dataset.secondsLeft) * 1000);
      }
      var left = Math.max(0, Math.round((Number(el.dataset.deadline) - now) / 1000));
      el.textContent = "(" + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + ")";
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 1000);
})();
