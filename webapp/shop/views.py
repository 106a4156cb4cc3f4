"""Customer routes. They parse and validate, call the cart and order functions, render.

Cart changes answer htmx requests with the cart panel (and an out-of-band cart badge);
without JavaScript the same forms post normally and are redirected back.
"""

from collections.abc import Callable
from contextlib import suppress

from flask import Response, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..billing.receipts import receipt_for
from ..bills.table_bills import open_bill_of
from ..discounts.promotions import offers_now
from ..extensions import db, limiter, never_rate_limited, qris_limited
from ..forms import required
from ..htmx import HTMX_STOP_POLLING, is_htmx
from ..line_forms import AddLineForm, ChoiceForm, choice_context, read_choice
from ..menu.listing import localized, menu_list_html
from ..menu.options import GENERAL, ChoiceError, choose, default_choice
from ..models import DiningTable, MenuItem, Order, Payment
from ..orders import lifecycle
from ..orders.cart import Cart, CartError, price_cart
from ..orders.tracking import PollFacts, live_view, poll_facts
from ..payments import qr, qris_payments, reconcile
from ..receipt_page import render_receipt
from ..state import IllegalTransition
from ..tables import registry as tables
from ..tables import visit
from . import bp

QR_CACHE_SECONDS = 365 * 24 * 3600  # a payment's QR image never changes


def current_cart() -> Cart:
    return Cart(session)


def find_order(public_id: str) -> Order:
    return db.one_or_404(select(Order).where(Order.public_id == public_id))


def seat() -> DiningTable | None:
    """The table this phone is seated at (webapp/tables/visit.py), read once a request."""
    if "seat" not in g:
        g.seat = visit.remembered(session, clock.now())
    return g.seat


def render_menu(error: str | None = None, status: int = 200):
    table = seat()
    return (
        render_template(
            "shop/menu.html",
            menu_list=menu_list_html(clock.now(), offers_now()),
            priced=price_cart(current_cart()),
            error=error,
            table=table,
            table_bill=open_bill_of(table.id) if table is not None else None,
        ),
        status,
    )


