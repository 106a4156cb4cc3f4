/* Pushed updates for the staff screens (webapp/live/streams.py).

   An element polled by htmx that names a stream (data-live-stream, from the live_poll
   macro) has the trigger "every Ns [warungPolls(this)], warung:change". While its
   stream is open, a `change` event fires warung:change (the element fetches what its
   poll fetches), and the poll is skipped but for a check every data-live-check seconds
   (0: never skipped).
   While the stream is down, or was refused, the element polls as it always did; when it
   (re)opens the element fetches once, so nothing that happened meanwhile is missed. A
   stream silent for longer than 2.5 heartbeats is taken for dead, and opened again. */
(function () {
  "use strict";
  const REFUSED_RETRY_MS = 15000;
  const streams = new Map(); // URL -> {open, fetched, silenceMs, source, quiet}

  function polled(url) { // looked up each time: a swap may have replaced them
    return document.querySelectorAll('[data-live-stream="' + CSS.escape(url) + '"]');
  }

  function state(url, open) { // on the page too, for its tests and a curious reader
    streams.get(url).open = open;
    document.body.dataset.live = open ? "open" : "polling";
  }

  function fetchAll(url) {
    streams.get(url).fetched = Date.now();
    polled(url).forEach(function (element) { htmx.trigger(element, "warung:change"); });
  }

  function open(url) {
    const stream = streams.get(url);
    const source = new EventSource(url);
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
    source.addEventListener("open", function () { state(url, true); alive(); fetchAll(url); });
    source.addEventListener("change", function () { alive(); fetchAll(url); });
    source.addEventListener("heartbeat", alive);
    source.addEventListener("error", function () {
      state(url, false); // the browser opens it again by itself, unless it was refused
      if (source.readyState === EventSource.CLOSED) down(REFUSED_RETRY_MS);
    });
  }

  window.warungPolls = function (element) {
    const stream = streams.get(element.dataset.liveStream);
    if (!stream || !stream.open) return true;
    const checkMs = 1000 * Number(element.dataset.liveCheck || 0);
    if (Date.now() - Math.max(stream.fetched, element.warungChecked || 0) < checkMs) return false;
    element.warungChecked = Date.now();
    return true;
  };

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
