"""Kitchen tickets on a station's network printer (ESC/POS over TCP, port 9100).

A ticket is queued (its row says `queued`, due now) in the transaction that marks the
order paid; right after that transaction commits, the request that paid it tries to
print it once. A printer that is off never blocks anything: the attempt fails within a
couple of seconds, the ticket stays queued with its next try later (backing off to
every few minutes), the background worker calls `retry_due(now)`, and the cashier
sees "not printed" with a reprint button on the order.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import KitchenTicket, OrderItem, PrintState
from ..state import rows_matched
from ..timeutil import to_jakarta
from . import escpos
from .tickets import cooked_unpaid

FIRST_RETRY = timedelta(seconds=15)
LONGEST_WAIT = timedelta(minutes=5)
CLAIM = timedelta(seconds=30)  # one process prints a due ticket; another may take it after this
BATCH = 50


def DUE(now: datetime):  # noqa: N802 (a query condition, named as one)
    return (KitchenTicket.print_state == PrintState.QUEUED) & or_(
        KitchenTicket.print_due_at.is_(None), KitchenTicket.print_due_at <= now
    )


def ticket_bytes(ticket: KitchenTicket) -> bytes:
    """The printed ticket: station, order number, where it is eaten, whether it is
    cooked unpaid (pay later), time, and lines with their options and notes."""
    order = ticket.order
    items = db.session.scalars(select(OrderItem).where(OrderItem.id.in_(ticket.item_id_list)).order_by(OrderItem.id))
    with force_locale("id"):
        place = _("Bungkus") if order.is_takeaway else _("Meja %(table)s", table=order.table_label or "-")
        unpaid = _("BELUM BAYAR - bayar nanti")
    parts = [
        escpos.INIT,
        escpos.text(ticket.station.name.upper()) + b"\n",
        escpos.BIG + escpos.BOLD_ON + escpos.text(f"{order.number}  {place}") + escpos.BOLD_OFF + escpos.NORMAL,
    ]
    if cooked_unpaid(order.payment_method, order.bill.status if order.bill else None):
        parts.append(b"\n" + escpos.BOLD_ON + escpos.text(unpaid) + escpos.BOLD_OFF)
    parts += [
        b"\n" + escpos.text(to_jakarta(order.created_at).strftime("%d/%m %H:%M")) + b"\n",
        b"-" * 32 + b"\n",
    ]
    for item in items:
        parts.append(escpos.BIG + escpos.text(f"{item.quantity}x {item.name}") + escpos.NORMAL + b"\n")
        parts.extend(escpos.text(f"   + {name}") + b"\n" for name in item.option_names)
        if item.note:
            parts.append(escpos.text(f"   ({item.note})") + b"\n")
    parts.append(escpos.FEED_AND_CUT)
    return b"".join(parts)


def next_wait(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)


def print_ticket(ticket: KitchenTicket, now: datetime) -> bool:
    """One attempt; the ticket's row records the outcome (committed). True if printed."""
    try:
        escpos.send(ticket.station.printer, ticket_bytes(ticket))
    except (OSError, ValueError) as exc:
        ticket.print_attempts += 1
        ticket.print_state = PrintState.QUEUED
        ticket.print_due_at = now + next_wait(ticket.print_attempts)
        ticket.print_error = f"{type(exc).__name__}: {exc}"[:200]
        db.session.commit()
        return False
    ticket.print_attempts += 1
    ticket.print_state = PrintState.PRINTED
    ticket.printed_at, ticket.print_due_at, ticket.print_error = now, None, ""
    db.session.commit()
    return True


def _claim(ticket_id: int, now: datetime) -> bool:
    """Take a due ticket for this process (conditional update), so that two workers
    do not print it twice."""
    claimed = rows_matched(
        update(KitchenTicket)
        .where(KitchenTicket.id == ticket_id, DUE(now))
        .values(print_due_at=now + CLAIM)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed == 1


def retry_due(now: datetime) -> int:
    """For the background worker: try every queued ticket that is due; how many it tried."""
    due = db.session.scalars(
        select(KitchenTicket.id).where(DUE(now)).order_by(KitchenTicket.print_due_at, KitchenTicket.id).limit(BATCH)
    ).all()
    db.session.commit()
    handled = 0
    for ticket_id in due:
        if _claim(ticket_id, now):
            ticket = db.session.get(KitchenTicket, ticket_id)
            if ticket is not None:
                print_ticket(ticket, now)
                handled += 1
    return handled


def print_now(ticket_ids: list[int], now: datetime) -> int:
    """The first attempt for tickets just committed; how many printed."""
    printed = 0
    for ticket_id in ticket_ids:
        ticket = db.session.get(KitchenTicket, ticket_id)
        if ticket is not None and _claim(ticket_id, now):
            db.session.refresh(ticket)
            printed += print_ticket(ticket, now)
    return printed


def reprint(ticket: KitchenTicket, now: datetime) -> bool:
    """The cashier's reprint: print again now, whatever happened before."""
    ticket.print_state = PrintState.QUEUED
    ticket.print_due_at = now
    db.session.commit()
    return print_ticket(ticket, now)


def unprinted(order_id: int) -> list[KitchenTicket]:
    """The order's tickets still waiting for their printer (for the cashier)."""
    return list(
        db.session.scalars(
            select(KitchenTicket).where(
                KitchenTicket.order_id == order_id, KitchenTicket.print_state == PrintState.QUEUED
            )
        )
    )
