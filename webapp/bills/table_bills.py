"""A table's bill as everyone at the table and the cashier see it: the sitting's
orders, the bill's figures, the portions of each line and who claimed them, and each
share's part. Reading only: changes go through `webapp.payments` (bill_splits,
share_payments, bill_closing).

Until its split is locked, a bill's figures are computed from its orders by
`bill.compute_bill` under the rules kept on the bill, and an item split's shares by
`bill.split_bill`; from the lock on, both are the figures stored then.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from ..billing.bill import Bill, compute_bill, divide, item_weights, split_bill
from ..billing.settings import bill_rules
from ..extensions import db
from ..models import (
    BillShare,
    BillStatus,
    DiningTable,
    Order,
    OrderItem,
    OrderStatus,
    ShareClaim,
    ShareStatus,
    SplitMode,
    TableBill,
)


def stored_figures(row: TableBill | BillShare, total: int) -> Bill:
    """Figures fixed at the lock (a bill's or a share's), with the bill's rates."""
    bill = row if isinstance(row, TableBill) else row.bill
    return Bill(
        subtotal=row.subtotal,
        service=row.service,
        tax=row.tax,
        rounding=row.rounding,
        total=total,
        service_rate=bill.service_rate,
        tax_rate=bill.tax_rate,
        mode=bill.mode,
        discount=row.discount,
    )


def share_figures(share: BillShare) -> Bill:
    """A share's part of every figure of its bill, as fixed when the split was locked."""
    return stored_figures(share, share.amount)


def bill_figures(bill: TableBill, lines_total: int, discount: int = 0) -> Bill:
    """The bill's figures: those stored at the lock once it is locked, else computed
    from the total of its orders' lines (`lines_total`) and of their discounts under its
    rules."""
    if bill.is_locked:
        return stored_figures(bill, bill.total)
    return compute_bill(lines_total, bill_rules(bill), discount=discount)


def left_to_pay(bill: TableBill, total: int, paid: int) -> int:
    """What is still to pay of an open bill of `total` with `paid` paid (nothing once
    it is settled or closed)."""
    return max(0, total - paid) if bill.status == BillStatus.OPEN else 0


@dataclass(frozen=True)
class Portion:
    """One portion of an order line (a line of 3 Es Teh has portions 1, 2, 3)."""

    item: OrderItem
    order: Order
    unit: int
    claimed_by: BillShare | None
    discount: int = 0  # its part of what its line got off (and of its order's discounts)

    @property
    def key(self) -> str:
        return f"{self.item.id}-{self.unit}"

    @property
    def price(self) -> int:
        """What it costs after its discounts."""
        return self.item.unit_price - self.discount


def line_discounts(order: Order) -> list[int]:
    """What each line of `order` got off: its own discounts, and its part of the order's
    (divided in proportion to what the lines cost after their own)."""
    own = [item.discount for item in order.items]
    on_order = order.bill_discount - sum(own)
    paid_for = [item.paid_for for item in order.items]
    if on_order <= 0 or not any(paid_for):
        return own
    return [line + part for line, part in zip(own, divide(on_order, paid_for), strict=True)]


@dataclass(frozen=True)
class ShareLine:
    share: BillShare
    figures: Bill  # its part of every figure (live in an unlocked item split)


@dataclass
class BillView:
    bill: TableBill
    orders: list[Order]  # on the bill, cancelled ones left out, oldest first
    claims: dict[tuple[int, int], BillShare]  # (order item id, unit) -> claiming share

    @cached_property
    def lines_total(self) -> int:
        return sum(item.line_total for order in self.orders for item in order.items)

    @cached_property
    def discount(self) -> int:
        return sum(order.bill_discount for order in self.orders)

    @cached_property
    def live_figures(self) -> Bill:
        return compute_bill(self.lines_total, bill_rules(self.bill), discount=self.discount)

    @property
    def figures(self) -> Bill:
        return bill_figures(self.bill, self.lines_total, self.discount)

    @property
    def open_shares(self) -> list[BillShare]:
        return [share for share in self.bill.shares if share.status != ShareStatus.CANCELLED]

    @cached_property
    def portions(self) -> list[Portion]:
        portions = []
        for order in self.orders:
            for item, off in zip(order.items, line_discounts(order), strict=True):
                units = divide(off, [1] * item.quantity) if off else [0] * item.quantity
                portions += [
                    Portion(item, order, unit, self.claims.get((item.id, unit)), units[unit - 1])
                    for unit in range(1, item.quantity + 1)
                ]
        return portions

    @cached_property
    def share_lines(self) -> list[ShareLine]:
        """Every share not cancelled, with its part: stored once locked, else worked out
        from the claims (unclaimed portions shared by all)."""
        shares = self.open_shares
        if self.bill.is_locked or self.bill.split_mode != SplitMode.ITEMS:
            return [ShareLine(share, share_figures(share)) for share in shares]
        parts = item_share_figures(self.live_figures, self.portions, shares, self.bill.rounding_step)
        return [ShareLine(share, figures) for share, figures in zip(shares, parts, strict=True)]

    @property
    def paid(self) -> int:
        return sum(share.amount for share in self.bill.shares if share.status == ShareStatus.PAID)

    @property
    def to_pay(self) -> int:
        return left_to_pay(self.bill, self.figures.total, self.paid)

    @property
    def any_paid(self) -> bool:
        return any(share.status == ShareStatus.PAID for share in self.bill.shares)


