"""Creating, editing, ordering and retiring tables, and reading a scanned token.

A token is looked up in one place (`lookup`), which tells apart a live table, a table
that is switched off, a token that was replaced by a newer one, and a token nobody
ever issued: the customer's page says which, and never fails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..extensions import db, next_position
from ..models import DiningTable, RetiredTableToken, new_public_id

LABEL_MAX_LENGTH = 20
AREA_MAX_LENGTH = 40


class TableError(ValueError):
    """A refused table change; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def all_tables(active_only: bool = False) -> list[DiningTable]:
    """Tables in floor order: by area, then position, then label."""
    query = select(DiningTable).order_by(DiningTable.area, DiningTable.position, DiningTable.label, DiningTable.id)
    if active_only:
        query = query.where(DiningTable.active)
    return list(db.session.scalars(query))


def lists_tables() -> bool:
    """Whether checkout offers a list of tables (TABLE_CHOICE "qr_or_list"), or a
    customer eats in only by scanning a table's QR ("qr_only")."""
    return current_app.config["TABLE_CHOICE"] != "qr_only"


def find_by_label(label: str) -> DiningTable | None:
    return db.session.scalar(select(DiningTable).where(func.lower(DiningTable.label) == label.strip().lower()))


def save_table(
    table: DiningTable | None, label: str, area: str = "", active: bool = True, position: int | None = None
) -> DiningTable:
    """Create a table (placed last in its area unless `position` says) or change one."""
    label, area = " ".join(label.split()), " ".join(area.split())
    if not label or len(label) > LABEL_MAX_LENGTH:
        raise TableError(_("Nama meja wajib, paling panjang %(max)s karakter.", max=LABEL_MAX_LENGTH), "label")
    if len(area) > AREA_MAX_LENGTH:
        raise TableError(_("Area paling panjang %(max)s karakter.", max=AREA_MAX_LENGTH), "area")
    taken = find_by_label(label)
    if taken is not None and taken is not table:
        raise TableError(_("Meja %(label)s sudah ada.", label=label), "label")
    if table is None:
        if position is None:
            position = next_position(DiningTable.position)
        table = DiningTable()
        db.session.add(table)
    table.label, table.area, table.active = label, area, active
    if position is not None:
        table.position = position
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent edit took the label first
        db.session.rollback()
        raise TableError(_("Meja %(label)s sudah ada.", label=label), "label") from exc
    return table


def rotate_token(table: DiningTable, now: datetime | None = None) -> DiningTable:
    """Give the table a new token; the old one is kept as retired, so its link says
    "this code was replaced" instead of "unknown"."""
    table.retired_tokens.append(RetiredTableToken(token=table.token, retired_at=now or clock.now()))
    table.token = new_public_id()
    db.session.commit()
    return table


class Scan(enum.StrEnum):
    """What a scanned token turned out to be."""

    TABLE = "table"  # a live table
    INACTIVE = "inactive"  # the table is switched off
    ROTATED = "rotated"  # the sticker was replaced by a newer code
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Lookup:
    scan: Scan
    table: DiningTable | None = None  # which table it was, except for an unknown token


def lookup(token: str) -> Lookup:
    if len(token) > 32:  # longer than any token: not worth a query
        return Lookup(Scan.UNKNOWN)
    table = db.session.scalar(select(DiningTable).where(DiningTable.token == token))
    if table is not None:
        return Lookup(Scan.TABLE if table.active else Scan.INACTIVE, table)
    retired = db.session.scalar(select(RetiredTableToken).where(RetiredTableToken.token == token))
    if retired is not None:
        return Lookup(Scan.ROTATED, retired.table)
    return Lookup(Scan.UNKNOWN)


def active_table(table_id: int | None) -> DiningTable | None:
    """The table of that id if it takes orders now."""
    table = db.session.get(DiningTable, table_id) if table_id is not None else None
    return table if table is not None and table.active else None
