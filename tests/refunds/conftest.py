"""The refund tests' fixtures: a manager who approves with a PIN, and how the cashier's
order page posts a refund."""

from tests import factories as make

PIN = make.MANAGER_PIN


def refund(client, order, path: str = "refund", **fields):
    """The refund form posted as the cashier fills it: all of it, in cash, approved."""
    data = {"csrf_token": client.csrf_token, "scope": "all", "method": "cash", "reason": "salah pesan"}
    data |= {"approver": "rini", "pin": PIN} | fields
    if path == "refund-extra":  # that form's fields are named apart (refund_forms.EXTRA_PREFIX)
        data = {f"extra-{name}": value for name, value in data.items()}
    return client.post(f"/cashier/orders/{order.public_id}/{path}", data=data)
