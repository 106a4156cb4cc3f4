"""Column types and helpers shared by every model: aware UTC timestamps, public ids,
CHECK constraints listing an enum's values."""
from __future__ import annotations

import enum
import secrets
from datetime import timezone

from sqlalchemy import DateTime, TypeDecorator


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
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def new_public_id() -> str:
    """128 random bits, URL-safe: used in every customer URL instead of the row id."""
    return secrets.token_urlsafe(16)


def in_check(column: str, enum_cls: type[enum.Enum]) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return f"{column} IN ({values})"
