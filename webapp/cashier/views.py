from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..formatting import rupiah
from ..models import MenuItem, Order, OrderStatus
from ..orders.menu import menu_categories
from ..orders.views import is_htmx
from ..payments import service
from . import bp
from .board import COLUMNS, NEXT_STEP, board_version, load_board, qris_state
from .forms import CancelForm, CashForm

BOARD_POLL_SECONDS = 4
QUICK_NOTES = (10_000, 20_000, 50_000, 100_000)


def actor() -> str:
    return f"cashier:{current_user.username}"


def find_order(public_id: str) -> Order:
    return db.one_or_404(
        select(Order)
        .where(Order.public_id == public_id)
        .options(selectinload(Order.items), selectinload(Order.payments), selectinload(Order.history))
    )


def render_board(message: str | None = None, error: str | None = None, status: int = 200):
    board = load_board(clock.now())
    context = dict(board=board, columns=COLUMNS, next_step=NEXT_STEP, qris_state=qris_state,
                   poll_seconds=BOARD_POLL_SECONDS, message=message, error=error)
    template = "cashier/_board.html" if is_htmx() else "cashier/board.html"
    return render_template(template, **context), status


@bp.get("")
def board():
    return render_board()


@bp.get("/board")
def board_fragment():
    """Polled by the board page: 204 while nothing on it changed."""
    if is_htmx() and request.args.get("seen") == board_version(clock.now()):
        return "", 204
    return render_board()


def acted(order: Order, message: str | None = None, error: str | None = None, back: str = "board"):
    """Answer an action: the board for htmx, else a redirect with a flashed message."""
    if is_htmx() and back == "board":
        return render_board(message, error, 409 if error else 200)
    flash(error or message, "error" if error else "info")
    if back == "order":
        return redirect(url_for("cashier.order_detail", public_id=order.public_id), 303)
    return redirect(url_for("cashier.board"), 303)


@bp.post("/orders/<public_id>/advance")
def advance(public_id):
    order = find_order(public_id)
    try:
        to = OrderStatus(request.form.get("to", ""))
    except ValueError:
        return acted(order, error=_("Status tujuan tidak dikenal."), back=request.form.get("back", "board"))
    try:
        service.advance_order(order, to, actor())
    except service.IllegalTransition as exc:
        return acted(order, error=str(exc), back=request.form.get("back", "board"))
    return acted(order, _("%(number)s: %(status)s.", number=order.number, status=to.label),
                 back=request.form.get("back", "board"))


@bp.get("/orders/<public_id>")
def order_detail(public_id):
    order = find_order(public_id)
    return render_detail(order, CashForm(formdata=None), CancelForm(formdata=None))


def render_detail(order: Order, cash_form: CashForm, cancel_form: CancelForm, status: int = 200):
    quick = sorted({order.total, *[note for note in QUICK_NOTES if note > order.total]})
    events = [event for payment in order.payments for event in payment.events]
    return render_template(
        "cashier/order.html", order=order, cash_form=cash_form, cancel_form=cancel_form,
        quick_amounts=quick, next_step=NEXT_STEP.get(order.status), qris_state=qris_state,
        events=sorted(events, key=lambda e: e.id),
    ), status


@bp.post("/orders/<public_id>/cash")
def confirm_cash(public_id):
    order = find_order(public_id)
    form = CashForm()
    if form.validate() and form.amount() is None:
        form.tendered.errors.append(_("Tulis uang yang diterima, atau pilih tombol cepat."))
    elif form.validate():
        try:
            service.confirm_cash(order, form.amount(), actor())
        except service.IllegalTransition as exc:
            form.tendered.errors.append(str(exc))
        else:
            change = form.amount() - order.total
            flash(_("%(number)s lunas. Kembalian: %(change)s", number=order.number, change=rupiah(change)), "success")
            return redirect(url_for("cashier.order_detail", public_id=public_id), 303)
    return render_detail(order, form, CancelForm(formdata=None), 422)


@bp.post("/orders/<public_id>/cancel")
def cancel(public_id):
    order = find_order(public_id)
    form = CancelForm()
    if form.validate():
        try:
            service.cancel_order(order, actor(), form.reason.data)
        except service.IllegalTransition as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(_("%(number)s dibatalkan.", number=order.number), "info")
            return redirect(url_for("cashier.order_detail", public_id=public_id), 303)
    return render_detail(order, CashForm(formdata=None), form, 422)


@bp.post("/orders/<public_id>/switch-to-cash")
def switch_to_cash(public_id):
    order = find_order(public_id)
    if service.switch_to_cash(order, actor()):
        return acted(order, _("%(number)s diubah ke tunai.", number=order.number), back="order")
    return acted(order, error=_("%(number)s tidak bisa diubah ke tunai.", number=order.number), back="order")


@bp.post("/orders/<public_id>/resolve")
def resolve(public_id):
    order = find_order(public_id)
    service.resolve_attention(order, actor())
    return acted(order, _("%(number)s: tanda perlu dicek dihapus.", number=order.number),
                 back=request.form.get("back", "order"))


@bp.get("/menu")
def menu():
    return render_template("cashier/menu.html", categories=menu_categories())


@bp.post("/menu/<int:item_id>/availability")
def set_availability(item_id):
    """The button says which state it sets, so a double click or two cashiers agree."""
    item = db.get_or_404(MenuItem, item_id)
    item.available = request.form.get("available") == "1"
    db.session.commit()
    flash(_("%(name)s: tersedia.", name=item.name) if item.available else _("%(name)s: habis.", name=item.name),
          "info")
    return redirect(url_for("cashier.menu"), 303)
