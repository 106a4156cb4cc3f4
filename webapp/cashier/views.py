from collections.abc import Iterable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock, labels
from ..access import actor
from ..bills import bill_closing
from ..discount_forms import order_discount_form
from ..extensions import db, never_rate_limited
from ..forms import required
from ..htmx import is_htmx
from ..kitchen import steps
from ..live import streams
from ..menu.listing import menu_categories
from ..models import (
    DiningTable,
    EventKind,
    MenuItem,
    Option,
    OptionGroup,
    Order,
    OrderStatus,
    OrderType,
    Payment,
    PaymentMethod,
)
from ..orders import lifecycle, paying
from ..orders.lifecycle import KITCHEN_STEPS
from ..orders.state import refusal
from ..orders.voiding import voids_of
from ..shifts.drawer import NoOpenShift
from ..staff.permissions import Permission, requires
from ..state import IllegalTransition
from ..tables.registry import all_tables
from ..till.printing import receipt_print
from ..void_forms import order_void_form
from . import board_push, bp, live_board
from .forms import CancelForm, CashForm, MoveOrderForm
from .live_board import COLUMNS, qris_state
from .refund_forms import refund_forms

BOARD_POLL_SECONDS = 4
QUICK_NOTES = (10_000, 20_000, 50_000, 100_000)


@bp.context_processor
def helpers() -> dict:
    """For the cashier's templates: stored codes as words, the board's small rules."""
    return {
        "labels": labels,
        "qris_state": qris_state,
        "minutes_waiting": live_board.minutes_waiting,
        "quick_amounts": quick_amounts,
        "receipt_print": receipt_print,
    }


def find_order(public_id: str) -> Order:
    return db.one_or_404(
        select(Order)
        .where(Order.public_id == public_id)
        .options(selectinload(Order.items), selectinload(Order.payments), selectinload(Order.history))
    )


@bp.get("")
@requires(Permission.BOARD)
def board():
    now = clock.now()
    only = live_board.BoardFilter.from_values(request.args)
    state = live_board.board_state(now, only)
    return render_template(
        "cashier/board.html",
        only=only,
        order_types=list(OrderType),
        tables=all_tables(),
        state=state,
        orders=live_board.load_orders(now, live_board.every_card(state)),
        now=now,
        columns=COLUMNS,
        next_step=KITCHEN_STEPS,
        poll_seconds=BOARD_POLL_SECONDS,
    )


def board_changes(message: str | None = None, error: str | None = None, answered: bool = False):
    """What changed on the board since the lists of cards the tablet sent; None when
    nothing did (and nothing was answered)."""
    now = clock.now()
    only = live_board.BoardFilter.from_values(request.values)
    updates = live_board.changes(live_board.board_state(now, only), request.values)
    if not updates and not answered:
        return None
    return board_push.update_html(now, updates, message, error, answered)


@bp.get("/board")
@never_rate_limited
@requires(Permission.BOARD)
def board_fragment():
    """Polled by the board page with the cards it shows: 204 while nothing changed,
    else only what did."""
    if not is_htmx():
        return redirect(url_for("cashier.board"), 303)
    update = board_changes()
    return ("", 204) if update is None else update


@bp.get("/stream")
@never_rate_limited
@requires(Permission.BOARD)
def board_stream():
    """The board's pushed updates (webapp/live/streams.py): the cards that changed
    when an order (or a ticket) did, since the lists the board opened it with
    (board_push.py)."""
    return streams.stream(streams.BOARD, board_push.BoardTeller(request.args))


def acted(order: Order, message: str | None = None, error: str | None = None, back: str = "board"):
    """Answer an action, saying why if it was refused: from the board (htmx) with what
    changed on it and the message; otherwise with a redirect to the board or the order
    page, which shows the message (flashed)."""
    if is_htmx() and back == "board":
        return board_changes(message, error, answered=True), 409 if error else 200
    if text := error or message:
        flash(text, "error" if error else "info")
    if back == "order":
        return redirect(url_for("cashier.order_detail", public_id=order.public_id), 303)
    return redirect(url_for("cashier.board"), 303)


@bp.post("/orders/<public_id>/advance")
@requires(Permission.ADVANCE)
def advance(public_id):
    order = find_order(public_id)
    try:
        to = OrderStatus(request.form.get("to", ""))
    except ValueError:
        return acted(order, error=_("Status tujuan tidak dikenal."), back=request.form.get("back", "board"))
    try:
        steps.step_order(order, to, actor(), clock.now())
    except IllegalTransition as exc:
        return acted(order, error=str(exc), back=request.form.get("back", "board"))
    return acted(
        order,
        _("%(number)s: %(status)s.", number=order.number, status=to.label),
        back=request.form.get("back", "board"),
    )


@bp.get("/orders/<public_id>")
@requires(Permission.BOARD)
def order_detail(public_id):
    return render_detail(find_order(public_id))


def quick_amounts(total: int) -> list[int]:
    """The quick buttons for taking `total` in cash: the exact amount, and the notes above it."""
    return sorted({total, *[note for note in QUICK_NOTES if note > total]})


def other_tables(table_id: int | None) -> list[DiningTable]:
    """The active tables an order at `table_id` could move to."""
    return [table for table in all_tables(active_only=True) if table.id != table_id]


def blank_move_form(order: Order) -> MoveOrderForm | None:
    """Moving an open dine-in order to another table, when there is one."""
    tables = other_tables(order.table_id) if bill_closing.movable(order) else []
    return MoveOrderForm(formdata=None, tables=tables) if tables else None


