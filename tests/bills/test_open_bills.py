"""Pay later: dine-in orders go to the kitchen unpaid and join the table's open bill;
the first order at a free table opens it, and it is computed once for the sitting."""

import pytest
from sqlalchemy import select

from tests import factories as make
from webapp.bills import bill_splits, share_payments
from webapp.bills.table_bills import bill_view, open_bill_of
from webapp.extensions import db
from webapp.models import (
    BillEvent,
    BillStatus,
    KitchenTicket,
    OrderStatus,
    PaymentMethod,
    PaymentTiming,
    Station,
    StationCategory,
    TableBill,
)
from webapp.orders.placing import BILL_BEING_PAID, CheckoutError


@pytest.fixture
def later(app):
    return make.pay_later()


def test_the_first_order_opens_the_bill_and_the_next_ones_join_it(menu, later, clock):
    first = make.bill_order(menu, name="Rina", now=clock())
    clock.advance(minutes=20)
    second = make.bill_order(menu, name="Budi", lines=make.TWO_NASI_GORENG, now=clock())
    assert first.status == second.status == OrderStatus.ON_BILL
    assert first.payment_method == PaymentMethod.BILL
    assert first.bill_id == second.bill_id is not None
    bill = db.session.get(TableBill, first.bill_id)
    assert (bill.status, bill.table_label, bill.tax_rate, bill.service_rate) == (BillStatus.OPEN, "4", 1000, 500)
    kinds = [event.kind for event in bill.events]
    assert kinds == ["opened", "order_added", "order_added"]
    assert [event.params for event in bill.events[1:]] == [{"number": first.number}, {"number": second.number}]


def test_the_bill_is_computed_once_for_the_whole_sitting_and_rounded_once(menu, app, clock):
    make.pay_later(rounding_step=1000)
    make.bill_order(menu, now=clock())  # Rp30.000
    make.bill_order(menu, lines=(("Es Teh Manis", 1),), now=clock())  # Rp5.000
    figures = bill_view(make.open_bill()).figures
    # 35.000 + 5% service 1.750 + 10% tax 3.675 = 40.425, rounded once up to 41.000
    assert (figures.subtotal, figures.service, figures.tax, figures.rounding, figures.total) == (
        35_000,
        1750,
        3675,
        575,
        41_000,
    )


def test_pay_later_orders_go_to_the_kitchen_at_once(menu, later, clock):
    station = Station(name="Dapur", position=1)
    db.session.add(station)
    db.session.flush()
    db.session.add(StationCategory(station_id=station.id, category_id=menu["Nasi Goreng"].category_id))
    db.session.commit()
    order = make.bill_order(menu, now=clock())
    tickets = db.session.scalars(select(KitchenTicket).where(KitchenTicket.order_id == order.id)).all()
    assert [ticket.station_id for ticket in tickets] == [station.id]


def test_takeaway_cannot_pay_later(menu, later):
    with pytest.raises(CheckoutError, match="bungkus"):
        make.order(menu, method=PaymentMethod.BILL, table=None)


def test_each_table_has_its_own_bill_and_a_settled_one_starts_a_new_sitting(menu, later, clock):
    at_four = make.bill_order(menu, table="4", now=clock())
    at_five = make.bill_order(menu, table="5", now=clock())
    assert at_four.bill_id != at_five.bill_id
    bill = make.open_bill("4")
    share = bill_splits.pay_whole(bill, "customer", clock())
    share_payments.confirm_share_cash(share, share.amount, "cashier:sari", clock())
    assert db.session.get(TableBill, at_four.bill_id).status == BillStatus.SETTLED
    again = make.bill_order(menu, table="4", now=clock())
    assert again.bill_id not in (at_four.bill_id, None)
    assert open_bill_of(make.dining_table("4").id).id == again.bill_id


def test_an_order_is_refused_on_a_bill_being_paid(menu, later, clock):
    make.bill_order(menu, now=clock())
    bill_splits.split_evenly(make.open_bill(), 2, "customer", clock())
    with pytest.raises(CheckoutError) as refused:
        make.bill_order(menu, name="Budi", now=clock())
    assert refused.value.code == BILL_BEING_PAID
    assert len(bill_view(make.open_bill()).orders) == 1
    # The same person may still order and pay for it on its own.
    extra = make.order(menu, method=PaymentMethod.CASH, table="4", now=clock())
    assert extra.bill_id is None and extra.status == OrderStatus.AWAITING_PAYMENT


def test_the_bill_keeps_the_rules_it_opened_with(menu, later, clock):
    make.bill_order(menu, now=clock())
    make.bill_settings(tax_rate=0, service_rate=0, payment_timing=PaymentTiming.PAY_LATER)
    make.bill_order(menu, name="Budi", now=clock())
    figures = bill_view(make.open_bill()).figures
    assert (figures.service_rate, figures.tax_rate) == (500, 1000)
    assert figures.subtotal == 60_000


def test_the_history_names_every_step(menu, later, clock):
    make.bill_order(menu, now=clock())
    bill = make.open_bill()
    bill_splits.split_evenly(bill, 2, "customer", clock())
    kinds = db.session.scalars(select(BillEvent.kind).where(BillEvent.bill_id == bill.id).order_by(BillEvent.id))
    assert list(kinds) == ["opened", "order_added", "split", "locked"]
