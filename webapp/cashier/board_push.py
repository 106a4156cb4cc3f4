"""The board's stream tells the board what changed, so that a board with its stream
open fetches nothing (in a rush, a fetch a second per tablet).

The board opens its stream with the lists of cards it shows (the same hidden inputs
its poll sends) and its filter. At each news the stream reads the board as the poll
would and, when a column changed, sends a `cards` event: for each changed column the
cards it now shows, in order (`seq.version`); the value of every column's hidden list
(`lists`); and the cards the board did not show, rendered as the poll would render them. The
stream then takes the new lists for what the board shows.

The board puts each changed column together from the cards it already shows at the
right version and the ones it was sent (static/js/board.js), so it stays right even
when an answer to its own button moved it on since the stream last told it; what comes
while that answer is on its way is held until it lands (static/js/live.js). It fetches
instead when a card is neither shown nor sent, or when a column it was not told of
holds another list than the stream's (its own answer moved that column on, and it has
moved back since). An event read before the answer and applied after it can show a
card as it was before a later commit for a moment: that commit's own event, which
comes next, tells the card again. A news that changes no card sends nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from flask import render_template

from .. import clock
from ..orders.lifecycle import KITCHEN_STEPS
from . import live_board
from .live_board import COLUMNS, Card, ColumnUpdate

CARDS_EVENT = "cards"


def update_html(
    now: datetime,
    updates: list[ColumnUpdate],
    message: str | None = None,
    error: str | None = None,
    answered: bool = False,
) -> str:
    """The out-of-band swaps that bring a board up to date, for a poll or a button's
    answer (with its message, `answered`)."""
    return render_template(
        "cashier/_board_update.html",
        updates=updates,
        now=now,
        answered=answered,
        orders=live_board.load_orders(now, live_board.sent_cards(updates)),
        next_step=KITCHEN_STEPS,
        message=message,
        error=error,
    )


def cards_html(now: datetime, cards: list[Card]) -> str:
    """The cards, each as the board shows it (its id says its place, data-version what it shows)."""
    return render_template(
        "cashier/_board_cards.html",
        cards=cards,
        now=now,
        orders=live_board.load_orders(now, {card.seq for card in cards}),
        next_step=KITCHEN_STEPS,
    )


class BoardTeller:
    """What one board's stream tells it (webapp/live/streams.py's Teller), from the
    lists and the filter the board opened it with (`values`)."""

    def __init__(self, values: Mapping[str, str]):
        self.only = live_board.BoardFilter.from_values(values)
        # Whole lists, however big the board (its page keeps a digest past MAX_LISTED_CARDS).
        self.shown: dict[str, str | None] = {key: values.get(key) for key, _title in COLUMNS}

    def __call__(self) -> str | None:
        now = clock.now()
        state = live_board.board_state(now, self.only)
        updates = live_board.changes(state, self.shown, listed=True)
        if not updates:
            return None
        columns = {update.column: {"cards": [card.entry for card in update.cards]} for update in updates}
        self.shown.update({update.column: update.shown for update in updates})
        lists = {key: state.shown(key) for key, _title in COLUMNS}
        told = {"columns": columns, "lists": lists, "html": cards_html(now, live_board.sent(updates))}
        return f"event: {CARDS_EVENT}\ndata: {json.dumps(told, separators=(',', ':'))}"
