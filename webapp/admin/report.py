"""The daily report: orders and money of one business day (Asia/Jakarta), and the
bill report (tax, service and rounding per day). A table's bill counts once: see
`counting`. Both are net of refunds: the daily report's money of every refund of the
day, the bill report of what refunds of sales reversed (their PB1, service and
rounding; the rest of a refund is the subtotal's), on the day each was given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..bills.table_bills import BillTotals, bill_totals
from ..csv_export import to_csv
from ..extensions import db
from ..models import (
    Order,
    OrderItem,
    OrderItemOption,
    OrderStatus,
    OrderType,
    Payment,
    PaymentStatus,
    Refund,
    TableBill,
)
from ..timeutil import jakarta_date, jakarta_day_bounds
from .counting import (
    paid_alone,
    paid_orders,
    payments_of_day,
    settled_bills,
    settled_bills_value,
    with_orders_and_bills,
)

METHOD_NAMES = {"cash": "tunai", "duitku": "qris"}
TOP_ITEMS = 10
TOP_OPTIONS = 10


@dataclass(frozen=True)
class MethodLine:
    method: str  # "qris" or "tunai", as the CSV gives it
    payments: int
    revenue: int

    @property
    def label(self) -> str:
        """The method as the report page shows it, in the page's language."""
        return {"qris": _("QRIS"), "tunai": _("Tunai")}.get(self.method, self.method)


@dataclass(frozen=True)
class ItemLine:
    name: str
    quantity: int
    revenue: int


@dataclass(frozen=True)
class BillLine:
    """The day's table bills that ended one way (settled, closed for one reason, still
    open): how many, what their orders came to, what their shares paid."""

    outcome: str  # "settled", "open", or "closed:<CloseReason>"
    name: str
    bills: int
    value: int
    paid: int


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
    bills: list[BillLine] = field(default_factory=list)
    refunds: int = 0  # how many were given on the day
    refunded: int = 0  # what they gave back

    @property
    def revenue(self) -> int:
        """Money received: every paid payment (a flagged double payment counts too)."""
        return sum(line.revenue for line in self.by_method)

    @property
    def net_revenue(self) -> int:
        """Money received less the money given back."""
        return self.revenue - self.refunded

    @property
    def average_ticket(self) -> int:
        return round(self.paid_order_value / self.paid_orders) if self.paid_orders else 0


def daily_report(day: date) -> DailyReport:
    def count_orders(*conditions) -> int:
        return db.session.scalar(select(func.count(Order.id)).where(*conditions)) or 0

    by_method = [
        MethodLine(METHOD_NAMES.get(provider, provider), payments, revenue or 0)
        for provider, payments, revenue in db.session.execute(
            with_orders_and_bills(select(Payment.provider, func.count(Payment.id), func.sum(Payment.amount)))
            .where(payments_of_day(day), Payment.status == PaymentStatus.PAID)
            .group_by(Payment.provider)
            .order_by(Payment.provider)
        )
    ]
    top_items = [
        ItemLine(name, quantity, revenue)
        for name, quantity, revenue in db.session.execute(
            select(OrderItem.name, func.sum(OrderItem.quantity), func.sum(OrderItem.line_total))
            .join(Order, OrderItem.order_id == Order.id)
            .where(paid_orders(day, day))
            .group_by(OrderItem.name)
            .order_by(func.sum(OrderItem.quantity).desc(), OrderItem.name)
            .limit(TOP_ITEMS)
        )
    ]
    expired = (
        db.session.scalar(
            with_orders_and_bills(select(func.count(Payment.id))).where(
                payments_of_day(day), Payment.status == PaymentStatus.EXPIRED
            )
        )
        or 0
    )
    paid_value = db.session.scalar(select(func.coalesce(func.sum(Order.total), 0)).where(paid_alone(day, day)))
    of_day = Order.business_date == day
    given_back = refunds_between(day, day)
    return DailyReport(
        day=day,
        orders_placed=count_orders(of_day),
        paid_orders=count_orders(paid_orders(day, day)),
        cancelled_orders=count_orders(of_day, Order.status == OrderStatus.CANCELLED),
        expired_qr=expired,
        paid_order_value=int(paid_value or 0) + settled_bills_value(day, day),
        by_method=by_method,
        top_items=top_items,
        top_options=top_options(day),
        bills=bill_lines(day),
        refunds=len(given_back),
        refunded=sum(refund.amount for refund in given_back),
    )


