"""Jinja filters for money and time as Indonesians read them."""
from datetime import datetime

from flask import Flask

from .timeutil import to_jakarta


def rupiah(amount: int) -> str:
    """Integer rupiah with Indonesian grouping: 25000 -> `Rp25.000`."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def jakarta_time(moment: datetime) -> str:
    """`14.05 WIB`: the hour and minute in Jakarta, as written in Indonesia."""
    return to_jakarta(moment).strftime("%H.%M WIB")


def register(app: Flask) -> None:
    app.add_template_filter(rupiah)
    app.add_template_filter(jakarta_time)
