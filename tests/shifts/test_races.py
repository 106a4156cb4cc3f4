"""Real races on a drawer (PostgreSQL, two sessions side by side: tests/races.py): a
shift closed twice at once closes once; cash taken while the shift closes lands in it
before its figures are fixed, or is refused, never after; two cashiers opening one
drawer open one shift; two pay-outs never take more than the drawer holds. Each test
names the guard it checks: without it, the test fails."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories as make
from tests.db_helpers import count, reload
from tests.races import at_once
from webapp.extensions import db
from webapp.models import AuditEntry, AuditKind, CashKind, CashMovement, Order, OrderStatus, Shift, ShiftStatus, Till
from webapp.orders.paying import confirm_cash
from webapp.shifts import drawer
from webapp.shifts.drawer import Count, DrawerError, NoOpenShift

ROUNDS = 4
LEADS = (None, 0, 1, None)  # which step goes ahead, round by round (None: an even start)


pytestmark = pytest.mark.races


@pytest.fixture
def tills(app):
    """`tills(n)`: n new counter tills, their drawers closed."""
    made = iter(range(2, 1000))

    def new(number: int) -> list[Till]:
        rows = [Till(name=f"Kasir {next(made)}") for _ in range(number)]
        db.session.add_all(rows)
        db.session.commit()
        return rows

    return new


def close(shift_id: int, counted: int, who: str, **noted):
    """The cashier `who` closes the shift counting `counted` (`noted`: a note and an
    approver, for a count that may be past the limit)."""

    def step():
        return drawer.close_shift(db.session.get_one(Shift, shift_id), Count.of_total(counted), who, **noted).closed_by

    return step


def test_a_shift_closed_twice_at_once_is_closed_once(app, tills):
    """Guard: the shift's lock (`drawer._locked`: a conditional UPDATE while it is open)
    and the transition kernel."""
    for till, lead in zip(tills(ROUNDS), LEADS, strict=True):
        shift = drawer.open_shift(till, 100_000, "cashier:sari")
        outcomes = at_once(
            app, close(shift.id, 100_000, "cashier:sari"), close(shift.id, 98_000, "cashier:dewi"), lead=lead
        )
        closers = [outcome for outcome in outcomes if isinstance(outcome, str)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, DrawerError)]
        assert len(closers) == 1 and len(refused) == 1, outcomes
        assert "sudah ditutup oleh" in str(refused[0])
        shift = reload(shift)
        assert shift.status == ShiftStatus.CLOSED and shift.closed_by == closers[0]
        assert shift.counted == (100_000 if closers[0] == "cashier:sari" else 98_000)
        closes = select(func.count()).where(AuditEntry.kind == AuditKind.SHIFT_CLOSED, AuditEntry.subject == till.name)
        assert db.session.scalar(closes) == 1


def test_cash_taken_while_the_shift_closes_is_in_its_figures_or_refused(app, menu, tills):
    """Either the sale commits first and the close's expected includes it, or the close
    does and the sale is refused with the order still awaiting its cash: the drawer's
    rows always sum to what the close fixed. Guard: both take the shift's row first
    (without the sale's lock, a sale could land in the shift after its close summed it)."""
    for till, lead in zip(tills(ROUNDS), LEADS, strict=True):
        shift = drawer.open_shift(till, 100_000, "cashier:sari")
        order = make.order(menu)
        order.till_id = till.id
        db.session.commit()

        def sell(order_id: int = order.id) -> str:
            confirm_cash(db.session.get_one(Order, order_id), 50_000, "cashier:dewi")
            return "sold"

        noted = {"note": "dihitung sebelum penjualan", "approver": "cashier:rini"}
        sold, closed = at_once(app, sell, close(shift.id, 100_000, "cashier:sari", **noted), lead=lead)
        assert closed == "cashier:sari", closed
        shift = reload(shift)
        moved = db.session.scalar(
            select(func.coalesce(func.sum(CashMovement.amount), 0)).where(CashMovement.shift_id == shift.id)
        )
        assert shift.expected == shift.opening_float + moved
        if sold == "sold":
            assert moved == 30_000 and reload(order).status == OrderStatus.PAID
        else:
            assert isinstance(sold, NoOpenShift), sold
            assert moved == 0 and reload(order).status == OrderStatus.AWAITING_PAYMENT and reload(order).payments == []


def test_two_cashiers_opening_one_drawer_open_one_shift(app, tills):
    """Guard: the unique index of a till's open shift."""
    for till in tills(ROUNDS):

        def open_it(who: str, till_id: int = till.id):
            return lambda: drawer.open_shift(db.session.get_one(Till, till_id), 50_000, who).opened_by

        outcomes = at_once(app, open_it("cashier:sari"), open_it("cashier:dewi"))
        assert sum(isinstance(outcome, str) for outcome in outcomes) == 1, outcomes
        assert any(isinstance(outcome, DrawerError) and "sudah dibuka" in str(outcome) for outcome in outcomes), (
            outcomes
        )
        assert count(Shift, till_id=till.id) == 1


def test_two_pay_outs_at_once_never_take_more_than_the_drawer_holds(app, tills):
    """Rp30.000 in the drawer, two pay-outs of Rp20.000: one is refused. Guard: the
    pay-out reads what the drawer holds under the shift's lock."""
    for till, lead in zip(tills(ROUNDS), LEADS, strict=True):
        shift = drawer.open_shift(till, 30_000, "cashier:sari")

        def pay_out(who: str, till_id: int = till.id):
            return lambda: (
                drawer.pay_in_or_out(db.session.get_one(Till, till_id), CashKind.PAY_OUT, 20_000, "es", who).amount
            )

        outcomes = at_once(app, pay_out("cashier:sari"), pay_out("cashier:dewi"), lead=lead)
        assert sorted(str(outcome) for outcome in outcomes) == ["-20000", "Uang di laci tidak cukup untuk dikeluarkan."]
        assert drawer.expected_cash(reload(shift)) == 10_000
