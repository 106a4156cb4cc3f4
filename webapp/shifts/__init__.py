"""Shifts and the cash drawer (drawer.py) and their X and Z reports (reports.py).

Cash taken anywhere (an order at the board or the till, a share or the rest of a table's
bill) lands in the open shift of its drawer: the payments domain announces each cash
payment (`payments.cash.cash_received`) and this package records it, in the same
transaction; with no shift open the cash is refused (`drawer.NoOpenShift`).
"""

from datetime import datetime

from flask import Flask

from ..models import CashKind, Payment
from ..payments.cash import cash_received
from . import drawer


def _cash_sale(payment: Payment, *, actor: str, now: datetime) -> None:
    """What the cashier kept of the cash tendered (the change given back): the amount."""
    till_id = payment.order.till_id if payment.order is not None else None
    drawer.record_movement(drawer.drawer_for(till_id), CashKind.SALE, payment.amount, actor, now, payment_id=payment.id)


def init_app(app: Flask) -> None:
    cash_received.connect(_cash_sale)
