"""A till's drawer, shift by shift (webapp/shifts/drawer.py): opened with a float, every
cash movement in the open shift with who and when, closed once with the drawer
counted; a closed shift never changes. (Every test starts with "Kasir 1"'s shift open
at Rp0: tests/conftest.py; these tests use a till of their own, or close that one.)"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as make
from tests.db_helpers import count, reload
from webapp.extensions import db
from webapp.models import AuditEntry, AuditKind, CashKind, CashMovement, Shift, ShiftStatus, Till
from webapp.orders.paying import confirm_cash
from webapp.shifts import drawer
from webapp.shifts.drawer import Count, DrawerError, NoOpenShift
from webapp.till import tills

CASHIER, OTHER = "cashier:sari", "cashier:dewi"


def at_till(order, till: Till):
    """The order as the till rings it up: its cash goes to that till's drawer."""
    order.till_id = till.id
    db.session.commit()
    return order


def test_a_shift_opens_with_its_float_and_the_audit_trail_says_who(till, clock):
    shift = drawer.open_shift(till, 200_000, CASHIER, clock())
    assert (shift.status, shift.opening_float, shift.opened_by, shift.opened_at) == (
        ShiftStatus.OPEN,
        200_000,
        CASHIER,
        clock(),
    )
    assert drawer.open_shift_of(till) == shift and drawer.expected_cash(shift) == 200_000
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.kind == AuditKind.SHIFT_OPENED).order_by(AuditEntry.id.desc())
    )
    assert (entry.actor, entry.subject, entry.after) == (
        CASHIER,
        "Kasir 2",
        {"shift": shift.public_id, "opening_float": 200_000},
    )


@pytest.mark.parametrize("amount, message", [(-1, "tidak boleh negatif"), (100_000_001, "tidak masuk akal")])
def test_a_float_that_is_negative_or_absurd_is_refused(till, amount, message):
    with pytest.raises(DrawerError, match=message) as refused:
        drawer.open_shift(till, amount, CASHIER)
    assert refused.value.field == "opening_float" and drawer.open_shift_of(till) is None


def test_a_drawer_has_one_open_shift(till):
    drawer.open_shift(till, 0, CASHIER)
    with pytest.raises(DrawerError, match="Shift Kasir 2 sudah dibuka"):
        drawer.open_shift(till, 50_000, OTHER)
    assert count(Shift, till_id=till.id) == 1


def test_a_waiters_phone_has_no_drawer(app):
    with pytest.raises(DrawerError, match="HP pelayan"):
        drawer.open_shift(tills.phone_till("wati"), 0, CASHIER)


def test_cash_sales_land_in_the_open_shift_of_their_till_with_who_and_when(till, menu, clock):
    shift = drawer.open_shift(till, 100_000, CASHIER, clock())
    clock.advance(minutes=5)
    order = at_till(make.order(menu), till)  # Rp30.000
    confirm_cash(order, 50_000, OTHER, clock())  # Rp20.000 change given back
    (sale,) = reload(shift).movements
    assert (sale.kind, sale.amount, sale.actor, sale.created_at) == (CashKind.SALE, 30_000, OTHER, clock())
    assert sale.payment_id == order.payments[0].id
    assert drawer.expected_cash(shift) == 130_000


def test_cash_taken_outside_a_till_goes_to_the_first_tills_drawer(till, menu):
    """The board's cash (no till on the order): the first till's, "Kasir 1"."""
    first = tills.counter_tills()[0]
    make.paid_order(menu)
    assert [m.amount for m in drawer.open_shift_of(first).movements] == [30_000]
    assert drawer.open_shift_of(till) is None


