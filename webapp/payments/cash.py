"""Cash at the counter: the payment that records what the cashier took (for an order:
orders/paying.py; for a share of a table's bill: bills/share_payments.py), announced to
whoever keeps the drawer (`cash_received`: webapp/shifts records it in the open shift,
and refuses cash when none is open)."""

from __future__ import annotations

from datetime import datetime

from blinker import Namespace

from ..extensions import db
from ..models import EventNote, Payment, PaymentProvider
from .state import PAID, record_event

# Sent with the cash payment (and `actor`, `now`) in the transaction that takes the cash;
# a receiver may refuse it by raising (the transaction is then rolled back).
cash_received = Namespace().signal("cash-received")


def cash_payment(amount: int, cash: dict[str, int], actor: str, now: datetime, **paid_for) -> Payment:
    """The paid cash payment of `amount` for an order or a share (`paid_for`: order_id or
    share_id), with the event naming the cashier and what was tendered (`cash`)."""
    payment = Payment(
        provider=PaymentProvider.CASH,
        amount=amount,
        status=PAID,
        paid_at=now,
        created_at=now,
        updated_at=now,
        **paid_for,
    )
    db.session.add(payment)
    db.session.flush()
    record_event(
        payment, "cash_confirmed", now, actor=actor, to_status=PAID, note=EventNote.CASH_RECEIVED, note_params=cash
    )
    cash_received.send(payment, actor=actor, now=now)
    return payment
