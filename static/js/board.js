/* Keeps "minutes waiting" on the cashier board current between refreshes: the server
   sends its time once (data-now) and each card its order time (data-since), so a
   tablet with a wrong clock still counts right, and the clock alone never makes the
   board refresh. Cards swapped in by htmx are picked up on the next tick.

   Applies what the board's stream tells (webapp/cashier/board_push.py, handed over by
   live.js as `warung:told`): each changed column is put together, in the order told,
   from the cards the board shows at the told version and those it was sent, with its
   count and its list for the poll. A card the board neither shows nor was sent (it
   lagged behind the stream), or a column it was not told of whose list is not the
   stream's, leaves the board as it is, and live.js fetches. */
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

  // The card told as "seq.version" in `column`: the one shown, or the one sent; null if neither.
  function found(column, entry, container, sent) {
    var dot = entry.indexOf(".");
    var id = "o" + entry.slice(0, dot) + "-" + column;
    var version = entry.slice(dot + 1);
    var shown = document.getElementById(id);
    if (shown && shown.parentNode === container && shown.dataset.version === version) { return shown; }
    var card = sent.content.getElementById(id);
    return card && card.dataset.version === version ? card : null;
  }

  function applyTold(event) {
    var told = event.detail;
    var sent = document.createElement("template");
    sent.innerHTML = told.html;
    var columns = Object.keys(told.columns).map(function (column) {
      var container = document.getElementById("cards-" + column);
      var cards = container ? told.columns[column].cards.map(function (entry) {
        return found(column, entry, container, sent);
      }) : [null];
      return { column: column, container: container, cards: cards };
    });
    if (!columns.every(function (column) { return column.cards.every(Boolean); })) { return; }
    var untold = Object.keys(told.lists).filter(function (column) { return !(column in told.columns); });
    if (!untold.every(function (column) {
      var list = document.getElementById("shown-" + column);
      return list && list.value === told.lists[column];
    })) { return; }
    columns.forEach(function (column) {
      var container = column.container;
      column.cards.forEach(function (card, index) {
        var at = container.children[index];
        if (at === card) { return; }
        var arrived = card.parentNode !== container;
        container.insertBefore(card, at || null);
        if (arrived) { htmx.process(card); }
      });
      while (container.children.length > column.cards.length) { container.lastElementChild.remove(); }
      document.getElementById("count-" + column.column).textContent = String(column.cards.length);
      document.getElementById("shown-" + column.column).value = told.lists[column.column];
    });
    told.applied = true;
    tick();
  }
  document.addEventListener("warung:told", function (event) {
    if (event.target.id === "board") { applyTold(event); }
  });
})();
