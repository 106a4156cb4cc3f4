"""Refunds on the cashier's order page (webapp/refunds): a paid order's money given back,
or the money it never asked for (a late or double payment), which clears its "needs
attention" flag. A manager approves every one on this device."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from .. import clock
from ..access import actor
from ..formatting import rupiah
from ..refunds.giving import RefundError, money, refund_order
from ..shifts.drawer import NoOpenShift
from ..staff.permissions import Permission, requires
from . import bp
from .refund_forms import EXTRA_PREFIX, ExtraRefundForm, RefundFields, RefundForm
from .views import acted, find_order, render_detail


def _nothing_to_refund(order):
    return acted(
        order, error=_("Pesanan %(number)s tidak punya uang yang bisa dikembalikan.", number=order.number), back="order"
    )


def _give(order, form: RefundFields, name: str):
    """Validate, approve and record the refund; the page again with the refusals on their fields."""
    now = clock.now()
    if not form.validate() or (approver := form.approved_by(now)) is None:
        return render_detail(order, 422, **{name: form})
    ask = form.asked()
    try:
        refund_order(order, ask, actor(), approver, now)
    except NoOpenShift as exc:
        form.refuse_for_closed_drawer(exc)
        return render_detail(order, 422, **{name: form})
    except RefundError as exc:
        form.refuse(exc)
        return render_detail(order, 422, **{name: form})
    flash(_("%(number)s: %(amount)s dikembalikan.", number=order.number, amount=rupiah(ask.amount)), "success")
    return redirect(url_for("cashier.order_detail", public_id=order.public_id), 303)


@bp.post("/orders/<public_id>/refund")
@requires(Permission.REFUND)
def refund(public_id):
    order = find_order(public_id)
    figures = money(order)
    if order.bill_id is not None or not figures.left:
        return _nothing_to_refund(order)
    return _give(order, RefundForm(order=order, figures=figures), "refund_form")


@bp.post("/orders/<public_id>/refund-extra")
@requires(Permission.REFUND)
def refund_extra(public_id):
    order = find_order(public_id)
    figures = money(order)
    if order.bill_id is not None or not figures.extra:
        return _nothing_to_refund(order)
    return _give(order, ExtraRefundForm(prefix=EXTRA_PREFIX, figures=figures), "extra_refund_form")
