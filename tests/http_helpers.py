"""Talking to the app through a test client as a browser or htmx does: CSRF tokens,
staff logins, the cart and checkout forms, polls, the partner API."""

from __future__ import annotations

import html
import re
import time

from tests.factories import STAFF_PASSWORD
from webapp.extensions import db
from webapp.models import Order

API = "/api/v1"
HTMX = {"HX-Request": "true"}
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHECKOUT_TOKEN_INPUT = re.compile(r'name="checkout_token" type="hidden" value="([^"]+)"')
SEEN = re.compile(r'seen=([^"&]+)"')


def csrf_token_from(page: str) -> str:
    match = CSRF_INPUT.search(page)
    assert match, "page has no CSRF token"
    return match.group(1)


def visible_text(page: str) -> str:
    """The page's text as read: no tags or attributes, entities decoded, spaces
    collapsed, and the multiplication sign of an order line ("2 times") read as "x"."""
    words = html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u00d7", "x")
    return re.sub(r"\s+", " ", words)


# Staff ---------------------------------------------------------------------------------


def log_in(client, username: str, password: str = STAFF_PASSWORD):
    """Fill in and post the login form; the response (303 to the board when accepted).
    For a client that is simply logged in, use the `staff_client` fixture."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password})


def staff_csrf(client) -> str:
    """A CSRF token for a logged-in client's forms, read from its board."""
    return csrf_token_from(client.get("/cashier").get_data(as_text=True))


def logged_in_client(app, username: str):
    """A new test client logged in as `username`, its `csrf_token` ready for the staff forms."""
    client = app.test_client()
    assert log_in(client, username).status_code == 303
    client.csrf_token = staff_csrf(client)
    return client


def log_out(client) -> None:
    assert client.post("/logout", data={"csrf_token": staff_csrf(client)}).status_code == 303


# The customer's cart and checkout --------------------------------------------------------


def add_to_cart(client, csrf, item_id, quantity="1", htmx=False, **extra):
    data = {"csrf_token": csrf, "item_id": str(item_id), "quantity": quantity, **extra}
    return client.post("/cart/add", data=data, headers=HTMX if htmx else {})


def cart_lines(client) -> list[dict]:
    with client.session_transaction() as session:
        return session.get("cart", [])


def checkout_form(client) -> dict:
    """The checkout form as the page renders it, filled in for a cash takeaway order."""
    html = client.get("/checkout").get_data(as_text=True)
    token = CHECKOUT_TOKEN_INPUT.search(html)
    return {
        "csrf_token": csrf_token_from(html),
        "checkout_token": token.group(1) if token else "",
        "customer_name": "Sari",
        "order_type": "takeaway",
        "note": "",
        "payment_method": "cash",
    }


def check_out(client, csrf, menu, method: str = "cash") -> Order:
    """Order two Nasi Goreng through the customer's forms (for tests of those forms and
    of what checkout does; other tests build orders with tests.factories)."""
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2")
    response = client.post("/checkout", data=checkout_form(client) | {"payment_method": method})
    assert response.status_code == 303
    return db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()


# Polls ---------------------------------------------------------------------------------


def seen_version(html: str) -> str:
    """The version a polled fragment asks about next (its `seen` parameter)."""
    return SEEN.search(html).group(1)


def poll_order(client, order, seen=None):
    return _poll(client, f"/orders/{order.public_id}/status", seen)


def poll_payment(client, payment, seen=None):
    return _poll(client, f"/payments/{payment.public_id}/status", seen)


def _poll(client, url: str, seen):
    return client.get(url + (f"?seen={seen}" if seen else ""), headers=HTMX)


# The partner API -----------------------------------------------------------------------


def post_qris(client, account, **body):
    """Ask for a QRIS payment for the account's license: Rp50.000 unless `body` says."""
    payload = {"license_key": account.license_key, "amount": 50000, **body}
    return client.post(f"{API}/payments/qris", json=payload, headers=account.headers)


def wait_until_watched(app, deadline_seconds: float = 10) -> None:
    """Block until the app holds a long-poll wait (instead of guessing with a sleep)."""
    watcher = app.extensions["payment_watcher"]
    deadline = time.monotonic() + deadline_seconds
    while watcher.watching() == 0:
        assert time.monotonic() < deadline, "the wait never reached the app"
        time.sleep(0.005)
