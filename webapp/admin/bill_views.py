"""The bill settings page: tax, service charge, price mode, rounding and the receipt's merchant details."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..billing.settings import SettingsChange, current_settings, save_settings, settings_history
from ..forms import required
from ..models import PaymentTiming, PriceMode, RoundingDirection, Serving
from ..staff.permissions import Permission, requires
from . import bp
from .forms import BillSettingsForm


@bp.route("/bill", methods=["GET", "POST"])
@requires(Permission.SETTINGS)
def bill_settings():
    form = BillSettingsForm(obj=current_settings())
    if form.validate_on_submit():
        save_settings(
            SettingsChange(
                tax_rate=required(form.tax_rate.data),
                service_rate=required(form.service_rate.data),
                mode=PriceMode(form.mode.data),
                service_on_takeaway=form.service_on_takeaway.data,
                rounding_step=required(form.rounding_step.data),
                rounding_direction=RoundingDirection(form.rounding_direction.data),
                merchant_address=form.merchant_address.data or "",
                merchant_tax_number=form.merchant_tax_number.data or "",
                payment_timing=PaymentTiming(form.payment_timing.data),
                dine_in_serving=Serving(form.dine_in_serving.data),
            ),
            actor=current_user.username,
        )
        flash(_("Pengaturan tagihan disimpan. Pesanan yang sudah ada tidak berubah."), "info")
        return redirect(url_for("admin.bill_settings"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/bill_settings.html", form=form, history=settings_history()), status
