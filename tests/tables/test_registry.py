"""Tables and their tokens: saving, a new code, and what a scanned token turns out to be."""

import pytest

from tests import factories as make
from webapp.tables import registry
from webapp.tables.registry import Scan


def test_a_new_table_is_placed_last_and_gets_an_unguessable_token(app):
    first, second = registry.save_table(None, " 7 ", "Dalam"), registry.save_table(None, "Teras  2", "Teras")
    assert (first.label, second.label) == ("7", "Teras 2")  # spaces tidied
    assert second.position == first.position + 1
    assert len(first.token) >= 22 and first.token != second.token


@pytest.mark.parametrize("label, field", [("", "label"), ("x" * 21, "label"), ("7", "label")])
def test_a_table_needs_a_short_label_of_its_own(app, label, field):
    registry.save_table(None, "7")
    with pytest.raises(registry.TableError) as refused:
        registry.save_table(None, label)
    assert refused.value.field == field


def test_lookup_tells_a_live_table_from_a_rotated_unknown_or_inactive_one(app):
    table = make.dining_table("7")
    old_token = table.token
    assert registry.lookup(old_token) == registry.Lookup(Scan.TABLE, table)

    registry.rotate_token(table)
    assert table.token != old_token
    assert registry.lookup(old_token) == registry.Lookup(Scan.ROTATED, table)
    assert registry.lookup(table.token).scan == Scan.TABLE

    registry.save_table(table, "7", active=False)
    assert registry.lookup(table.token) == registry.Lookup(Scan.INACTIVE, table)
    assert registry.lookup("no-such-token").scan == Scan.UNKNOWN
    assert registry.lookup("x" * 500).scan == Scan.UNKNOWN
