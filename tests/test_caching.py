"""TopicCache on its own: what it keeps, for how long, and what a change drops."""

from datetime import UTC, datetime, timedelta

from webapp.live.cache import TopicCache

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
