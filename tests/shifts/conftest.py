"""The shift tests' fixtures: a till of their own (every test starts with Kasir 1's shift
open: tests/conftest.py) and a manager who approves with a PIN."""

import pytest

from tests import factories as make
from webapp.extensions import db
from webapp.models import Role, Till
from webapp.staff import approvals


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
    rini = make.staff_user("rini", role=Role.MANAGER)
    approvals.set_pin(rini, "2468", make.STAFF_PASSWORD)
    return rini
