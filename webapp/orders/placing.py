"""Turning a priced cart into an order: totals from the menu, a daily number, snapshots."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..billing.bill import Bill, BillRules, compute_bill
from ..billing.settings import bill_rules, current_rules
from ..discounts import manual, vouchers
from ..extensions import db
from ..formatting import rupiah
from ..models import (
    DiningTable,
    DiscountSource,
    Order,
    OrderDiscount,
    OrderItem,
    OrderItemOption,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
    OrderType,
    PaymentMethod,
    TableBill,
)
from ..payments.duitku import QRIS_MAX_AMOUNT, QRIS_MIN_AMOUNT, is_qris_amount
from ..timeutil import jakarta_date
from .cart import PricedCart

BILL_BEING_PAID = "bill_being_paid"
TOTAL_CHANGED = "total_changed"
VOUCHER_USED_UP = "voucher_used_up"
QRIS_LIMITS = {"minimum": rupiah(QRIS_MIN_AMOUNT), "maximum": rupiah(QRIS_MAX_AMOUNT)}


class TableBills(Protocol):
    """How a pay-later order joins its table's bill: the bills domain's (webapp/bills),
    which registers it (`register_table_bills`); orders know no bills."""

    def open_bill_of(self, table_id: int) -> TableBill | None:
        """The table's open bill (its sitting), if any."""
        ...

    def bill_for_order(self, table: DiningTable, now: datetime, actor: str) -> TableBill | None:
        """The table's open bill, locked for adding an order, or a new one (opened by
        `actor`); None while it is being paid (the order is then paid on its own)."""
        ...

    def order_added(self, bill: TableBill, order: Order, now: datetime, actor: str) -> None:
        """In the order's transaction: the bill's history says so."""
        ...


_TABLE_BILLS: list[TableBills] = []


def register_table_bills(table_bills: TableBills) -> None:
    _TABLE_BILLS[:] = [table_bills]


def table_bills() -> TableBills:
    if not _TABLE_BILLS:
        raise RuntimeError("no table bills registered: the bills package's init_app registers them")
    return _TABLE_BILLS[0]


class CheckoutError(ValueError):
    """The cart cannot be checked out; each message is shown to the customer."""

    def __init__(self, messages: list[str], code: str = ""):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.code = code


@dataclass(frozen=True)
class CustomerDetails:
    """Who orders and how. A dine-in order names its table (scanned or chosen); a
    takeaway order has none. Paid by `PaymentMethod.BILL`, a dine-in order goes on its
    table's bill (pay later): only from a phone `seated` at that table by a current
    scan of its QR (webapp/tables/visit.py), or placed by staff, never from a table
    picked from a list, which anyone could pick from anywhere."""

    name: str
    note: str
    payment_method: PaymentMethod
    order_type: OrderType = OrderType.TAKEAWAY
    table: DiningTable | None = None
    seated: bool = False


def order_figures(lines_total: int, order_type: OrderType, on_bill: BillRules | None = None, discount: int = 0) -> Bill:
    """The bill an order of lines worth `lines_total`, `discount` off them, is placed
    with: today's rules (service may be off for takeaway), rounded; on a table's bill
    (`on_bill`, the rules the bill opened with), without rounding: the bill is rounded
    once, as a whole."""
    rules = current_rules() if on_bill is None else replace(on_bill, rounding_step=0)
    return compute_bill(lines_total, rules, takeaway=order_type == OrderType.TAKEAWAY, discount=discount)


def checkout_figures(
    priced: PricedCart, order_types: list[OrderType], pay_later_at: DiningTable | None
) -> dict[OrderType, Bill]:
    """What checkout shows for each order type it offers: the very figures `place_order`
    charges, or puts on the bill of `pay_later_at` (the table whose bill a dine-in order
    joins, if it pays later)."""
    on_bill = None
    if pay_later_at is not None:
        bill = table_bills().open_bill_of(pay_later_at.id)
        on_bill = bill_rules(bill) if bill is not None else current_rules()
    return {
        order_type: order_figures(
            priced.total, order_type, on_bill if order_type == OrderType.DINE_IN else None, priced.discount
        )
        for order_type in order_types
    }


