"""Staff accounts: creating, changing role or password, disabling, and checking a login.

Passwords are hashed with werkzeug's scrypt. Every refused login is logged
(`LoginFailure`: the normalised username, known or not, and the client's address) for
LOGIN_LOCK_MINUTES. A username with LOGIN_MAX_FAILURES of them is held back, except on
a device it logged in from before (see devices.py), so a stranger cannot lock the
cashier out of the shop's tablet; an address with LOGIN_ADDRESS_MAX_FAILURES is held
back too, so one client cannot lock out every account. Whatever the reason (unknown
username, wrong password, held back) the answer is the same message after the same
work, one password-hash check, so it tells nobody which usernames exist or are held.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from ipaddress import ip_address, ip_network

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginFailure, Role, User
from . import sessions

MIN_PASSWORD_LENGTH = 8
USERNAME_MAX_LENGTH = 40
WRONG_LOGIN = _l("Nama pengguna atau kata sandi salah. Setelah beberapa kali gagal, masuk ditahan sementara.")
_DUMMY_HASH = generate_password_hash("never-matches-anything")
LAST_OWNER = _l("Ini pemilik aktif terakhir: jadikan akun lain pemilik dulu.")


class AccountError(ValueError):
    """The message is shown to the person logging in or running the command."""


def normalise(username: str) -> str:
    return (username or "").strip().lower()


def throttle_key(address: str | None) -> str:
    """The client an address stands for: the IPv4 address, or the IPv6 /64 (one home
    or phone network can use any address inside its /64)."""
    try:
        parsed = ip_address(address or "")
    except ValueError:
        return "unknown"
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    if parsed.version == 6:
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _check_password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise(username)))


def _existing(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise AccountError(f"No user {normalise(username)}.")
    return user


def create_user(username: str, password: str, role: Role) -> User:
    username = normalise(username)
    if not username or len(username) > USERNAME_MAX_LENGTH or not username.replace("_", "").replace(".", "").isalnum():
        raise AccountError("Username: 1-40 letters, digits, '.' or '_'.")
    _check_password_length(password)
    if find_user(username):
        raise AccountError(f"User {username} already exists.")
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def set_password(username: str, password: str) -> User:
    """A new password; every session of the user ends."""
    user = _existing(username)
    _check_password_length(password)
    user.password_hash = generate_password_hash(password)
    sessions.end_all(user)
    return user


def set_active(username: str, active: bool) -> User:
    user = _existing(username)
    if not active:
        _keep_an_owner(user)
    user.active = active
    sessions.end_all(user)
    return user


def set_role(username: str, role: Role) -> User:
    """A new role, in force from the user's next request (the role is read each time)."""
    user = _existing(username)
    if role != Role.ADMIN:
        _keep_an_owner(user)
    user.role = role
    db.session.commit()
    return user


def _keep_an_owner(user: User) -> None:
    """Refuse to take away the last active owner: nobody could manage the shop then."""
    others = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active, User.id != user.id)
    )
    if user.role == Role.ADMIN and user.active and not others:
        raise AccountError(str(LAST_OWNER))


def authenticate(
    username: str, password: str, now: datetime, address: str | None, known_user_ids: Collection[int] = ()
) -> User:
    """The user, if the password is right and the account is usable; else AccountError.

    `known_user_ids`: the users this device logged in as before (devices.py).
    """
    name = normalise(username)[:USERNAME_MAX_LENGTH]
    client = throttle_key(address)
    user = db.session.scalar(select(User).where(User.username == name))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    since = now - timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    held_back = _held_back(name, client, since) and not (user is not None and user.id in known_user_ids)
    if held_back:
        raise AccountError(str(WRONG_LOGIN))  # not counted: the hold must end on time
    if user is None or not password_ok:
        _record_failure(name, client, now, since)
        raise AccountError(str(WRONG_LOGIN))
    if not user.active:
        raise AccountError(_("Akun ini dinonaktifkan. Hubungi admin."))
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == name))
    db.session.commit()
    return user


def _held_back(name: str, client: str, since: datetime) -> bool:
    """Both counts, always (the same work whoever asks)."""
    config = current_app.config
    for_name, for_client = db.session.execute(
        select(
            func.count().filter(LoginFailure.username == name),
            func.count().filter(LoginFailure.address == client),
        ).where(LoginFailure.created_at > since, or_(LoginFailure.username == name, LoginFailure.address == client))
    ).one()
    return for_name >= config["LOGIN_MAX_FAILURES"] or for_client >= config["LOGIN_ADDRESS_MAX_FAILURES"]


def _record_failure(name: str, client: str, now: datetime, since: datetime) -> None:
    """Log one failure (parallel guesses all count) and drop those past the window."""
    db.session.add(LoginFailure(username=name, address=client, created_at=now))
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at <= since))
    db.session.commit()
