import pytest

from tests.kitchen.printers import FakePrinter
from webapp.kitchen import stations
from webapp.models import Category


@pytest.fixture
def two_stations(app, menu):
    """Dapur cooks Makanan, Minuman makes Minuman (the small menu's categories)."""
    kitchen = stations.save_station(None, "Dapur", "")
    drinks = stations.save_station(None, "Minuman", "")
    for category in Category.query.all():
        stations.assign(category, drinks if category.name == "Minuman" else kitchen)
    return kitchen, drinks


@pytest.fixture
def printer():
    fake = FakePrinter().start()
    yield fake
    fake.stop()
