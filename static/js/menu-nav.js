// The menu's category chips: the chip of the category at the top of what shows under
// the sticky bars is marked (aria-current) and scrolled into the chip row's view.
// Without this script the chips are plain links to their sections.
(function () {
  "use strict";
  function start() {
    var nav = document.querySelector(".category-chips");
    if (!nav) return;
    var row = nav.querySelector("ul");
    var sections = Array.prototype.slice.call(document.querySelectorAll("section.category[aria-labelledby]"));
    var chips = {};
    nav.querySelectorAll("a[href^='#']").forEach(function (chip) {
      chips[chip.getAttribute("href").slice(1)] = chip;
    });
    var shown = null;
    function mark(id) {
      if (id === shown || !chips[id]) return;
      shown = id;
      Object.keys(chips).forEach(function (key) {
        if (key === id) chips[key].setAttribute("aria-current", "true");
        else chips[key].removeAttribute("aria-current");
      });
      // The chip row scrolls by itself, as little as keeps the chip in sight.
      var chip = chips[id];
      var left = chip.offsetLeft - row.offsetLeft;
      var margin = 16;
      if (left - margin < row.scrollLeft) {
        row.scrollTo({ left: left - margin, behavior: "smooth" });
      } else if (left + chip.offsetWidth + margin > row.scrollLeft + row.clientWidth) {
        row.scrollTo({ left: left + chip.offsetWidth + margin - row.clientWidth, behavior: "smooth" });
      }
    }
    // The category at the top: the first whose section still shows below the bars
    // (a section above has gone under them, or off the screen, to its last pixel).
    function current() {
      var barsBottom = nav.getBoundingClientRect().bottom;
      for (var i = 0; i < sections.length; i++) {
        if (sections[i].getBoundingClientRect().bottom > barsBottom) return sections[i].getAttribute("aria-labelledby");
      }
      return sections.length ? sections[sections.length - 1].getAttribute("aria-labelledby") : null;
    }
    // A tapped chip stays marked while the page scrolls to its section (smoothly, past
    // the categories between; or short of it at the end of the page) until that scroll
    // ends or the customer scrolls.
    var pinned = false;
    nav.addEventListener("click", function (event) {
      var chip = event.target.closest("a[href^='#']");
      if (!chip) return;
      mark(chip.getAttribute("href").slice(1));
      pinned = true;
    });
    function unpin() {
      pinned = false;
    }
    window.addEventListener("scrollend", unpin);
    ["wheel", "touchstart", "pointerdown", "keydown"].forEach(function (type) {
      window.addEventListener(type, unpin, { passive: true });
    });
    // Once a frame at most, from the layout as it is drawn.
    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued || pinned) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        if (!pinned) mark(current());
      });
    }, { passive: true });
    mark(current());
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
