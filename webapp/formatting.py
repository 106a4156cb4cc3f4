"""Jinja filters for money and time, always as Indonesians write them (Babel, id_ID)."""

from datetime import datetime
from functools import lru_cache

from babel.dates import format_datetime, format_time
from babel.numbers import format_currency, format_decimal
from flask import Flask

from .timeutil import JAKARTA

LOCALE = "id_ID"
STAFF_PREFIX = "cashier:"  # how histories and the audit trail name staff, whatever the role (access.actor)


def staff_name(actor: str) -> str:
    """The username in a staff member's actor code ("cashier:sari" -> "sari")."""
    return actor.removeprefix(STAFF_PREFIX)


@lru_cache(maxsize=4096)  # Babel's formatting costs ~0.1 ms a call; prices repeat
def rupiah(amount: int) -> str:
    """Integer rupiah with Indonesian grouping: 25000 -> `Rp25.000`."""
    return format_currency(amount, "IDR", format="¤#,##0", locale=LOCALE, currency_digits=False)


def jakarta_time(moment: datetime) -> str:
    """`14.05 WIB`: the hour and minute in Jakarta, as written in Indonesia."""
    return format_time(moment, "HH.mm", tzinfo=JAKARTA, locale=LOCALE) + " WIB"


def jakarta_datetime(moment: datetime) -> str:
    """`23/11/2026 14.05 WIB`: date, hour and minute in Jakarta (receipts)."""
    return format_datetime(moment, "dd/MM/yyyy HH.mm", tzinfo=JAKARTA, locale=LOCALE) + " WIB"


def percent(basis_points: int) -> str:
    """A rate held in basis points as Indonesians write it: 1000 -> `10%`, 250 -> `2,5%`."""
    return format_decimal(basis_points / 100, format="#,##0.##", locale=LOCALE) + "%"


def init_app(app: Flask) -> None:
    app.add_template_filter(rupiah)
    app.add_template_filter(jakarta_time)
    app.add_template_filter(jakarta_datetime)
    app.add_template_filter(percent)
