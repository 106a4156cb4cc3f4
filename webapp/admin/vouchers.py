"""The vouchers page (Menu > Voucher): every voucher with its value, dates, uses and
minimum spend; a new one made, an active one switched off (Permission.PROMOTIONS: the
owner and managers). Customers enter them at checkout, cashiers at the till
(webapp/discounts/vouchers.py)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import clock
from ..access import actor
from ..discounts import vouchers
from ..extensions import db
from ..forms import required
from ..models import DiscountKind, Voucher
from ..staff.permissions import Permission, requires
from ..timeutil import jakarta_date
from . import bp
from .discount_forms import VoucherForm


def _page(form: VoucherForm, status: int = 200):
    today = jakarta_date(clock.now())
    listed = vouchers.all_vouchers()
    usable = {voucher.id for voucher in listed if vouchers.usable(voucher, today)}
    return render_template("admin/vouchers.html", form=form, vouchers=listed, usable=usable), status


@bp.get("/vouchers")
@requires(Permission.PROMOTIONS)
def vouchers_page():
    form = VoucherForm(formdata=None)
    form.valid_from.data = jakarta_date(clock.now())
    return _page(form)


@bp.post("/vouchers")
@requires(Permission.PROMOTIONS)
def create_voucher():
    form = VoucherForm()
    if not form.validate():
        return _page(form, 422)
    new = vouchers.NewVoucher(
        code=required(form.code.data),
        kind=DiscountKind(form.kind.data),
        value=form.discount().value,
        valid_from=required(form.valid_from.data),
        valid_until=required(form.valid_until.data),
        uses_limit=required(form.uses_limit.data),
        min_spend=form.min_spend.data or 0,
    )
    try:
        voucher = vouchers.create_voucher(new, actor())
    except vouchers.VoucherError as exc:
        form.code.errors = [str(exc)]
        return _page(form, 422)
    flash(_("Voucher %(code)s dibuat.", code=voucher.code), "info")
    return redirect(url_for("admin.vouchers_page"), 303)


@bp.post("/vouchers/<int:voucher_id>/disable")
@requires(Permission.PROMOTIONS)
def disable_voucher(voucher_id):
    voucher = db.get_or_404(Voucher, voucher_id)
    vouchers.disable_voucher(voucher, actor())
    flash(_("Voucher %(code)s dinonaktifkan.", code=voucher.code), "info")
    return redirect(url_for("admin.vouchers_page"), 303)
