/* Pushed updates for the staff screens (webapp/live/streams.py).

   An element polled by htmx that names a stream (data-live-stream, from the live_poll
   macro) has the trigger "every Ns, warung:change". While its stream is open, a
   `change` event fires warung:change (the element fetches what its poll fetches), and
   its polls are called off (htmx:confirm) but for a check every data-live-check seconds
   (0: never called off). While the stream is down, or was refused, the element polls as
   it always did; when the stream (re)opens the element fetches once, so nothing that
   happened meanwhile is missed. A stream silent for longer than 2.5 heartbeats is taken
   for dead and opened again; one whose screen has no element left to tell is closed.

   A stream that tells only what changed (data-live-shows: the selector of the inputs
   that say what the element shows, as its poll sends them) is opened with those
   inputs' values; its `cards` events carry what changed. Such an event is handed to the
   element as `warung:told` (its detail: the event's data) for the page's own script to
   apply, which then sets detail.applied (board.js); when it is not applied, the element
   fetches, as for a `change`. An event that comes while a request of the page is
   unanswered is held until every answer has landed, then handed over: the answer was
   computed from what the page showed before, and landing after the event it would take
   the page back. Most often that request was the step the event tells of, whose answer
   already shows it: the event then fits the page as it is, and nothing is fetched.

   The page's body says how it is kept up to date, for its tests and a curious reader:
   data-live ("open" or "polling"), data-live-skipped (polls called off so far),
   data-live-held (told events held for an answer) and data-live-applied (told events
   applied). */
