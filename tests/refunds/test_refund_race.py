"""Two refunds of one order that together exceed what was paid, approved at once in two
processes on PostgreSQL (SQLite runs one writer at a time, so the race cannot happen
there): exactly one is given, the other is refused on its amount, and the order's
refunded total never passes what was paid. Without the conditional UPDATE
(orders.state.add_refunded: `refunded + amount <= paid`, which also holds the order's
row while the refund is checked) both read Rp0 refunded and both were given."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.apps import make_app
from tests.db_helpers import end_transaction
from tests.races import in_processes
from webapp.extensions import db
from webapp.models import Order, Refund, RefundMethod
from webapp.refunds.giving import Ask, RefundError, refund_order
from webapp.timeutil import utcnow

ROUNDS = 3


pytestmark = pytest.mark.races


def give_back(database_uri: str, order_id: int, amount: int, name: str, start, results) -> None:
    """One cashier's refund in a process of its own: the order read (nothing refunded yet),
    then, released with the other process, the refund given."""
    app = make_app(database_uri)
    with app.app_context():
        order = db.session.get_one(Order, order_id)
        assert order.refunded == 0
        ask = Ask(amount, RefundMethod.BANK_TRANSFER, f"BCA {name}", "salah pesan")
        start.wait(timeout=60)
        try:
            refund = refund_order(order, ask, f"cashier:{name}", "cashier:rini", utcnow())
            results.put((name, "given", refund.amount))
        except RefundError as exc:
            results.put((name, "refused", exc.field))
        except Exception as exc:  # a 500 for the cashier: reported to the test
            results.put((name, "error", type(exc).__name__))
            raise
        finally:
            db.session.remove()
            db.engine.dispose()


def test_two_refunds_racing_past_what_was_paid_give_one(app, menu, database_uri):
    for _round in range(ROUNDS):
        order = make.paid_order(menu)  # Rp30.000
        end_transaction()
        outcomes = in_processes(
            give_back, (database_uri, order.id, 20_000, "sari"), (database_uri, order.id, 25_000, "dewi")
        )
        assert [outcome[0] for outcome in outcomes] == ["given", "refused"] and outcomes[1][1] == "amount"
        refunds = db.session.scalars(db.select(Refund).where(Refund.order_id == order.id)).all()
        assert len(refunds) == 1 and refunds[0].amount == outcomes[0][1]
        assert db.session.scalar(db.select(Order.refunded).where(Order.id == order.id)) == refunds[0].amount
        end_transaction()
