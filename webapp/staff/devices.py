"""Devices a staff member logged in from before.

After a successful login the browser keeps a cookie listing the users who logged in
on it, and when. A username held back by failed logins still opens, with its right
password, on a device that lists it, so a stranger cannot lock the cashier out of the
shop's own tablet. The list is signed with SECRET_KEY: it cannot be forged or edited
to name another user, and it is worth nothing without that user's password. Entries
older than REMEMBER_DAYS (by the app's clock) are ignored.
"""

from datetime import datetime

from flask import after_this_request, current_app, request
from itsdangerous import BadData, URLSafeSerializer

from ..models import User

COOKIE_NAME = "warung_device"
COOKIE_PATH = "/login"  # only the login form needs it
SALT = "warung.known-device"
REMEMBER_DAYS = 90
MAX_USERS = 10  # staff sharing one tablet


def _serializer() -> URLSafeSerializer:
    secret = current_app.secret_key
    if secret is None:  # Config always sets one
        raise RuntimeError("SECRET_KEY is not set")
    return URLSafeSerializer(secret, salt=SALT)


def _entries(now: datetime) -> dict[int, int]:
    """User id -> when it last logged in here (unix seconds), the unexpired ones."""
    try:
        entries = {int(user_id): int(since) for user_id, since in _serializer().loads(request.cookies[COOKIE_NAME])}
    except (KeyError, BadData, TypeError, ValueError):
        return {}
    oldest = now.timestamp() - REMEMBER_DAYS * 86400
    return {user_id: since for user_id, since in entries.items() if since > oldest}


def known_user_ids(now: datetime) -> set[int]:
    return set(_entries(now))


def remember(user: User, now: datetime) -> None:
    """Add `user` to this device's list (on the response to this request)."""
    entries = _entries(now)
    entries.pop(user.id, None)
    entries[user.id] = int(now.timestamp())
    value = _serializer().dumps(list(entries.items())[-MAX_USERS:])

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=REMEMBER_DAYS * 86400,
            path=COOKIE_PATH,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
        return response
