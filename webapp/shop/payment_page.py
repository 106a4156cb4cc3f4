"""The public page of one payment, /payments/<public_id>: where Duitku's payment page
sends the payer back after a partner (POS) payment. Its id is unguessable, so it needs
no login. It shows the amount, the merchant and a status that htmx polls, answered 204
while nothing changed and sent without its trigger (status 286) once final. A web
order's payment leads to the order's own page instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select

from .. import clock
from ..extensions import db, never_rate_limited
from ..htmx import HTMX_STOP_POLLING, is_htmx
from ..merchant import current_shop
from ..models import Payment
from ..payments import qr, qris_payments, reconcile
from ..payments.resource import public_status
from . import bp

POLL_SECONDS = 2
PANEL_STYLE = {"pending": "qris_pending", "paid": "paid", "expired": "qris_expired", "cancelled": "cancelled"}


@dataclass(frozen=True)
class PaymentView:
    payment: Payment
    merchant: str
    state: str  # the partner-facing status: pending, paid, expired or cancelled
    qr_svg: Markup | None  # while the QR can still be paid
    seconds_left: int

    poll_seconds = POLL_SECONDS

    @property
    def is_final(self) -> bool:
        return self.state != "pending"

    @property
    def version(self) -> str:
        """Changes whenever what the payer sees changes."""
        return f"{self.state}.{'qr' if self.qr_svg else '-'}"

    @property
    def panel_style(self) -> str:
        return PANEL_STYLE[self.state]


def payment_view(payment: Payment, now: datetime) -> PaymentView:
    payable = qris_payments.payable_qr(payment, now)
    return PaymentView(
        payment=payment,
        merchant=payment.license.store_name if payment.license else current_shop().name,
        state=public_status(payment),
        qr_svg=qr.inline_svg(payable.qr_string, "Kode QRIS") if payable else None,
        seconds_left=payable.seconds_left(now) if payable else 0,
    )


def _partner_payment(public_id: str) -> Payment:
    payment = db.one_or_404(select(Payment).where(Payment.public_id == public_id))
    if payment.order_id is not None:
        abort(404)
    return payment


@bp.get("/payments/<public_id>")
def payment_page(public_id):
    payment = db.one_or_404(select(Payment).where(Payment.public_id == public_id))
    if payment.order_id is not None:
        return redirect(url_for("shop.order_page", public_id=payment.order.public_id), 303)
    now = clock.now()
    reconcile.reconcile_if_due(payment, now)
    return render_template("shop/payment.html", view=payment_view(payment, now))


@bp.get("/payments/<public_id>/status")
@never_rate_limited
def payment_status(public_id):
    payment = _partner_payment(public_id)
    now = clock.now()
    reconcile.reconcile_if_due(payment, now)
    view = payment_view(payment, now)
    if is_htmx() and not view.is_final and request.args.get("seen") == view.version:
        return "", 204
    html = render_template("shop/_payment_status.html", view=view)
    return html, HTMX_STOP_POLLING if view.is_final and is_htmx() else 200
