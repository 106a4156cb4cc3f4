"""The daily report: orders and money of one business day (Asia/Jakarta)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..csv_export import to_csv
from ..extensions import db
from ..models import Order, OrderItem, OrderItemOption, OrderStatus, Payment, PaymentStatus

PAID_STATUSES = [OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED]
METHOD_NAMES = {"cash": "tunai", "duitku": "qris"}
TOP_ITEMS = 10
TOP_OPTIONS = 10


@dataclass(frozen=True)
class MethodLine:
    method: str
    payments: int
    revenue: int


@dataclass(frozen=True)
class ItemLine:
    name: str
    quantity: int
    revenue: int


@dataclass(frozen=True)
class DailyReport:
    day: date
    orders_placed: int
    paid_orders: int
    cancelled_orders: int
    expired_qr: int
    paid_order_value: int
    by_method: list[MethodLine]
    top_items: list[ItemLine]
    top_options: list[ItemLine] = field(default_factory=list)  # "Tambahan: Telur", portions, their price differences

    @property
    def revenue(self) -> int:
        """Money received: every paid payment (a flagged double payment counts too)."""
        return sum(line.revenue for line in self.by_method)

    @property
    def average_ticket(self) -> int:
        return round(self.paid_order_value / self.paid_orders) if self.paid_orders else 0


def daily_report(day: date) -> DailyReport:
    of_day = Order.business_date == day

    def count_orders(*conditions) -> int:
        return db.session.scalar(select(func.count(Order.id)).where(of_day, *conditions)) or 0

    by_method = [
        MethodLine(METHOD_NAMES.get(provider, provider), payments, revenue or 0)
        for provider, payments, revenue in db.session.execute(
            select(Payment.provider, func.count(Payment.id), func.sum(Payment.amount))
            .join(Order, Payment.order_id == Order.id)
            .where(of_day, Payment.status == PaymentStatus.PAID)
            .group_by(Payment.provider)
            .order_by(Payment.provider)
        )
    ]
    top_items = [
        ItemLine(name, quantity, revenue)
        for name, quantity, revenue in db.session.execute(
            select(OrderItem.name, func.sum(OrderItem.quantity), func.sum(OrderItem.line_total))
            .join(Order, OrderItem.order_id == Order.id)
            .where(of_day, Order.status.in_(PAID_STATUSES))
            .group_by(OrderItem.name)
            .order_by(func.sum(OrderItem.quantity).desc(), OrderItem.name)
            .limit(TOP_ITEMS)
        )
    ]
    expired = (
        db.session.scalar(
            select(func.count(Payment.id))
            .join(Order, Payment.order_id == Order.id)
            .where(of_day, Payment.status == PaymentStatus.EXPIRED)
        )
        or 0
    )
    paid_value = db.session.scalar(
        select(func.coalesce(func.sum(Order.total), 0)).where(of_day, Order.status.in_(PAID_STATUSES))
    )
    return DailyReport(
        day=day,
        orders_placed=count_orders(),
        paid_orders=count_orders(Order.status.in_(PAID_STATUSES)),
        cancelled_orders=count_orders(Order.status == OrderStatus.CANCELLED),
        expired_qr=expired,
        paid_order_value=int(paid_value or 0),
        by_method=by_method,
        top_items=top_items,
        top_options=top_options(day),
    )


def top_options(day: date) -> list[ItemLine]:
    """The options chosen most on the day's paid orders (by portions), each named with
    its group, and what their price differences brought in."""
    name = OrderItemOption.group_name + ": " + OrderItemOption.name
    portions = func.sum(OrderItem.quantity)
    return [
        ItemLine(option_name, quantity, revenue or 0)
        for option_name, quantity, revenue in db.session.execute(
            select(name, portions, func.sum(OrderItem.quantity * OrderItemOption.price_diff))
            .join(OrderItem, OrderItemOption.order_item_id == OrderItem.id)
            .join(Order, OrderItem.order_id == Order.id)
            .where(Order.business_date == day, Order.status.in_(PAID_STATUSES))
            .group_by(OrderItemOption.group_name, OrderItemOption.name)
            .order_by(portions.desc(), OrderItemOption.group_name, OrderItemOption.name)
            .limit(TOP_OPTIONS)
        )
    ]


def option_rows(report: DailyReport) -> list[list[object]]:
    """The CSV section of the top options: top_option, "group: option", portions, amount."""
    return [["top_option", line.name, line.quantity, line.revenue] for line in report.top_options]


def report_csv(report: DailyReport) -> str:
    """One row per figure: section, name, count, amount (integer rupiah)."""
    rows: list[list[object]] = [
        ["section", "name", "count", "amount_idr"],
        ["day", report.day.isoformat(), "", ""],
        ["orders", "placed", report.orders_placed, ""],
        ["orders", "paid", report.paid_orders, report.paid_order_value],
        ["orders", "cancelled", report.cancelled_orders, ""],
        ["payments", "expired_qr", report.expired_qr, ""],
        *(["revenue_by_method", line.method, line.payments, line.revenue] for line in report.by_method),
        ["revenue", "total", "", report.revenue],
        ["orders", "average_ticket", "", report.average_ticket],
        *(["top_item", item.name, item.quantity, item.revenue] for item in report.top_items),
        *option_rows(report),
    ]
    return to_csv(rows)
