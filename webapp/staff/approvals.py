"""A manager's approval, given on the cashier's own device: the manager picks their
name and types their PIN (4-8 digits, set on their account page); the cashier stays
logged in. What needs approval (a void after the kitchen has it, a refund, a big
discount, a shift closed with a difference) asks `approve`, and the audit trail keeps
both names.

A PIN is hashed like a password. Wrong PINs are counted per manager (LoginFailure rows
named "pin:<username>", apart from logins), and PIN_MAX_FAILURES of them within
PIN_LOCK_MINUTES hold that manager's PIN back; every attempt costs one hash check,
whoever and whatever is asked, so an answer tells nothing a guess could use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..extensions import db
from ..models import AuditKind, LoginFailure, User
from .accounts import DUMMY_HASH, normalise
from .permissions import Permission, allows

PIN_LENGTHS = range(4, 9)


class ApprovalError(ValueError):
    """Why an approval was refused; the message is for the cashier and the manager."""


def approvers() -> list[User]:
    """Who may approve now: active staff whose role approves and who have set a PIN."""
    users = db.session.scalars(select(User).where(User.active, User.pin_hash.is_not(None)).order_by(User.username))
    return [user for user in users if allows(user.role, Permission.APPROVE)]


def approver_names() -> list[str]:
    """The usernames of `approvers()`, read once a request (a page may hold several forms
    that ask for an approval: the order page's discount, void and refund)."""
    if not has_request_context():
        return [user.username for user in approvers()]
    if "approver_names" not in g:
        g.approver_names = [user.username for user in approvers()]
    return g.approver_names


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS


def set_pin(user: User, pin: str, password: str) -> None:
    """The user's own new PIN, confirmed by their password."""
    if not allows(user.role, Permission.APPROVE):
        raise ApprovalError(_("Hanya manajer atau pemilik yang memakai PIN persetujuan."))
    if not check_password_hash(user.password_hash, password or ""):
        raise ApprovalError(_("Kata sandi salah."))
    if not valid_pin(pin):
        raise ApprovalError(_("PIN 4 sampai 8 angka."))
    user.pin_hash = generate_password_hash(pin)
    audit.record(AuditKind.PIN_SET, f"cashier:{user.username}", user.username)
    db.session.commit()


def approve(username: str, pin: str, now: datetime) -> User:
    """The approving manager, if the PIN is theirs and not held back; else ApprovalError.
    A refusal commits its count (the action it was for is not done)."""
    name = normalise(username)[:40]
    key = f"pin:{name}"
    user = db.session.scalar(select(User).where(User.username == name))
    stored = user.pin_hash if user is not None and user.pin_hash else DUMMY_HASH
    pin_ok = check_password_hash(stored, pin or "") and stored is not DUMMY_HASH
    since = now - timedelta(minutes=current_app.config["PIN_LOCK_MINUTES"])
    recent = (LoginFailure.username == key, LoginFailure.created_at > since)
    failures = db.session.scalar(select(func.count()).select_from(LoginFailure).where(*recent))
    if failures >= current_app.config["PIN_MAX_FAILURES"]:
        raise ApprovalError(
            _("PIN %(name)s ditahan %(minutes)s menit karena salah berkali-kali.", name=name, minutes=_minutes())
        )
    if user is None or not user.active or not allows(user.role, Permission.APPROVE) or not pin_ok:
        db.session.add(LoginFailure(username=key, address="", created_at=now))
        db.session.commit()
        raise ApprovalError(_("PIN salah atau bukan PIN manajer."))
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    return user


def _minutes() -> int:
    return int(current_app.config["PIN_LOCK_MINUTES"])
