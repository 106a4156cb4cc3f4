"""Staff's discount on the cashier's order page, before the order is paid: on a line or
the whole order, with a reason, and above the limit a manager's approval on this
device (webapp/discount_forms.py). The order's figures are worked out again, a QRIS
asked for the old amount is cancelled (orders/discounting.py)."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from .. import clock
from ..access import actor
from ..discount_forms import ON_ORDER, StaffDiscountForm, order_discount_form, order_targets
from ..formatting import rupiah
from ..models import OrderItem
from ..orders import discounting
from ..staff.permissions import Permission, requires
from ..state import IllegalTransition
from . import bp
from .views import acted, find_order, render_detail


def _item(order, key: str) -> OrderItem | None:
    """The line a discount goes on (None: the whole order)."""
    return None if key == ON_ORDER else next(item for item in order.items if str(item.id) == key)


@bp.post("/orders/<public_id>/discount")
@requires(Permission.DISCOUNT)
def give_discount(public_id):
    order = find_order(public_id)
    if order_discount_form(order) is None:  # paid, cancelled or on a table's bill meanwhile: say so
        return acted(order, error=discounting.too_late(order), back="order")
    form = StaffDiscountForm(targets=order_targets(order))
    if not form.validate() or (given := form.given(actor(), clock.now())) is None:
        return render_detail(order, 422, discount_form=form)
    try:
        discounting.discount_order(order, _item(order, form.target.data), given)
    except IllegalTransition as exc:
        return acted(order, error=str(exc), back="order")
    flash(
        _("%(number)s: diskon diberikan, total %(total)s.", number=order.number, total=rupiah(order.total)), "success"
    )
    return redirect(url_for("cashier.order_detail", public_id=public_id), 303)
