"""X and Z reports (webapp/shifts/reports.py): a full day at the counter, every Z figure
computed here from what happened, and a property over random days of cash sales,
refunds, pay-ins and pay-outs: the drawer should hold the float plus cash sales minus
cash refunds plus pay-ins minus pay-outs, and the report says so, per cashier too."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import factories as make
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import log_in, visible_text
from webapp.admin import transactions
from webapp.billing.bill import Discount
from webapp.bills import share_payments
from webapp.discounts import manual
from webapp.extensions import db
from webapp.models import AuditEntry, AuditKind, CashKind, DiscountKind, RefundMethod, ShiftStatus, Till
from webapp.orders.paying import confirm_cash
from webapp.payments import callbacks
from webapp.refunds.giving import Ask, money, refund_order
from webapp.shifts import drawer, reports
from webapp.shifts.drawer import Count, DrawerError
from webapp.staff import approvals
from webapp.till import tills
from webapp.timeutil import jakarta_date

SARI, DEWI = "cashier:sari", "cashier:dewi"


def paid_by_qris(menu, clock, sandbox, **order_fields):
    """A customer's own QRIS order (two Nasi Goreng), paid at Duitku and called back."""
    payment = make.qris_payment(menu, now=clock(), **order_fields)
    settle_quietly(sandbox, payment, clock())
    assert callbacks.handle_duitku_callback(callback_form(payment), clock()).message == "paid"
    return payment


