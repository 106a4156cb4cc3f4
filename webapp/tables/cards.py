"""Printable QR cards: each table's link, and its QR as inline SVG, PNG or SVG file.

The link's path (/t/<token>) is printed on stickers, so it is fixed here rather than
taken from the route: a renamed route must never break the stickers on the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from .. import clock
from ..models import DiningTable
from ..payments import qr

LINK_PATH = "/t/"


def table_link(table: DiningTable) -> str:
    """What the table's QR encodes: PUBLIC_BASE_URL/t/<token>."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + LINK_PATH + table.token


@dataclass(frozen=True)
class TableCard:
    table: DiningTable
    link: str

    def qr_svg(self, label: str) -> Markup:
        return qr.inline_svg(self.link, label)


def cards(tables: list[DiningTable]) -> list[TableCard]:
    return [TableCard(table, table_link(table)) for table in tables]


def qr_file(table: DiningTable, kind: str) -> qr.QrImage:
    """The table's QR as a PNG or SVG file, for sticker printers."""
    return qr.image(table_link(table), kind, keep_until=None, now=clock.now())
