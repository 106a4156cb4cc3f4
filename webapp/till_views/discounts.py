"""The till's discounts: the cashier enters a voucher for the order being rung up (the
customer's code), checked at once and again when the order is placed; staff give a
discount on a line or the order (with a reason, and above the limit a manager's
approval), or take it back. Each answers with the side column, as every change of the
till does; the audit trail keeps staff's discounts when the order is placed."""

from __future__ import annotations

from flask import request

from .. import clock
from ..access import actor
from ..discount_forms import ON_ORDER, StaffDiscountForm
from ..staff.permissions import Permission, requires
from ..till import discounts
from ..till.draft_pricing import priced_draft
from ..till.ringing import TillError, read_draft
from . import bp
from .discount_forms import TillVoucherForm, targets
from .views import answer, find_till


@bp.post("/<till_id>/voucher")
@requires(Permission.TAKE_ORDERS)
def set_voucher(till_id):
    """Pakai (the code typed) or Hapus voucher (an empty code)."""
    till = find_till(till_id)
    form = TillVoucherForm()
    if not form.validate():
        return answer(till, 422, voucher_form=form)
    try:
        discounts.set_voucher(till, form.voucher.data or "")
    except TillError as exc:
        form.voucher.errors = [str(exc)]
        return answer(till, 422, voucher_form=form)
    return answer(till)


def _target(key: str) -> str | None:
    """The line id a discount goes on (None: the whole order)."""
    return None if key == ON_ORDER else key


@bp.post("/<till_id>/discount")
@requires(Permission.DISCOUNT)
def give_discount(till_id):
    """Staff's discount on a line or the order, replacing the one given there; above the
    limit, with a manager's approval on this device."""
    till = find_till(till_id)
    form = StaffDiscountForm(targets=targets(priced_draft(read_draft(till).store)))
    if not form.validate() or (given := form.given(actor(), clock.now())) is None:
        return answer(till, 422, discount_form=form)
    try:
        discounts.give(till, _target(form.target.data), given)
    except TillError as exc:
        return answer(till, 422, error=str(exc))
    return answer(till)


@bp.post("/<till_id>/discount/remove")
@requires(Permission.DISCOUNT)
def take_back_discount(till_id):
    till = find_till(till_id)
    try:
        discounts.take_back(till, _target(request.form.get("target", ON_ORDER)))
    except TillError as exc:
        return answer(till, 422, error=str(exc))
    return answer(till)