def test_a_full_day_at_the_counter_and_its_z_report(app, menu, clock, sandbox, staff, manager):
    """Open with Rp200.000; cash and QRIS sales; a pay-out for ice; a cash refund approved
    by a manager; close Rp2.000 short, noted and approved. Every Z figure is worked out
    here from the day's own amounts."""
    make.staff_user("dewi")
    till = tills.counter_tills()[0]
    drawer.close_shift(drawer.open_shift_of(till), Count.of_total(0), SARI, now=clock())  # yesterday's
    early = paid_by_qris(menu, clock, sandbox, table=None)  # paid before the shift: not in it
    clock.advance(minutes=1)

    client = app.test_client()
    log_in(client, "sari")
    csrf = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        client.get(f"/drawer/{till.public_id}").get_data(as_text=True),
    ).group(1)
    assert (
        client.post(f"/drawer/{till.public_id}/open", data={"csrf_token": csrf, "opening_float": "200.000"}).status_code
        == 303
    )

    first = make.order(menu)  # Nasi Goreng and Es Teh: Rp30.000
    confirm_cash(first, 50_000, SARI, clock())
    second = make.order(menu, lines=make.TWO_NASI_GORENG, table=None)  # Rp50.000
    confirm_cash(second, 100_000, DEWI, clock())
    bill = make.three_friends_bill(menu, now=clock())  # three orders on table 4's bill: Rp98.175
    share_payments.take_cash_for_rest(bill, 100_000, SARI, clock())
    qris = paid_by_qris(menu, clock, sandbox, table=None)  # with the bill's 10% tax and 5% service
    make.qris_payment(menu, now=clock())  # a QR nobody paid
    clock.advance(hours=3)
    paid_out = client.post(
        f"/drawer/{till.public_id}/cash",
        data={"csrf_token": csrf, "kind": "pay_out", "amount": "20rb", "reason": "beli es batu"},
    )
    assert paid_out.status_code == 303
    # A cash refund of the first order's Es Teh, out of the drawer, approved by a manager's PIN.
    approver = f"cashier:{approvals.approve('rini', '2468', clock()).username}"
    given = refund_order(first, Ask(5000, RefundMethod.CASH, "", "es teh tumpah"), DEWI, approver, clock())
    assert (given.shift_id, given.approver, first.refunded) == (drawer.open_shift_of(till).id, "cashier:rini", 5000)

    cash_sales = [first.total, second.total, bill.total]
    assert cash_sales == [30_000, 50_000, 98_175]
    expected = 200_000 + sum(cash_sales) - 5000 + 0 - 20_000  # Rp353.175
    clock.advance(hours=5)
    shift = drawer.open_shift_of(till)
    page = client.get(f"/drawer/{till.public_id}").get_data(as_text=True)
    seen = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    closed = client.post(
        f"/drawer/shifts/{shift.public_id}/close",
        data={
            "csrf_token": csrf,
            "version": seen,
            "step": "close",
            "total": str(expected - 2000),
            "note": "kurang Rp2.000, kembalian salah",
            "approver": "rini",
            "pin": "2468",
        },
    )
    assert closed.status_code == 303

    report = reports.shift_report(db.session.get(type(shift), shift.id))
    assert report.final and report.shift.status == ShiftStatus.CLOSED
    assert (report.opening_float, report.cash_sales, report.cash_sale_count) == (200_000, 178_175, 3)
    assert (report.cash_refunds, report.pay_ins, report.pay_outs) == (5000, 0, 20_000)
    assert (report.expected, report.counted, report.difference) == (353_175, 351_175, -2000)
    assert qris.amount == 50_000 + 2500 + 5250  # the bill settings of the table's bill: 5% service, 10% tax
    assert (report.qris_sales, report.qris_count) == (qris.amount, 1) and early.amount == 50_000
    assert report.net_sales == 178_175 + qris.amount - 5000
    assert report.orders == 2 + 3 + 1  # two at the counter, the bill's three, one by QRIS
    by_name = {person.name: person for person in report.cashiers}
    assert list(by_name) == ["dewi", "sari", ""]
    assert (by_name["sari"].cash_sales, by_name["sari"].cash_sale_count, by_name["sari"].pay_outs) == (
        128_175,
        2,
        20_000,
    )
    assert (by_name["dewi"].cash_sales, by_name["dewi"].cash_refunds) == (50_000, 5000)
    assert (by_name[""].qris_sales, by_name[""].qris_count) == (qris.amount, 1)

    text = visible_text(client.get(closed.location).get_data(as_text=True))
    for shown in (
        "Laporan Z",
        "Uang awal Rp200.000",
        "Penjualan tunai (3) Rp178.175",
        "Pengembalian tunai -Rp5.000",
        "Uang masuk Rp0",
        "Uang keluar -Rp20.000",
        "Seharusnya di laci Rp353.175",
        "Dihitung Rp351.175",
        "Selisih -Rp2.000 (kurang Rp2.000)",
        "Catatan kurang Rp2.000, kembalian salah",
        "Disetujui rini",
        "QRIS (1, tidak masuk laci) Rp57.750",
        "Penjualan bersih Rp230.925",
        "Pesanan dibayar 6",
        "beli es batu (sari) -Rp20.000",
        "sari Tunai (2) Rp128.175 Uang keluar -Rp20.000",
        "dewi Tunai (1) Rp50.000 Pengembalian tunai -Rp5.000",
    ):
        assert shown in text, shown

    day = (AuditEntry.created_at >= report.shift.opened_at, AuditEntry.created_at <= clock())
    trail = db.session.scalars(select(AuditEntry).where(*day).order_by(AuditEntry.id)).all()
    drawer_kinds = (AuditKind.SHIFT_OPENED, AuditKind.PAY_IN, AuditKind.PAY_OUT, AuditKind.SHIFT_CLOSED)
    kinds = [(entry.kind, entry.actor, entry.approver) for entry in trail if entry.kind in drawer_kinds]
    assert kinds == [
        (AuditKind.SHIFT_OPENED, SARI, ""),
        (AuditKind.PAY_OUT, SARI, ""),
        (AuditKind.SHIFT_CLOSED, SARI, "cashier:rini"),
    ]
    assert trail[-1].after == {"counted": 351_175, "difference": -2000}
    [refunded] = [entry for entry in trail if entry.kind == AuditKind.REFUND]
    assert (refunded.actor, refunded.approver, refunded.after["amount"]) == (DEWI, "cashier:rini", 5000)
    assert trail[-1].note == "kurang Rp2.000, kembalian salah"


