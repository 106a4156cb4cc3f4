"""Checkout: who orders, where they eat, how they pay; then the order.

The page shows, for each order type it offers, the very figures the order is charged
(or put on the table's bill) with, and its button names the chosen type's total. The
form carries that total back: an order that would come to another figure (the type
was switched without JavaScript, a price or a setting changed meanwhile) is not
placed, and the page says the new total.
"""

import secrets

from flask import current_app, redirect, render_template, request, session, url_for

from ..billing.bill import Bill
from ..billing.settings import current_timing
from ..bills.table_bills import bill_being_paid
from ..discounts import vouchers
from ..extensions import limiter
from ..forms import required
from ..models import DiningTable, OrderType, PaymentMethod, PaymentTiming
from ..orders.cart import PricedCart, price_cart
from ..orders.placing import (
    BILL_BEING_PAID,
    VOUCHER_USED_UP,
    CheckoutError,
    CustomerDetails,
    checkout_figures,
    place_order,
)
from ..tables import registry as tables
from ..tables import visit
from . import bp
from .forms import CheckoutForm
from .views import current_cart, seat, try_qris


def pays_later(seated: DiningTable | None) -> bool:
    """Whether a dine-in order from this phone goes on its table's bill: the restaurant
    lets dine-in pay later, and only a phone seated at the table by its QR does."""
    return current_timing() == PaymentTiming.PAY_LATER and seated is not None


@bp.app_template_global()
def cart_figures(priced: PricedCart) -> Bill:
    """What the cart comes to as checkout first offers it:
    dine-in at the phone's table (on its bill, unrounded, when it pays later and the
    bill is not being paid), else takeaway."""
    seated = seat()
    if seated is None:
        return checkout_figures(priced, [OrderType.TAKEAWAY], None)[OrderType.TAKEAWAY]
    on_bill = seated if pays_later(seated) and not bill_being_paid(seated) else None
    return checkout_figures(priced, [OrderType.DINE_IN], on_bill)[OrderType.DINE_IN]


@bp.route("/checkout", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CHECKOUT"], methods=["POST"])
def checkout():
    cart = current_cart()
    priced = price_cart(cart)
    seated = seat()
    form = CheckoutForm()
    listed = tables.all_tables(active_only=True) if seated is None and tables.lists_tables() else None
    form.offer_places(seated, listed)
    pay_later = pays_later(seated)
    if seated is not None and pay_later and bill_being_paid(seated):
        form.pay_now.data = "1"

    def render(status: int, problems: list[str] | None = None):
        pays_later = pay_later and form.pay_now.data != "1"
        offered = form.offered
        chosen = next((kind for kind in offered if kind == form.order_type.data), offered[0])
        html = render_template(
            "shop/checkout.html",
            form=form,
            priced=priced,
            problems=problems or [],
            table=seated,
            pay_later=pays_later,
            list_pays_first=listed is not None and current_timing() == PaymentTiming.PAY_LATER,
            figures=checkout_figures(priced, offered, seated if pays_later else None),
            chosen=chosen,
            # The first field to fix takes the focus (and comes into view) on a phone.
            first_error=next((field.name for field in form if field.errors), None),
        )
        return html, status

    if request.method == "GET":
        form.checkout_token.data = secrets.token_urlsafe(24)
        return render(200)
    if "apply_voucher" in request.form:  # "Pakai": the figures with the voucher, nothing placed
        priced = with_voucher(form, priced)
        return render(422 if form.voucher.errors else 200)
    customer = _customer(form, seated, pay_later)
    priced = with_voucher(form, priced)
    if customer is None or form.voucher.errors:
        return render(422)
    try:
        order = place_order(priced, customer, form.checkout_token.data or None, expected_total=form.total_shown())
    except CheckoutError as exc:
        if exc.code == BILL_BEING_PAID:
            form.pay_now.data = "1"
        if exc.code == VOUCHER_USED_UP:
            form.voucher.errors = exc.messages
            return render(422)
        return render(422, exc.messages)
    cart.clear()
    visit.note_order(session, order)
    if order.payment_method == PaymentMethod.QRIS:
        try_qris(order)
    return redirect(url_for("shop.order_page", public_id=order.public_id), 303)


def with_voucher(form: CheckoutForm, priced: PricedCart) -> PricedCart:
    """The cart with the voucher typed, if any; a voucher refused says why on its field."""
    if not form.voucher.data or form.voucher.errors:
        return priced
    try:
        voucher = vouchers.offer(form.voucher.data, priced.spend)
    except vouchers.VoucherError as exc:
        form.voucher.errors = [str(exc)]
        return priced
    return priced.with_discounts({}, [voucher])


def _customer(form: CheckoutForm, seated: DiningTable | None, pay_later: bool) -> CustomerDetails | None:
    """Who orders, where and how they pay, from the checkout form; None when the form
    has errors (every field's error is set, the payment's too)."""
    valid = form.validate()
    method = form.payment_for(pay_later)
    place = form.place(seated) if valid and method is not None else None
    if method is None or place is None:
        return None
    order_type, table = place
    return CustomerDetails(
        name=required(form.customer_name.data),
        note=form.note.data or "",
        payment_method=method,
        order_type=order_type,
        table=table,
        seated=table is not None and table is seated,
    )
