"""The live order board: today's open orders in columns, and what changed since a
tablet last looked.

Every card has a version (a short hash of what it shows). The page keeps, per column,
the list of cards it shows with their versions (a hidden input, sent with each poll),
so the server answers a poll with exactly the cards that changed: out-of-band deletes
and inserts (in the column's order), the column's count and its new list. Nothing
changed: 204. Minutes waiting are counted on the tablet, so the clock alone changes
nothing. A board too big to list in a request keeps a digest per column instead, and
a changed column is then sent whole (MAX_LISTED_CARDS).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, bindparam, cast, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    KitchenTicket,
    Order,
    OrderItem,
    OrderStatus,
    OrderType,
    Payment,
    PaymentMethod,
    PaymentStatus,
    TableBill,
)
from ..request_guards import database_integer
from ..timeutil import jakarta_date, minutes_since

COLUMNS = [
    ("awaiting_cash", _l("Menunggu tunai")),
    ("qris_pending", _l("QRIS belum dibayar")),
    ("paid", _l("Siapkan")),  # paid, or on a table's bill (pay later): to cook
    ("preparing", _l("Dimasak")),
    ("ready", _l("Siap")),
    ("attention", _l("Perlu dicek")),
]
ATTENTION = "attention"
# The statuses of the "Siapkan" column (`columns_of`): paid, or on a table's bill.
TO_PREPARE = (OrderStatus.PAID, OrderStatus.ON_BILL)

OPEN_STATUSES = [status for status in OrderStatus if not status.is_final]
ENTRY_SEPARATOR = "_"  # between cards in a column's list: a browser does not escape it in a URL
# About 13 bytes a card: past this many cards a poll's lists would pass 4 KB, the longest
# request line common servers accept (gunicorn: 4094). A bigger board keeps a digest per
# column instead, and a column that changed is then sent whole.
MAX_LISTED_CARDS = 250


def minutes_waiting(order: Order, now: datetime) -> int:
    return minutes_since(order.created_at, now)


def qris_state(order: Order) -> str:
    payment = order.current_payment
    if payment is None or payment.status == PaymentStatus.FAILED:
        return _("QRIS gagal dibuat")
    if payment.status == PaymentStatus.EXPIRED:
        return _("QR kedaluwarsa")
    return _("menunggu scan")


def columns_of(status: str, payment_method: str, needs_attention: bool) -> list[str]:
    """The columns an order's card is in: its status's (while open; a pay-later order
    on its table's bill is to be prepared like a paid one), and "attention" while
    flagged."""
    columns = []
    if status == OrderStatus.AWAITING_PAYMENT:
        columns.append("awaiting_cash" if payment_method == PaymentMethod.CASH else "qris_pending")
    elif status == OrderStatus.ON_BILL:
        columns.append("paid")
    elif status in OPEN_STATUSES:
        columns.append(status)
    if needs_attention:
        columns.append(ATTENTION)
    return columns


def card_version(
    status: str,
    payment_method: str,
    needs_attention: bool,
    attention_reason: str,
    updated_at: str,
    bill_status: str | None,
    payments: Iterable[tuple[int, str, str]],
) -> str:
    """Changes whenever the card would show something else: every order and payment
    change bumps its `updated_at` (as the database writes it), and the statuses (its
    table bill's too) are in it. A CRC is enough: nobody gains by making two versions
    collide."""
    key = "|".join(
        [
            status,
            payment_method,
            str(needs_attention),
            attention_reason,
            updated_at,
            bill_status or "",
            *(f"{pid}:{pstatus}:{pupdated}" for pid, pstatus, pupdated in payments),
        ]
    )
    return f"{zlib.crc32(key.encode()):08x}"


@dataclass(frozen=True)
class Card:
    column: str
    seq: int  # the order's number of the day: unique on today's board
    version: str

    @property
    def dom_id(self) -> str:
        return f"o{self.seq}-{self.column}"

    @property
    def entry(self) -> str:
        return f"{self.seq}.{self.version}"


@dataclass
class BoardState:
    """Which cards each column shows, in order; what a tablet's lists are compared with."""

    columns: dict[str, list[Card]] = field(default_factory=lambda: {key: [] for key, _title in COLUMNS})

    def add(self, seq: int, status: str, payment_method: str, needs_attention: bool, version: str) -> None:
        for column in columns_of(status, payment_method, needs_attention):
            self.columns[column].append(Card(column, seq, version))

    def shown(self, column: str, listed: bool = False) -> str:
        """The column's list as the page keeps it: `seq.version` of each card, or
        `#` and a digest of that on a board of more than MAX_LISTED_CARDS cards
        (unless `listed`: what a board's stream keeps in memory, of any size)."""
        listing = ENTRY_SEPARATOR.join(card.entry for card in self.columns[column])
        if listed or sum(len(cards) for cards in self.columns.values()) <= MAX_LISTED_CARDS:
            return listing
        return f"#{zlib.crc32(listing.encode()):08x}"


# The board's cards and their versions in one small query, built once: it runs for
# every poll of every tablet. Timestamps are read as the text the database holds.
STATE_QUERY = (
    select(
        Order.daily_seq,
        Order.status,
        Order.payment_method,
        Order.needs_attention,
        Order.attention_reason,
        cast(Order.updated_at, String).label("updated_at"),
        TableBill.status.label("bill_status"),
        Payment.id.label("payment_id"),
        Payment.status.label("payment_status"),
        cast(Payment.updated_at, String).label("payment_updated_at"),
    )
    .outerjoin(TableBill, TableBill.id == Order.bill_id)
    .outerjoin(Payment, Payment.order_id == Order.id)
    .where(Order.business_date == bindparam("today"), or_(Order.status.in_(OPEN_STATUSES), Order.needs_attention))
    .order_by(Order.daily_seq, Payment.id)
)


class OrderFilter(Protocol):
    """Narrows the board's state query to some orders (BoardFilter; the till's strip of
    orders that came in, till_views/incoming.py)."""

    def applied(self, query: Select) -> Select: ...


@dataclass(frozen=True)
class BoardFilter:
    """Which orders a board shows: of one type and/or at one table (none: all). Read
    from the page's query (`type`, `table`), which the board's polls send along."""

    order_type: OrderType | None = None
    table_id: int | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> BoardFilter:
        order_type = values.get("type", "")
        table = values.get("table", "")
        return cls(
            OrderType(order_type) if order_type in {kind.value for kind in OrderType} else None,
            _table_id(table),
        )

    def applied(self, query: Select) -> Select:
        if self.order_type is not None:
            query = query.where(Order.order_type == self.order_type)
        if self.table_id is not None:
            query = query.where(Order.table_id == self.table_id)
        return query

    @property
    def query_args(self) -> dict[str, str]:
        """The filter as the page's query, for links and the poll."""
        args = {"type": self.order_type.value} if self.order_type else {}
        return args | ({"table": str(self.table_id)} if self.table_id is not None else {})


def _table_id(raw: str) -> int | None:
    try:
        return database_integer(raw)
    except ValueError:
        return None  # no table: the whole board


def board_state(now: datetime, only: OrderFilter | None = None) -> BoardState:
    """Today's (Asia/Jakarta) open orders, and finished ones still flagged, as cards."""
    query = only.applied(STATE_QUERY) if only else STATE_QUERY
    rows = db.session.connection().execute(query, {"today": jakarta_date(now)}).tuples().all()
    state = BoardState()
    for seq, order_rows in groupby(rows, key=itemgetter(0)):
        group = list(order_rows)
        _seq, status, method, flagged, reason, updated_at, bill_status, *_payment = group[0]
        payments = [row[7:] for row in group if row[7] is not None]
        version = card_version(status, method, flagged, reason, updated_at, bill_status, payments)
        state.add(seq, status, method, flagged, version)
    return state


def load_orders(now: datetime, seqs: Iterable[int]) -> dict[int, Order]:
    """Today's orders numbered `seqs`, with their items, payments, table bill and
    kitchen tickets, by number of the day (5 queries, one more with an order on a bill,
    one more with kitchen tickets). One that changed since the board state was read
    shows as it is now; its version no longer matches, so the next poll sends it again."""
    orders = db.session.scalars(
        select(Order)
        .where(Order.business_date == jakarta_date(now), Order.daily_seq.in_(list(seqs)))
        .options(
            selectinload(Order.items).selectinload(OrderItem.options),
            selectinload(Order.payments),
            selectinload(Order.bill),
            selectinload(Order.tickets).selectinload(KitchenTicket.station),
        )
    ).all()
    return {order.daily_seq: order for order in orders}


@dataclass(frozen=True)
class ColumnUpdate:
    """What a tablet must change in one column: cards to delete (by DOM id) and cards
    to insert, each after the card that precedes it (None: first in the column). When
    the tablet's list is unreadable the column's cards are all sent (`resent`)."""

    column: str
    cards: list[Card]
    removed: list[str]
    added: list[tuple[Card, str | None]]
    resent: bool
    shown: str


def _parse_shown(text: str | None) -> set[tuple[int, str]] | None:
    """The cards of a list the page kept; None when it has none to read (a digest)."""
    if text is None:
        return None
    entries = set()
    for entry in filter(None, text.split(ENTRY_SEPARATOR)):
        seq, dot, version = entry.partition(".")
        if not (dot and seq.isdigit() and version):
            return None
        entries.add((int(seq), version))
    return entries


def changes(state: BoardState, shown: Mapping[str, str | None], listed: bool = False) -> list[ColumnUpdate]:
    """Per column, what differs between the lists a tablet sent (`shown`, by column)
    and `state`; empty when it shows the board as it is. `listed`: the lists are
    whole, of any size (BoardState.shown)."""
    updates = []
    for column, cards in state.columns.items():
        current = state.shown(column, listed)
        if shown.get(column) == current:
            continue
        seen = _parse_shown(shown.get(column))
        if seen is None:
            updates.append(ColumnUpdate(column, cards, [], [], True, current))
            continue
        now_entries = {(card.seq, card.version) for card in cards}
        removed = [
            Card(column, seq, version).dom_id for seq, version in sorted(seen) if (seq, version) not in now_entries
        ]
        added: list[tuple[Card, str | None]] = []
        previous: str | None = None
        for card in cards:
            if (card.seq, card.version) not in seen:
                added.append((card, previous))
            previous = card.dom_id
        updates.append(ColumnUpdate(column, cards, removed, added, False, current))
    return updates


def sent(updates: Iterable[ColumnUpdate]) -> list[Card]:
    """The cards an update sends: a resent column's all, else those inserted."""
    return [
        card
        for update in updates
        for card in (update.cards if update.resent else [card for card, _after in update.added])
    ]


def sent_cards(updates: Iterable[ColumnUpdate]) -> set[int]:
    """The orders whose cards an update sends, to load them whole."""
    return {card.seq for card in sent(updates)}


def every_card(state: BoardState) -> set[int]:
    """The orders on the board, to load them for the page."""
    return {card.seq for cards in state.columns.values() for card in cards}