def place_order(
    priced: PricedCart,
    customer: CustomerDetails,
    checkout_token: str | None = None,
    now: datetime | None = None,
    expected_total: int | None = None,
    *,
    taken_by: str = "",
    till_id: int | None = None,
) -> Order:
    """Store the order with item snapshots and the next daily number, and commit.

    The same `checkout_token` (one per rendered checkout form) always yields the same
    order, so a double tap or a resubmitted form never places a second order. With
    `expected_total` (the figure the customer's button showed), an order that would
    come to another figure is not placed: the customer is told the new one. An order
    rung up by staff names them (`taken_by`, a username: its history says they placed
    it) and the till it was rung up at (`till_id`).
    """
    if checkout_token and (existing := order_for_token(checkout_token)):
        return existing
    if priced.is_empty:
        raise CheckoutError([_("Keranjang masih kosong.")])
    if priced.problems:
        raise CheckoutError(priced.problems)
    if customer.order_type == OrderType.DINE_IN and (customer.table is None or not customer.table.active):
        raise CheckoutError([_("Pilih meja, atau pilih bungkus.")])
    pays_later = customer.payment_method == PaymentMethod.BILL
    if pays_later and customer.order_type != OrderType.DINE_IN:
        raise CheckoutError([_("Pesanan bungkus dibayar sekarang: pilih QRIS atau tunai.")])
    if pays_later and not customer.seated:
        raise CheckoutError([_("Bayar nanti hanya dari HP yang memindai kode QR di meja ini: pilih QRIS atau tunai.")])

    now = now or clock.now()
    actor = f"cashier:{taken_by}" if taken_by else "customer"  # who placed it, in every history it enters
    bill = table_bills().bill_for_order(customer.table, now, actor) if pays_later and customer.table else None
    if pays_later and bill is None:
        db.session.rollback()
        raise CheckoutError(
            [_("Tagihan meja ini sedang dibayar: pesanan tambahan dibayar sekarang. Pilih QRIS atau tunai.")],
            BILL_BEING_PAID,
        )
    order = _new_order(priced, customer, checkout_token, now, bill)
    order.taken_by, order.till_id = taken_by, till_id
    if expected_total is not None and order.total != expected_total:
        db.session.rollback()
        raise CheckoutError(
            [_("Total pesanan ini %(total)s: periksa, lalu tekan Pesan sekarang lagi.", total=rupiah(order.total))],
            TOTAL_CHANGED,
        )
    refusals = [why for row in order.discounts if (why := manual.approval_lapsed(row))]
    if order.total <= 0 and order.discounts:
        refusals.append(manual.nothing_to_pay())
    if refusals:
        db.session.rollback()
        raise CheckoutError(refusals)
    if customer.payment_method == PaymentMethod.QRIS and not is_qris_amount(order.total):
        db.session.rollback()
        raise CheckoutError(
            [_("QRIS bisa dipakai untuk %(minimum)s sampai %(maximum)s: pilih tunai di kasir.", **QRIS_LIMITS)]
        )
    try:
        with db.session.begin_nested():
            db.session.add(order)
    except IntegrityError:
        # The same form was submitted twice at once and the other submission won.
        db.session.rollback()
        if checkout_token and (existing := order_for_token(checkout_token)):
            return existing
        raise
    if not _take_voucher_uses(priced, now):
        db.session.rollback()
        raise CheckoutError([str(vouchers.used_up())], VOUCHER_USED_UP)
    for row in order.discounts:
        if row.source == DiscountSource.MANUAL:  # staff's: who gave it, who approved it
            manual.record(row, order.number, row.order_item.name if row.order_item else "", now)
    # Added once the order has its id: a flush that adds an order's history row to "on
    # the bill" (or "paid") sends the order to the kitchen (webapp/kitchen).
    db.session.add(OrderStatusChange(order_id=order.id, to_status=order.status, actor=actor, created_at=now))
    if bill is not None:
        table_bills().order_added(bill, order, now, actor)
    db.session.commit()
    return order


