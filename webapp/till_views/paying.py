"""Placing what the till rang up, the way a customer's order is placed: paid in cash at
once (the cashier's own tender form, then the change in large type), by QRIS (the QR on
the till, followed until paid), on the table's bill (pay later: to the kitchen at once),
or, from a waiter's phone, to be paid at the counter.

Every payment form sends the version of the draft and the total the page showed: a
double tap places one order, and an order that would come to another figure is not
placed (the page says the new total).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..extensions import db, never_rate_limited
from ..forms import required
from ..htmx import HTMX_STOP_POLLING, is_htmx
from ..models import Order, PaymentMethod, Till
from ..orders.tracking import live_view, poll_facts
from ..payments import reconcile
from ..shifts import drawer
from ..staff.permissions import Permission, requires
from ..state import IllegalTransition
from ..till import ringing
from ..till.draft_pricing import priced_draft
from ..till.ringing import Place, Sale, TillError
from . import bp
from .forms import PlaceForm, SaleFields, SaleForm, TillCashForm
from .views import answer, find_till, posted_place, typed_notes

PLACE_FIELDS = ("order_type", "table_id")


def refused(till: Till, exc: TillError, place_form: PlaceForm | None):
    """Say why the order was not placed, on the field at fault when there is one."""
    if exc.field in PLACE_FIELDS:
        return answer(till, 422, field_error=(exc.field, str(exc)), place_form=place_form)
    return answer(till, 422, error=str(exc))


def pay(till: Till, method: PaymentMethod, form: SaleFields, place_form: PlaceForm | None, charge: Callable):
    """Place the till's draft with `charge(sale, notes, place)`; the till then shows the
    order placed, or what to fix."""
    version = form.seen_version()
    if version is None:
        return answer(till, 422, error=_("Halaman kasir ini sudah lama: muat ulang, lalu periksa pesanannya."))
    sale = Sale(method, version, form.total_shown(), current_user.username)
    try:
        charge(sale, typed_notes(), place_form.place() if place_form else None)
    except TillError as exc:
        return refused(till, exc, place_form)
    except IllegalTransition as exc:  # the cash was refused: the order waits on the board
        return answer(till, 409, error=str(exc))
    return answer(till)


def typed_place(till: Till) -> tuple[PlaceForm | None, object]:
    """The place as typed, if sent: (its form, None), or (its form, the answer that
    shows its errors)."""
    place_form = posted_place()
    if place_form is not None and not place_form.validate():
        return place_form, answer(till, 422, place_form=place_form)
    return place_form, None


@bp.post("/<till_id>/pay/cash")
@requires(Permission.TAKE_CASH)
def pay_cash(till_id):
    """Bayar tunai: the amount tendered (typed, or a quick amount) must cover the total."""
    till = find_till(till_id)
    place_form, errors = typed_place(till)
    if errors is not None:
        return errors
    draft = ringing.read_draft(till)
    place = place_form.place() if place_form else draft.place
    form = TillCashForm(total=ringing.figures(priced_draft(draft.store).priced, place).total)
    if not form.validate():
        return answer(till, 422, cash_form=form, place_form=place_form)
    if drawer.open_shift_of(till) is None:  # refused before the order is placed: the draft stays
        form.refuse_for_closed_drawer(drawer.no_open_shift(till))
        return answer(till, 422, cash_form=form, place_form=place_form)
    tendered = required(form.amount())

    def charge(sale: Sale, notes: dict, place: Place | None):
        ringing.charge_cash(till, sale, tendered, notes, place)

    return pay(till, PaymentMethod.CASH, form, place_form, charge)


def pay_with(till_id: str, method: PaymentMethod, charge: Callable):
    till = find_till(till_id)
    place_form, errors = typed_place(till)
    if errors is not None:
        return errors
    form = SaleForm()
    return pay(till, method, form, place_form, lambda sale, notes, place: charge(till, sale, notes, place))


@bp.post("/<till_id>/pay/qris")
@requires(Permission.TAKE_ORDERS)
def pay_qris(till_id):
    """QRIS: the order placed, its QR asked for and shown on the till."""
    return pay_with(till_id, PaymentMethod.QRIS, ringing.charge_qris)


@bp.post("/<till_id>/pay/bill")
@requires(Permission.TAKE_ORDERS)
def pay_bill(till_id):
    """Pay later: on the table's open bill (a new one for a free table), to the kitchen now."""
    return pay_with(till_id, PaymentMethod.BILL, ringing.place_draft)


@bp.post("/<till_id>/pay/counter")
@requires(Permission.TAKE_ORDERS)
def pay_at_counter(till_id):
    """From a waiter's phone: the customer pays in cash at the counter (the order waits
    on the board, as a customer's cash order does)."""
    return pay_with(till_id, PaymentMethod.CASH, ringing.place_draft)


def till_order(till: Till, public_id: str) -> Order:
    return db.one_or_404(select(Order).where(Order.public_id == public_id, Order.till_id == till.id))


@bp.get("/<till_id>/orders/<public_id>/status")
@never_rate_limited
@requires(Permission.TAKE_ORDERS)
def order_status(till_id, public_id):
    """The till's last order while it waits for its QRIS to be paid, as the customer's
    page polls it: 204 while nothing changed, and polling stops once it is paid."""
    till = find_till(till_id)
    now = clock.now()
    seen = request.args.get("seen")
    facts = poll_facts(public_id, now) if is_htmx() and seen else None
    if facts is not None and facts.state(now).is_unpaid and not facts.reconcile_due(now) and facts.version(now) == seen:
        return "", 204
    order = till_order(till, public_id)
    reconcile.reconcile_if_due(order.current_payment, now)
    live = live_view(order, now)
    html = render_template("till/_latest_live.html", till=till, latest=order, latest_live=live, poll=True)
    return html, HTMX_STOP_POLLING if is_htmx() and not live.state.is_unpaid else 200


@bp.post("/<till_id>/orders/<public_id>/qris")
@requires(Permission.TAKE_ORDERS)
def new_qr(till_id, public_id):
    """A new QR for the till's last order, after the first expired or Duitku was down."""
    till = find_till(till_id)
    ringing.ask_for_qr(till_order(till, public_id))
    return answer(till)
