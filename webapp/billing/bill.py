"""The bill: the only place a bill figure (discount, subtotal, service, tax, rounding,
total) is computed.

Rules (integer rupiah throughout, no floats):

- Rates are whole basis points: hundredths of a percent (10% = 1000, 0.01% = 1).
- Discounts come first: service and tax are computed on what the customer pays for the
  lines after every discount (PB1 is due on what the customer pays). A discount is a
  percentage or an amount of rupiah (`Discount`), taken, in this order, off
  1. a unit price (a promotion: the menu shows the new price; a line of 3 gets 3 times
     what one unit gets),
  2. a line (what its units cost after their promotion),
  3. the order (what its lines cost after their own discounts; each order discount on
     what the ones before it left).
  **How a percentage rounds, once for all:** a percentage off is computed on the amount
  it is taken off (the unit price, the line, the order) and rounded half up to the whole
  rupiah, as service and tax are (`half_up`). A discount never takes more than the
  amount it is taken off, so nothing is ever negative. `compute_bill` takes the sum of
  the discounts (`discount`) and keeps it as its own figure: "++", the subtotal is the
  lines less the discount; nett, the lines less the discount are the amount the
  components are derived from. Without a discount every figure is as before.
- "++" (`PriceMode.EXCLUSIVE`, menu prices exclude service and tax):
  the subtotal is the sum of the lines; service = subtotal x service rate; tax (PB1) =
  (subtotal + service) x tax rate, the usual practice of taxing the service charge too.
  Each is rounded half up to the whole rupiah on its own.
- "nett" (`PriceMode.INCLUSIVE`, menu prices include them): the sum of the lines is the
  amount before rounding. The components are derived from it: the subtotal is the
  largest whole-rupiah subtotal whose "++" amount does not exceed it, service and tax are
  computed from that subtotal as in "++", and a rupiah the "++" steps skip over is added
  to the subtotal, so subtotal + service + tax is exactly the sum of the lines. A price
  that some "++" subtotal reaches exactly gives that subtotal's very components: nett and
  "++" agree on the same effective price.
- Service may be off for takeaway orders (then its rate used is 0).
- The grand total may then be rounded to a step (Rp100, Rp500, Rp1.000), up or to the
  nearest (half up); the difference is its own line (`rounding`, may be negative when
  rounding to the nearest), so the total is subtotal + service + tax + rounding.
- A table's bill (pay later) is one bill of all its orders' lines (and discounts),
  rounded once. Split among payers, each figure is divided in proportion to what each
  payer ate (the same for an even split) by largest remainder, so the shares sum exactly
  to the bill, the discount too. A rounded bill is divided in whole rounding steps, so
  each share is rounded too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..models import DiscountKind, PriceMode, RoundingDirection

BASIS = 10_000  # basis points in a whole


ROUNDING_STEPS = (0, 100, 500, 1000)  # 0: no rounding


@dataclass(frozen=True)
class BillRules:
    """What a bill is computed with (from the bill settings of the moment)."""

    tax_rate: int = 0  # basis points, 0..1000 (PB1 is at most 10%)
    service_rate: int = 0  # basis points, 0..2000
    mode: PriceMode = PriceMode.EXCLUSIVE
    service_on_takeaway: bool = True
    rounding_step: int = 0
    rounding_direction: RoundingDirection = RoundingDirection.UP


@dataclass(frozen=True)
class Bill:
    subtotal: int
    service: int
    tax: int
    rounding: int
    total: int  # the amount to pay
    service_rate: int  # the rates used, in basis points
    tax_rate: int
    mode: PriceMode
    discount: int = 0  # the discounts' sum, taken off the lines before service and tax

    @property
    def before_discount(self) -> int:
        """What the lines came to at menu prices, before the discount."""
        lines = self.subtotal if self.mode == PriceMode.EXCLUSIVE else self.subtotal + self.service + self.tax
        return lines + self.discount


@dataclass(frozen=True)
class Discount:
    """A discount as given: `value` basis points of a percentage (20% = 2000, at most
    100%) or rupiah (`DiscountKind.AMOUNT`)."""

    kind: DiscountKind
    value: int

    def __post_init__(self) -> None:
        top = BASIS if self.kind == DiscountKind.PERCENT else None
        if self.value <= 0 or (top is not None and self.value > top):
            raise ValueError("a discount is more than nothing, and at most 100%")

    def off(self, amount: int) -> int:
        """What it takes off `amount` rupiah: the percentage rounded half up to the
        rupiah, or the rupiah; never more than `amount`."""
        wanted = half_up(amount, self.value) if self.kind == DiscountKind.PERCENT else self.value
        return max(0, min(amount, wanted))


def line_discounts(unit_price: int, quantity: int, promotion: Discount | None, own: Discount | None) -> tuple[int, int]:
    """What a line of `quantity` units at `unit_price` gets off: its `promotion`'s, off
    each unit, then its `own` discount's, off what its units cost after that."""
    unit_off = promotion.off(unit_price) if promotion else 0
    promoted = (unit_price - unit_off) * quantity
    return unit_off * quantity, own.off(promoted) if own else 0


