"""CSV files for spreadsheets, safe to open.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@`
as a formula (and some strip a leading tab or CR first), so a menu item named
`=HYPERLINK(...)` would become a live link or worse in the admin's spreadsheet. Every
CSV the app writes goes through `to_csv`, which prefixes such text cells with `'`
(shown as text, never run). Numbers are written as numbers, negative ones included.
"""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def to_csv(rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()
