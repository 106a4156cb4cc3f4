"""A till and its customer display, as the tests need them: the till's row, lines rung
up on it (its draft, as the till's ringing up keeps it), an order placed at it, and a
display device paired through the pages."""

from __future__ import annotations

from sqlalchemy import select

from tests.http_helpers import HTMX, csrf_token_from
from webapp.extensions import db
from webapp.models import DiningTable, Order, OrderType, Till
from webapp.orders.cart import Cart
from webapp.till import pairing
from webapp.till_display.views import COOKIE_NAME


def till(name: str = "Kasir 1") -> Till:
    """The till (the shop's default one unless named otherwise), made if missing (the
    default one is there already: its drawer is opened for every test)."""
    row = db.session.scalar(select(Till).where(Till.name == name))
    if row is None:
        row = Till(name=name)
        db.session.add(row)
    db.session.commit()  # the read too: on SQLite an open transaction holds the write lock
    return row


def ring_up(till: Till, menu, *lines, table: DiningTable | None = None) -> None:
    """Add `lines` ((item name, quantity) or (item name, quantity, note, {option id:
    price shown})) to the till's draft, eaten at `table` (else taken away); the till's
    version goes up, as on every change of its draft."""
    draft = dict(till.draft or {})
    cart = Cart(draft)
    for name, quantity, *rest in lines:
        note, options = [*rest, "", None][:2]
        cart.add(menu[name].id, quantity, note, options)
    till.draft = draft
    till.order_type = OrderType.DINE_IN if table is not None else OrderType.TAKEAWAY
    till.table_id = table.id if table is not None else None
    till.version += 1
    db.session.commit()


def clear_draft(till: Till) -> None:
    """The draft placed as an order (or dropped): empty, the version up."""
    till.draft = None
    till.version += 1
    db.session.commit()


def at_till(order: Order, till: Till) -> Order:
    """`order` as placed from the till (ringing up sets its till)."""
    order.till_id = till.id
    db.session.commit()
    return order


def pair_device(client, till: Till, now) -> str:
    """Pair `client` as the till's display through the code page; its token."""
    code = pairing.new_code(till, now)
    page = client.get("/till/display").get_data(as_text=True)
    response = client.post("/till/display", data={"csrf_token": csrf_token_from(page), "code": code})
    assert response.status_code == 303, response.get_data(as_text=True)
    cookie = client.get_cookie(COOKIE_NAME, path="/till/display")
    assert cookie is not None
    return cookie.value


def display_url(till: Till) -> str:
    return f"/till/display/{till.public_id}"


def poll(client, till: Till, seen: str | None = None):
    return client.get(f"{display_url(till)}/live" + (f"?seen={seen}" if seen else ""), headers=HTMX)
