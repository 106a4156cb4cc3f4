"""Caches kept true by the change feed (`live.feed`).

An entry names the topics it depends on ("order:12", "menu") and is dropped when a
committed change names one of them, in any process, and after `max_age` in any case.
Entries are stored only while the feed reaches every process (PostgreSQL, listener
connected); otherwise every read goes to the database. A missing entry is read by one
thread at a time: the others wanting it meanwhile wait for that read (under load, the
menu's entry ending made every worker thread render the menu at once).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app

# How long a thread waits for another's read of the entry it wants before reading itself.
FILL_WAIT_SECONDS = 2.0
# How many of the latest drops are remembered, to tell whether one raced a read.
RECENT_DROPS = 256


class TopicCache:
    """A read that raced a change to what it depends on is not stored: every drop moves
    `generation` and is remembered with its topics (the latest RECENT_DROPS), and `put`
    stores a value only if no drop since the generation its reader started from named
    one of the value's topics (a drop of other topics, an order's change for the menu,
    does not spoil it)."""

    def __init__(self, max_age: timedelta, max_entries: int = 20000):
        self.max_age, self.max_entries = max_age, max_entries
        self.generation = 0
        self._entries: dict[Hashable, tuple[Any, frozenset[str], datetime]] = {}
        self._keys_by_topic: dict[str, set[Hashable]] = {}
        self._drops: deque[tuple[int, frozenset[str] | None]] = deque(maxlen=RECENT_DROPS)
        self._reading: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, now: datetime) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or now - entry[2] >= self.max_age:
            return None
        return entry[0]

    def put(self, key: Hashable, value: Any, topics: frozenset[str], now: datetime, generation: int) -> None:
        with self._lock:
            if self._dropped_since(generation, topics):
                return
            if len(self._entries) >= self.max_entries:
                self._clear()
            self._entries[key] = (value, topics, now)
            for topic in topics:
                self._keys_by_topic.setdefault(topic, set()).add(key)

    def _dropped_since(self, generation: int, topics: frozenset[str]) -> bool:
        """Whether a drop after `generation` may have named one of `topics` (under the lock)."""
        if generation == self.generation:
            return False
        if not self._drops or self._drops[0][0] > generation + 1:  # not all remembered
            return True
        return any(
            dropped is None or not topics.isdisjoint(dropped)
            for number, dropped in reversed(self._drops)
            if number > generation
        )

    def forget(self, topics: frozenset[str] | None) -> None:
        """A change feed subscriber: drop what depends on `topics` (None: everything)."""
        with self._lock:
            self.generation += 1
            self._drops.append((self.generation, topics))
            if topics is None:
                self._clear()
                return
            for topic in topics:
                for key in self._keys_by_topic.pop(topic, ()):
                    self._drop(key)

    def _drop(self, key: Hashable) -> None:
        """Drop an entry, and its key from every topic it named (under the lock)."""
        entry = self._entries.pop(key, None)
        for topic in entry[1] if entry else ():
            keys = self._keys_by_topic.get(topic)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._keys_by_topic[topic]

    def _clear(self) -> None:
        self._entries.clear()
        self._keys_by_topic.clear()

    def fetch(self, key: Hashable, now: datetime, read: Callable[[], tuple[Any, frozenset[str]] | None]) -> Any:
        """The cached value, or `read()`'s (value, topics), stored when it may be. While
        another thread reads the same key, wait for its value instead of reading too."""
        value = self.get(key, now)
        if value is not None:
            return value
        if not current_app.extensions["change_feed"].crosses_processes():
            found = read()
            return None if found is None else found[0]
        with self._lock:
            other = self._reading.get(key)
            if other is None:
                mine = self._reading[key] = threading.Event()
        if other is not None:
            other.wait(FILL_WAIT_SECONDS)
            value = self.get(key, now)  # stored by that read, unless a change raced it
            return value if value is not None else self._read_and_put(key, now, read)
        try:
            return self._read_and_put(key, now, read)
        finally:
            with self._lock:
                del self._reading[key]
            mine.set()

    def _read_and_put(self, key: Hashable, now: datetime, read: Callable[[], tuple[Any, frozenset[str]] | None]) -> Any:
        generation = self.generation
        found = read()
        if found is None:
            return None
        value, topics = found
        self.put(key, value, topics, now, generation)
        return value


def install(app, name: str) -> TopicCache:
    """A cache for `app`, subscribed to its change feed."""
    cache = TopicCache(timedelta(seconds=app.config["CACHE_MAX_AGE_SECONDS"]))
    app.extensions[name] = cache
    app.extensions["change_feed"].subscribe(cache.forget)
    return cache
