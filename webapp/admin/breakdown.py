"""The day's money by who took it, by shift and by hour: the daily report's breakdowns.

Payments and refunds are the transactions CSV's lines (`transactions.day_lines`), so
every breakdown adds up to the CSV. A staff member's discounts (rupiah off orders they
placed that day, promotions and vouchers left out: those are no one's decision at the
counter) and voids (what they voided that day) sit beside what they took.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..formatting import staff_name
from ..models import DiscountSource, Order, OrderDiscount, OrderVoid, Till
from ..timeutil import jakarta_day_bounds, to_jakarta
from .transactions import Line, day_lines


@dataclass(frozen=True)
class Tally:
    """One row of a breakdown: what `name` (a cashier, a shift, an hour) came to."""

    name: str
    payments: int = 0
    taken: int = 0  # rupiah of those payments
    refunds: int = 0
    refunded: int = 0  # rupiah given back (positive)
    discounted: int = 0  # rupiah staff took off
    voided: int = 0  # rupiah voided

    @property
    def net(self) -> int:
        return self.taken - self.refunded


@dataclass(frozen=True)
class Breakdown:
    by_cashier: list[Tally]
    by_shift: list[Tally]
    by_hour: list[Tally]


def _tally(name: str, lines: Iterable[Line], discounted: int = 0, voided: int = 0) -> Tally:
    paid = [line.amount for line in lines if line.kind == "payment"]
    given_back = [-line.amount for line in lines if line.kind == "refund"]
    return Tally(name, len(paid), sum(paid), len(given_back), sum(given_back), discounted, voided)


def _grouped(lines: list[Line], key: Callable[[Line], str]) -> dict[str, list[Line]]:
    groups: dict[str, list[Line]] = {}
    for line in lines:
        groups.setdefault(key(line), []).append(line)
    return groups


def _by_actor(rows) -> dict[str, int]:
    return {staff_name(actor): int(total or 0) for actor, total in rows}


def day_breakdown(day: date) -> Breakdown:
    start, end = jakarta_day_bounds(day)
    lines = day_lines(day)
    discounts = _by_actor(
        db.session.execute(
            select(OrderDiscount.given_by, func.sum(OrderDiscount.amount))
            .join(Order, OrderDiscount.order_id == Order.id)
            .where(Order.business_date == day, OrderDiscount.source == DiscountSource.MANUAL)
            .group_by(OrderDiscount.given_by)
        )
    )
    voids = _by_actor(
        db.session.execute(
            select(OrderVoid.voided_by, func.sum(OrderVoid.amount))
            .where(OrderVoid.created_at >= start, OrderVoid.created_at < end)
            .group_by(OrderVoid.voided_by)
        )
    )
    by_cashier = _grouped(lines, lambda line: line.cashier)
    cashiers = sorted({*by_cashier, *discounts, *voids}, key=lambda name: (name == "", name))
    tills = {till.id: till.name for till in db.session.scalars(select(Till))}

    def shift_name(line: Line) -> str:
        if line.shift is None:
            return ""
        return f"{tills.get(line.shift.till_id, '')} {to_jakarta(line.shift.opened_at):%H.%M}"

    by_shift = _grouped(lines, shift_name)
    by_hour = _grouped(lines, lambda line: f"{to_jakarta(line.at):%H}.00")
    return Breakdown(
        [_tally(name, by_cashier.get(name, []), discounts.get(name, 0), voids.get(name, 0)) for name in cashiers],
        [_tally(name, by_shift[name]) for name in sorted(by_shift, key=lambda name: (name == "", name))],
        [_tally(hour, by_hour[hour]) for hour in sorted(by_hour)],
    )


def breakdown_rows(breakdown: Breakdown) -> list[list[object]]:
    """The breakdowns as rows of the daily report's CSV (section, name, count, amount):
    each cashier's, shift's and hour's payments and refunds (negative), and each
    cashier's discounts and voids (negative: rupiah not charged)."""
    rows: list[list[object]] = []
    for section, tallies in (
        ("cashier", breakdown.by_cashier),
        ("shift", breakdown.by_shift),
        ("hour", breakdown.by_hour),
    ):
        for tally in tallies:
            rows += [
                [f"{section}_payments", tally.name, tally.payments, tally.taken],
                [f"{section}_refunds", tally.name, tally.refunds, -tally.refunded],
            ]
            if section == "cashier":
                rows += [
                    ["cashier_discounts", tally.name, "", -tally.discounted],
                    ["cashier_voids", tally.name, "", -tally.voided],
                ]
    return rows
