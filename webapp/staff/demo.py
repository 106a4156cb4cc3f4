"""Logins for trying the app: an admin and a cashier, made by `flask seed-demo` (which
`make run` runs) in development only, never with WARUNG_ENV=production.

Each password is made at random when its account is made and shown that once, by the
command: a development server may listen on the local network (`make run HOST=0.0.0.0`),
and a password published with the code would open its admin pages to anyone there. It
is made of letters and digits that cannot be mistaken for one another, in groups, to be
typed on a tablet. A lost one is replaced with `flask users set-password`.
"""

from __future__ import annotations

import secrets

from flask import current_app

from ..models import Role
from .accounts import create_user, find_user

DEMO_LOGINS = (("admin", Role.ADMIN), ("kasir", Role.CASHIER))
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - what passwords are made of (no i, l, o, 0, 1)


def new_password() -> str:
    """Twelve characters in three groups (about 59 bits): `k7pq-2mxr-9tbw`."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def seed_demo_staff() -> list[tuple[str, Role, str | None]] | None:
    """Make the demo logins that are missing: (username, role, its new password, or None
    for one that existed already), or None in production, where none is made."""
    if current_app.config["ENVIRONMENT"] == "production":
        return None
    logins: list[tuple[str, Role, str | None]] = []
    for username, role in DEMO_LOGINS:
        password = None
        if find_user(username) is None:
            password = new_password()
            create_user(username, password, role)
        logins.append((username, role, password))
    return logins
