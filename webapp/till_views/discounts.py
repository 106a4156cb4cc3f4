"""The till's discounts: the cashier enters a voucher for the order being rung up (the
customer's code), checked at once and again when the order is placed. Each answers
with the side column, as every change of the till does."""

from __future__ import annotations

from ..staff.permissions import Permission, requires
from ..till import discounts
from ..till.ringing import TillError
from . import bp
from .discount_forms import TillVoucherForm
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
