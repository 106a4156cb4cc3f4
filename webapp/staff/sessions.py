"""Staff sessions: whose they are, and how long they last.

Flask-Login keeps `User.get_id()`, `<id>:<session_version>`, in the signed-cookie
session, and `load` accepts it only while the version is the user's current one.
`end_all` raises the version, so logging out, disabling a user or setting a new
password ends every session of that user on every device, copied cookies included.

A session also ends STAFF_SESSION_HOURS after its last request (a working day,
renewed by use). Flask's own cookie expiry runs on the wall clock and would cover the
customer's cart and language too, so the time of the last request is kept in the
session itself and checked against the app's clock.
"""

from flask import current_app, session
from flask_login import login_user, logout_user

from .. import clock
from ..extensions import db, login_manager
from ..models import User

LAST_USE_KEY = "staff_last_use"
FLASK_LOGIN_USER_KEY = "_user_id"
# A board polls every few seconds: renewing at most once a minute spares it a new
# cookie on every poll.
RENEW_AFTER_SECONDS = 60


def _now() -> int:
    return int(clock.now().timestamp())


def begin(user: User) -> None:
    login_user(user)
    session[LAST_USE_KEY] = _now()


def end_all(user: User) -> None:
    """Every session of `user` ends (commits, with any other change made to `user`)."""
    user.session_version = User.session_version + 1
    db.session.commit()


def log_out(user: User) -> None:
    end_all(user)
    logout_user()
    session.pop(LAST_USE_KEY, None)


@login_manager.user_loader
def load(session_user_id: str) -> User | None:
    """The user this session belongs to, while it is current; it is renewed by use."""
    user_id, _, version = session_user_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() and version.isdigit() else None
    now, last_use = _now(), session.get(LAST_USE_KEY)
    lifetime = current_app.config["STAFF_SESSION_HOURS"] * 3600
    if (
        user is None
        or user.session_version != int(version)
        or not isinstance(last_use, int)
        or now - last_use > lifetime
    ):
        session.pop(FLASK_LOGIN_USER_KEY, None)
        session.pop(LAST_USE_KEY, None)
        return None
    if now - last_use >= RENEW_AFTER_SECONDS:
        session[LAST_USE_KEY] = now
    return user
