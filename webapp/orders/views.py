"""Customer routes. They parse and validate, call the cart and order functions, render.

Cart changes answer htmx requests with the cart panel (and an out-of-band cart badge);
without JavaScript the same forms post normally and are redirected back.
"""
import secrets

from flask import Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..extensions import db, limiter
from ..models import MenuItem, Order, Payment, PaymentMethod
from ..payments import qr, service
from . import bp
from .cart import Cart, CartError, price_cart
from .forms import AddToCartForm, CheckoutForm, LineNoteForm
from .menu import menu_list_html
from .live import live_view, poll_facts
from .placing import CheckoutError, CustomerDetails, place_order

HTMX_STOP_POLLING = 286  # htmx stops a polling trigger on this status
QR_CACHE_SECONDS = 600


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def current_cart() -> Cart:
    return Cart(session)


def find_order(public_id: str) -> Order:
    return db.one_or_404(select(Order).where(Order.public_id == public_id))


def render_menu(error: str | None = None, status: int = 200):
    return (
        render_template(
            "orders/menu.html",
            menu_list=menu_list_html(clock.now()),
            priced=price_cart(current_cart()),
            error=error,
        ),
        status,
    )


def render_cart_page(error: str | None = None, status: int = 200):
    return (
        render_template(
            "orders/cart.html",
            priced=price_cart(current_cart()),
            error=error,
        ),
        status,
    )


def cart_changed(error: str | None = None):
    """The answer to any cart form: a panel for htmx, else the page it came from."""
    status = 422 if error else 200
    if is_htmx():
        html = render_template(
            "orders/_cart_update.html",
            priced=price_cart(current_cart()),
            error=error,
            back=request.form.get("back", "menu"),
        )
        return html, status
    from_cart_page = request.form.get("back") == "cart"
    if error:
        return render_cart_page(error, status) if from_cart_page else render_menu(error, status)
    return redirect(url_for("orders.cart_page" if from_cart_page else "orders.menu"), 303)


def first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("Permintaan tidak valid.")


@bp.get("/")
def menu():
    return render_menu()


@bp.get("/cart")
def cart_page():
    return render_cart_page()


@bp.post("/cart/add")
def cart_add():
    form = AddToCartForm()
    if not form.validate():
        return cart_changed(first_error(form))
    item = db.session.get(MenuItem, form.item_id.data)
    if item is None:
        return cart_changed(_("Menu itu tidak ditemukan."))
    if not item.available:
        return cart_changed(_("Maaf, %(name)s sedang habis.", name=item.name))
    try:
        current_cart().add(item.id, form.quantity.data, form.note.data)
    except CartError as exc:
        return cart_changed(str(exc))
    return cart_changed()


def _change_line(change):
    try:
        change(current_cart())
    except CartError as exc:
        return cart_changed(str(exc))
    return cart_changed()


@bp.post("/cart/lines/<line_id>/increase")
def cart_increase(line_id):
    return _change_line(lambda cart: cart.step(line_id, +1))


@bp.post("/cart/lines/<line_id>/decrease")
def cart_decrease(line_id):
    return _change_line(lambda cart: cart.step(line_id, -1))


@bp.post("/cart/lines/<line_id>/remove")
def cart_remove(line_id):
    return _change_line(lambda cart: cart.remove(line_id))


@bp.post("/cart/lines/<line_id>/note")
def cart_note(line_id):
    form = LineNoteForm()
    if not form.validate():
        return cart_changed(first_error(form))
    try:
        current_cart().set_note(line_id, form.note.data)
    except CartError as exc:
        return cart_changed(str(exc))
    return cart_changed()


@bp.route("/checkout", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CHECKOUT"], methods=["POST"])
def checkout():
    cart = current_cart()
    priced = price_cart(cart)
    form = CheckoutForm()
    problems: list[str] = []
    status = 200
    if request.method == "GET":
        form.checkout_token.data = secrets.token_urlsafe(24)
    elif form.validate():
        customer = CustomerDetails(
            name=form.customer_name.data,
            table_label=form.table_label.data or "",
            note=form.note.data or "",
            payment_method=PaymentMethod(form.payment_method.data),
        )
        try:
            order = place_order(priced, customer, form.checkout_token.data or None)
        except CheckoutError as exc:
            problems, status = exc.messages, 422
        else:
            cart.clear()
            if order.payment_method == PaymentMethod.QRIS.value:
                _try_qris(order)
            return redirect(url_for("orders.order_page", public_id=order.public_id), 303)
    else:
        status = 422
    return render_template("orders/checkout.html", form=form, priced=priced, problems=problems), status


def _try_qris(order: Order) -> None:
    """Ask for the QR now; if Duitku is down the order page offers retry and cash."""
    try:
        service.create_qris_payment(order)
    except service.QrisUnavailable:
        pass  # recorded on the payment; the page says QRIS is unavailable
    except service.PaymentNotAllowed:
        pass  # paid, cancelled or switched to cash meanwhile: the page shows which


@bp.get("/orders/<public_id>")
def order_page(public_id):
    order = find_order(public_id)
    now = clock.now()
    service.refresh(order.current_payment, now)
    return render_template("orders/order.html", order=order, live=live_view(order, now))


@bp.get("/orders/<public_id>/status")
def order_status(public_id):
    """The polled fragment: 204 while nothing changed since `seen`, the new state when
    it did, and (to htmx) status 286 without a trigger once the order is final."""
    now = clock.now()
    seen = request.args.get("seen")
    if is_htmx() and seen:  # the frequent case: one small query, nothing rendered
        facts = poll_facts(public_id, now)
        if facts is None:
            abort(404)
        if not facts.is_final and not facts.refresh_due(now) and facts.version(now) == seen:
            return "", 204
    order = find_order(public_id)
    service.refresh(order.current_payment, now)
    live = live_view(order, now)
    final = order.status_enum.is_final
    if is_htmx() and not final and seen == live.version:
        return "", 204
    html = render_template("orders/_status.html", order=order, live=live)
    return html, HTMX_STOP_POLLING if final and is_htmx() else 200


@bp.post("/orders/<public_id>/qris")
def new_qr(public_id):
    """A new QR after expiry, or a retry after Duitku was unavailable."""
    _try_qris(find_order(public_id))
    return redirect(url_for("orders.order_page", public_id=public_id), 303)


@bp.post("/orders/<public_id>/cash")
def pay_cash_instead(public_id):
    service.switch_to_cash(find_order(public_id))
    return redirect(url_for("orders.order_page", public_id=public_id), 303)


@bp.post("/orders/<public_id>/cancel")
def cancel_order(public_id):
    order = find_order(public_id)
    try:
        service.cancel_order(order, "customer")
    except service.IllegalTransition:
        pass  # already paid or cancelled meanwhile: the page shows which
    return redirect(url_for("orders.order_page", public_id=public_id), 303)


@bp.get("/payments/<public_id>/qr.<any(png, svg):kind>")
def payment_qr(public_id, kind):
    """The payment's QR as an image, at an unguessable URL (no login needed)."""
    payment = db.one_or_404(select(Payment).where(Payment.public_id == public_id))
    if not payment.qr_string:
        abort(404)
    if kind == "png":
        response = Response(qr.png(payment.qr_string), mimetype="image/png")
    else:
        response = Response(qr.svg(payment.qr_string), mimetype="image/svg+xml")
    response.cache_control.private = True
    response.cache_control.max_age = QR_CACHE_SECONDS
    return response
