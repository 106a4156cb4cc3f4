"""Receipts: of a paid order (and the pieces a table bill's receipt is made of, in
webapp/bills/bill_receipt.py). Who sold it, what, the bill as it was fixed, and how it
was paid.

An order's figures are its stored bill (never recomputed), its payment QRIS with the
payer's issuer, or cash with what was tendered and the change, as the cashier confirmed
it. The merchant's address and tax number are today's bill settings; the cashier is the
first staff member who took money or handled it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flask_babel import gettext as _

from ..formatting import STAFF_PREFIX, jakarta_datetime, percent, rupiah, staff_name
from ..models import (
    ChangeReason,
    DiscountKind,
    DiscountSource,
    Order,
    OrderDiscount,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentProvider,
    PaymentStatus,
    PriceMode,
)
from .bill import Bill, order_bill
from .settings import current_settings

PAID_STATUSES = (OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED)
PAPERS = ("58", "80", "a4")  # thermal rolls of 58 mm (32 characters) and 80 mm (48), or A4
DEFAULT_PAPER = "80"


@dataclass(frozen=True)
class PaidBy:
    """One payment on a receipt."""

    amount: int
    by_cash: bool
    issuer: str  # QRIS: the payer's bank or e-wallet, when Duitku said
    tendered: int | None  # cash: what was handed over, and the change given
    change: int | None
    who: str = ""  # on a table bill: the share ("Bagian 2 · Budi")


@dataclass(frozen=True)
class Receipt:
    public_id: str  # of the order or the table bill: the receipt's own link
    number: str  # "A-042", or the table for a bill
    place: str  # "Meja 7", "Bungkus"
    name: str  # who ordered (an order), or who ate (a bill)
    items: list[OrderItem]
    note: str
    bill: Bill
    merchant_address: str
    merchant_tax_number: str
    paid_at: datetime
    payments: list[PaidBy]
    cashier: str  # the username of who took the money, or of the first staff member who handled it
    discounts: Sequence[OrderDiscount] = ()  # its orders' (of its lines and of the orders)
    refunds: Sequence[int] = ()  # the rupiah given back since (an order's refunds)


@dataclass(frozen=True)
class Row:
    """A label and its value as every receipt shows them (the page and a till's
    printer), money written as rupiah. `kind`: "total" (the grand total, larger) or
    "payer" (whose share of a table bill), else ""."""

    label: str
    value: str
    kind: str = ""


def fact_rows(receipt: Receipt) -> list[Row]:
    """Which order (or table), when it was paid, where and for whom."""
    rows = [
        Row(_("No."), receipt.number),
        Row(_("Waktu"), jakarta_datetime(receipt.paid_at)),
        Row(_("Tempat"), receipt.place),
    ]
    return [*rows, Row(_("Nama"), receipt.name)] if receipt.name else rows  # a counter sale may have none


class Sized(Protocol):
    """A discount's kind and value: a promotion's, a voucher's, one given or kept."""

    @property
    def kind(self) -> DiscountKind: ...

    @property
    def value(self) -> int: ...


class Labelled(Sized, Protocol):
    """A discount as given (discounts.given.Given) or as an order keeps it (OrderDiscount)."""

    source: DiscountSource
    label: str


def discount_label(discount: Labelled) -> str:
    """How a discount is shown: "Happy hour -20%", "Voucher HEMAT10 -Rp5.000"."""
    words = {
        DiscountSource.PROMOTION: discount.label,
        DiscountSource.VOUCHER: _("Voucher %(code)s", code=discount.label),
        DiscountSource.MANUAL: _("Diskon: %(reason)s", reason=discount.label),
    }[discount.source]
    return f"{words} -{discount_size(discount)}"


def discount_size(discount: Sized) -> str:
    """How much a discount (a promotion, a voucher, one given) takes off: "20%", "Rp5.000"."""
    return percent(discount.value) if discount.kind == DiscountKind.PERCENT else rupiah(discount.value)


def discount_rows(discounts: Iterable[OrderDiscount]) -> list[Row]:
    """Each discount and the rupiah it took off (shown under its line, or under the lines
    for an order's)."""
    return [Row(discount_label(discount), rupiah(-discount.amount)) for discount in discounts]


def order_discount_rows(receipt: Receipt) -> list[Row]:
    """The discounts off whole orders (a voucher's, staff's), under the lines."""
    return discount_rows(discount for discount in receipt.discounts if discount.order_item_id is None)


