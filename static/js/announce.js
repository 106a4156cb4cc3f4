/* New orders announce themselves: highlighted for a few seconds once in view, counted on
   a "N baru" bar while out of view (a tap scrolls to the newest), and a short tone on a
   device whose sound switch is on.

   How a page uses it (the cashier's board and the kitchen displays do):
   1. In its head block:
        {% from "_announce.html" import announce_assets, announce_controls %}
        {{ announce_assets() }}        this script and static/css/announce.css
   2. Where the sound switch belongs: {{ announce_controls() }} (the switch, the bar, and
      a live region that names the new orders to a screen reader).
   3. On each thing that must announce itself when it appears: data-announce="KEY", a
      key unique on the page for that thing ("o12": the board's order 12 to prepare;
      "t34": a station's ticket 34), and an aria-label naming it.
   However it arrives (an htmx poll, an out-of-band swap, the answer to a button), an
   element is new when the page has not shown its key before: what the page showed when
   it loaded is not, and neither is an element swapped for a newer version of itself.
   New ones get the class "announce-new" until HIGHLIGHT_MS after they were first in
   view (the animation respects prefers-reduced-motion: announce.css).

   Sound: browsers let a page play sound only after a tap on it. The switch's tap is
   that tap: it creates and resumes the AudioContext (and plays the tone once, to hear
   it). The switch is remembered per device (localStorage); after a reload the first
   tap anywhere on the page resumes the sound, and a hint asks for one until then. The
   tone is made with Web Audio (two short notes): no sound file to ship. */
(function () {
  "use strict";
  var HIGHLIGHT_MS = 8000;
  var STORAGE_KEY = "warung.announce.sound";
  var AudioContextClass = window.AudioContext || window.webkitAudioContext;
  var states = {}; // key -> "old" | "unseen" (not yet in view) | "shown" (highlighted)
  var arrivals = {}; // key -> when it arrived, in arrival order
  var arrived = 0;
  var audio = null;
  var unstored = false; // the switch, where the browser keeps no storage: this page only
  var inView;

  function soundOn() {
    try { return window.localStorage.getItem(STORAGE_KEY) === "on"; } catch (e) { return unstored; }
  }

  function rememberSound(on) {
    unstored = on;
    try { window.localStorage.setItem(STORAGE_KEY, on ? "on" : "off"); } catch (e) { /* unstored keeps it */ }
  }

  function playing() {
    return audio !== null && audio.state === "running";
  }

  /* Inside a tap: from now on the page may make sound. */
  function unlock(then) {
    if (!audio) {
      audio = new AudioContextClass();
      audio.onstatechange = showSwitch; // a tablet gone to sleep may suspend it: the hint says so again
    }
    var done = function () { showSwitch(); if (then) { then(); } };
    if (playing()) { done(); } else { audio.resume().then(done, showSwitch); }
  }

  function tone() {
    if (!playing()) { return; }
    var start = audio.currentTime;
    [[0, 880], [0.2, 1320]].forEach(function (note) {
      var at = start + note[0], oscillator = audio.createOscillator(), gain = audio.createGain();
      oscillator.type = "triangle";
      oscillator.frequency.setValueAtTime(note[1], at);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.2);
    });
  }

  function showSwitch() {
    var button = document.getElementById("sound-switch");
    if (!button || !AudioContextClass) { return; }
    var on = soundOn(), state = button.querySelector(".sound-state");
    button.hidden = false;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    state.textContent = on ? state.dataset.on : state.dataset.off;
    document.getElementById("sound-hint").hidden = !on || playing();
  }

  function toggleSound() {
    var on = !soundOn();
    rememberSound(on);
    if (on) { unlock(tone); } else { showSwitch(); }
  }

  function unseen() {
    return Array.prototype.filter.call(document.querySelectorAll("[data-announce].announce-new"), function (el) {
      return states[el.dataset.announce] === "unseen";
    });
  }

  function newestUnseen() {
    return unseen().sort(function (a, b) {
      return arrivals[a.dataset.announce] - arrivals[b.dataset.announce];
    }).pop();
  }

  function showBar() {
    var bar = document.getElementById("announce-bar");
    if (!bar) { return; }
    var newest = newestUnseen(), count = unseen().length, text = bar.dataset.text.replace("{n}", String(count));
    bar.hidden = !newest;
    if (bar.textContent !== text) { bar.textContent = text; }
    bar.classList.toggle("announce-up", Boolean(newest) && newest.getBoundingClientRect().bottom < 0);
  }

  /* The newest of those out of view, brought into view and given the focus. */
  function goToNewest() {
    var newest = newestUnseen();
    if (!newest) { return; }
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    newest.setAttribute("tabindex", "-1");
    newest.scrollIntoView({block: "center", inline: "nearest", behavior: still ? "auto" : "smooth"});
    newest.focus({preventScroll: true});
  }

  function highlightEnds(key) {
    window.setTimeout(function () {
      states[key] = "old";
      document.querySelectorAll("[data-announce]").forEach(function (el) {
        if (el.dataset.announce === key) { el.classList.remove("announce-new"); }
      });
    }, HIGHLIGHT_MS);
  }

  function seen(entries) {
    entries.forEach(function (entry) {
      var key = entry.target.dataset.announce;
      if (!entry.isIntersecting) { return; }
      inView.unobserve(entry.target);
      if (states[key] === "unseen") {
        states[key] = "shown";
        highlightEnds(key);
      }
    });
    showBar();
  }

  function named(el) {
    var labelled = el.hasAttribute("aria-label") ? el : el.querySelector("[aria-label]");
    return labelled ? labelled.getAttribute("aria-label") : el.dataset.announce;
  }

  /* Every element with a key: a key not shown before is new (unless the page is only
     loading); a new one swapped for a newer version of itself stays highlighted. */
  function scan(loading) {
    var fresh = [];
    document.querySelectorAll("[data-announce]").forEach(function (el) {
      var key = el.dataset.announce;
      if (!(key in states)) {
        states[key] = loading ? "old" : "unseen";
        arrivals[key] = arrived++;
        if (!loading) { fresh.push(el); }
      }
      if (states[key] !== "old" && !el.classList.contains("announce-new")) {
        el.classList.add("announce-new");
        inView.observe(el);
      }
    });
    if (fresh.length) {
      var said = document.getElementById("announce-said");
      if (said) { said.textContent = said.dataset.text.replace("{list}", fresh.map(named).join(", ")); }
      if (soundOn()) { tone(); }
    }
    showBar();
  }

  function start() {
    inView = new IntersectionObserver(seen, {threshold: 0.5});
    scan(true);
    showSwitch();
    var scheduled = false;
    new MutationObserver(function (records) {
      var added = records.some(function (record) {
        return Array.prototype.some.call(record.addedNodes, function (node) { return node.nodeType === 1; });
      });
      if (added && !scheduled) {
        scheduled = true;
        window.setTimeout(function () { scheduled = false; scan(false); }, 0);
      }
    }).observe(document.body, {childList: true, subtree: true});
    var bar = document.getElementById("announce-bar");
    if (bar) { bar.addEventListener("click", goToNewest); }
    if (!AudioContextClass) { return; }
    var button = document.getElementById("sound-switch");
    if (button) { button.addEventListener("click", toggleSound); }
    ["click", "keydown"].forEach(function (kind) {
      document.addEventListener(kind, function (event) {
        if (soundOn() && !playing() && !(button && button.contains(event.target))) { unlock(); }
      }, true);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
