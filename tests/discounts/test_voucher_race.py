"""A voucher's last use taken by two checkouts at once, in two processes on PostgreSQL
(SQLite runs one writer at a time, so the race cannot happen there): one order is
placed with it, the other is told that it is used up and nothing is placed, and the
voucher's uses never pass its limit. Without the conditional UPDATE's `uses <
uses_limit` both would take it (and the second would fail on the CHECK constraint with
an error instead of the customer's message)."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.apps import make_app
from tests.db_helpers import count, end_transaction
from tests.races import in_processes
from webapp.discounts import vouchers
from webapp.extensions import db
from webapp.models import Order, OrderType, PaymentMethod, Voucher
from webapp.orders.cart import Cart, price_cart
from webapp.orders.placing import VOUCHER_USED_UP, CheckoutError, CustomerDetails, place_order

ROUNDS = 3


pytestmark = pytest.mark.races


def check_out_with(database_uri: str, item_id: int, code: str, name: str, start, results) -> None:
    """One customer's checkout in a process of its own: the voucher is checked (a use is
    left), then, released with the other process, the order is placed."""
    app = make_app(database_uri)
    with app.app_context():
        cart = Cart({})
        cart.add(item_id, 2)
        priced = price_cart(cart)
        offered = vouchers.offer(code, priced.spend)
        customer = CustomerDetails(name, "", PaymentMethod.CASH, OrderType.TAKEAWAY)
        start.wait(timeout=60)
        try:
            order = place_order(priced.with_discounts({}, [offered]), customer)
            results.put((name, "placed", order.total))
        except CheckoutError as exc:
            results.put((name, exc.code, " ".join(exc.messages)))
        except Exception as exc:  # an error the customer would see as a 500: reported to the test
            results.put((name, "error", type(exc).__name__))
            raise
        finally:
            db.session.remove()
            db.engine.dispose()


def test_two_processes_racing_for_a_vouchers_last_use_place_one_order_with_it(app, menu, database_uri):
    item_id = menu["Nasi Goreng"].id
    for round_ in range(ROUNDS):
        code = f"TERAKHIR{round_}"
        make.voucher(code, amount=5_000, uses=1)
        end_transaction()
        outcomes = in_processes(check_out_with, *((database_uri, item_id, code, name) for name in ("Rina", "Budi")))
        assert outcomes == [("placed", 45_000), (VOUCHER_USED_UP, "Voucher ini sudah habis dipakai.")]
        voucher = db.session.scalar(db.select(Voucher).where(Voucher.code == code))
        assert voucher.uses == 1
        orders = db.session.scalars(db.select(Order).where(Order.bill_discount == 5_000).order_by(Order.id)).all()
        assert len(orders) == round_ + 1 and orders[-1].discounts[0].voucher_id == voucher.id
        end_transaction()
    assert count(Order) == ROUNDS
