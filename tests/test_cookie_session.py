"""The signed-cookie session is read only by requests that use it (webapp/cookie_session.py)."""

import pytest
from flask import session

from tests import factories as make
from tests.http_helpers import add_to_cart, cart_lines, csrf_token_from, log_in, poll_order, seen_version
from webapp.cookie_session import LazySession, session_unread
from webapp.staff.permissions import Permission, requires


def reads_of_the_cookie(app) -> list[str]:
    """Counts each time the session interface checks and parses a cookie."""
    seen: list[str] = []
    serializer = app.session_interface.get_signing_serializer(app)
    loads = serializer.loads

    def counting(value, **kwargs):
        seen.append(value)
        return loads(value, **kwargs)

    serializer.loads = counting
    return seen


def test_a_poll_leaves_the_customers_cookie_unread_and_unchanged(app, client, menu, csrf):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2")
    order = make.qris_payment(menu).order
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    reads = reads_of_the_cookie(app)
    answer = poll_order(client, order, version)
    assert answer.status_code == 204
    assert reads == []
    assert "Set-Cookie" not in answer.headers and "Cookie" not in answer.headers.get("Vary", "")
    assert [line["qty"] for line in cart_lines(client)] == [2]  # the cookie still holds the cart


def test_a_request_that_uses_the_session_reads_it_once_and_saves_its_changes(app, client, menu, csrf):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    reads = reads_of_the_cookie(app)
    response = add_to_cart(client, csrf, menu["Mie Ayam"].id)
    assert response.status_code == 303 and len(reads) == 1
    assert "Cookie" in response.headers["Vary"] and "session=" in response.headers["Set-Cookie"]
    assert len(cart_lines(client)) == 2


def test_a_tampered_cookie_is_an_empty_session(app, client, menu, csrf):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    cookie = client.get_cookie("session")
    client.set_cookie("session", cookie.value[:-2] + ("AA" if not cookie.value.endswith("AA") else "BB"))
    assert cart_lines(client) == []
    assert "Nasi Goreng" not in client.get("/cart").get_data(as_text=True)


def test_staff_stay_logged_in_across_requests_that_do_not_use_the_session(app, client, staff, menu):
    assert log_in(client, "sari").status_code == 303
    order = make.qris_payment(menu).order
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    assert poll_order(client, order, version).status_code == 204
    assert client.get("/cashier").status_code == 200


def test_a_lazy_session_is_read_by_whichever_use_comes_first(app):
    def opened(data):
        reads = []

        def read():
            reads.append(1)
            return dict(data)

        return LazySession(read), reads

    uses = [
        lambda s: s["cart"],
        lambda s: s.get("cart"),
        lambda s: "cart" in s,
        len,
        bool,
        list,
        dict,
        lambda s: list(s.items()),
        lambda s: s == {"cart": [1]},
        lambda s: s.permanent,
        lambda s: s.setdefault("lang", "en"),
        lambda s: s.pop("cart", None),
        lambda s: s.update(lang="en"),
        lambda s: s.__setitem__("lang", "en"),
    ]
    for use in uses:
        lazy, reads = opened({"cart": [1]})
        assert lazy.unread and reads == []
        use(lazy)
        assert reads == [1] and not lazy.unread
        use(lazy)
        assert reads == [1]
    lazy, _reads = opened({"cart": [1]})
    lazy["lang"] = "en"
    assert dict(lazy) == {"cart": [1], "lang": "en"} and lazy.modified


@pytest.mark.parametrize("use_it", [False, True])
def test_session_unread_tells_whether_the_request_used_its_session(app, client, menu, use_it):
    seen = []

    @app.get("/probe")
    @requires(Permission.PUBLIC)
    def probe():
        if use_it:
            session.get("cart")
        seen.append(session_unread())
        return ""

    add_to_cart(client, csrf_token_from(client.get("/").get_data(as_text=True)), menu["Nasi Goreng"].id)
    client.get("/probe")
    assert seen == [not use_it]
