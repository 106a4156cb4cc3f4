"""Kitchen tickets on a station's network printer: the ticket's bytes, and the queue
of tickets (webapp/printing: queued in the transaction that marks the order paid, tried
once it has committed, retried by the worker with `retry_due`, reprinted by the
cashier)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import KitchenTicket, OrderItem
from ..printing import PrintQueue, escpos
from ..timeutil import to_jakarta
from .tickets import cooked_unpaid


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


TICKETS = PrintQueue("kitchen", KitchenTicket, lambda ticket: ticket.station.printer, ticket_bytes)

# What the kitchen's callers use (the worker, the reprint button, the order page).
print_ticket = TICKETS.attempt
print_now = TICKETS.print_now
retry_due = TICKETS.retry_due
reprint = TICKETS.reprint
unprinted = TICKETS.unprinted
