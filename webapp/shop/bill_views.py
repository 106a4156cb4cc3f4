"""The table's bill on every phone at the table (pay later), and a share's payment page.

Whoever has the bill's link (the menu links it for a phone that scanned the table) sees
every order of the sitting and the bill's figures, updating themselves, and can choose
how to pay: whole, evenly, or by items. A phone that joins an item split or pays a
share remembers that share in its session ("mine"). Every change is a form (working
without JavaScript: post, then redirect); with htmx, the bill's live part is swapped
in place, and a refusal comes back as 409 with the reason.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, MutableMapping
from contextlib import suppress
from datetime import datetime

from flask import Response, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..bills import bill_splits, share_payments
from ..bills.bill_receipt import bill_receipt_for
from ..bills.table_bills import BillView, bill_view, find_bill, find_share, open_bill_of
from ..extensions import db, never_rate_limited, qris_limited
from ..forms import required
from ..htmx import HTMX_STOP_POLLING, is_htmx
from ..models import BillShare, BillStatus, Order, OrderItem, ShareStatus, SplitMode, TableBill
from ..payments import reconcile
from ..payments.duitku import QRIS_MAX_AMOUNT, QRIS_MIN_AMOUNT, is_qris_amount
from ..payments.qris_payments import PaymentNotAllowed, QrisUnavailable, payable_payment_of
from ..receipt_page import render_receipt
from ..state import IllegalTransition
from ..tables import visit
from . import bp
from .bill_forms import ClaimForm, EvenSplitForm, JoinForm
from .share_live import share_live_view

MY_SHARES = "bill_shares"  # session: bill public id -> the public id of this phone's share
MY_SHARES_KEPT = 5
BILL_POLL_SECONDS = 3

# `{% if amount is qris_amount %}`: QRIS is offered only for what Duitku takes.
bp.add_app_template_test(is_qris_amount, "qris_amount")


@bp.context_processor
def qris_limits() -> dict[str, int]:
    return {"QRIS_MIN_AMOUNT": QRIS_MIN_AMOUNT, "QRIS_MAX_AMOUNT": QRIS_MAX_AMOUNT}


def _bill_or_404(public_id: str) -> TableBill:
    bill = find_bill(public_id)
    if bill is None:
        abort(404)
    return bill


def my_share(bill: TableBill) -> BillShare | None:
    """This phone's share of `bill` (joined or paid from here), while it is not cancelled."""
    remembered = session.get(MY_SHARES)
    share_id = remembered.get(bill.public_id) if isinstance(remembered, dict) else None
    share = find_share(share_id) if isinstance(share_id, str) else None
    if share is None or share.bill_id != bill.id or share.status == ShareStatus.CANCELLED:
        return None
    return share


def remember_share(store: MutableMapping, share: BillShare) -> None:
    mine = {key: value for key, value in (store.get(MY_SHARES) or {}).items() if key != share.bill.public_id}
    kept = list(mine.items())[-(MY_SHARES_KEPT - 1) :]
    store[MY_SHARES] = {**dict(kept), share.bill.public_id: share.public_id}


def bill_version(bill: TableBill, mine: BillShare | None) -> str:
    """Changes whenever the bill's page would show something else: the bill's own
    version (every change to it raises it), its orders' kitchen steps, and whose phone."""
    orders = db.session.execute(select(Order.id, Order.status).where(Order.bill_id == bill.id).order_by(Order.id))
    key = f"{bill.version}|{mine.id if mine else '-'}|" + ",".join(f"{oid}.{status}" for oid, status in orders)
    return f"{zlib.crc32(key.encode()):08x}"


def free_share(view: BillView, now: datetime) -> BillShare | None:
    """The first share of a bill being paid that nobody has taken yet: open, with no QR
    being paid (the one a phone without a share of its own pays as its own)."""
    taken = {share.id for share in view.open_shares if payable_payment_of(share.payments, now) is not None}
    return next(
        (
            line.share
            for line in view.share_lines
            if line.share.status == ShareStatus.OPEN and line.share.id not in taken and not line.share.payer_name
        ),
        None,
    )


