"""Login and logout for cashiers and admins, and the guards their blueprints use."""

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .. import clock
from ..extensions import limiter, login_manager
from ..forms import required
from ..redirects import local_path
from ..staff import devices, sessions
from ..staff.accounts import AccountError, authenticate

bp = Blueprint("auth", __name__)


def require_login():
    """`before_request` for whole blueprints, so that no route can forget it."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def require_admin():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Isi nama pengguna.")), Length(max=40)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi.")), Length(max=200)])


def landing_page() -> str:
    """Where staff land after logging in: an admin on the day's summary and a way to
    every job (admin.today), a cashier on the order board."""
    return url_for("admin.today") if current_user.is_admin else url_for("cashier.board")


def _safe_next(target: str | None) -> str:
    """Only local paths, so a crafted link cannot bounce a cashier to another site."""
    return local_path(target) or landing_page()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(landing_page())
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        now = clock.now()
        try:
            user = authenticate(
                required(form.username.data),
                required(form.password.data),
                now,
                address=request.remote_addr,
                known_user_ids=devices.known_user_ids(now),
            )
        except AccountError as exc:
            error = str(exc)
        else:
            sessions.begin(user)
            devices.remember(user, now)
            return redirect(_safe_next(request.args.get("next")), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    """Ends every session of this user, on every device; the customer's cart and
    language stay."""
    sessions.log_out(current_user._get_current_object())
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"), 303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
