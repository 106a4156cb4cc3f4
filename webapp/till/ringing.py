"""Ringing up at a till: changing its draft, then placing it as an order and charging it.

The draft lives on the till's row (`models.Till`): its lines in the cart's shape, kept
by the customer's own `orders.cart.Cart` with the cart's rules (a line per item, options
and note; quantities 1 to 99; notes of 80 characters), and where the order is eaten and
for whom (`Place`). Every change is one transaction that reads the row and writes it
back with a conditional UPDATE on its version (`... WHERE id = :id AND version =
:read`), raising the version: the till's customer display compares versions to know
that something changed. When two cashiers change one till at once, the one whose UPDATE
matches no row (the other wrote first) reads the row again and makes its change on top
of the other's, so no line is ever lost.

Placing goes the way a customer's order goes (`orders.placing.place_order`: prices from
the menu, figures from billing/bill.py, kitchen tickets when paid or at once on a
table's bill), naming the staff member and the till. It claims the draft with the same
conditional UPDATE, in the transaction that stores the order: a draft becomes one order
or none. The form carries the version it showed, which names the order (its checkout
token), so a double tap finds the order the first tap placed; and the total it showed,
so an order that would now come to another figure is not placed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import clock
from ..billing.bill import Bill
from ..billing.settings import current_timing
from ..bills.table_bills import bill_being_paid
from ..extensions import db
from ..formatting import rupiah
from ..models import DiningTable, Order, OrderStatus, OrderType, PaymentMethod, PaymentTiming, Till
from ..orders.cart import Cart, CartError, PricedCart
from ..orders.paying import confirm_cash
from ..orders.placing import CheckoutError, CustomerDetails, checkout_figures, order_for_token, place_order
from ..payments import qris_payments
from ..state import rows_matched
from ..tables.registry import active_table
from .draft_pricing import VOUCHER, priced_draft

MAX_ATTEMPTS = 5  # changes of one till that lose the race in a row before giving up
# Lines untouched this long were left by someone (`Draft.left_since`).
LEFT_OVER = timedelta(minutes=10)


class TillError(ValueError):
    """A refused change or order; `field` names the form field it concerns (None: the
    whole order)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Place:
    """Where the order is eaten and for whom: takeaway, or at a table (by id)."""

    order_type: OrderType = OrderType.TAKEAWAY
    table_id: int | None = None
    customer_name: str = ""


@dataclass(frozen=True)
class Draft:
    """The till's draft as read in this transaction."""

    version: int
    store: dict  # {"cart": [lines]}: what `Cart` works on (a copy of the stored JSON)
    place: Place
    changed_at: datetime  # when the till's draft was last written

    @property
    def cart(self) -> Cart:
        return Cart(self.store)

    @property
    def lines(self) -> list[dict]:
        return self.store.get("cart") or []

    def left_since(self, now: datetime) -> datetime | None:
        """When its lines were last changed, if that was LEFT_OVER ago or more: someone
        left them, and the till says since when, so a cashier who comes to it does not
        charge them to the next customer unseen."""
        return self.changed_at if self.lines and now - self.changed_at >= LEFT_OVER else None


def read_draft(till: Till) -> Draft:
    """The till's draft as the database holds it now (not as the session remembers it)."""
    row = db.session.execute(
        select(Till.draft, Till.version, Till.order_type, Till.table_id, Till.customer_name, Till.updated_at).where(
            Till.id == till.id
        )
    ).one()
    place = Place(OrderType(row.order_type), row.table_id, row.customer_name)
    return Draft(row.version, copy.deepcopy(row.draft) or {}, place, row.updated_at)


