"""The cashier's page of a table's bill (pay later): the sitting's orders, the bill's
figures, its shares and its history, and what the cashier does to it: take cash for
one share or for all that is left, move an order to another table, close the bill
unpaid (walk-out, comped), and clear the flag of money that arrived late.

Each action validates its form (the page again with the errors, 422), asks the domain
(`bills.share_payments`, `bills.bill_closing`) and lands back on the page with
what happened, or why the domain refused it (flashed). A settled or closed bill is
shown read-only; only its late-money flag can still be cleared. The page polls the
bill's version and reloads itself when the bill changed (a share paid by QRIS on a
phone, an order added), so the forms it shows always fit the bill.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock
from ..access import may_open
from ..bills import bill_closing, bill_splits, share_payments
from ..bills.table_bills import BillView, bill_view
from ..extensions import db
from ..forms import required
from ..htmx import is_htmx
from ..models import BillShare, BillStatus, Payment, PaymentProvider, ShareStatus, TableBill
from ..shifts.drawer import NoOpenShift
from ..staff.permissions import Permission, requires
from ..state import IllegalTransition
from ..timeutil import minutes_since
from . import bp
from .forms import BillMoveForm, CashForm, CloseBillForm
from .views import actor, cash_received, other_tables

BILL_POLL_SECONDS = 5


def find_bill(public_id: str) -> TableBill:
    """The bill with its shares, their payments and its history (4 queries; the page
    reads about 9 statements in all, however many orders and shares it shows)."""
    return db.one_or_404(
        select(TableBill)
        .where(TableBill.public_id == public_id)
        .options(
            selectinload(TableBill.shares).selectinload(BillShare.payments),
            selectinload(TableBill.events),
        )
    )


@dataclass
class BillForms:
    """The forms the page offers for the bill as it stands: blank, except the one just
    posted when it comes back with its errors."""

    share_cash: dict[int, CashForm] = field(default_factory=dict)  # by share position
    rest_cash: CashForm | None = None
    move: BillMoveForm | None = None
    close: CloseBillForm | None = None


def unpaid_shares(view: BillView) -> list[BillShare]:
    """The shares still to pay (`view.open_shares` holds the paid ones too)."""
    return [share for share in view.open_shares if share.status == ShareStatus.OPEN]


def blank_forms(view: BillView) -> BillForms:
    """Cash for each share still to pay once the split is locked; cash for the rest
    unless that is one share already offered; moving orders while nobody is paying;
    closing while the bill is open. Each only for who may do it (a waiter sees the
    bill, and takes no money)."""
    bill = view.bill
    forms = BillForms()
    if bill.status != BillStatus.OPEN:
        return forms
    unpaid = unpaid_shares(view)
    if not may_open("cashier.bill_rest_cash"):
        unpaid = []
    elif bill.is_locked:
        forms.share_cash = {
            share.position: CashForm(formdata=None, prefix=f"share-{share.position}", total=share.amount)
            for share in unpaid
        }
    if may_open("cashier.bill_rest_cash") and (not bill.is_locked or len(unpaid) > 1):
        forms.rest_cash = CashForm(formdata=None, prefix="rest", total=view.to_pay)
    if not may_open("cashier.bill_move"):
        return forms
    movable = [order for order in view.orders if bill_closing.movable(order)]
    if not bill.is_locked and movable and (tables := other_tables(bill.table_id)):
        forms.move = BillMoveForm(formdata=None, orders=movable, tables=tables)
    forms.close = CloseBillForm(formdata=None)
    return forms


def render_bill(view: BillView, forms: BillForms, status: int = 200):
    bill = view.bill
    cash = _cash_just_taken(bill, request.args.get("cash", ""))
    now = clock.now()
    return render_template(
        "cashier/bill.html",
        view=view,
        bill=bill,
        forms=forms,
        cash=cash,
        now=now,
        open_minutes=minutes_since(bill.opened_at, now),
        poll_seconds=BILL_POLL_SECONDS,
    ), status


def _cash_just_taken(bill: TableBill, payment_id: str) -> tuple[BillShare, dict] | None:
    """The share and {"tendered", "change"} of the cash payment the cashier has just
    taken (named in the page's address), to show the change large."""
    if not payment_id:
        return None
    for share in bill.shares:
        for payment in share.payments:
            if payment.public_id == payment_id and payment.provider == PaymentProvider.CASH:
                received = cash_received([payment])
                return (share, received) if received else None
    return None


def back_to(bill: TableBill, payment: Payment | None = None):
    """To the bill's page; after taking cash, naming the payment (its change is shown)."""
    cash = payment.public_id if payment is not None else None
    return redirect(url_for("cashier.bill_page", public_id=bill.public_id, cash=cash), 303)


def refused(bill: TableBill, message: str):
    flash(message, "error")
    return back_to(bill)


def invalid(bill: TableBill, why_gone: Callable[[], str], **posted):
    """The form just `posted` (by its name in BillForms; a share's cash form as
    {position: form}) comes back with its errors (422) while the page offers it. Once
    the bill has moved on and the page no longer does, say why instead (`why_gone`)."""
    view = bill_view(bill)
    forms = blank_forms(view)
    for name, form in posted.items():
        blank = getattr(forms, name)
        if not (blank.keys() >= form.keys() if isinstance(blank, dict) else blank is not None):
            return refused(bill, why_gone())
        setattr(forms, name, blank | form if isinstance(blank, dict) else form)
    return render_bill(view, forms, 422)


def bill_moved_on(bill: TableBill) -> Callable[[], str]:
    """Why the bill no longer takes a form: its state, worded by the domain."""
    return lambda: str(bill_splits.refuse(bill))


@bp.get("/bills/<public_id>")
@requires(Permission.FLOOR)
def bill_page(public_id):
    view = bill_view(find_bill(public_id))
    return render_bill(view, blank_forms(view))


@bp.get("/bills/<public_id>/version")
@requires(Permission.FLOOR)
def bill_version(public_id):
    """Polled by the bill's page with the version it shows: 204 while the bill is the
    same, else an answer that makes htmx reload the page."""
    if not is_htmx():
        return redirect(url_for("cashier.bill_page", public_id=public_id), 303)
    version = db.session.scalar(select(TableBill.version).where(TableBill.public_id == public_id))
    if version is None:
        abort(404)
    if request.args.get("seen") == str(version):
        return "", 204
    return "", 200, {"HX-Refresh": "true"}


def share_moved_on(share: BillShare) -> Callable[[], str]:
    """Why a share no longer takes cash: paid or cancelled, or its bill moved on."""
    if share.status != ShareStatus.OPEN:
        return lambda: _("Bagian %(position)s sudah %(status)s.", position=share.position, status=share.status.label)
    return bill_moved_on(share.bill)


@bp.post("/bills/<public_id>/shares/<int:position>/cash")
@requires(Permission.TAKE_CASH)
def bill_share_cash(public_id, position):
    bill = find_bill(public_id)
    share = next((share for share in bill.shares if share.position == position), None)
    if share is None:
        abort(404)
    form = CashForm(prefix=f"share-{position}", total=share.amount)
    if not form.validate():
        return invalid(bill, share_moved_on(share), share_cash={position: form})
    try:
        payment = share_payments.confirm_share_cash(share, required(form.amount()), actor())
    except NoOpenShift as exc:
        form.refuse_for_closed_drawer(exc)
        return invalid(bill, share_moved_on(share), share_cash={position: form})
    except IllegalTransition as exc:
        return refused(bill, str(exc))
    flash(_("Bagian %(position)s lunas.", position=position), "success")
    return back_to(bill, payment)


@bp.post("/bills/<public_id>/cash")
@requires(Permission.TAKE_CASH)
def bill_rest_cash(public_id):
    bill = find_bill(public_id)
    form = CashForm(prefix="rest", total=bill_view(bill).to_pay)
    if not form.validate():
        return invalid(bill, bill_moved_on(bill), rest_cash=form)
    try:
        payment = share_payments.take_cash_for_rest(bill, required(form.amount()), actor())
    except NoOpenShift as exc:
        form.refuse_for_closed_drawer(exc)
        return invalid(bill, bill_moved_on(bill), rest_cash=form)
    except IllegalTransition as exc:
        return refused(bill, str(exc))
    flash(_("Sisa tagihan Meja %(table)s lunas.", table=bill.table_label), "success")
    return back_to(bill, payment)


@bp.post("/bills/<public_id>/move")
@requires(Permission.MANAGE_BILLS)
def bill_move(public_id):
    bill = find_bill(public_id)
    form = BillMoveForm(orders=bill_view(bill).orders, tables=other_tables(bill.table_id))
    if not form.validate():
        return invalid(bill, bill_moved_on(bill), move=form)
    order, table = form.chosen_order(), form.chosen_table()
    try:
        bill_closing.move_order(order, table, actor())
    except IllegalTransition as exc:
        return refused(bill, str(exc))
    flash(_("%(number)s pindah ke Meja %(table)s.", number=order.number, table=table.label), "info")
    db.session.refresh(bill)
    if bill.status != BillStatus.OPEN and order.bill is not None:
        return back_to(order.bill)  # its last order left: follow it to its new bill
    return back_to(bill)


@bp.post("/bills/<public_id>/close")
@requires(Permission.MANAGE_BILLS)
def bill_close(public_id):
    bill = find_bill(public_id)
    form = CloseBillForm()
    if not form.validate():
        return invalid(bill, bill_moved_on(bill), close=form)
    try:
        bill_closing.close_bill(bill, form.close_reason(), form.note.data or "", actor())
    except IllegalTransition as exc:
        return refused(bill, str(exc))
    flash(_("Tagihan Meja %(table)s ditutup.", table=bill.table_label), "info")
    return back_to(bill)


@bp.post("/bills/<public_id>/resolve")
@requires(Permission.MANAGE_BILLS)
def bill_resolve(public_id):
    bill = find_bill(public_id)
    bill_closing.resolve_attention(bill, actor())
    flash(_("Tagihan Meja %(table)s: tanda perlu dicek dihapus.", table=bill.table_label), "info")
    return back_to(bill)