def render_detail(order: Order, status: int = 200, **posted):
    """The order's page, with the form just `posted` (cash_form, cancel_form or
    move_form) in place of the blank one."""
    forms = (
        {
            "cash_form": CashForm(formdata=None, total=order.total),
            "cancel_form": CancelForm(formdata=None),
            "move_form": blank_move_form(order),
            "discount_form": order_discount_form(order),
            "void_form": order_void_form(order),
        }
        | refund_forms(order)
        | posted
    )
    events = sorted((event for payment in order.payments for event in payment.events), key=lambda e: e.id)
    return render_template(
        "cashier/order.html",
        order=order,
        **forms,
        next_step=KITCHEN_STEPS.get(order.status),
        events=events,
        cash=cash_received(order.payments),
        voids=voids_of(order.id),
    ), status


def cash_received(payments: Iterable[Payment]) -> dict | None:
    """What the cashier took and gave back for a cash payment among `payments` (an
    order's, or a share's): {"tendered", "change"}."""
    for payment in payments:
        for event in payment.events:
            if event.kind == EventKind.CASH_CONFIRMED and event.note_params:
                return event.note_params
    return None


def form_errors(order: Order, wanted: OrderStatus, **posted):
    """A form with errors comes back with them (422) while the order still awaits
    payment. Once it has moved on, the form is gone from the page: say why instead."""
    if order.status == OrderStatus.AWAITING_PAYMENT:
        return render_detail(order, 422, **posted)
    return acted(order, error=refusal(order, wanted), back="order")


@bp.post("/orders/<public_id>/cash")
@requires(Permission.TAKE_CASH)
def confirm_cash(public_id):
    order = find_order(public_id)
    form = CashForm(total=order.total)
    if not form.validate():
        return form_errors(order, OrderStatus.PAID, cash_form=form)
    try:
        paying.confirm_cash(order, required(form.amount()), actor())
    except NoOpenShift as exc:
        form.refuse_for_closed_drawer(exc)
        return form_errors(order, OrderStatus.PAID, cash_form=form)
    except IllegalTransition as exc:
        return acted(order, error=str(exc), back="order")
    flash(_("%(number)s lunas.", number=order.number), "success")
    return redirect(url_for("cashier.order_detail", public_id=public_id), 303)


@bp.post("/orders/<public_id>/cancel")
@requires(Permission.CANCEL)
def cancel(public_id):
    order = find_order(public_id)
    form = CancelForm()
    if not form.validate():
        return form_errors(order, OrderStatus.CANCELLED, cancel_form=form)
    try:
        lifecycle.cancel_order(order, actor(), required(form.reason.data))
    except IllegalTransition as exc:
        return acted(order, error=str(exc), back="order")
    return acted(order, _("%(number)s dibatalkan.", number=order.number), back="order")


@bp.post("/orders/<public_id>/move")
@requires(Permission.MANAGE_BILLS)
def move_table(public_id):
    order = find_order(public_id)
    form = MoveOrderForm(tables=other_tables(order.table_id))
    if not form.validate():
        if blank_move_form(order) is None:  # the form is gone from the page: say why
            return acted(
                order, error=_("Pesanan %(number)s tidak bisa pindah meja.", number=order.number), back="order"
            )
        return render_detail(order, 422, move_form=form)
    table = form.chosen_table()
    try:
        bill_closing.move_order(order, table, actor())
    except IllegalTransition as exc:
        return acted(order, error=str(exc), back="order")
    return acted(order, _("%(number)s pindah ke Meja %(table)s.", number=order.number, table=table.label), back="order")


@bp.post("/orders/<public_id>/switch-to-cash")
@requires(Permission.TAKE_CASH)
def switch_to_cash(public_id):
    order = find_order(public_id)
    if lifecycle.switch_to_cash(order, actor()) or order.payment_method == PaymentMethod.CASH:
        return acted(order, _("%(number)s diubah ke tunai.", number=order.number), back="order")
    return acted(
        order,
        error=_(
            "Pesanan %(number)s %(status)s: tidak bisa diubah ke tunai.", number=order.number, status=order.status.label
        ),
        back="order",
    )


@bp.post("/orders/<public_id>/resolve")
@requires(Permission.MANAGE_BILLS)
def resolve(public_id):
    order = find_order(public_id)
    lifecycle.resolve_attention(order, actor())
    return acted(
        order, _("%(number)s: tanda perlu dicek dihapus.", number=order.number), back=request.form.get("back", "order")
    )


@bp.get("/menu")
@requires(Permission.STOCK)
def menu():
    groups = db.session.scalars(select(OptionGroup).order_by(OptionGroup.position, OptionGroup.id)).all()
    return render_template("cashier/menu.html", categories=menu_categories(), option_groups=groups)


def _set_available(row: MenuItem | Option):
    """The button says which state it sets, so a double click or two cashiers agree."""
    row.available = request.form.get("available") == "1"
    db.session.commit()
    flash(_("%(name)s: tersedia.", name=row.name) if row.available else _("%(name)s: habis.", name=row.name), "info")
    return redirect(url_for("cashier.menu"), 303)


@bp.post("/menu/<int:item_id>/availability")
@requires(Permission.STOCK)
def set_availability(item_id):
    return _set_available(db.get_or_404(MenuItem, item_id))


@bp.post("/menu/options/<int:option_id>/availability")
@requires(Permission.STOCK)
def set_option_availability(option_id):
    return _set_available(db.get_or_404(Option, option_id))