def order_discounts(amount: int, discounts: Sequence[Discount]) -> list[int]:
    """What each order discount takes off an order whose lines come to `amount` after
    their own discounts: one after the other, each off what the ones before it left."""
    offs = []
    for discount in discounts:
        offs.append(discount.off(amount))
        amount -= offs[-1]
    return offs


def half_up(amount: int, rate: int) -> int:
    """amount x rate / BASIS, rounded half up to the rupiah (both non-negative)."""
    return (amount * rate * 2 + BASIS) // (2 * BASIS)


def _components(subtotal: int, service_rate: int, tax_rate: int) -> tuple[int, int]:
    service = half_up(subtotal, service_rate)
    return service, half_up(subtotal + service, tax_rate)


def _plus_plus(subtotal: int, service_rate: int, tax_rate: int) -> int:
    return subtotal + sum(_components(subtotal, service_rate, tax_rate))


def round_total(amount: int, step: int, direction: RoundingDirection) -> int:
    """`amount` rounded to a multiple of `step` (0: unchanged), up or half up."""
    if step <= 0:
        return amount
    if direction == RoundingDirection.UP:
        return -(-amount // step) * step
    return (amount + step // 2) // step * step


def _nett_subtotal(inclusive: int, service_rate: int, tax_rate: int) -> int:
    """The largest subtotal whose "++" amount is at most `inclusive`."""
    subtotal = inclusive * BASIS * BASIS // ((BASIS + service_rate) * (BASIS + tax_rate))
    while subtotal > 0 and _plus_plus(subtotal, service_rate, tax_rate) > inclusive:
        subtotal -= 1
    while _plus_plus(subtotal + 1, service_rate, tax_rate) <= inclusive:
        subtotal += 1
    return subtotal


def compute_bill(lines_total: int, rules: BillRules, takeaway: bool = False, discount: int = 0) -> Bill:
    """The bill of lines worth `lines_total` (sum of unit price x quantity) under `rules`,
    `discount` rupiah off them (`line_discounts`, `order_discounts`) before service and tax."""
    if lines_total < 0 or not 0 <= discount <= lines_total:
        raise ValueError("a bill cannot be negative")
    lines_total -= discount
    service_rate = rules.service_rate if rules.service_on_takeaway or not takeaway else 0
    if rules.mode == PriceMode.INCLUSIVE:
        base = _nett_subtotal(lines_total, service_rate, rules.tax_rate)
        service, tax = _components(base, service_rate, rules.tax_rate)
        subtotal = lines_total - service - tax
    else:
        subtotal = lines_total
        service, tax = _components(subtotal, service_rate, rules.tax_rate)
    before_rounding = subtotal + service + tax
    total = round_total(before_rounding, rules.rounding_step, rules.rounding_direction)
    return Bill(
        subtotal=subtotal,
        service=service,
        tax=tax,
        rounding=total - before_rounding,
        total=total,
        service_rate=service_rate,
        tax_rate=rules.tax_rate,
        mode=rules.mode,
        discount=discount,
    )


class OrderBillColumns(Protocol):
    """An order's stored bill (webapp/models/orders.py)."""

    total: int
    bill_subtotal: int
    bill_service: int
    bill_tax: int
    bill_rounding: int
    bill_service_rate: int
    bill_tax_rate: int
    bill_mode: PriceMode
    bill_discount: int


def order_bill(order: OrderBillColumns) -> Bill:
    """The bill an order was placed with, as stored (never recomputed: settings change)."""
    return Bill(
        subtotal=order.bill_subtotal,
        service=order.bill_service,
        tax=order.bill_tax,
        rounding=order.bill_rounding,
        total=order.total,
        service_rate=order.bill_service_rate,
        tax_rate=order.bill_tax_rate,
        mode=order.bill_mode,
        discount=order.bill_discount,
    )


def reversal(figure: int, total: int, before: int, amount: int) -> int:
    """What a refund of `amount` rupiah reverses of a bill's `figure` (its PB1, its
    service), after refunds of `before` rupiah: in proportion to the bill's `total`,
    counted on all that has been refunded (rounded down), so that refunds which come to
    the whole total reverse exactly the figure, however they were split."""
    if total <= 0:
        return 0

    def upto(refunded: int) -> int:
        return figure * min(refunded, total) // total

    return upto(before + amount) - upto(before)


def divide(amount: int, weights: Sequence[int], start: int = 0) -> list[int]:
    """`amount` (may be negative: a rounding down) divided in proportion to `weights`
    (non-negative integers, not all zero), in whole rupiah that sum exactly to it: each
    part is rounded toward zero, and the rupiah left over go one each to the parts with
    the largest remainders. Ties go round the parts from `start` (forward for a positive
    amount, backward from just before it for a negative one), so an even split can
    pass its odd rupiah round the payers figure after figure. A part of weight 0 gets
    nothing."""
    whole = sum(weights)
    if whole <= 0 or any(weight < 0 for weight in weights):
        raise ValueError("weights must be non-negative and not all zero")
    count = len(weights)
    sign, size = (-1, -amount) if amount < 0 else (1, amount)
    parts = [size * weight // whole for weight in weights]
    remainders = [size * weight % whole for weight in weights]
    order = (lambda i: (i - start) % count) if sign > 0 else (lambda i: (start - 1 - i) % count)
    for index in sorted(range(count), key=lambda i: (-remainders[i], order(i)))[: size - sum(parts)]:
        parts[index] += 1
    return [sign * part for part in parts]


def split_bill(
    bill: Bill, weights: Sequence[int], step: int = 0, discount_weights: Sequence[int] | None = None
) -> list[Bill]:
    """The bill divided among payers in proportion to `weights` (what each ate, or 1
    each for an even split), each figure summing exactly to the bill's, and so the
    shares' totals too. A share's rates and mode are the bill's.

    Without rounding (`step` 0) every figure (subtotal, service, tax, rounding) is
    divided on its own by `divide`; the odd rupiah of one figure go on round the payers
    where the figure before stopped, so the shares of an even split differ by a rupiah
    at most. A bill rounded to `step` is divided in whole steps first (largest
    remainder), so every share can be paid with the same notes and coins as the bill
    and an even split's shares differ by one step at most; subtotal, service and tax
    are then divided in proportion to those totals, and each share's rounding is what
    is left of its total. The discount is divided in proportion to `discount_weights`
    (what each got off, in an item split), else to `weights`."""
    discounts = _divide_discount(bill.discount, discount_weights, weights)
    if step > 0 and bill.total % step == 0:
        totals = [part * step for part in divide(bill.total // step, weights)]
        figures = (bill.subtotal, bill.service, bill.tax)
        parts = _divide_figures(figures, totals if any(totals) else weights)
        return [
            _share(bill, subtotal, service, tax, total - subtotal - service - tax, discount)
            for total, (subtotal, service, tax), discount in zip(
                totals, zip(*parts, strict=True), discounts, strict=True
            )
        ]
    columns = _divide_figures((bill.subtotal, bill.service, bill.tax, bill.rounding), weights)
    return [
        _share(bill, subtotal, service, tax, rounding, discount)
        for subtotal, service, tax, rounding, discount in zip(*columns, discounts, strict=True)
    ]


def _divide_discount(discount: int, discount_weights: Sequence[int] | None, weights: Sequence[int]) -> list[int]:
    if not discount:
        return [0] * len(weights)
    return divide(discount, discount_weights if discount_weights and any(discount_weights) else weights)


def _divide_figures(amounts: Sequence[int], weights: Sequence[int]) -> list[list[int]]:
    """Each amount divided by `divide`, the odd rupiah of one going on round the payers
    where those of the one before stopped."""
    start, columns = 0, []
    for amount in amounts:
        parts = divide(amount, weights, start)
        moved = sum(abs(part) for part in parts) - sum(abs(amount) * weight // sum(weights) for weight in weights)
        start = (start + moved if amount >= 0 else start - moved) % len(weights)
        columns.append(parts)
    return columns


def _share(bill: Bill, subtotal: int, service: int, tax: int, rounding: int, discount: int = 0) -> Bill:
    return Bill(
        subtotal=subtotal,
        service=service,
        tax=tax,
        rounding=rounding,
        total=subtotal + service + tax + rounding,
        service_rate=bill.service_rate,
        tax_rate=bill.tax_rate,
        mode=bill.mode,
        discount=discount,
    )


def item_weights(units: Sequence[tuple[int, int | None]], payers: int) -> list[int]:
    """Weights for `split_bill` from the portions each payer ate: `units` are (price,
    index of the payer who claimed it, or None when unclaimed). An unclaimed portion is
    shared evenly by all `payers`; every weight is multiplied by `payers` so that the
    even shares stay whole numbers."""
    weights = [0] * payers
    for price, payer in units:
        if payer is None:
            weights = [weight + price for weight in weights]
        else:
            weights[payer] += price * payers
    return weights