TILLS = itertools.count(1)
ACTORS = st.sampled_from([SARI, DEWI])
DISCOUNTS = st.one_of(
    st.none(),
    st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(1, 2000)),  # up to 20%: no manager
    st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(1, 20_000)),
)
STEPS = st.lists(
    st.one_of(
        # Nasi Goreng x n, maybe with staff's discount off the order, and the change given
        st.tuples(st.just("sale"), ACTORS, st.integers(1, 4), DISCOUNTS, st.integers(0, 70_000)),
        st.tuples(st.just("pay_in"), ACTORS, st.integers(1, 300_000)),
        st.tuples(st.just("pay_out"), ACTORS, st.integers(1, 300_000)),
        # some rupiah of an earlier cash sale (by its position), given back from the drawer
        st.tuples(st.just("refund"), ACTORS, st.integers(1, 100_000), st.integers(0, 9)),
    ),
    max_size=10,
)


def cash_sale(menu, till: Till, actor: str, quantity: int, off: Discount | None, change: int):
    """An order rung up at `till` with staff's discount `off`, paid in cash with `change` back."""
    given = [manual.by_staff(off, "pelanggan tetap", actor)] if off else []
    order = make.order(menu, lines=(("Nasi Goreng", quantity),), table=None, on_order=given)
    order.till_id = till.id
    confirm_cash(order, order.total + change, actor)
    return order


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(opening_float=st.integers(0, 1_000_000), steps=STEPS)
def test_the_drawer_holds_the_float_plus_sales_minus_refunds_plus_pay_ins_minus_pay_outs(
    app, menu, clock, opening_float, steps
):
    """A random day of cash sales (some discounted), refunds approved by a manager, pay-ins
    and pay-outs: the drawer holds what it should, the report says so per cashier, and
    the day's transactions CSV lines of the shift add up to the report's figures."""
    till = Till(name=f"Laci {next(TILLS)}")
    db.session.add(till)
    db.session.commit()
    shift = drawer.open_shift(till, opening_float, SARI)
    held = opening_float
    totals = {"sale": 0, "refund": 0, "pay_in": 0, "pay_out": 0}
    by_cashier: dict[str, int] = {}
    sold = []
    for kind, actor, number, *more in steps:
        amount = number  # rupiah; for a sale, how many Nasi Goreng
        if kind == "sale":
            sold.append(cash_sale(menu, till, actor, number, *more))
            amount = sold[-1].total
        elif kind == "refund":
            if not sold:
                continue
            order = sold[more[0] % len(sold)]
            if amount > min(held, money(order).left):
                continue  # a refund is at most what is left of the sale, paid from what the drawer holds
            ask = Ask(amount, RefundMethod.CASH, "", "retur")
            refund_order(order, ask, actor, "cashier:rini", clock())
        else:
            try:
                drawer.pay_in_or_out(till, CashKind(kind), amount, "alasan", actor)
            except DrawerError:
                assert kind == "pay_out" and amount > held  # more than the drawer holds: refused
                continue
        totals[kind] += amount
        held += amount if kind in ("sale", "pay_in") else -amount
        by_cashier[actor] = by_cashier.get(actor, 0) + (amount if kind in ("sale", "pay_in") else -amount)
    expected = opening_float + totals["sale"] - totals["refund"] + totals["pay_in"] - totals["pay_out"]
    report = reports.shift_report(shift)
    assert drawer.expected_cash(shift) == report.expected == expected
    assert (report.cash_sales, report.cash_refunds, report.pay_ins, report.pay_outs) == (
        totals["sale"],
        totals["refund"],
        totals["pay_in"],
        totals["pay_out"],
    )
    moved = {
        f"cashier:{person.name}": person.cash_sales - person.cash_refunds + person.pay_ins - person.pay_outs
        for person in report.cashiers
    }
    assert moved == by_cashier
    lines = [line for line in transactions.day_lines(jakarta_date(clock())) if line.shift == shift]
    assert sum(line.amount for line in lines if line.kind == "payment") == report.cash_sales
    assert sum(line.amount for line in lines if line.kind == "refund") == -report.cash_refunds
    assert sum(line.amount for line in lines) == report.net_sales  # no QRIS in this drawer's day
    closed = drawer.close_shift(shift, Count.of_total(expected), SARI)
    assert (closed.expected, closed.difference) == (expected, 0)
    assert reports.shift_report(closed).expected == expected