def render_bill(bill: TableBill, status: int = 200, error: str | None = None, **forms):
    mine = my_share(bill)
    view = bill_view(bill)
    context = {
        "bill": bill,
        "view": view,
        "mine": mine,
        "free": free_share(view, clock.now()) if mine is None and bill.is_locked else None,
        "error": error,
        "version": bill_version(bill, mine),
        "poll_seconds": BILL_POLL_SECONDS if bill.status == BillStatus.OPEN else None,
        "even_form": forms.get("even_form") or EvenSplitForm(formdata=None),
        "join_form": forms.get("join_form") or JoinForm(formdata=None),
    }
    if is_htmx():
        stop = bill.status != BillStatus.OPEN and status == 200
        return render_template("shop/_bill_live.html", **context), HTMX_STOP_POLLING if stop else status
    return render_template("shop/bill.html", **context), status


def bill_changed(bill: TableBill, change: Callable[[], object], **forms):
    """Make `change` to the bill; then the bill's live part (htmx) or the page again. A
    refusal (the bill moved on meanwhile) is answered 409 with its reason."""
    try:
        change()
    except IllegalTransition as exc:
        return render_bill(bill, 409, str(exc), **forms)
    if is_htmx():
        return render_bill(bill)
    return redirect(url_for("shop.bill_page", public_id=bill.public_id), 303)


def to_share(share: BillShare):
    """On to a share's page (a full page load, also from htmx)."""
    url = url_for("shop.share_page", public_id=share.public_id)
    if is_htmx():
        return "", 200, {"HX-Redirect": url}
    return redirect(url, 303)


@bp.get("/table/bill")
def table_bill():
    """The bill of the table this phone scanned, if it has one open."""
    table = visit.remembered(session, clock.now())
    bill = open_bill_of(table.id) if table is not None else None
    if bill is not None:
        return redirect(url_for("shop.bill_page", public_id=bill.public_id), 303)
    return render_template("shop/no_bill.html", table=table), 404


@bp.get("/bills/<public_id>")
def bill_page(public_id):
    return render_bill(_bill_or_404(public_id))


@bp.get("/bills/<public_id>/live")
@never_rate_limited
def bill_live(public_id):
    """Polled by the bill page: 204 while nothing changed since `seen`."""
    bill = _bill_or_404(public_id)
    if is_htmx() and request.args.get("seen") == bill_version(bill, my_share(bill)):
        return "", 204
    return render_bill(bill)


@bp.post("/bills/<public_id>/whole")
@qris_limited
def pay_whole(public_id):
    """The whole bill by one QRIS, on this phone."""
    return _pay_one_share(_bill_or_404(public_id), bill_splits.pay_whole)


@bp.post("/bills/<public_id>/even")
def split_evenly(public_id):
    bill = _bill_or_404(public_id)
    form = EvenSplitForm()
    if not form.validate():
        return render_bill(bill, 422, even_form=form)
    return bill_changed(bill, lambda: bill_splits.split_evenly(bill, required(form.payers.data), "customer"))


@bp.post("/bills/<public_id>/items")
def split_by_items(public_id):
    bill = _bill_or_404(public_id)
    return bill_changed(bill, lambda: bill_splits.split_by_items(bill, "customer"))


@bp.post("/bills/<public_id>/join")
def join(public_id):
    """This phone joins the item split under a name; its share is remembered."""
    bill = _bill_or_404(public_id)
    form = JoinForm()
    if my_share(bill) is not None:
        return bill_changed(bill, lambda: None)
    if not form.validate():
        return render_bill(bill, 422, join_form=form)

    def join_and_remember() -> None:
        remember_share(session, bill_splits.join(bill, required(form.name.data), "customer"))

    return bill_changed(bill, join_and_remember, join_form=form)


@bp.post("/bills/<public_id>/claims")
def claim(public_id):
    """This phone's share takes a portion ("I had this"), or gives it back."""
    bill = _bill_or_404(public_id)
    form = ClaimForm()
    mine = my_share(bill)
    if mine is None:
        return render_bill(bill, 409, _("Ikut bayar dulu dengan nama Anda, lalu pilih yang Anda makan."))
    if not form.validate():
        return render_bill(bill, 422, _("Pilihan tidak dikenal."))
    item, unit = required(form.item.data), required(form.unit.data)
    change = bill_splits.claim if form.action.data == "claim" else bill_splits.unclaim
    return bill_changed(bill, lambda: change(bill, mine, item, unit))


