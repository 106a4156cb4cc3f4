"""Cashier and admin accounts: creating, disabling, and checking a login.

Passwords are hashed with werkzeug's scrypt. Repeated failed logins for one username
lock it for a while; an unknown username costs the same time as a known one, so the
answer does not reveal which usernames exist.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Role, User

MIN_PASSWORD_LENGTH = 8
WRONG_LOGIN = _l("Nama pengguna atau kata sandi salah.")
_DUMMY_HASH = generate_password_hash("never-matches-anything")


class AccountError(ValueError):
    """The message is shown to the person logging in or running the command."""


def normalise(username: str) -> str:
    return (username or "").strip().lower()


def create_user(username: str, password: str, role: Role) -> User:
    username = normalise(username)
    if not username or len(username) > 40 or not username.replace("_", "").replace(".", "").isalnum():
        raise AccountError("Username: 1-40 letters, digits, '.' or '_'.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalar(select(User).where(User.username == username)):
        raise AccountError(f"User {username} already exists.")
    user = User(username=username, password_hash=generate_password_hash(password), role=role.value)
    db.session.add(user)
    db.session.commit()
    return user


def set_active(username: str, active: bool) -> User:
    user = db.session.scalar(select(User).where(User.username == normalise(username)))
    if user is None:
        raise AccountError(f"No user {normalise(username)}.")
    user.active = active
    db.session.commit()
    return user


def authenticate(username: str, password: str, now: datetime) -> User:
    """The user, if the password is right and the account is usable; else AccountError."""
    user = db.session.scalar(select(User).where(User.username == normalise(username)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise AccountError(str(WRONG_LOGIN))
    if user.locked_until is not None and now < user.locked_until:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise AccountError(_("Terlalu banyak percobaan gagal. Coba lagi dalam %(minutes)s menit.", minutes=minutes))
    if not check_password_hash(user.password_hash, password or ""):
        _count_failure(user, now)
        raise AccountError(str(WRONG_LOGIN))
    if not user.active:
        raise AccountError(_("Akun ini dinonaktifkan. Hubungi admin."))
    user.failed_logins, user.locked_until = 0, None
    db.session.commit()
    return user


def _count_failure(user: User, now: datetime) -> None:
    """Count atomically (parallel guesses all count); lock at the limit."""
    config = current_app.config
    failures = db.session.scalar(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    )
    if failures >= config["LOGIN_MAX_FAILURES"]:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"]))
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
