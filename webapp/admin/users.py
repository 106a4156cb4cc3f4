"""The owner's page of staff accounts: who works in the shop and in which role; a new
account, a role changed, an account disabled or enabled, a password reset (which, like
disabling, ends every session of that account at once)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..forms import required
from ..labels import role_label
from ..models import Role, User
from ..staff import accounts
from ..staff.permissions import Permission, requires
from . import bp
from .user_forms import NewUserForm, PasswordForm, RoleForm


@bp.context_processor
def _role_words() -> dict:
    return {"role_label": role_label}


def _users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.username)))


def _page(new: NewUserForm | None = None, status: int = 200):
    html = render_template("admin/users.html", users=_users(), form=new or NewUserForm(formdata=None))
    return html, status


@bp.get("/users")
@requires(Permission.USERS)
def users():
    return _page()


@bp.post("/users")
@requires(Permission.USERS)
def create_user():
    form = NewUserForm()
    if not form.validate():
        return _page(form, 422)
    try:
        user = accounts.create_user(required(form.username.data), required(form.password.data), Role(form.role.data))
    except accounts.AccountError:
        form.username.errors = [_("Nama pengguna itu sudah dipakai.")]
        return _page(form, 422)
    flash(_("Akun %(name)s dibuat sebagai %(role)s.", name=user.username, role=role_label(user.role)), "success")
    return redirect(url_for("admin.users"), 303)


def _edit_page(user: User, role_form: RoleForm | None = None, password_form: PasswordForm | None = None, status=200):
    html = render_template(
        "admin/user.html",
        user=user,
        role_form=role_form or RoleForm(formdata=None, role=user.role.value),
        password_form=password_form or PasswordForm(formdata=None),
    )
    return html, status


@bp.get("/users/<int:user_id>")
@requires(Permission.USERS)
def user(user_id):
    return _edit_page(db.get_or_404(User, user_id))


def _done(user: User, message: str):
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=user.id), 303)


def _refused(user: User, exc: accounts.AccountError):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(url_for("admin.user", user_id=user.id), 303)


@bp.post("/users/<int:user_id>/role")
@requires(Permission.USERS)
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate():
        return _edit_page(user, role_form=form, status=422)
    try:
        accounts.set_role(user.username, Role(form.role.data))
    except accounts.AccountError as exc:
        return _refused(user, exc)
    return _done(user, _("%(name)s sekarang %(role)s.", name=user.username, role=role_label(user.role)))


@bp.post("/users/<int:user_id>/active")
@requires(Permission.USERS)
def toggle_active(user_id):
    user = db.get_or_404(User, user_id)
    try:
        accounts.set_active(user.username, not user.active)
    except accounts.AccountError as exc:
        return _refused(user, exc)
    if user.active:
        return _done(user, _("Akun %(name)s aktif lagi.", name=user.username))
    return _done(user, _("Akun %(name)s dinonaktifkan; semua sesinya berakhir.", name=user.username))


@bp.post("/users/<int:user_id>/password")
@requires(Permission.USERS)
def reset_password(user_id):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if not form.validate():
        return _edit_page(user, password_form=form, status=422)
    accounts.set_password(user.username, required(form.password.data))
    return _done(user, _("Kata sandi %(name)s diganti; semua sesinya berakhir.", name=user.username))
