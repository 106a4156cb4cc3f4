"""Staff accounts and their roles, and the refused logins that hold a username or address back."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes


class Role(enum.StrEnum):
    """What someone does in the shop; what each may do is webapp/staff/permissions.py."""

    ADMIN = "admin"  # the owner
    MANAGER = "manager"
    CASHIER = "cashier"
    WAITER = "waiter"
    KITCHEN = "kitchen"


class User(UserMixin, Model):
    """Someone who works in the shop. Passwords are stored only as werkzeug (scrypt) hashes."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(codes(Role, 10, check="role_known"), default=Role.CASHIER)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's user id (see get_id): raising it ends all of this user's
    # sessions at once, on every device (logout, disabling, a new password).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A manager's (or the owner's) approval PIN, 4-8 digits, hashed like the password;
    # None: not set (they cannot approve until they set it on their account page).
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: `<id>:<session_version>`."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active


class LoginFailure(Model):
    """A refused login (wrong password or unknown username), kept for
    LOGIN_LOCK_MINUTES: the lock per username and the throttle per client address
    both count these rows."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_username_created_at", "username", "created_at"),
        Index("ix_login_failure_address_created_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))  # as normalised, known or not
    address: Mapped[str] = mapped_column(String(45))  # an IPv4 address or an IPv6 /64
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
