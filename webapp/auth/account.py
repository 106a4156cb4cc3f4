"""A staff member's own account page: who they are, their role, and for a manager or
the owner the approval PIN they give on a cashier's device."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from ..forms import required
from ..labels import role_label
from ..staff import approvals
from ..staff.permissions import Permission, allows, requires
from . import bp

PIN_MESSAGE = _l("PIN 4 sampai 8 angka.")


class PinForm(FlaskForm):
    pin = PasswordField(_l("PIN baru (4-8 angka)"), validators=[DataRequired(PIN_MESSAGE), Length(max=8)])
    password = PasswordField(_l("Kata sandi Anda"), validators=[DataRequired(_l("Isi kata sandi.")), Length(max=200)])


def _page(form: PinForm | None = None, status: int = 200):
    user = current_user._get_current_object()
    html = render_template(
        "auth/account.html",
        user=user,
        role=role_label(user.role),
        approves=allows(user.role, Permission.APPROVE),
        form=form or PinForm(formdata=None),
    )
    return html, status


@bp.get("/account")
@requires(Permission.STAFF)
def account():
    return _page()


@bp.post("/account/pin")
@requires(Permission.APPROVE)
def set_pin():
    form = PinForm()
    if not form.validate():
        return _page(form, 422)
    pin = required(form.pin.data)
    if not approvals.valid_pin(pin):
        form.pin.errors = [str(PIN_MESSAGE)]
        return _page(form, 422)
    try:
        approvals.set_pin(current_user._get_current_object(), pin, required(form.password.data))
    except approvals.ApprovalError as exc:
        form.password.errors = [str(exc)]
        return _page(form, 422)
    flash(_("PIN persetujuan disimpan."), "success")
    return redirect(url_for("auth.account"), 303)
