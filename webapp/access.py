"""The one check of who may open a route, before every request.

A route's permission comes from the one table in `staff.permissions` (its view's
own, or its open blueprint's). What needs no login (the customer's pages, Duitku's callback, the partner API,
which checks its own keys) is let through without reading the session, so the busy
polls stay as cheap as they were. Anything else needs a login and the permission;
a route that names no permission at all is refused to everyone (fail closed).

A refusal says why, in the staff member's language: what the page needs and what their
role is (403 page; 403 with the reason for htmx; JSON under /api/).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from .errors import render_error
from .extensions import login_manager
from .formatting import STAFF_PREFIX
from .labels import permission_label, role_label
from .live import streams
from .live.streams import StreamEnds, Teller
from .staff.permissions import NEEDS_NO_LOGIN, Permission, allows, permission_of


def needed(endpoint: str | None) -> Permission | None:
    """The permission a route needs; None for a route that names none (refused)."""
    if endpoint is None:
        return Permission.PUBLIC  # no route matched: the 404 or 405 answers
    return permission_of(endpoint, current_app.view_functions.get(endpoint))


def may_open(endpoint: str) -> bool:
    """Whether the staff member logged in (or anyone, for what needs no login) may open
    the route: for links (the staff bar shows only what its reader may open)."""
    permission = needed(endpoint)
    if permission in NEEDS_NO_LOGIN:
        return True
    return permission is not None and current_user.is_authenticated and allows(current_user.role, permission)


def while_allowed(tell: Teller) -> Teller:
    """A stream's teller that first asks, each time, whether its reader may still open
    the stream's route (their login read again: their sessions may have ended, their
    role changed), and ends the stream when not."""
    endpoint = request.endpoint or ""  # "": no route, refused

    def allowed_then_told() -> str | None:
        if not may_open(endpoint):
            raise StreamEnds
        return tell()

    return allowed_then_told


def actor() -> str:
    """The staff member logged in, as histories and the audit trail name people
    ("cashier:sari" whatever the role: webapp/labels.py's `actor` words it)."""
    return f"{STAFF_PREFIX}{current_user.username}"


def _check():
    permission = needed(request.endpoint)
    if permission in NEEDS_NO_LOGIN:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if permission is not None and allows(current_user.role, permission):
        return None
    message = (
        _(
            "Akun %(role)s tidak bisa %(what)s. Minta manajer atau pemilik bila perlu.",
            role=role_label(current_user.role),
            what=permission_label(permission),
        )
        if permission is not None
        else _("Halaman ini belum punya aturan akses, jadi tertutup untuk semua akun.")
    )
    return render_error(403, _("Tidak boleh"), message, "forbidden")


def init_app(app: Flask) -> None:
    app.before_request(_check)
    streams.guard_tellers(app, while_allowed)
    app.add_template_global(may_open)
