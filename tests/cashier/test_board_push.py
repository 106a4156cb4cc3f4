"""The board's stream tells the cards that changed (webapp/cashier/board_push.py): per
changed column its cards and its list, and the cards the board did not show, computed
from the lists the board opened it with, so a board with its stream open fetches
nothing; a news that changes no card tells nothing; only the filtered board's cards;
and the stream ends with its reader's login. (Putting them together on the board:
tests/browser/test_pushed_updates.py.)"""

from __future__ import annotations

import json
import re

import pytest

from tests import factories as make
from tests.live.stream_helpers import BOARD_STREAM, HEARTBEAT, opened
from webapp.cashier import live_board
from webapp.extensions import db
from webapp.staff import sessions

SHOWN = re.compile(r'id="shown-(\w+)" name="\w+" value="([^"]*)"')


def board_lists(cashier_client, query: str = "") -> dict[str, str]:
    """The lists of cards the board page shows, by column (its hidden inputs)."""
    return dict(SHOWN.findall(cashier_client.get(f"/cashier{query}").get_data(as_text=True)))


def told(event: bytes) -> dict:
    kind, data = event.decode().strip().split("\n")
    assert kind == "event: cards"
    return json.loads(data.removeprefix("data: "))


@pytest.fixture
def shown(cashier_client, menu):
    """What the board shows before the test's orders: one order waiting for cash."""
    make.order(menu, name="Pertama")
    return board_lists(cashier_client)


def stream_from(app, cashier_client, shown: dict[str, str], query: str = ""):
    params = "&".join(f"{column}={value}" for column, value in shown.items())
    return opened(app, cashier_client, f"{BOARD_STREAM}?{params}{query}")


def test_the_stream_tells_the_changed_columns_and_the_cards_the_board_lacks(app, cashier_client, menu, shown):
    stream = stream_from(app, cashier_client, shown)
    first = shown["awaiting_cash"]
    order = make.order(menu, name="Kedua")
    news = told(stream.next_news())
    entries = news["columns"]["awaiting_cash"]["cards"]
    assert list(news["columns"]) == ["awaiting_cash"]  # only the changed column
    assert entries[0] == first and entries[1].startswith(f"{order.daily_seq}.")
    assert news["lists"] == shown | {"awaiting_cash": "_".join(entries)}  # every column's list
    assert f'id="o{order.daily_seq}-awaiting_cash"' in news["html"] and "Kedua" in news["html"]
    assert "Pertama" not in news["html"]  # the board shows it already, at that version
    # With its list as told, the board is up to date: its poll finds nothing.
    shown = news["lists"]
    assert cashier_client.get("/cashier/board", query_string=shown, headers={"HX-Request": "true"}).status_code == 204
    # The next news is told from there: only the card that changed is sent again.
    order.customer_name = "Kedua lagi"
    db.session.commit()
    news = told(stream.next_news())
    assert news["columns"]["awaiting_cash"]["cards"][0] == first
    assert "Kedua lagi" in news["html"] and "Pertama" not in news["html"]
    stream.close()


def test_news_that_changes_no_card_tells_nothing(app, cashier_client, menu, shown):
    stream = stream_from(app, cashier_client, shown)
    app.extensions["live_streams"].hear(frozenset({"kitchen"}))  # a station's screen, say
    assert stream.next_event() == HEARTBEAT
    make.order(menu, name="Kedua")  # a news that does change a card is told
    assert "Kedua" in told(stream.next_news())["html"]
    stream.close()


def test_a_filtered_board_is_told_only_of_its_own_cards(app, cashier_client, menu):
    shown = board_lists(cashier_client, "?type=takeaway")
    stream = stream_from(app, cashier_client, shown, "&type=takeaway")
    make.order(menu, table="5")  # eaten here: not on this board
    assert stream.next_event() == HEARTBEAT
    taken_away = make.order(menu, table=None)
    assert f'id="o{taken_away.daily_seq}-awaiting_cash"' in told(stream.next_news())["html"]
    stream.close()


def test_a_board_opened_without_lists_is_sent_its_changed_columns_whole(app, cashier_client, menu, shown):
    stream = opened(app, cashier_client, BOARD_STREAM)
    make.order(menu, name="Kedua")
    news = told(stream.next_news())
    assert "Pertama" in news["html"] and "Kedua" in news["html"]
    stream.close()


def test_past_the_listed_size_the_board_keeps_a_digest_and_is_still_sent_only_new_cards(
    app, cashier_client, menu, shown, monkeypatch
):
    """A board of more than MAX_LISTED_CARDS cards keeps a digest per column (its poll
    then gets changed columns whole); its stream, opened with digests, sends a changed
    column whole once, then keeps the whole lists in memory and sends only new cards."""
    monkeypatch.setattr(live_board, "MAX_LISTED_CARDS", 1)
    make.order(menu, name="Kedua")
    digests = board_lists(cashier_client)
    assert digests["awaiting_cash"].startswith("#")
    stream = stream_from(app, cashier_client, digests)
    make.order(menu, name="Ketiga")
    first = told(stream.next_news())
    assert first["lists"]["awaiting_cash"].startswith("#")
    assert all(name in first["html"] for name in ("Pertama", "Kedua", "Ketiga"))  # whole
    make.order(menu, name="Keempat")
    news = told(stream.next_news())
    assert len(news["columns"]["awaiting_cash"]["cards"]) == 4
    assert "Keempat" in news["html"] and not any(name in news["html"] for name in ("Pertama", "Kedua", "Ketiga"))
    stream.close()


def test_the_stream_ends_with_its_readers_login(app, cashier_client, staff, menu, shown):
    stream = stream_from(app, cashier_client, shown)
    sessions.end_all(staff["cashier"])
    make.order(menu, name="Kedua")  # not told: the cashier was logged out everywhere
    assert stream.ended()