def item_share_figures(figures: Bill, portions: list[Portion], shares: list[BillShare], step: int = 0) -> list[Bill]:
    """Each share's part of `figures` in an item split: what it claimed, and an even part
    of what nobody claimed, in whole rounding steps of the bill (`step`, 0 for none).
    All zero when nothing is to be divided."""
    if not shares:
        return []
    index = {share.id: position for position, share in enumerate(shares)}
    payers = [index.get(portion.claimed_by.id) if portion.claimed_by else None for portion in portions]
    weights = item_weights(
        [(portion.price, payer) for portion, payer in zip(portions, payers, strict=True)], len(shares)
    )
    if sum(weights) == 0:
        return [Bill(0, 0, 0, 0, 0, figures.service_rate, figures.tax_rate, figures.mode) for _share in shares]
    offs = item_weights(
        [(portion.discount, payer) for portion, payer in zip(portions, payers, strict=True)], len(shares)
    )
    return split_bill(figures, weights, step, offs)


def bill_view(bill: TableBill) -> BillView:
    """The bill with its orders, lines, shares and claims (four queries)."""
    orders = list(
        db.session.scalars(
            select(Order)
            .where(Order.bill_id == bill.id, Order.status != OrderStatus.CANCELLED)
            .options(selectinload(Order.items).selectinload(OrderItem.options))
            .order_by(Order.created_at, Order.id)
        )
    )
    claims = db.session.execute(
        select(ShareClaim.order_item_id, ShareClaim.unit, ShareClaim.share_id)
        .join(BillShare, BillShare.id == ShareClaim.share_id)
        .where(BillShare.bill_id == bill.id)
    ).all()
    shares = {share.id: share for share in bill.shares}
    return BillView(bill, orders, {(item_id, unit): shares[share_id] for item_id, unit, share_id in claims})


@dataclass(frozen=True)
class BillTotals:
    """A bill's total and what is paid of it, read for many bills at once (the floor,
    the report) with the same figures as its `bill_view`."""

    bill: TableBill
    lines_total: int  # its orders' lines (cancelled orders left out)
    paid: int  # its paid shares
    discount: int = 0  # its orders' discounts

    @cached_property
    def figures(self) -> Bill:
        return bill_figures(self.bill, self.lines_total, self.discount)

    @property
    def to_pay(self) -> int:
        return left_to_pay(self.bill, self.figures.total, self.paid)


def bill_totals(*conditions: ColumnElement[bool]) -> list[BillTotals]:
    """The bills meeting `conditions`, oldest first, each with its lines' total and what
    its shares have paid (one query)."""
    lines_total = (
        select(func.coalesce(func.sum(OrderItem.line_total), 0))
        .join(Order, Order.id == OrderItem.order_id)
        .where(Order.bill_id == TableBill.id, Order.status != OrderStatus.CANCELLED)
        .scalar_subquery()
    )
    paid = (
        select(func.coalesce(func.sum(BillShare.amount), 0))
        .where(BillShare.bill_id == TableBill.id, BillShare.status == ShareStatus.PAID)
        .scalar_subquery()
    )
    discount = (
        select(func.coalesce(func.sum(Order.bill_discount), 0))
        .where(Order.bill_id == TableBill.id, Order.status != OrderStatus.CANCELLED)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(TableBill, lines_total, paid, discount).where(*conditions).order_by(TableBill.opened_at, TableBill.id)
    )
    return [BillTotals(bill, int(lines), int(paid_so_far), int(off)) for bill, lines, paid_so_far, off in rows]


def open_bill_of(table_id: int) -> TableBill | None:
    """The table's open bill (its current sitting), if any."""
    return db.session.scalar(
        select(TableBill).where(TableBill.table_id == table_id, TableBill.status == BillStatus.OPEN)
    )


def bill_being_paid(table: DiningTable) -> bool:
    """Whether the table's open bill has its split locked for paying (an order placed at
    the table now is paid on its own)."""
    bill = open_bill_of(table.id)
    return bill is not None and bill.is_locked


def find_bill(public_id: str) -> TableBill | None:
    return db.session.scalar(select(TableBill).where(TableBill.public_id == public_id))


def find_share(public_id: str) -> BillShare | None:
    return db.session.scalar(select(BillShare).where(BillShare.public_id == public_id))