def render_cart_page(error: str | None = None, status: int = 200):
    return (
        render_template(
            "shop/cart.html",
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
            "shop/_cart_update.html",
            priced=price_cart(current_cart()),
            error=error,
            back=request.form.get("back", "menu"),
        )
        return html, status
    from_cart_page = request.form.get("back") == "cart"
    if error:
        return render_cart_page(error, status) if from_cart_page else render_menu(error, status)
    return redirect(url_for("shop.cart_page" if from_cart_page else "shop.menu"), 303)


def first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("Permintaan tidak valid.")


@bp.get("/")
def menu():
    return render_menu()


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico by themselves; pages also link the SVG icon."""
    return current_app.send_static_file("favicon.ico")


@bp.get("/cart")
def cart_page():
    return render_cart_page()


def _typed_notes(cart: Cart) -> dict[str, str]:
    """The notes as they stand in the cart form (`note-<line id>`), for the lines in the cart."""
    fields = ((line.line_id, request.form.get(f"note-{line.line_id}")) for line in cart.lines)
    return {line_id: note for line_id, note in fields if note is not None}


def apply_to_cart(change: Callable[[Cart], None] | None = None) -> str | None:
    """Save the notes typed in the cart, then make `change`; the error to show, if any.

    Every cart button (and, with htmx, every add button) sends the cart's notes as
    typed, so a note is never lost for want of pressing Simpan."""
    cart = current_cart()
    try:
        cart.set_notes(_typed_notes(cart))
        if change is not None:
            change(cart)
    except CartError as exc:
        return str(exc)
    return None


@bp.post("/cart/add")
def cart_add():
    form = AddLineForm()

    def add(cart: Cart) -> None:
        if not form.validate():
            raise CartError(first_error(form))
        item = db.session.get(MenuItem, form.item_id.data)
        if item is None:
            raise CartError(_("Menu itu tidak ditemukan."))
        if not item.available:
            raise CartError(_("Maaf, %(name)s sedang habis.", name=localized(item)))
        try:
            choose(item, [])
        except ChoiceError as exc:  # an item with required options is added from its choice panel
            raise CartError(_("Pilih dulu pilihan untuk %(name)s.", name=localized(item))) from exc
        cart.add(item.id, required(form.quantity.data), form.note.data or "")

    return cart_changed(apply_to_cart(add))


def _available_item(item_id: int) -> MenuItem:
    item = db.get_or_404(MenuItem, item_id)
    if not item.available:
        abort(404)
    return item


def render_choice(item: MenuItem, form: ChoiceForm, chosen: set[int], errors: dict[int, str], status: int = 200):
    """The item's choice panel (to htmx) or page, priced by the server from `chosen`."""
    context = choice_context(item, form, chosen, errors)
    if is_htmx():
        return render_template("shop/_choice_panel.html", **context), status
    return render_template("shop/choice.html", priced=price_cart(current_cart()), **context), status


@bp.get("/menu/item/<int:item_id>")
def choice_page(item_id):
    """An item's options to choose from: a panel for htmx, a page without JavaScript."""
    item = _available_item(item_id)
    return render_choice(item, ChoiceForm(formdata=None), default_choice(item), {})


@bp.post("/menu/item/<int:item_id>")
def choose_and_add(item_id):
    """Add the item with the chosen options, checked here rule by rule."""
    item = _available_item(item_id)
    posted = read_choice(item)
    if posted.choice is None:
        return render_choice(item, posted.form, posted.chosen, posted.errors, 422)
    form = posted.form
    error = apply_to_cart(
        lambda cart: cart.add(item.id, required(form.quantity.data), form.note.data or "", posted.options)
    )
    if error:
        return render_choice(item, form, posted.chosen, {GENERAL: error}, 422)
    if is_htmx():
        html = render_template("shop/_choice_added.html", item=item, priced=price_cart(current_cart()), back="menu")
        return html, 200, {"HX-Retarget": "#cart", "HX-Reswap": "outerHTML"}
    return redirect(url_for("shop.menu"), 303)


@bp.post("/cart/lines/<line_id>/increase")
def cart_increase(line_id):
    return cart_changed(apply_to_cart(lambda cart: cart.step(line_id, +1)))


@bp.post("/cart/lines/<line_id>/decrease")
def cart_decrease(line_id):
    return cart_changed(apply_to_cart(lambda cart: cart.step(line_id, -1)))


@bp.post("/cart/lines/<line_id>/remove")
def cart_remove(line_id):
    return cart_changed(apply_to_cart(lambda cart: cart.remove(line_id)))


@bp.post("/cart/notes")
def cart_notes():
    """Simpan (and Enter in a note) saves the notes; the button on to checkout too."""
    error = apply_to_cart()
    if error or "checkout" not in request.form:
        return cart_changed(error)
    if is_htmx():  # a full page load, not a swap
        return "", 200, {"HX-Redirect": url_for("shop.checkout")}
    return redirect(url_for("shop.checkout"), 303)


@bp.get("/t/<token>")
def table_link(token):
    """A table's QR: remember the table, then the menu. An old, unknown or switched-off
    table's code gets a page that says what to do instead."""
    found = tables.lookup(token)
    if found.scan == tables.Scan.TABLE and found.table is not None:
        visit.remember(session, found.table, clock.now())
        return redirect(url_for("shop.menu"), 303)
    status = 404 if found.scan == tables.Scan.UNKNOWN else 410
    return render_template("shop/table_link.html", scan=found.scan.value, table=found.table), status


def try_qris(order: Order) -> None:
    """Ask for the QR now; if Duitku is down the order page offers retry and cash."""
    try:
        qris_payments.create_qris_payment(order)
    except qris_payments.QrisUnavailable:
        pass  # recorded on the payment; the page says QRIS is unavailable
    except qris_payments.PaymentNotAllowed:
        pass  # paid, cancelled or switched to cash meanwhile: the page shows which


@bp.get("/orders/<public_id>")
def order_page(public_id):
    order = find_order(public_id)
    now = clock.now()
    reconcile.reconcile_if_due(order.current_payment, now)
    return render_template("shop/order.html", order=order, live=live_view(order, now))


@bp.get("/orders/<public_id>/status")
@never_rate_limited
def order_status(public_id):
    """The polled fragment: 204 while nothing changed since `seen`, the new state when
    it did, and (to htmx) status 286 without a trigger once the order is final."""
    now = clock.now()
    seen = request.args.get("seen")
    if is_htmx() and seen:  # the frequent case: one small query, nothing rendered
        facts = poll_facts(public_id, now)
        if facts is None:
            abort(404)
        if not facts.is_final and not facts.reconcile_due(now) and facts.version(now) == seen:
            return "", 204
    order = find_order(public_id)
    reconcile.reconcile_if_due(order.current_payment, now)
    final = order.status.is_final
    if is_htmx() and not final and seen == PollFacts.of(order).version(now):
        return "", 204  # the status check found nothing new: no QR drawn for it
    html = render_template("shop/_status.html", order=order, live=live_view(order, now))
    return html, HTMX_STOP_POLLING if final and is_htmx() else 200


@bp.post("/orders/<public_id>/qris")
@qris_limited
def new_qr(public_id):
    """A new QR after expiry, or a retry after Duitku was unavailable."""
    try_qris(find_order(public_id))
    return redirect(url_for("shop.order_page", public_id=public_id), 303)


@bp.post("/orders/<public_id>/cash")
def pay_cash_instead(public_id):
    lifecycle.switch_to_cash(find_order(public_id))
    return redirect(url_for("shop.order_page", public_id=public_id), 303)


@bp.post("/orders/<public_id>/cancel")
def cancel_order(public_id):
    order = find_order(public_id)
    with suppress(IllegalTransition):  # already paid or cancelled meanwhile: the page shows which
        lifecycle.cancel_order(order, "customer")
    return redirect(url_for("shop.order_page", public_id=public_id), 303)


@bp.get("/payments/<public_id>/qr.<any(png, svg):kind>")
@limiter.limit(lambda: current_app.config["RATELIMIT_QR_IMAGE"])
def payment_qr(public_id, kind):
    """The payment's QR as an image, at an unguessable URL (no login needed). What a
    URL shows never changes, so browsers keep it; the server keeps it while it can be paid."""
    payment = db.one_or_404(select(Payment).where(Payment.public_id == public_id))
    if not payment.qr_string:
        abort(404)
    now = clock.now()
    payable = qris_payments.is_payable(payment.provider, payment.status, True, payment.expires_at, now)
    image = qr.image(payment.qr_string, kind, keep_until=payment.expires_at if payable else None, now=now)
    response = Response(image.data, mimetype=image.mimetype)
    response.set_etag(image.etag)
    response.cache_control.private = True
    response.cache_control.max_age = QR_CACHE_SECONDS
    response.cache_control.immutable = True
    return response.make_conditional(request)


@bp.get("/orders/<public_id>/receipt")
def receipt(public_id):
    """The customer's receipt of a paid order (the order's unguessable id is the key)."""
    return render_receipt(
        receipt_for(find_order(public_id)),
        url_for("shop.order_page", public_id=public_id),
        "shop.receipt",
        _("Kembali ke pesanan"),
    )
