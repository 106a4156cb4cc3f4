"""Caches kept true by the change feed (`live.feed`).

An entry names the topics it depends on ("order:12", "menu") and is dropped when a
committed change names one of them, in any process, and after `max_age` in any case.
Entries are stored only while the feed reaches every process (PostgreSQL, listener
connected); otherwise every read goes to the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app


class TopicCache:
    """A read that raced a change is not stored: every drop moves `generation`, and `put`
    only stores a value read entirely after the generation its reader started from."""

    def __init__(self, max_age: timedelta, max_entries: int = 20000):
        self.max_age, self.max_entries = max_age, max_entries
        self.generation = 0
        self._entries: dict[Hashable, tuple[Any, frozenset[str], datetime]] = {}
        self._keys_by_topic: dict[str, set[Hashable]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, now: datetime) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or now - entry[2] >= self.max_age:
            return None
        return entry[0]

    def put(self, key: Hashable, value: Any, topics: frozenset[str], now: datetime, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= self.max_entries:
                self._clear()
            self._entries[key] = (value, topics, now)
            for topic in topics:
                self._keys_by_topic.setdefault(topic, set()).add(key)

    def forget(self, topics: frozenset[str] | None) -> None:
        """A change feed subscriber: drop what depends on `topics` (None: everything)."""
        with self._lock:
            self.generation += 1
            if topics is None:
                self._clear()
                return
            for topic in topics:
                for key in self._keys_by_topic.pop(topic, ()):
                    self._entries.pop(key, None)

    def _clear(self) -> None:
        self._entries.clear()
        self._keys_by_topic.clear()

    def fetch(self, key: Hashable, now: datetime, read: Callable[[], tuple[Any, frozenset[str]] | None]) -> Any:
        """The cached value, or `read()`'s (value, topics), stored when it may be."""
        value = self.get(key, now)
        if value is not None:
            return value
        generation = self.generation
        cacheable = current_app.extensions["change_feed"].crosses_processes()
        found = read()
        if found is None:
            return None
        value, topics = found
        if cacheable:
            self.put(key, value, topics, now, generation)
        return value


def install(app, name: str) -> TopicCache:
    """A cache for `app`, subscribed to its change feed."""
    cache = TopicCache(timedelta(seconds=app.config["CACHE_MAX_AGE_SECONDS"]))
    app.extensions[name] = cache
    app.extensions["change_feed"].subscribe(cache.forget)
    return cache
