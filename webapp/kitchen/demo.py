"""Demo stations: food at "Dapur", drinks at "Minuman" (safe to run again)."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Category, Station, StationCategory

DRINK_WORDS = ("minum", "drink", "es ", "kopi", "teh", "jus")


def _station(name: str, position: int) -> Station:
    station = db.session.scalar(select(Station).where(Station.name == name))
    if station is None:
        station = Station(name=name, position=position)
        db.session.add(station)
        db.session.flush()
    return station


def seed_stations() -> int:
    """The two stations, and a station for every category that has none (drinks by
    their name); how many categories were assigned."""
    kitchen, drinks = _station("Dapur", 1), _station("Minuman", 2)
    assigned = set(db.session.scalars(select(StationCategory.category_id)))
    added = 0
    for category in db.session.scalars(select(Category).where(Category.id.not_in(assigned))):
        name = f"{category.name.lower()} "
        station = drinks if any(word in name for word in DRINK_WORDS) else kitchen
        db.session.add(StationCategory(category_id=category.id, station_id=station.id))
        added += 1
    db.session.commit()
    return added
