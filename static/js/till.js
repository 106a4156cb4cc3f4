// The till (templates/till/till.html): the search filters the tiles as it is typed and
// Enter adds its first hit (an item with options opens its choice panel); digits typed
// outside a field go into the cash tendered; "/" goes to the search; Escape closes the
// choice panel; choosing takeaway or a table saves it at once. Without this script the
// search is a GET that shows what it found, its first hit focused, and the place has
// its Simpan button.
(function () {
  "use strict";
  var search, nothing;
  document.documentElement.classList.add("js-till");  // the Simpan buttons go (till.css)

  function inField(element) {
    return element && element.closest && element.closest("input, textarea, select, [contenteditable]");
  }

  function filter() {
    var words = search.value.trim().toLowerCase();
    var found = false;
    document.querySelectorAll(".till-category").forEach(function (section) {
      var shown = 0;
      section.querySelectorAll(".till-tiles > li").forEach(function (tile) {
        var match = !words || tile.dataset.search.indexOf(words) !== -1;
        tile.hidden = !match;
        if (match) shown += 1;
      });
      section.hidden = shown === 0;
      found = found || shown > 0;
    });
    if (nothing) nothing.hidden = found || !words;
  }

  function firstHit() {
    return document.querySelector(".till-tiles > li:not([hidden]) .till-tile:not([disabled])");
  }

  document.addEventListener("DOMContentLoaded", function () {
    search = document.getElementById("till-q");
    nothing = document.querySelector(".till-nothing");
    if (!search) return;
    search.addEventListener("input", filter);
    search.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var hit = firstHit();
      if (!hit) return;
      var opensPanel = hit.tagName === "A";
      hit.click();
      search.value = "";
      filter();
      if (!opensPanel) search.focus();
    });
    if (window.matchMedia("(pointer: fine)").matches && !document.querySelector("[autofocus]")) search.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Enter in a note or the name saves them (their Simpan buttons are hidden).
    var form = event.target.form;
    if (event.key === "Enter" && form && (form.id === "till-lines" || form.id === "till-place")) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.key === "Escape") {
      var close = document.querySelector("#till-choice [data-choice-close]");
      if (close) close.click();
      return;
    }
    if (inField(event.target)) return;
    if (event.key === "/" && search) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (/^[0-9]$/.test(event.key)) {
      var tendered = document.querySelector("#till-side .amount-input");
      if (!tendered) return;
      event.preventDefault();
      tendered.focus();
      tendered.value += event.key;
    }
  });

  // The place: takeaway or a table, saved as soon as it is chosen (the name is saved
  // with Enter, Simpan, or whatever is pressed next).
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.id === "till-place" && event.target.name !== "customer_name") form.requestSubmit();
  });

  // After an order is placed, what became of it (the change to give back, the QR) comes
  // into view at the top of the side column; a refusal brings its message into view.
  document.addEventListener("htmx:afterSwap", function (event) {
    var placed = event.detail.requestConfig && /\/pay\/[a-z]+$/.test(event.detail.requestConfig.path);
    if (!placed) return;
    var refused = event.detail.xhr && event.detail.xhr.status >= 400;
    var shown = document.querySelector(refused ? "#till-side .error, #till-side [role=alert]" : "#till-side .till-latest");
    if (shown) shown.scrollIntoView({ block: refused ? "center" : "start" });
  });

  // On a phone the bar that jumps to the order goes while the order's total and pay
  // buttons are in sight (it would cover the tender field).
  var barWatch = null;
  function watchBar() {
    var bar = document.querySelector(".till-bar");
    var bill = document.querySelector("#till-side .till-checkout");
    if (barWatch) barWatch.disconnect();
    if (!bar || !bill || !window.IntersectionObserver) return;
    barWatch = new IntersectionObserver(function (entries) {
      bar.classList.toggle("is-near", entries[0].isIntersecting);
    });
    barWatch.observe(bill);
  }
  document.addEventListener("DOMContentLoaded", watchBar);
  document.addEventListener("htmx:afterSettle", watchBar);  // the side column is swapped whole

  // The choice panel closed (its close button, Escape, or the item added): back to the search.
  // On a touch screen focusing the search would open the keyboard over the grid.
  function backToSearch() {
    if (search && window.matchMedia("(pointer: fine)").matches) search.focus({ preventScroll: true });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#till-choice [data-choice-close]")) backToSearch();
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.target.id === "till-choice" && !event.target.children.length) backToSearch();
  });
})();