def _take_voucher_uses(priced: PricedCart, now: datetime) -> bool:
    """Spend a use of the order's voucher, if it has one (in its transaction: a race for
    the last use places one order with it)."""
    return all(vouchers.take_use(given.voucher_id, now) for given in priced.on_order if given.voucher_id is not None)


def next_daily_seq(business_date: date) -> int:
    """Take the next order number of the day, atomically.

    The counter row stays locked until the checkout commits, so concurrent checkouts
    are numbered one after the other, and a failed checkout gives its number back.
    """
    bump = (
        update(OrderNumberCounter)
        .where(OrderNumberCounter.business_date == business_date)
        .values(last_seq=OrderNumberCounter.last_seq + 1)
        .returning(OrderNumberCounter.last_seq)
        .execution_options(synchronize_session=False)
    )
    seq = db.session.scalar(bump)
    if seq is not None:
        return seq
    try:
        with db.session.begin_nested():
            db.session.add(OrderNumberCounter(business_date=business_date, last_seq=1))
        return 1
    except IntegrityError:
        return db.session.execute(bump).scalar_one()  # another checkout opened the day first


def bill_columns(bill: Bill) -> dict[str, object]:
    """An order's columns that keep its bill (`total` is the amount to pay)."""
    return {
        "total": bill.total,
        "bill_discount": bill.discount,
        "bill_subtotal": bill.subtotal,
        "bill_service": bill.service,
        "bill_tax": bill.tax,
        "bill_rounding": bill.rounding,
        "bill_service_rate": bill.service_rate,
        "bill_tax_rate": bill.tax_rate,
        "bill_mode": bill.mode,
    }


def order_for_token(token: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.checkout_token == token))


def _new_order(priced, customer, checkout_token, now, table_bill: TableBill | None) -> Order:
    """The order and its lines. On a table's bill, its own figures follow the bill's rules
    without rounding (the bill is rounded once, as a whole) and it goes to the kitchen."""
    business_date = jakarta_date(now)
    dine_in = customer.order_type == OrderType.DINE_IN
    bill = order_figures(
        priced.total, customer.order_type, bill_rules(table_bill) if table_bill else None, priced.discount
    )
    status = OrderStatus.AWAITING_PAYMENT if table_bill is None else OrderStatus.ON_BILL
    order = Order(
        business_date=business_date,
        daily_seq=next_daily_seq(business_date),
        customer_name=customer.name,
        order_type=customer.order_type,
        table=customer.table if dine_in else None,
        table_label=customer.table.label if dine_in and customer.table else "",
        note=customer.note,
        payment_method=customer.payment_method,
        status=status,
        bill_id=table_bill.id if table_bill else None,
        checkout_token=checkout_token,
        created_at=now,
        updated_at=now,
        **bill_columns(bill),
    )
    order.items = [
        OrderItem(
            menu_item_id=line.item.id,
            name=line.item.name,
            name_en=line.item.name_en,
            unit_price=line.unit_price,
            quantity=line.line.quantity,
            note=line.line.note,
            line_total=line.line_total,
            options=[
                OrderItemOption(
                    option_id=option.id,
                    group_name=option.group.name,
                    name=option.name,
                    name_en=option.name_en,
                    price_diff=option.price_diff,
                )
                for option in line.options
            ],
        )
        for line in priced.lines
    ]
    order.discounts = discount_rows(priced, order.items, now)
    return order


def discount_rows(priced: PricedCart, items: list[OrderItem], now: datetime) -> list[OrderDiscount]:
    """What the order keeps of each discount it got: its lines' (a promotion's, off
    every unit; staff's), then the order's (a voucher's, staff's)."""
    rows = []
    for line, item in zip(priced.lines, items, strict=True):
        promotion_off, own_off = line.offs
        if line.promotion is not None and promotion_off:
            rows.append(line.promotion.snapshot(promotion_off, now, item))
        if line.own is not None:
            rows.append(line.own.snapshot(own_off, now, item))
    rows += [given.snapshot(off, now) for given, off in zip(priced.on_order, priced.order_offs, strict=True)]
    return rows