def refunds_between(start: date, end: date) -> list[Refund]:
    """The refunds given from the Jakarta day `start` to `end` (both included)."""
    since, until = jakarta_day_bounds(start)[0], jakarta_day_bounds(end)[1]
    return list(db.session.scalars(select(Refund).where(Refund.created_at >= since, Refund.created_at < until)))


OUTCOME_ORDER = {"settled": 0, "open": 1}  # then the closed ones, by reason


def bill_lines(day: date) -> list[BillLine]:
    """The day's table bills by how they ended: settled, still open, closed for each
    reason (only those that happened)."""
    grouped: dict[str, list[BillTotals]] = {}
    for totals in bill_totals(TableBill.business_date == day):
        bill = totals.bill
        grouped.setdefault(f"closed:{bill.close_reason}" if bill.close_reason else str(bill.status), []).append(totals)
    return [
        BillLine(
            outcome,
            _outcome_name(group[0].bill),
            len(group),
            sum(totals.figures.total for totals in group),
            sum(totals.paid for totals in group),
        )
        for outcome, group in sorted(grouped.items(), key=lambda item: (OUTCOME_ORDER.get(item[0], 2), item[0]))
    ]


def _outcome_name(bill: TableBill) -> str:
    return f"{bill.status.label}: {bill.close_reason.label}" if bill.close_reason else bill.status.label


@dataclass(frozen=True)
class TypeLine:
    """Paid orders of one type (dine-in or takeaway) and what they were worth."""

    order_type: OrderType
    orders: int
    revenue: int

    @property
    def name(self) -> str:
        return self.order_type.label


def orders_by_type(day: date) -> list[TypeLine]:
    """The day's paid orders split by where they were eaten, every type listed. A
    settled table's bill is eaten in: its total is dine-in revenue."""
    orders = dict(
        db.session.execute(
            select(Order.order_type, func.count(Order.id)).where(paid_orders(day, day)).group_by(Order.order_type)
        )
        .tuples()
        .all()
    )
    revenue = dict(
        db.session.execute(
            select(Order.order_type, func.sum(Order.total)).where(paid_alone(day, day)).group_by(Order.order_type)
        )
        .tuples()
        .all()
    )
    revenue[OrderType.DINE_IN] = (revenue.get(OrderType.DINE_IN) or 0) + settled_bills_value(day, day)
    return [TypeLine(kind, orders.get(kind, 0), int(revenue.get(kind) or 0)) for kind in OrderType]


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
            .where(paid_orders(day, day))
            .group_by(OrderItemOption.group_name, OrderItemOption.name)
            .order_by(portions.desc(), OrderItemOption.group_name, OrderItemOption.name)
            .limit(TOP_OPTIONS)
        )
    ]


def option_rows(report: DailyReport) -> list[list[object]]:
    """The CSV section of the top options: top_option, "group: option", portions, amount."""
    return [["top_option", line.name, line.quantity, line.revenue] for line in report.top_options]


def report_csv(
    report: DailyReport, by_type: list[TypeLine] | None = None, more: list[list[object]] | None = None
) -> str:
    """One row per figure: section, name, count, amount (integer rupiah); `more` rows last."""
    rows: list[list[object]] = [
        ["section", "name", "count", "amount_idr"],
        ["day", report.day.isoformat(), "", ""],
        ["orders", "placed", report.orders_placed, ""],
        ["orders", "paid", report.paid_orders, report.paid_order_value],
        ["orders", "cancelled", report.cancelled_orders, ""],
        ["payments", "expired_qr", report.expired_qr, ""],
        *(["revenue_by_method", line.method, line.payments, line.revenue] for line in report.by_method),
        ["revenue", "total", "", report.revenue],
        ["refunds", "total", report.refunds, -report.refunded],
        ["revenue", "net", "", report.net_revenue],
        ["orders", "average_ticket", "", report.average_ticket],
        *(["top_item", item.name, item.quantity, item.revenue] for item in report.top_items),
        *(["paid_orders_by_type", str(line.order_type), line.orders, line.revenue] for line in by_type or []),
        *option_rows(report),
        *(["table_bills", line.outcome, line.bills, line.value] for line in report.bills),
        *(["table_bills_paid", line.outcome, line.bills, line.paid] for line in report.bills),
        *(more or []),
    ]
    return to_csv(rows)


