"""TopicCache on its own: what it keeps, for how long, and what a change drops."""

import threading
from datetime import UTC, datetime, timedelta

from webapp.live.cache import RECENT_DROPS, TopicCache

T0 = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
ORDER_1, ORDER_2 = frozenset({"order:1"}), frozenset({"order:2"})


def test_keeps_a_value_for_its_max_age():
    cache = TopicCache(timedelta(seconds=30))
    cache.put("pub1", "facts", ORDER_1, T0, cache.generation)
    assert cache.get("pub1", T0 + timedelta(seconds=29)) == "facts"
    assert cache.get("pub1", T0 + timedelta(seconds=30)) is None
    assert cache.get("other", T0) is None


def test_forgets_what_depends_on_a_changed_topic_or_everything():
    cache = TopicCache(timedelta(seconds=30))
    cache.put("pub1", "one", ORDER_1, T0, cache.generation)
    cache.put("pub2", "two", ORDER_2, T0, cache.generation)
    cache.put(("id", ""), "menu html", frozenset({"menu"}), T0, cache.generation)
    cache.forget(frozenset({"order:1", "order:99"}))
    assert cache.get("pub1", T0) is None
    assert cache.get("pub2", T0) == "two" and cache.get(("id", ""), T0) == "menu html"
    cache.forget(frozenset({"menu"}))
    assert cache.get(("id", ""), T0) is None and cache.get("pub2", T0) == "two"
    cache.forget(None)
    assert cache.get("pub2", T0) is None


def test_a_read_that_raced_a_change_is_not_stored():
    cache = TopicCache(timedelta(seconds=30))
    started = cache.generation  # the reader starts...
    cache.forget(ORDER_1)  # ...a change commits while it reads...
    cache.put("pub1", "maybe old", ORDER_1, T0, started)  # ...so what it read may be old
    assert cache.get("pub1", T0) is None


def test_a_full_cache_starts_over_instead_of_growing():
    cache = TopicCache(timedelta(seconds=30), max_entries=2)
    for n in range(3):
        cache.put(f"pub{n}", n + 1, frozenset({f"order:{n}"}), T0, cache.generation)
    assert [cache.get(f"pub{n}", T0) for n in range(3)] == [None, None, 3]


def test_a_change_to_other_topics_during_a_read_does_not_spoil_it():
    cache = TopicCache(timedelta(seconds=30))
    started = cache.generation
    cache.forget(ORDER_2)  # an order changes while the menu is read
    cache.put("menu", "menu html", frozenset({"menu"}), T0, started)
    assert cache.get("menu", T0) == "menu html"
    started = cache.generation
    cache.forget(ORDER_2)
    cache.forget(None)  # "anything may have changed" spoils every read under way
    cache.put("menu", "maybe old", frozenset({"menu"}), T0, started)
    assert cache.get("menu", T0) is None


def test_a_read_older_than_the_drops_remembered_is_not_stored():
    cache = TopicCache(timedelta(seconds=30))
    started = cache.generation
    for n in range(RECENT_DROPS + 1):  # the oldest of them, which may have named "menu", is forgotten
        cache.forget(frozenset({f"order:{n}"}))
    cache.put("menu", "maybe old", frozenset({"menu"}), T0, started)
    assert cache.get("menu", T0) is None


def test_threads_wanting_a_missing_entry_wait_for_one_read(app):
    """Eight threads want the menu at once: one reads it, the others get its value."""
    cache = TopicCache(timedelta(seconds=30))
    reads, reading, release = [], threading.Event(), threading.Event()

    def read():
        reads.append(threading.get_ident())
        reading.set()
        release.wait(5)
        return "menu html", frozenset({"menu"})

    def want(results):
        with app.app_context():
            results.append(cache.fetch("menu", T0, read))

    results: list[str] = []
    app.extensions["change_feed"].crosses_processes = lambda: True  # as on PostgreSQL
    threads = [threading.Thread(target=want, args=(results,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert reading.wait(5)  # the first is reading; the others come while it does
    release.set()
    for thread in threads:
        thread.join()
    assert results == ["menu html"] * 8 and len(reads) == 1


def test_a_dropped_entry_is_forgotten_by_all_its_topics():
    """An order's poll entry names "order:N" and "checked:N": dropped by one, the other
    keeps nothing of it (else every order ever polled would stay listed)."""
    cache = TopicCache(timedelta(seconds=30))
    cache.put("pub1", "facts", frozenset({"order:1", "checked:1"}), T0, cache.generation)
    cache.forget(ORDER_1)
    assert cache.get("pub1", T0) is None and cache._keys_by_topic == {}
