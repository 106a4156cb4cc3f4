"""Kitchen tickets on a station's network printer: the ticket's bytes, and the queue
of tickets (webapp/printing: queued in the transaction that marks the order paid, tried
once it has committed, retried by the worker with `retry_due`, reprinted by the
cashier)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import KitchenTicket, Order, OrderItem, Station, VoidTicket
from ..printing import PrintQueue, escpos
from ..timeutil import to_jakarta
from .tickets import cooked_unpaid


def _heading(station: Station, order: Order) -> list[bytes]:
    """A ticket's top: the station, then the order's number and where it is eaten, big."""
    with force_locale("id"):
        place = _("Bungkus") if order.is_takeaway else _("Meja %(table)s", table=order.table_label or "-")
    return [
        escpos.INIT,
        escpos.text(station.name.upper()) + b"\n",
        escpos.BIG + escpos.BOLD_ON + escpos.text(f"{order.number}  {place}") + escpos.BOLD_OFF + escpos.NORMAL,
    ]


def ticket_bytes(ticket: KitchenTicket) -> bytes:
    """The printed ticket: station, order number, where it is eaten, whether it is
    cooked unpaid (pay later), time, and lines with their options and notes."""
    order = ticket.order
    items = db.session.scalars(select(OrderItem).where(OrderItem.id.in_(ticket.item_id_list)).order_by(OrderItem.id))
    with force_locale("id"):
        unpaid = _("BELUM BAYAR - bayar nanti")
    parts = _heading(ticket.station, order)
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


def void_ticket_bytes(ticket: VoidTicket) -> bytes:
    """The printed BATAL ticket: "BATAL" big, the order, the time of the void, the
    voided lines (struck off the station's ticket) and the reason."""
    void = ticket.void
    parts = [
        *_heading(ticket.station, ticket.order),
        b"\n" + escpos.BIG + escpos.BOLD_ON + escpos.text("*** BATAL ***") + escpos.BOLD_OFF + escpos.NORMAL + b"\n",
        escpos.text(to_jakarta(void.created_at).strftime("%d/%m %H:%M")) + b"\n",
        b"-" * 32 + b"\n",
    ]
    parts += [
        escpos.BIG + escpos.text(f"{line.quantity}x {line.name}") + escpos.NORMAL + b"\n" for line in ticket.lines
    ]
    parts += [escpos.text(f"({void.reason})") + b"\n", escpos.FEED_AND_CUT]
    return b"".join(parts)


TICKETS = PrintQueue("kitchen", KitchenTicket, lambda ticket: ticket.station.printer, ticket_bytes)

# What the kitchen's callers use (the worker, the reprint button, the order page).
print_ticket = TICKETS.attempt
print_now = TICKETS.print_now
retry_due = TICKETS.retry_due
reprint = TICKETS.reprint
VOID_TICKETS = PrintQueue("kitchen_void", VoidTicket, lambda ticket: ticket.station.printer, void_ticket_bytes)
retry_void_tickets = VOID_TICKETS.retry_due
unprinted = TICKETS.unprinted
