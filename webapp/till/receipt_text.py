"""A receipt laid out for a till's thermal printer: 32 characters a line on 58 mm paper,
48 on 80 mm, in the printer's own font (ESC/POS text, no image).

The same receipt as the page (`billing.receipts`: its facts, lines, figures and payment
rows), in columns: the label on the left, the amount on the right, a line too long
wrapped under itself. The shop's name, address and tax number are centred at the top,
the total is printed tall and bold, "Terima kasih" at the foot.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from flask_babel import gettext as _

from ..billing.receipts import (
    Receipt,
    Row,
    discount_rows,
    fact_rows,
    inclusive_note,
    order_discount_rows,
    payment_rows,
    sum_rows,
)
from ..formatting import rupiah
from ..models import ReceiptPaper
from ..printing import escpos

CHARACTERS = {ReceiptPaper.MM58: 32, ReceiptPaper.MM80: 48}
ITEM_INDENT = "   "  # under "2x ": an item's options, note and wrapped name
NARROWEST = 10  # a label is wrapped beside its value in no fewer characters


@dataclass(frozen=True)
class Line:
    """One printed line (at most the paper's characters) and how: "head" (centred, the
    shop's name bold), "total" (tall and bold), else plain."""

    text: str
    style: str = ""


def wrapped(words: str, width: int, indent: str = "", style: str = "") -> list[Line]:
    """`words` on as many lines as they take; lines after the first indented."""
    return [Line(part, style) for part in textwrap.wrap(escpos.plain(words), width, subsequent_indent=indent) or [""]]


def in_columns(left: str, right: str, width: int, indent: str = "", style: str = "") -> list[Line]:
    """`left` and `right` on one line, `right` against the edge. A `left` too long wraps
    in the room left of `right`; when that room is too narrow for its words, `left` takes
    whole lines and `right` comes under it, against the edge."""
    left, right = escpos.plain(left), escpos.plain(right)
    room = width - len(right) - 1
    if len(left) <= room:
        return [Line(f"{left.ljust(room)} {right}", style)]
    if room >= NARROWEST and all(len(word) <= room for word in left.split()):
        first, *rest = textwrap.wrap(left, room, subsequent_indent=indent)
        return [Line(f"{first.ljust(room)} {right}", style), *(Line(part, style) for part in rest)]
    under = [Line(part.rjust(width), style) for part in textwrap.wrap(right, width)]
    return [*wrapped(left, width, indent, style), *under]


def _rows(rows: list[Row], width: int, indent: str = "") -> list[Line]:
    return [line for row in rows for line in in_columns(indent + row.label, row.value, width, indent, row.kind)]


def receipt_lines(receipt: Receipt, shop_name: str, width: int) -> list[Line]:
    """The receipt's lines for a paper of `width` characters (in the locale in force)."""
    rule = Line("-" * width)
    lines = wrapped(shop_name, width, style="head")
    if receipt.merchant_address:
        lines += wrapped(receipt.merchant_address, width, style="centre")
    if receipt.merchant_tax_number:
        lines += wrapped(_("NPWPD %(number)s", number=receipt.merchant_tax_number), width, style="centre")
    lines += [rule, *_rows(fact_rows(receipt), width), rule]
    for item in receipt.items:
        lines += in_columns(f"{item.quantity}x {item.name}", rupiah(item.line_total), width, ITEM_INDENT)
        for name in item.option_names:
            lines += wrapped(f"{ITEM_INDENT}+ {name}", width, ITEM_INDENT + "  ")
        if item.note:
            lines += wrapped(f"{ITEM_INDENT}({item.note})", width, ITEM_INDENT + " ")
        lines += _rows(discount_rows(item.discounts), width, ITEM_INDENT)
    lines += _rows(order_discount_rows(receipt), width)
    if receipt.note:
        lines += wrapped(_("Catatan: %(note)s", note=receipt.note), width)
    lines += [rule, *_rows(sum_rows(receipt.bill), width)]
    if note := inclusive_note(receipt.bill):
        lines += wrapped(note, width)
    lines += [rule, *_rows(payment_rows(receipt), width), rule]
    return [*lines, *wrapped(_("Terima kasih"), width, style="centre")]


STYLES = {
    "head": (escpos.CENTER + escpos.BOLD_ON, escpos.BOLD_OFF + escpos.LEFT),
    "centre": (escpos.CENTER, escpos.LEFT),
    "total": (escpos.TALL + escpos.BOLD_ON, escpos.BOLD_OFF + escpos.NORMAL),
}


def escpos_bytes(lines: list[Line]) -> bytes:
    """The lines as ESC/POS: each in its style, then fed to the cutter and cut."""
    parts = []
    for line in lines:
        before, after = STYLES.get(line.style, (b"", b""))
        parts.append(before + escpos.text(line.text) + after + b"\n")
    return b"".join(parts) + escpos.FEED_AND_CUT
