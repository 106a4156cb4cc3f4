"""Pushed updates for the staff screens: Server-Sent Events.

A staff screen (the board, a kitchen station, the floor, a table bill's cashier page,
the till and its customer display) opens one stream beside its poll. When this process
hears of a committed change (the change feed: at commit in this process, and on
PostgreSQL by NOTIFY from every other), each open stream that listens to it (the board
to orders and tickets, the floor to orders and bills...) sends a `change` event, and the
screen fetches exactly what its poll fetches. That fetch compares what the screen shows
with what is current, as the poll does, so an event carries nothing of the change (a
customer display's stream learns nothing of other tills) and a missed one costs only
time: a screen fetches when its stream (re)opens, and polls as before while it is down
(static/js/live.js). News that comes within LIVE_EVENT_SPACING_SECONDS of a stream's
last event waits for that time to pass, gathered into one event: alone, a change is
sent at once; in a rush, a screen fetches at most once a second, not at every change.

A screen whose fetches would come in a rush may instead have its stream tell it what
changed (a `Teller`: the board's sends the cards that changed,
webapp/cashier/board_push.py). The teller reads the database, as the screen's fetch
would, at most once per spacing, within the stream's request (its login, its
language); before each, the guard the app set (`guard_tellers`: access.while_allowed)
asks whether its reader may still open the page. It tells nothing when nothing the
screen shows changed. What the screen cannot apply onto what it shows, it fetches.

Each stream holds a server thread, so a process holds at most LIVE_STREAMS_MAX of them
and refuses the rest (503: the screen keeps polling and asks again later). A heartbeat
every LIVE_HEARTBEAT_SECONDS tells the screen its stream is alive, and ends a stream
whose screen went away (its second write after the close fails; a peer gone without a
word, only when TCP gives up). On PostgreSQL, changes made by other processes
reach a stream only while this process's listener is connected: a stream is refused
while it is not, and ended when it drops. `close_all` ends every stream at once when
the process shuts down (gunicorn.conf.py), so a restart does not wait for them.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator

from flask import Flask, Response, current_app
from flask.globals import request_ctx

from ..extensions import db, reads_only
from .feed import ChangeFeed

_END = object()  # put on a stream's queue: the stream ends
LISTENER_WAIT_SECONDS = 2.0  # how long a new stream waits for the listener to connect
REFUSED_RETRY_SECONDS = 15  # a refused screen asks again after this (Retry-After)
RECONNECT_MS = 2000  # the browser reopens a dropped stream after this (the `retry` field)
# What is heard within this of the first news makes one event: on PostgreSQL a commit of
# this process is heard at once and again, a moment later, by NOTIFY; a payment and its
# tickets' printing are commits a few milliseconds apart.
GATHER_SECONDS = 0.05

CHANGE = "event: change\ndata:"  # the default event: the screen fetches
TELLER_GUARD = "live_stream_teller_guard"  # app.extensions: see guard_tellers

# A stream's event for the news heard: its "event:" and "data:" lines, or None when
# the screen has nothing new to be told (it raises StreamEnds when the stream must end).
Teller = Callable[[], str | None]


class StreamEnds(Exception):
    """Raised by a teller: the stream ends (the screen polls, and opens it again)."""


class WhenChanged:
    """The teller of a screen that fetches when told `change`, but only when what it
    would fetch changed: its `version` differs from the one the screen opened the
    stream with (`shown`) or was last told of (a station's display, whose fetch
    answers 204 to the version it shows)."""

    def __init__(self, version: Callable[[], str], shown: str | None):
        self.version, self.last = version, shown

    def __call__(self) -> str | None:
        current = self.version()
        if current == self.last:
            return None
        self.last = current
        return CHANGE


_hubs: weakref.WeakSet[StreamHub] = weakref.WeakSet()


def family(topic: str) -> str:
    """A topic's family: "order" for "order:12", the topic itself otherwise."""
    return topic.partition(":")[0]


class StreamHub:
    """One per app: the open streams of this process, each a queue of what it heard and
    the families of topics it listens to."""

    def __init__(self, limit: int):
        self.limit = limit
        self._streams: dict[queue.SimpleQueue, frozenset[str]] = {}
        self._lock = threading.Lock()
        self._closing = False
        self._numbers = itertools.count(1)
        _hubs.add(self)

    def __len__(self) -> int:
        return len(self._streams)

    def hear(self, topics: frozenset[str] | None) -> None:
        """The change feed's subscriber: pass the news to every open stream that listens
        to one of `topics` (None, "anything may have changed", to every one)."""
        families = None if topics is None else {family(topic) for topic in topics}
        with self._lock:
            streams = list(self._streams.items())
        for waiting, listens in streams:
            if families is None or not listens.isdisjoint(families):
                waiting.put(topics)

    def join(self, listens: Iterable[str]) -> queue.SimpleQueue | None:
        """A queue for a new stream listening to the topic families `listens`, or None
        when the process holds its limit or is shutting down."""
        with self._lock:
            if self._closing or len(self._streams) >= self.limit:
                return None
            joined: queue.SimpleQueue = queue.SimpleQueue()
            self._streams[joined] = frozenset(listens)
            return joined

    def leave(self, joined: queue.SimpleQueue) -> None:
        with self._lock:
            self._streams.pop(joined, None)

    def close_all(self) -> None:
        """End every stream now, and refuse new ones (the process is shutting down)."""
        with self._lock:
            self._closing = True
            streams = list(self._streams)
        for waiting in streams:
            waiting.put(_END)

    def events(
        self,
        joined: queue.SimpleQueue,
        feed: ChangeFeed,
        heartbeat: float,
        needs_listener: bool,
        spacing: float,
        tell: Teller,
    ) -> Iterator[str]:
        """The stream's text: the event `tell` makes of the news heard (what comes
        within GATHER_SECONDS of the first, or until `spacing` seconds after the last
        event, makes one), a `heartbeat` when nothing was sent for `heartbeat` seconds;
        it ends on close_all, when the listener it needs is lost, or when `tell` says so."""
        try:
            yield f"retry: {RECONNECT_MS}\n\n"
            next_event, last_sent = 0.0, time.monotonic()
            while True:
                try:
                    heard = [joined.get(timeout=max(0.0, last_sent + heartbeat - time.monotonic()))]
                except queue.Empty:
                    heard = []
                else:
                    heard += _gathered(joined, max(time.monotonic() + GATHER_SECONDS, next_event))
                if _END in heard or (needs_listener and not feed.connected()):
                    return
                told = None
                if heard:  # told at most once per `spacing`, whether it sends or not
                    next_event = time.monotonic() + spacing
                    try:
                        told = tell()
                    except StreamEnds:
                        return
                if told is not None:
                    last_sent = time.monotonic()
                    yield f"id: {next(self._numbers)}\n{told}\n\n"
                elif time.monotonic() - last_sent >= heartbeat:  # news that told nothing is silence too
                    last_sent = time.monotonic()
                    yield "event: heartbeat\ndata:\n\n"
        finally:
            self.leave(joined)