def _write(till: Till, seen: int, store: dict, place: Place, now: datetime) -> bool:
    """Store the draft (its lines, and what they get off: till/draft_pricing.py; nothing
    once it has no line) if the till is still at version `seen`, raising its version."""
    return (
        rows_matched(
            update(Till)
            .where(Till.id == till.id, Till.version == seen)
            .values(
                draft=store if store.get("cart") else None,
                version=Till.version + 1,
                order_type=place.order_type,
                table_id=place.table_id,
                customer_name=place.customer_name,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        == 1
    )


def change(
    till: Till, edit: Callable[[Cart], None] | None = None, place: Place | None = None, now: datetime | None = None
) -> None:
    """Make `edit` to the till's lines (CartError when the cart's rules refuse it) and
    set `place`, in one transaction; nothing is written when nothing changes."""
    now = now or clock.now()
    for _attempt in range(MAX_ATTEMPTS):
        draft = read_draft(till)
        before = copy.deepcopy(draft.store)
        try:
            if edit is not None:
                edit(draft.cart)
        except CartError:
            db.session.rollback()
            raise
        wanted = place or draft.place
        if draft.store == before and wanted == draft.place:
            db.session.rollback()
            return
        if _write(till, draft.version, draft.store, wanted, now):
            db.session.commit()
            return
        db.session.rollback()  # another device changed the till first: again, on top of its change
    raise TillError(_("Kasir ini sedang diubah dari perangkat lain: coba lagi."))


def pays_later_at(place: Place) -> DiningTable | None:
    """The table whose bill an order of `place` may go on (pay later): the restaurant lets
    dine-in pay later, a table is chosen, and its bill is not being paid."""
    if current_timing() != PaymentTiming.PAY_LATER or place.order_type != OrderType.DINE_IN:
        return None
    table = active_table(place.table_id)
    return table if table is not None and not bill_being_paid(table) else None


def figures(priced: PricedCart, place: Place, on_bill: DiningTable | None = None) -> Bill:
    """What an order of the `priced` lines is charged: paid now under today's
    rules, rounded; or on `on_bill`'s bill (pay later) under the bill's rules, unrounded
    (the bill is rounded once, as a whole). The very figures `place_order` uses."""
    return checkout_figures(priced, [place.order_type], on_bill)[place.order_type]


@dataclass(frozen=True)
class Sale:
    """What the staff member pressed: how it is paid, and the till's version and the
    total the page showed."""

    method: PaymentMethod
    version: int
    shown_total: int | None
    staff: str  # their username

    def token(self, till: Till) -> str:
        """The order's checkout token: one order per version of the till's draft."""
        return f"till-{till.public_id}-{self.version}"


def _customer(place: Place, method: PaymentMethod) -> CustomerDetails:
    """Who the order is for and how it is paid, or TillError naming the field at fault."""
    if place.order_type == OrderType.TAKEAWAY:
        if method == PaymentMethod.BILL:
            raise TillError(_("Pesanan bungkus dibayar sekarang: pilih tunai atau QRIS."), "order_type")
        return CustomerDetails(place.customer_name, "", method, OrderType.TAKEAWAY)
    table = active_table(place.table_id)
    if table is None:
        raise TillError(_("Pilih meja, atau pilih bungkus."), "table_id")
    if method == PaymentMethod.BILL and current_timing() != PaymentTiming.PAY_LATER:
        raise TillError(_("Bayar nanti tidak dipakai di sini: pesanan dibayar sekarang."), "table_id")
    if method == PaymentMethod.BILL and bill_being_paid(table):
        raise TillError(
            _("Tagihan Meja %(table)s sedang dibayar: pesanan ini dibayar sekarang.", table=table.label), "table_id"
        )
    on_bill = method == PaymentMethod.BILL  # staff may put an order on a table's bill
    return CustomerDetails(place.customer_name, "", method, OrderType.DINE_IN, table, seated=on_bill)


def place_draft(
    till: Till,
    sale: Sale,
    notes: Mapping[str, str] | None = None,
    place: Place | None = None,
    now: datetime | None = None,
) -> Order:
    """Place the till's draft (with `notes` and `place` as typed on the page, if sent) as
    an order and empty the draft, in one transaction. The order the same form placed
    already, if any, is returned as it is."""
    if (existing := order_for_token(sale.token(till))) is not None:
        return existing
    now = now or clock.now()
    draft = read_draft(till)
    try:
        draft.cart.set_notes(notes or {})
    except CartError as exc:
        db.session.rollback()
        raise TillError(str(exc), "notes") from exc
    place = place or draft.place
    pricing = priced_draft(draft.store)
    if pricing.voucher_error is not None:
        db.session.rollback()
        raise TillError(pricing.voucher_error, VOUCHER)
    priced = pricing.priced
    try:
        customer = _customer(place, sale.method)
    except TillError:
        db.session.rollback()
        raise
    total = figures(priced, place, customer.table if sale.method == PaymentMethod.BILL else None).total
    if sale.shown_total is not None and not priced.problems and priced.lines and total != sale.shown_total:
        db.session.rollback()
        raise TillError(_("Total pesanan ini sekarang %(total)s: periksa, lalu tekan lagi.", total=rupiah(total)))
    if not _write(till, draft.version, {}, Place(place.order_type), now):
        db.session.rollback()
        raise TillError(_("Pesanan di kasir ini baru saja diubah dari perangkat lain: periksa, lalu tekan lagi."))
    try:
        return place_order(
            priced, customer, sale.token(till), now, sale.shown_total, taken_by=sale.staff, till_id=till.id
        )
    except CheckoutError as exc:
        db.session.rollback()  # the draft stays as it was
        raise TillError(" ".join(exc.messages)) from exc


def charge_cash(
    till: Till,
    sale: Sale,
    tendered: int,
    notes: Mapping[str, str] | None = None,
    place: Place | None = None,
    now: datetime | None = None,
) -> Order:
    """ "Bayar tunai": place the draft and take `tendered` rupiah for it at once (the
    cash payment names the staff member; the change is what the page shows)."""
    order = place_draft(till, sale, notes, place, now)
    if order.status == OrderStatus.AWAITING_PAYMENT:  # not a double tap of an order paid already
        confirm_cash(order, tendered, f"cashier:{sale.staff}", now)
    return order


def ask_for_qr(order: Order) -> None:
    """Ask Duitku for the order's QR now; if it is down, the till offers to try again
    (the failed attempt is recorded on the payment), or cash. Duitku needs a payer's
    name: the order's number stands in for a customer who gave none."""
    # Unavailable, or paid or switched to cash meanwhile: the till shows which.
    with suppress(qris_payments.QrisUnavailable, qris_payments.PaymentNotAllowed):
        qris_payments.create_qris_payment(
            order, payer=qris_payments.Payer(order.customer_name or order.number), actor=f"cashier:{order.taken_by}"
        )


def charge_qris(
    till: Till,
    sale: Sale,
    notes: Mapping[str, str] | None = None,
    place: Place | None = None,
    now: datetime | None = None,
) -> Order:
    """Place the draft to be paid by QRIS and ask for its QR."""
    order = place_draft(till, sale, notes, place, now)
    if order.status == OrderStatus.AWAITING_PAYMENT and not order.payments:
        ask_for_qr(order)
    return order
