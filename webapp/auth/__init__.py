"""Login and logout for staff, where each role lands, and the check of every route's
permission (access.py)."""

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .. import access, clock
from ..extensions import limiter
from ..forms import required
from ..models import Role
from ..redirects import local_path
from ..staff import devices, sessions
from ..staff.accounts import AccountError, authenticate
from ..staff.permissions import Permission, requires

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Isi nama pengguna.")), Length(max=40)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi.")), Length(max=200)])


# Where each role lands after logging in: the page of its job.
LANDING = {
    Role.ADMIN: "admin.today",  # the day's summary and a way to every job
    Role.MANAGER: "admin.today",
    Role.CASHIER: "cashier.board",
    Role.WAITER: "cashier.tables",  # the floor: the tables and their bills
    Role.KITCHEN: "kitchen.index",  # the stations' displays
}


def landing_page() -> str:
    return url_for(LANDING.get(current_user.role, "cashier.board"))


def _safe_next(target: str | None) -> str:
    """Only local paths, so a crafted link cannot bounce a cashier to another site."""
    return local_path(target) or landing_page()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
@requires(Permission.PUBLIC)
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
@requires(Permission.STAFF)
def logout():
    """Ends every session of this user, on every device; the customer's cart and
    language stay."""
    sessions.log_out(current_user._get_current_object())
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"), 303)


from . import account  # noqa: E402,F401  (register its routes on bp)


def init_app(app: Flask) -> None:
    access.init_app(app)
    app.register_blueprint(bp)
