"""Kitchen stations and which station cooks each category (admins set them)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..extensions import db, name_taken, next_position
from ..models import Category, Station, StationCategory
from ..printing.escpos import PrinterAddressError, printer_address


class StationError(ValueError):
    """A station that cannot be saved; the message says why, `field` names the input."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def all_stations() -> list[Station]:
    return list(db.session.scalars(select(Station).order_by(Station.position, Station.id)))


def valid_printer(text: str) -> str:
    """`host:port` (port 1-65535), or "" for no printer."""
    try:
        return printer_address(text)
    except PrinterAddressError as exc:
        raise StationError(str(exc), "printer") from exc


def save_station(station: Station | None, name: str, printer: str) -> Station:
    name = " ".join(name.split())
    printer = valid_printer(printer)
    if name_taken(Station.name, name, station):
        raise StationError(_("Sudah ada stasiun bernama %(name)s.", name=name), "name")
    if station is None:
        station = Station(position=next_position(Station.position))
        db.session.add(station)
    station.name, station.printer = name, printer
    db.session.commit()
    return station


def delete_station(station: Station) -> None:
    db.session.delete(station)
    db.session.commit()


def assignments() -> dict[int, int]:
    """Station id by category id."""
    return dict(db.session.execute(select(StationCategory.category_id, StationCategory.station_id)).tuples().all())


def assign(category: Category, station: Station | None) -> None:
    """`category`'s items are cooked at `station` (None: at no station)."""
    db.session.execute(delete(StationCategory).where(StationCategory.category_id == category.id))
    if station is not None:
        db.session.add(StationCategory(category_id=category.id, station_id=station.id))
    db.session.commit()