(function () {
  "use strict";
  const REFUSED_RETRY_MS = 15000;
  const streams = new Map(); // URL -> {open, fetched, silenceMs, source, quiet}
  let skipped = 0;
  let applied = 0;
  let heldCount = 0;

  function polled(url) { // looked up each time: a swap may have replaced them
    return document.querySelectorAll('[data-live-stream="' + CSS.escape(url) + '"]');
  }

  function state(url, open) {
    streams.get(url).open = open;
    document.body.dataset.live = open ? "open" : "polling";
  }

  // News that comes while the screen has a request of its own in flight (a bump, a
  // payment taken) waits for its answer: fetched earlier, with what the screen showed
  // before, the answer to the news would come second and wipe the request's message.
  // A page that is being left (a plain form sent) fetches nothing more.
  let inFlight = 0;
  let leaving = false;
  const waiting = new Set();

  function fetchAll(url) {
    if (leaving) return;
    if (inFlight > 0) {
      waiting.add(url);
      return;
    }
    streams.get(url).fetched = Date.now();
    polled(url).forEach(function (element) { htmx.trigger(element, "warung:change"); });
  }

  // Counted on the request itself: htmx tells of its end on the element that sent it,
  // which its own answer may have swapped out of the page. `unanswered` counts every
  // request (a fetch or a poll too) until its end, however long: its answer, computed
  // from what the page showed, must land before a told event is applied.
  let unanswered = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const xhr = event.detail.xhr;
    unanswered++;
    xhr.addEventListener("loadend", function () { // after htmx's swap (on load)
      unanswered--;
      handOver();
    });
    if (event.detail.elt.dataset && event.detail.elt.dataset.liveStream) return; // a fetch or a poll
    let ended = false;
    function end() {
      if (ended) return;
      ended = true;
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight === 0) {
        const urls = [...waiting];
        waiting.clear();
        urls.forEach(function (url) { if (streams.has(url)) fetchAll(url); });
      }
    }
    inFlight++;
    xhr.addEventListener("loadend", end);
    setTimeout(end, 10000); // an answer that never comes: news is fetched all the same
  });
  function leave() {
    leaving = true;
    setTimeout(function () { leaving = false; }, 5000); // still here: a download, say
  }
  document.addEventListener("submit", function (event) { // htmx's own forms are prevented
    if (!event.defaultPrevented) leave();
  });
  window.addEventListener("pagehide", leave);

  // What a telling stream's element shows: its inputs' values, by name.
  function shows(url) {
    const element = polled(url)[0];
    const values = new Map();
    if (element && element.dataset.liveShows) {
      document.querySelectorAll(element.dataset.liveShows).forEach(function (input) {
        values.set(input.name, input.value);
      });
    }
    return values;
  }

  function opened(url) { // a telling stream starts from what the element shows
    const values = shows(url);
    if (values.size === 0) return url;
    return url + (url.includes("?") ? "&" : "?") + new URLSearchParams([...values]).toString();
  }

  // A told event: applied by the page's script, else fetched; held while a request of
  // the page is unanswered.
  const held = [];
  let heldTimer = null;
  function told(url, event) {
    held.push({ url: url, detail: JSON.parse(event.data) });
    if (unanswered > 0) {
      document.body.dataset.liveHeld = String(++heldCount);
      heldTimer = heldTimer || setTimeout(fetchHeld, 10000); // an answer that never comes: fetched all the same
    }
    handOver();
  }

  function handOver() { // in the order they came, while no request is unanswered
    while (held.length && unanswered === 0) {
      const next = held.shift();
      if (streams.has(next.url)) tell(next.url, next.detail);
    }
    if (held.length === 0) {
      clearTimeout(heldTimer);
      heldTimer = null;
    }
  }

  function fetchHeld() {
    heldTimer = null;
    held.splice(0).forEach(function (next) { if (streams.has(next.url)) fetchAll(next.url); });
  }

  function tell(url, detail) {
    const element = polled(url)[0];
    detail.applied = false;
    if (!leaving && element) {
      element.dispatchEvent(new CustomEvent("warung:told", { detail: detail, bubbles: true }));
    }
    if (!detail.applied) {
      fetchAll(url);
      return;
    }
    streams.get(url).fetched = Date.now(); // as good as a fetch: the check waits
    document.body.dataset.liveApplied = String(++applied);
  }

  function open(url) {
    const stream = streams.get(url);
    if (polled(url).length === 0) { // nothing left on the page that it would tell
      streams.delete(url);
      return;
    }
    const source = new EventSource(opened(url));
    stream.source = source;
    function alive() {
      clearTimeout(stream.quiet);
      stream.quiet = setTimeout(function () { down(1000); }, stream.silenceMs);
    }
    function down(retryMs) {
      if (stream.source !== source) return; // already replaced
      clearTimeout(stream.quiet);
      state(url, false);
      source.close();
      stream.source = null;
      setTimeout(function () { open(url); }, retryMs);
    }
    alive(); // a stream that never opens is replaced too
    source.addEventListener("open", function () { state(url, true); alive(); fetchAll(url); });
    function heard(event) {
      if (polled(url).length === 0) { // the screen moved on (a display unpaired): let go
        clearTimeout(stream.quiet);
        source.close();
        streams.delete(url);
        return;
      }
      alive();
      if (event.type === "cards") told(url, event);
      else fetchAll(url);
    }
    source.addEventListener("change", heard);
    source.addEventListener("cards", heard);
    source.addEventListener("heartbeat", alive);
    source.addEventListener("error", function () {
      state(url, false); // the browser opens it again by itself, unless it was refused
      if (source.readyState === EventSource.CLOSED) down(REFUSED_RETRY_MS);
    });
  }

  // Whether an element's poll goes ahead: always while its stream is down; while it is
  // open, only as the check.
  function polls(element) {
    const stream = streams.get(element.dataset.liveStream);
    if (!stream || !stream.open) return true;
    const checkMs = 1000 * Number(element.dataset.liveCheck || 0);
    if (Date.now() - Math.max(stream.fetched, element.warungChecked || 0) < checkMs) return false;
    element.warungChecked = Date.now();
    return true;
  }

  // A poll is a request with no triggering event (htmx calls it from its timer).
  document.addEventListener("htmx:confirm", function (event) {
    const element = event.detail.elt;
    if (!element.dataset || !element.dataset.liveStream || event.detail.triggeringEvent) return;
    if (!polls(element)) {
      event.preventDefault();
      document.body.dataset.liveSkipped = String(++skipped);
    }
  });

  function start() {
    if (!window.EventSource) return;
    document.querySelectorAll("[data-live-stream]").forEach(function (element) {
      const url = element.dataset.liveStream;
      if (!streams.has(url)) {
        const silenceMs = 2500 * Number(element.dataset.liveHeartbeat || 15);
        streams.set(url, { open: false, fetched: 0, silenceMs: silenceMs, source: null, quiet: null });
        open(url);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