def sum_rows(bill: Bill) -> list[Row]:
    """The bill's figures, down to the total: a rate set to 0 shows no line; with a
    discount, what the lines came to before it, and the discount."""
    rows = [Row(_("Subtotal"), rupiah(bill.subtotal))]
    if bill.discount:
        rows[:0] = [Row(_("Harga menu"), rupiah(bill.before_discount)), Row(_("Diskon"), rupiah(-bill.discount))]
    if bill.service or bill.service_rate:
        rows.append(Row(_("Layanan %(rate)s", rate=percent(bill.service_rate)), rupiah(bill.service)))
    if bill.tax or bill.tax_rate:
        rows.append(Row(_("PB1 %(rate)s", rate=percent(bill.tax_rate)), rupiah(bill.tax)))
    if bill.rounding:
        rows.append(Row(_("Pembulatan"), rupiah(bill.rounding)))
    return [*rows, Row(_("TOTAL"), rupiah(bill.total), "total")]


def inclusive_note(bill: Bill) -> str:
    """Under the figures of a "nett" bill with service or tax in it, "" otherwise."""
    return (
        _("Harga sudah termasuk pajak dan layanan.")
        if bill.mode == PriceMode.INCLUSIVE and (bill.service or bill.tax)
        else ""
    )


def payment_rows(receipt: Receipt) -> list[Row]:
    """How it was paid (cash handed over and the change, or QRIS and the payer's bank or
    e-wallet; on a table bill, each share first), and the cashier."""
    rows = []
    for paid in receipt.payments:
        if paid.who:
            rows.append(Row(paid.who, rupiah(paid.amount), "payer"))
        if paid.by_cash:
            rows += [Row(_("Tunai"), rupiah(paid.tendered or paid.amount)), Row(_("Kembali"), rupiah(paid.change or 0))]
        else:
            rows.append(Row(_("QRIS"), paid.issuer or "-"))
    rows += [Row(_("Dikembalikan"), rupiah(-amount)) for amount in receipt.refunds]
    if receipt.cashier:
        rows.append(Row(_("Kasir"), receipt.cashier))
    return rows


def receipt_for(order: Order) -> Receipt | None:
    """The receipt of a paid order; None while it is unpaid (or was cancelled unpaid)."""
    payment = paid_payment(order.payments)
    if order.status not in PAID_STATUSES or payment is None:
        return None
    cash_change = next((c for c in order.history if c.reason == ChangeReason.CASH_PAID), None)
    cash = (cash_change.reason_params or {}) if cash_change else {}
    staff = ([cash_change.actor] if cash_change else []) + [change.actor for change in order.history]
    return make_receipt(
        public_id=order.public_id,
        number=order.number,
        place=_place(order),
        name=order.customer_name,
        items=list(order.items),
        note=order.note,
        bill=order_bill(order),
        paid_at=payment.paid_at or payment.updated_at,
        payments=[paid_by(payment, cash, "")],
        cashier=first_staff(staff),
        discounts=list(order.discounts),
        refunds=[refund.amount for refund in order.refunds],
    )


def _place(order: Order) -> str:
    """Where an order was eaten, as the order pages say it (the `order_place` macro)."""
    if order.is_takeaway:
        return _("Bungkus")
    return _("Meja %(table)s", table=order.table_label) if order.table_label else _("Makan di sini")


def make_receipt(**fields) -> Receipt:
    settings = current_settings()
    return Receipt(
        merchant_address=settings.merchant_address if settings else "",
        merchant_tax_number=settings.merchant_tax_number if settings else "",
        **fields,
    )


def paid_by(payment: Payment, cash: dict, who: str) -> PaidBy:
    return PaidBy(
        amount=payment.amount,
        by_cash=payment.provider == PaymentProvider.CASH,
        issuer=payment.payer_issuer_name or payment.payer_issuer_code,
        tendered=cash.get("tendered"),
        change=cash.get("change"),
        who=who,
    )


def paper_size(requested: str | None) -> str:
    return requested if requested in PAPERS else DEFAULT_PAPER


def paid_payment(payments: list[Payment]) -> Payment | None:
    return next((p for p in reversed(payments) if p.status == PaymentStatus.PAID), None)


def first_staff(actors: Iterable[str]) -> str:
    return next((staff_name(actor) for actor in actors if actor.startswith(STAFF_PREFIX)), "")