def test_a_pay_out_and_a_pay_in_keep_their_reason_and_land_in_the_audit_trail(till, clock):
    shift = drawer.open_shift(till, 100_000, CASHIER, clock())
    drawer.pay_in_or_out(till, CashKind.PAY_OUT, 20_000, "  beli   es batu ", CASHIER, clock())
    drawer.pay_in_or_out(till, CashKind.PAY_IN, 50_000, "tambah uang kecil", OTHER, clock())
    moves = [(m.kind, m.amount, m.reason, m.actor) for m in reload(shift).movements]
    assert moves == [
        (CashKind.PAY_OUT, -20_000, "beli es batu", CASHIER),
        (CashKind.PAY_IN, 50_000, "tambah uang kecil", OTHER),
    ]
    assert drawer.expected_cash(shift) == 130_000
    trail = db.session.scalars(
        select(AuditEntry).where(AuditEntry.kind.in_([AuditKind.PAY_IN, AuditKind.PAY_OUT])).order_by(AuditEntry.id)
    ).all()
    assert [(e.kind, e.actor, e.after["amount"], e.note) for e in trail] == [
        (AuditKind.PAY_OUT, CASHIER, 20_000, "beli es batu"),
        (AuditKind.PAY_IN, OTHER, 50_000, "tambah uang kecil"),
    ]


@pytest.mark.parametrize(
    "kind, amount, reason, field, message",
    [
        (CashKind.PAY_OUT, 0, "es", "amount", "lebih dari nol"),
        (CashKind.PAY_OUT, -5000, "es", "amount", "tidak boleh negatif"),
        (CashKind.PAY_IN, 100_000_001, "es", "amount", "tidak masuk akal"),
        (CashKind.PAY_OUT, 5000, "   ", "reason", "Tulis alasannya"),
        (CashKind.PAY_OUT, 5000, "x" * 201, "reason", "200 karakter"),
        (CashKind.SALE, 5000, "es", "kind", "uang masuk atau uang keluar"),
        (CashKind.PAY_OUT, 100_001, "es", "amount", "tidak cukup"),
    ],
)
def test_a_bad_pay_in_or_out_is_refused_on_its_field(till, kind, amount, reason, field, message):
    shift = drawer.open_shift(till, 100_000, CASHIER)
    with pytest.raises(DrawerError, match=message) as refused:
        drawer.pay_in_or_out(till, kind, amount, reason, CASHIER)
    assert refused.value.field == field
    assert count(CashMovement, shift_id=shift.id) == 0 and reload(shift).version == 0


def test_no_cash_moves_without_an_open_shift(till):
    with pytest.raises(NoOpenShift, match="Belum ada shift terbuka di Kasir 2") as refused:
        drawer.pay_in_or_out(till, CashKind.PAY_IN, 5000, "modal", CASHIER)
    assert refused.value.till == till.public_id and count(CashMovement) == 0


def test_the_count_by_notes_and_coins_is_their_sum_and_a_bad_count_is_refused(app):
    count_ = Count.of_notes({100_000: 1, 50_000: 0, 2000: 3, 500: 1, 100: 4})
    assert count_ == Count(106_900, {100_000: 1, 2000: 3, 500: 1, 100: 4})
    with pytest.raises(DrawerError, match="tidak dikenal"):
        Count.of_notes({25_000: 1})
    with pytest.raises(DrawerError, match="0 sampai 9999") as refused:
        Count.of_notes({1000: -1})
    assert refused.value.field == "n1000"


def test_closing_fixes_expected_counted_and_the_difference_exactly_once(till, menu, clock):
    shift = drawer.open_shift(till, 200_000, CASHIER, clock())
    confirm_cash(at_till(make.order(menu), till), 30_000, CASHIER, clock())
    clock.advance(hours=8)
    closed = drawer.close_shift(shift, Count.of_notes({100_000: 2, 20_000: 1, 5000: 1, 2000: 1}), OTHER, now=clock())
    assert (closed.status, closed.expected, closed.counted, closed.difference) == (
        ShiftStatus.CLOSED,
        230_000,
        227_000,
        -3000,
    )
    assert (closed.closed_by, closed.closed_at, closed.counted_notes) == (
        OTHER,
        clock(),
        {"100000": 2, "20000": 1, "5000": 1, "2000": 1},
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == AuditKind.SHIFT_CLOSED))
    assert (entry.before, entry.after, entry.approver) == (
        {"shift": shift.public_id, "expected": 230_000},
        {"counted": 227_000, "difference": -3000},
        "",
    )
    with pytest.raises(DrawerError, match=r"sudah ditutup oleh dewi pukul 20\.00 WIB"):
        drawer.close_shift(shift, Count.of_total(230_000), CASHIER, now=clock() + timedelta(minutes=1))
    assert (reload(shift).counted, reload(shift).closed_by) == (227_000, OTHER)
    assert count(AuditEntry, kind=AuditKind.SHIFT_CLOSED) == 1


