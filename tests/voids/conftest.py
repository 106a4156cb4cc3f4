from tests import factories as make
from tests.kitchen.conftest import printer, two_stations  # noqa: F401 - the kitchen's fixtures, shared

PIN = make.MANAGER_PIN


def void(client, order, **fields):
    """The order page's void form, posted: the whole order unless `target` says a line."""
    data = {"csrf_token": client.csrf_token, "target": "order", "quantity": "", "reason": "salah input"} | fields
    named = {f"void-{name}": value for name, value in data.items()}  # the form's prefix (void_forms.VOID_PREFIX)
    return client.post(f"/cashier/orders/{order.public_id}/void", data=named)
