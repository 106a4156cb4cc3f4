// The menu's category chips: the chip of the section being read is marked
// (aria-current) and scrolled into the chip row's view. Without this script the chips
// are plain links to their sections.
(function () {
  "use strict";
  function start() {
    var nav = document.querySelector(".category-chips");
    if (!nav || !("IntersectionObserver" in window)) return;
    var chips = {};
    nav.querySelectorAll("a[href^='#']").forEach(function (chip) {
      chips[chip.getAttribute("href").slice(1)] = chip;
    });
    var visible = {};
    var shown = null;
    function mark(id) {
      if (id === shown) return;
      shown = id;
      Object.keys(chips).forEach(function (key) {
        if (key === id) {
          chips[key].setAttribute("aria-current", "true");
          var row = nav.querySelector("ul");
          row.scrollTo({ left: chips[key].offsetLeft - row.offsetLeft - 16, behavior: "smooth" });
        } else {
          chips[key].removeAttribute("aria-current");
        }
      });
    }
    // The section being read is the one crossing a thin line a third of the way down
    // the screen (below the sticky bars); sections are apart, so at most one does.
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        visible[entry.target.getAttribute("aria-labelledby")] = entry.isIntersecting;
      });
      var current = Object.keys(chips).filter(function (id) { return visible[id]; })[0];
      if (current) mark(current);
    }, { rootMargin: "-35% 0px -64% 0px" });
    mark(Object.keys(chips)[0]);  // at the top of the page, before any section reaches the line
    document.querySelectorAll("section.category[aria-labelledby]").forEach(function (section) {
      observer.observe(section);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
