"""Kitchen stations, their tickets, the display's bumps, and ticket printing.

Tickets are made in the very transaction that marks an order paid, whoever pays it
(a QRIS callback, a status check, the cashier's cash, a partner), or places it on its
table's bill, one way: one INSERT ... SELECT (`tickets.TICKETS_STATEMENT`), made by the
printing package from the order's new status-history row (webapp/printing/making.py),
so neither the payments nor the orders code knows of kitchens, and no paid order misses
its tickets. A ticket for a station with a printer is queued for it
(`printing.TICKETS`): printed once that transaction has committed, at the end of the
request; the worker retries what did not print (`printing.retry_due`).
"""

from __future__ import annotations

from flask import Flask

from ..live import feed
from ..models import KitchenTicket, OrderStatusChange, VoidTicket
from ..printing import OrderJobs, making
from . import printing, tickets, voids

# Any write to a ticket (a bump, a BATAL seen) wakes the staff screens' streams; the
# triggers announce the same from other processes (webapp/live/triggers.py).
KITCHEN_TOPIC = "kitchen"


def _to_kitchen(change: OrderStatusChange | None) -> dict | None:
    """An order paid, or placed on its table's bill, goes to the kitchen."""
    return {} if change is None or tickets.orders_to_kitchen_in([change]) else None


def init_app(app: Flask) -> None:
    making.register(OrderJobs(printing.TICKETS, tickets.TICKETS_STATEMENT, _to_kitchen))
    feed.name_writes((KitchenTicket, VoidTicket), KITCHEN_TOPIC)
    making.register(OrderJobs(printing.VOID_TICKETS, voids.VOID_TICKETS_STATEMENT, voids.voided))