@dataclass(frozen=True)
class BillDay:
    """The bills of one day's paid orders (a settled table's bill as one bill, with its
    stored figures): what was sold, and the service, tax and rounding on top."""

    day: date
    paid_orders: int
    subtotal: int
    service: int
    tax: int
    rounding: int
    total: int


@dataclass(frozen=True)
class BillReport:
    start: date
    end: date  # inclusive
    days: list[BillDay]  # only days with paid orders

    def _sum(self, figure: str) -> int:
        return sum(getattr(day, figure) for day in self.days)

    @property
    def totals(self) -> BillDay:
        """The whole range as one line (its `day` is the start)."""
        figures = ("paid_orders", "subtotal", "service", "tax", "rounding", "total")
        return BillDay(self.start, *(self._sum(name) for name in figures))


def bill_report(start: date, end: date) -> BillReport:
    """Tax and service collected and rounding, per business day from `start` to `end`
    (both included): from the bills the orders paid on their own were placed with, and
    the figures settled table bills were paid with, less what the day's refunds of
    sales reversed."""
    alone = db.session.execute(
        select(
            Order.business_date,
            func.count(Order.id),
            func.sum(Order.bill_subtotal),
            func.sum(Order.bill_service),
            func.sum(Order.bill_tax),
            func.sum(Order.bill_rounding),
            func.sum(Order.total),
        )
        .where(paid_alone(start, end))
        .group_by(Order.business_date)
    )
    orders_on_bills = (
        select(Order.bill_id, func.count(Order.id).label("orders"))
        .where(Order.status != OrderStatus.CANCELLED)
        .group_by(Order.bill_id)
        .subquery()
    )
    tables = db.session.execute(
        select(
            TableBill.business_date,
            func.sum(orders_on_bills.c.orders),
            func.sum(TableBill.subtotal),
            func.sum(TableBill.service),
            func.sum(TableBill.tax),
            func.sum(TableBill.rounding),
            func.sum(TableBill.total),
        )
        .outerjoin(orders_on_bills, orders_on_bills.c.bill_id == TableBill.id)
        .where(settled_bills(start, end))
        .group_by(TableBill.business_date)
    )
    reversed_ = [
        (jakarta_date(refund.created_at), 0, *_reversed(refund))
        for refund in refunds_between(start, end)
        if not refund.extra  # money an order never asked for was never sold
    ]
    days: dict[date, list[int]] = {}
    for day, *figures in [*alone, *tables, *reversed_]:
        summed = days.setdefault(day, [0] * len(figures))
        days[day] = [before + int(figure or 0) for before, figure in zip(summed, figures, strict=True)]
    return BillReport(start, end, [BillDay(day, *days[day]) for day in sorted(days)])


def _reversed(refund: Refund) -> tuple[int, int, int, int, int]:
    """A refund of a sale as the bill report's figures: subtotal, service, tax, rounding
    and total, each taken off."""
    subtotal = refund.amount - refund.service - refund.tax - refund.rounding
    return -subtotal, -refund.service, -refund.tax, -refund.rounding, -refund.amount


def bill_report_csv(report: BillReport) -> str:
    """One row per day, then the range's total: amounts in integer rupiah."""
    header = ["day", "paid_orders", "subtotal_idr", "service_idr", "tax_idr", "rounding_idr", "total_idr"]

    def row(label: str, line: BillDay) -> list[object]:
        return [label, line.paid_orders, line.subtotal, line.service, line.tax, line.rounding, line.total]

    total_label = f"{report.start.isoformat()}..{report.end.isoformat()}"
    return to_csv([header, *(row(day.day.isoformat(), day) for day in report.days), row(total_label, report.totals)])
