"""The shift tests' fixtures: a till of their own (every test starts with Kasir 1's shift
open: tests/conftest.py) and a manager who approves with a PIN."""

import pytest

from tests import factories as make
from webapp.extensions import db
from webapp.models import Till


@pytest.fixture
def till(app) -> Till:
    """A second counter till, "Kasir 2", its drawer without a shift."""
    row = Till(name="Kasir 2")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def manager(app):
    """Rini, a manager whose approval PIN is 2468."""
    return make.manager(pin="2468")