def _gathered(joined: queue.SimpleQueue, until: float) -> list:
    """What else comes in until `until` (or until the stream is ended)."""
    heard = []
    while (left := until - time.monotonic()) > 0:
        try:
            heard.append(joined.get(timeout=left))
        except queue.Empty:
            break
        if heard[-1] is _END:
            break
    return heard


def close_all_streams() -> None:
    """End every stream of every app in this process (its shutdown)."""
    for hub in list(_hubs):
        hub.close_all()


def refused() -> Response:
    """A stream this process cannot hold now: the screen keeps polling and asks later."""
    response = Response("", status=503, mimetype="text/plain")
    response.headers["Retry-After"] = str(REFUSED_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


# The topic families the screens listen to: every order and payment (the triggers'
# "order:<id>", this process's "orders"), and what each shows besides.
ORDERS = ("order", "orders")
BOARD = (*ORDERS, "kitchen")
KITCHEN = (*ORDERS, "kitchen")
FLOOR = (*ORDERS, "bills")
TILL = (*ORDERS, "tills")


def always_change() -> str:
    """The teller of a screen that fetches at every news."""
    return CHANGE


def stream(listens: Iterable[str], tell: Teller | None = None) -> Response:
    """The response of a staff screen's stream route (after its own login or pairing
    check), listening to the topic families `listens`: the events (a `change` for any
    news, or what `tell` makes of it), or `refused()`."""
    db.session.remove()  # the stream holds no database connection, from here on
    hub: StreamHub = current_app.extensions["live_streams"]
    feed: ChangeFeed = current_app.extensions["change_feed"]
    needs_listener = db.engine.dialect.name == "postgresql"
    if needs_listener and not feed.wait_until_connected(LISTENER_WAIT_SECONDS):
        return refused()
    joined = hub.join(listens)
    if joined is None:
        return refused()
    if needs_listener and not feed.connected():  # lost meanwhile: its None may be missed
        hub.leave(joined)
        return refused()
    try:
        config = current_app.config
        settings = (config["LIVE_HEARTBEAT_SECONDS"], needs_listener, config["LIVE_EVENT_SPACING_SECONDS"])
        events = hub.events(joined, feed, *settings, always_change if tell is None else _guarded(tell))
        response = Response(events, mimetype="text/event-stream")
        response.call_on_close(lambda: hub.leave(joined))  # however it ends, even before it began
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    except BaseException:
        hub.leave(joined)
        raise
    return response


def _guarded(tell: Teller) -> Teller:
    """`tell`, behind the app's guard (`guard_tellers`), run within a copy of the
    stream's request (its session, its language, a new `g`, so its login is read again)
    on a database session that only reads and is given back after each. Whatever fails
    (the database, the pool) ends the stream, logged: the screen polls, and comes back."""

    context = request_ctx.copy()
    app = context.app
    tell = app.extensions[TELLER_GUARD](tell)

    def guarded() -> str | None:
        with app.app_context(), context:
            reads_only()
            try:
                return tell()
            except StreamEnds:
                raise
            except Exception:  # a database gone, a pool exhausted, a station deleted...
                app.logger.warning("A stream ended: its teller failed", exc_info=True)
                raise StreamEnds from None

    return guarded


def check_seconds() -> float:
    """How often a screen whose stream is open still polls, as a check: every
    LIVE_CHECK_SECONDS on PostgreSQL; on SQLite, as often as without a stream, since
    there a stream hears this process's changes only (not those of another process,
    such as the print worker or a command), and only makes the screen quicker."""
    if db.engine.dialect.name == "postgresql":
        return current_app.config["LIVE_CHECK_SECONDS"]
    return 0


def guard_tellers(app: Flask, guard: Callable[[Teller], Teller]) -> None:
    """Every stream's teller is wrapped in `guard` (made within the stream's request),
    which may end the stream (StreamEnds) before it tells: set by the access rules."""
    app.extensions[TELLER_GUARD] = guard


def init_app(app: Flask) -> None:
    hub = StreamHub(app.config["LIVE_STREAMS_MAX"])
    app.extensions["live_streams"] = hub
    guard_tellers(app, lambda tell: tell)  # none until the access rules set theirs
    app.extensions["change_feed"].subscribe(hub.hear)
    app.add_template_global(check_seconds, "live_check_seconds")
