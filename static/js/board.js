/* Keeps "minutes waiting" on the cashier board current between refreshes: the server
   sends its time once (data-now) and each card its order time (data-since), so a
   tablet with a wrong clock still counts right, and the clock alone never makes the
   board refresh. Cards swapped in by htmx are picked up on the next tick. */
(function () {
  "use strict";
  var board, offset;
  function tick() {
    board = board || document.getElementById("board");
    if (!board) { return; }
    if (offset === undefined) { offset = Date.parse(board.dataset.now) - Date.now(); }
    var now = Date.now() + offset;
    board.querySelectorAll("[data-since]").forEach(function (el) {
      var minutes = Math.max(0, Math.floor((now - Date.parse(el.dataset.since)) / 60000));
      el.textContent = board.dataset.minutes.replace("{n}", String(minutes));
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 15000);
})();
