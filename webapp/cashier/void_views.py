"""Voids on the cashier's order page: the whole order or some of a line, with a reason,
and a manager's approval once it is paid or the kitchen has it (webapp/void_forms.py);
the void itself is orders/voiding.py's."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from .. import clock
from ..access import actor
from ..formatting import rupiah
from ..orders import voiding
from ..staff.permissions import Permission, requires
from ..void_forms import VOID_PREFIX, VoidForm
from . import bp
from .views import find_order, render_detail


@bp.post("/orders/<public_id>/void")
@requires(Permission.VOID)
def void_order(public_id):
    order = find_order(public_id)
    form = VoidForm(prefix=VOID_PREFIX, order=order)
    if (why := voiding.refusal(order)) is not None:  # cancelled, completed or on a bill meanwhile
        form.target.errors = [why]
        return render_detail(order, 422, void_form=form)
    if not form.validate() or (wanted := form.wanted(actor(), clock.now())) is None:
        return render_detail(order, 422, void_form=form)
    try:
        void = voiding.void(order, wanted)
    except voiding.VoidRefused as exc:
        getattr(form, exc.field).errors = [str(exc)]
        return render_detail(find_order(public_id), 422, void_form=form)
    flash(
        _("%(number)s: dibatalkan %(amount)s.", number=order.number, amount=rupiah(void.amount)),
        "success",
    )
    return redirect(url_for("cashier.order_detail", public_id=public_id), 303)