@bp.post("/bills/<public_id>/lock")
def lock(public_id):
    """Everyone has chosen: the item split's shares are fixed and can be paid."""
    bill = _bill_or_404(public_id)
    return bill_changed(bill, lambda: bill_splits.lock_items(bill, "customer"))


@bp.post("/bills/<public_id>/cancel-split")
def cancel_split(public_id):
    bill = _bill_or_404(public_id)
    return bill_changed(bill, lambda: bill_splits.cancel_split(bill, "customer"))


@bp.post("/bills/<public_id>/rest")
@qris_limited
def pay_rest(public_id):
    """Everything not yet paid in one share, paid by QRIS on this phone."""
    return _pay_one_share(_bill_or_404(public_id), bill_splits.pay_rest_in_one)


def _pay_one_share(bill: TableBill, make_share: Callable[[TableBill, str], BillShare]):
    """Make one share of the bill (the whole, or the rest) and pay it by QRIS on this phone."""
    try:
        share = make_share(bill, "customer")
    except IllegalTransition as exc:
        return render_bill(bill, 409, str(exc))
    remember_share(session, share)
    return _pay_share_by_qris(share)


def _share_or_404(public_id: str) -> BillShare:
    share = find_share(public_id)
    if share is None:
        abort(404)
    return share


def _pay_share_by_qris(share: BillShare):
    """Ask Duitku for the share's QR, then its page (which says if QRIS is unavailable)."""
    with suppress(QrisUnavailable, PaymentNotAllowed):  # recorded; the share's page says what to do
        share_payments.create_share_qris(share)
    return to_share(share)


@bp.post("/shares/<public_id>/qris")
@qris_limited
def share_qris(public_id):
    """Pay this share by QRIS on this phone: its own (a new QR after expiry, a retry),
    or a friend's ("Bayar untuk Dewi"). Paying never changes whose phone this is; a
    phone with no share of the bill yet makes the share it pays its own."""
    share = _share_or_404(public_id)
    if my_share(share.bill) is None:
        remember_share(session, share)
    return _pay_share_by_qris(share)


@bp.post("/bills/<public_id>/mine")
@qris_limited
def pay_mine(public_id):
    """ "Bayar bagian saya" on a phone with no share yet (an even split): the first share
    nobody has taken becomes this phone's, paid by QRIS here."""
    bill = _bill_or_404(public_id)
    share = my_share(bill) or free_share(bill_view(bill), clock.now())
    if share is None:
        return render_bill(bill, 409, _("Semua bagian sudah dibayar atau sedang dibayar di HP lain."))
    remember_share(session, share)
    return _pay_share_by_qris(share)


@bp.get("/bills/<public_id>/receipt")
def bill_receipt(public_id):
    """The receipt of a settled bill: every order of the sitting and each share's payment."""
    return render_receipt(
        bill_receipt_for(_bill_or_404(public_id)),
        url_for("shop.bill_page", public_id=public_id),
        "shop.bill_receipt",
        _("Kembali ke tagihan"),
    )


@bp.get("/shares/<public_id>")
def share_page(public_id):
    share = _share_or_404(public_id)
    now = clock.now()
    reconcile.reconcile_if_due(share.current_payment, now)
    mine = my_share(share.bill)
    return render_template(
        "shop/share.html",
        share=share,
        bill=share.bill,
        live=share_live_view(share, now),
        mine=mine,
        shared=shared_portions(share.bill),
    )


def shared_portions(bill: TableBill) -> list[OrderItem]:
    """In an item split, the portions nobody took (every share pays an even part of
    them), one per portion."""
    if bill.split_mode != SplitMode.ITEMS:
        return []
    return [portion.item for portion in bill_view(bill).portions if portion.claimed_by is None]


@bp.get("/shares/<public_id>/status")
@never_rate_limited
def share_status(public_id):
    """The share page's polled part: 204 while unchanged, 286 (stop) once final."""
    share = _share_or_404(public_id)
    now = clock.now()
    reconcile.reconcile_if_due(share.current_payment, now)
    live = share_live_view(share, now)
    if is_htmx() and live.poll_seconds and request.args.get("seen") == live.version:
        return Response(status=204)
    html = render_template("shop/_share_status.html", share=share, bill=share.bill, live=live)
    return html, HTMX_STOP_POLLING if is_htmx() and not live.poll_seconds else 200
