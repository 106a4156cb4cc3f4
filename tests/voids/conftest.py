import pytest

from tests import factories as make
from tests.kitchen.conftest import printer, two_stations  # noqa: F401 - the kitchen's fixtures, shared
from webapp.models import Role
from webapp.staff import approvals

PIN = "4321"


@pytest.fixture
def rini(app):
    """A manager who approves with her PIN."""
    manager = make.staff_user("rini", role=Role.MANAGER)
    approvals.set_pin(manager, PIN, make.STAFF_PASSWORD)
    return manager


def void(client, order, **fields):
    """The order page's void form, posted: the whole order unless `target` says a line."""
    data = {"csrf_token": client.csrf_token, "target": "order", "quantity": "", "reason": "salah input"} | fields
    named = {f"void-{name}": value for name, value in data.items()}  # the form's prefix (void_forms.VOID_PREFIX)
    return client.post(f"/cashier/orders/{order.public_id}/void", data=named)
