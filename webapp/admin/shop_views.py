"""The shop page: the name and logo every page, receipt and table card shows; the
receipt's address and tax number are shown from the bill settings, where they are set."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..billing.settings import current_settings
from ..forms import required
from ..menu.photos import PhotoError
from ..merchant import current_shop
from ..merchant.profile import profile_history, save_profile
from ..request_guards import takes_upload
from ..staff.permissions import Permission, requires
from . import bp
from .forms import ShopForm


@bp.route("/shop", methods=["GET", "POST"])
@takes_upload
@requires(Permission.SETTINGS)
def shop():
    form = ShopForm(data={"name": current_shop().name})
    if form.validate_on_submit():
        try:
            save_profile(
                required(form.name.data),
                current_user.username,
                logo=form.logo.data.stream if form.logo.data else None,
                remove_logo=form.remove_logo.data,
            )
        except PhotoError as exc:
            form.logo.errors.append(str(exc))
        else:
            flash(_("Pengaturan toko disimpan."), "info")
            return redirect(url_for("admin.shop"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/shop.html", form=form, bill_settings=current_settings(), history=profile_history()
    ), status
