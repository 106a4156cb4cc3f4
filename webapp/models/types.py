"""Column types and helpers shared by every model: aware UTC timestamps, public ids,
enum-typed code columns."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC

from sqlalchemy import DateTime, Enum, TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database.

    PostgreSQL keeps the zone; SQLite drops it, so values read back are tagged UTC
    again here. Naive values are refused on the way in: they are always a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def new_public_id() -> str:
    """128 random bits, URL-safe: used in every customer URL instead of the row id."""
    return secrets.token_urlsafe(16)


def codes(enum_cls: type[enum.Enum], length: int, check: str | None = None) -> Enum:
    """A column holding an enum's values (its codes, as VARCHAR(length)), read back as
    the enum's members. With `check`, a CHECK constraint of that name lists the values,
    so the database refuses any other (a new member needs a migration that widens it)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=check is not None,
        name=check,
    )