def test_a_closed_shift_never_changes(till, menu, clock):
    """Nothing lands in it (cash is refused: no shift open), nothing closes it again; a
    new shift starts from its own float."""
    shift = drawer.open_shift(till, 50_000, CASHIER, clock())
    drawer.close_shift(shift, Count.of_total(50_000), CASHIER, now=clock())
    before = db.session.execute(select(Shift.__table__).where(Shift.id == shift.id)).one()
    order = at_till(make.order(menu), till)
    with pytest.raises(NoOpenShift):
        confirm_cash(order, 30_000, CASHIER, clock())
    with pytest.raises(NoOpenShift):
        drawer.pay_in_or_out(till, CashKind.PAY_OUT, 1000, "es", CASHIER)
    with pytest.raises(NoOpenShift):
        drawer.record_movement(till, CashKind.REFUND, -1000, CASHIER, clock())
    assert reload(order).status == "awaiting_payment" and order.payments == []
    assert db.session.execute(select(Shift.__table__).where(Shift.id == shift.id)).one() == before
    assert count(CashMovement, shift_id=shift.id) == 0
    again = drawer.open_shift(till, 100_000, CASHIER, clock())
    assert drawer.expected_cash(again) == 100_000


def test_a_close_after_cash_moved_since_the_count_is_refused(till, clock):
    shift = drawer.open_shift(till, 100_000, CASHIER, clock())
    seen = reload(shift).version
    drawer.pay_in_or_out(till, CashKind.PAY_OUT, 20_000, "es batu", OTHER, clock())
    with pytest.raises(DrawerError, match="sejak laci dihitung"):
        drawer.close_shift(shift, Count.of_total(100_000), CASHIER, seen_version=seen, now=clock())
    assert reload(shift).status == ShiftStatus.OPEN
    drawer.close_shift(shift, Count.of_total(80_000), CASHIER, seen_version=reload(shift).version, now=clock())
    assert reload(shift).difference == 0


@pytest.mark.parametrize("counted", [94_999, 105_001])
def test_a_difference_past_the_limit_needs_a_note_and_an_approver(till, clock, counted):
    shift = drawer.open_shift(till, 100_000, CASHIER, clock())
    for note, approver, field in (("", "cashier:rini", "note"), ("salah kembalian", "", "approver")):
        with pytest.raises(DrawerError, match="Selisih lebih dari batas") as refused:
            drawer.close_shift(shift, Count.of_total(counted), CASHIER, note=note, approver=approver)
        assert refused.value.field == field and reload(shift).status == ShiftStatus.OPEN
    drawer.close_shift(shift, Count.of_total(counted), CASHIER, note="salah kembalian", approver="cashier:rini")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.kind == AuditKind.SHIFT_CLOSED))
    assert (entry.approver, entry.note, entry.after["difference"]) == (
        "cashier:rini",
        "salah kembalian",
        counted - 100_000,
    )


@pytest.mark.parametrize("counted", [95_000, 105_000])
def test_a_difference_at_the_limit_closes_without_approval(till, counted):
    shift = drawer.open_shift(till, 100_000, CASHIER)
    assert drawer.close_shift(shift, Count.of_total(counted), CASHIER).status == ShiftStatus.CLOSED
