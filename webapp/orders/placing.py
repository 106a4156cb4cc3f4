"""Turning a priced cart into an order: totals from the menu, a daily number, snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db
from ..models import (
    TAKEAWAY,
    Order,
    OrderItem,
    OrderItemOption,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
    PaymentMethod,
    means_takeaway,
)
from ..timeutil import jakarta_date
from .cart import PricedCart


class CheckoutError(ValueError):
    """The cart cannot be checked out; each message is shown to the customer."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    table_label: str
    note: str
    payment_method: PaymentMethod


def place_order(
    priced: PricedCart,
    customer: CustomerDetails,
    checkout_token: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Store the order with item snapshots and the next daily number, and commit.

    The same `checkout_token` (one per rendered checkout form) always yields the same
    order, so a double tap or a resubmitted form never places a second order.
    """
    if checkout_token and (existing := _order_for_token(checkout_token)):
        return existing
    if priced.is_empty:
        raise CheckoutError([_("Keranjang masih kosong.")])
    if priced.problems:
        raise CheckoutError(priced.problems)

    now = now or clock.now()
    order = _new_order(priced, customer, checkout_token, now)
    try:
        with db.session.begin_nested():
            db.session.add(order)
    except IntegrityError:
        # The same form was submitted twice at once and the other submission won.
        db.session.rollback()
        if checkout_token and (existing := _order_for_token(checkout_token)):
            return existing
        raise
    db.session.commit()
    return order


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


def _order_for_token(token: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.checkout_token == token))


def _new_order(priced, customer, checkout_token, now) -> Order:
    business_date = jakarta_date(now)
    order = Order(
        business_date=business_date,
        daily_seq=next_daily_seq(business_date),
        customer_name=customer.name,
        table_label=TAKEAWAY if means_takeaway(customer.table_label) else customer.table_label,
        note=customer.note,
        payment_method=customer.payment_method,
        status=OrderStatus.AWAITING_PAYMENT,
        total=priced.total,
        checkout_token=checkout_token,
        created_at=now,
        updated_at=now,
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
    order.history = [OrderStatusChange(to_status=OrderStatus.AWAITING_PAYMENT, actor="customer", created_at=now)]
    return order
