"""The till's "Pesanan yang masuk" strip (issue 26 item 5): the orders that came in to be
prepared and were not rung up at this till (a customer's from a phone, paid by QRIS or
put on the table's bill to pay later; a waiter's from their phone; another till's), the
newest few, each announcing itself when it arrives (static/js/announce.js). A cashier
busy at the till learns of them without looking at the board.

Which orders those are is the board's own reading: its "Siapkan" column
(cashier/live_board.py), narrowed to the orders not rung up here. The strip polls with
the version of what it shows; while the column is as it was, the poll answers 204 from
that one query (besides the login's read of the staff member). Newest means changed last:
for an order to prepare that is when it was paid or put on a bill, so a QRIS order
paid after others were placed still comes first.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from flask import redirect, render_template, request, url_for
from sqlalchemy import Select, or_, select

from .. import clock
from ..cashier import live_board
from ..extensions import db, never_rate_limited
from ..htmx import is_htmx
from ..live import streams
from ..models import Order, Till
from ..staff.permissions import Permission, requires
from ..timeutil import jakarta_date
from . import bp
from .views import find_till

SHOWN = 3  # a few at most: one row on a phone, above the grid
POLL_SECONDS = 5
COLUMN = "paid"  # the board's "Siapkan": paid, or on a table's bill


@dataclass(frozen=True)
class ArrivedElsewhere:
    """The board's orders to prepare, but those rung up at the till whose public id this
    is (named, not looked up: the poll stays one query)."""

    till_public_id: str

    def applied(self, query: Select) -> Select:
        here = select(Till.id).where(Till.public_id == self.till_public_id)
        return query.where(
            Order.status.in_(live_board.TO_PREPARE), or_(Order.till_id.is_(None), Order.till_id.not_in(here))
        )


@dataclass(frozen=True)
class Arrived:
    """The orders to prepare that came in from elsewhere (numbers of the day) and the
    version of that list, which changes whenever one of them does."""

    version: str
    seqs: list[int]


@dataclass(frozen=True)
class Strip:
    version: str
    orders: list[Order]  # newest first, at most SHOWN
    more: int  # the others to prepare


def arrived(till_public_id: str, now: datetime) -> Arrived:
    """One query: the board's state of the orders to prepare from elsewhere."""
    cards = live_board.board_state(now, ArrivedElsewhere(till_public_id)).columns[COLUMN]
    listing = live_board.ENTRY_SEPARATOR.join(card.entry for card in cards)
    return Arrived(f"{zlib.crc32(listing.encode()):08x}", [card.seq for card in cards])


def strip(till: Till, now: datetime | None = None, came: Arrived | None = None) -> Strip:
    """What the strip shows: the newest few of the orders that `came` (read now if not
    given). An order changed since they were read shows as it is now; the version then
    no longer matches, so the next poll sends the strip again."""
    now = now or clock.now()
    came = came or arrived(till.public_id, now)
    newest = (
        db.session.scalars(
            select(Order)
            .where(Order.business_date == jakarta_date(now), Order.daily_seq.in_(came.seqs))
            .order_by(Order.updated_at.desc(), Order.id.desc())
            .limit(SHOWN)
        ).all()
        if came.seqs
        else []
    )
    return Strip(came.version, list(newest), len(came.seqs) - len(newest))


@bp.context_processor
def strip_helpers() -> dict:
    """For till/till.html, which reads the strip only when the whole page is drawn."""
    return {"incoming_strip": strip, "incoming_poll_seconds": POLL_SECONDS}


@bp.get("/<till_id>/stream")
@never_rate_limited
@requires(Permission.TAKE_ORDERS)
def stream(till_id):
    """The till page's pushed updates (webapp/live/streams.py): its strip of orders
    from elsewhere and its latest order's status then fetch what they poll."""
    find_till(till_id)  # 404 when there is no such till
    return streams.stream(streams.TILL)


@bp.get("/<till_id>/incoming")
@never_rate_limited
@requires(Permission.TAKE_ORDERS)
def incoming(till_id):
    """Polled by the strip with the version it shows: 204 while the orders to prepare
    from elsewhere are as they were, else the strip as it is now."""
    if not is_htmx():
        return redirect(url_for("till.page", till_id=till_id), 303)
    now = clock.now()
    came = arrived(till_id, now)
    if request.args.get("seen") == came.version:
        return "", 204
    till = find_till(till_id)
    return render_template("till/_incoming.html", till=till, incoming=strip(till, now, came))
