"""Duitku misbehaving during checkout and during status checks: nothing is lost, no
500, and the payment state stays true."""

import threading

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import check_out
from tests.live_server import serving
from webapp.extensions import db
from webapp.models import Payment, PaymentEvent
from webapp.payments import gateway


def _garbage(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html")])
    return [b"<html>Service Unavailable</html>"]


def _server_error(environ, start_response):
    start_response("502 Bad Gateway", [("Content-Type", "application/json")])
    return [b'{"Message": "upstream"}']


@pytest.fixture(params=["down", "slow", "garbage", "5xx"])
def broken_duitku(request, app):
    """Point the app at a Duitku that is down, too slow, answers garbage or a 5xx."""
    duitku = gateway.client()
    original = (duitku.base_url, duitku.read_timeout)
    release = threading.Event()

    def slow(environ, start_response):
        release.wait(10)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    apps = {"slow": slow, "garbage": _garbage, "5xx": _server_error}
    try:
        if request.param == "down":
            duitku.base_url = "http://127.0.0.1:9"
            yield request.param
        else:
            with serving(apps[request.param]) as url:
                duitku.base_url, duitku.read_timeout = url, 0.3
                yield request.param
                release.set()
    finally:
        duitku.base_url, duitku.read_timeout = original


def test_checkout_keeps_the_order_when_duitku_misbehaves(client, csrf, menu, broken_duitku):
    order = check_out(client, csrf, menu, method="qris")
    page = client.get(f"/orders/{order.public_id}")
    assert page.status_code == 200 and "QRIS sedang tidak tersedia" in page.get_data(as_text=True)
    order = reload(order)
    assert order.status == "awaiting_payment" and order.total == 50000
    assert order.current_payment.status == "failed"


def test_status_check_survives_duitku_misbehaving(app, client, menu, clock, broken_duitku):
    duitku = gateway.client()  # the payment is created while Duitku still works

    broken = (duitku.base_url, duitku.read_timeout)
    duitku.base_url, duitku.read_timeout = app.config["DUITKU_BASE_URL"], 10
    payment = make.qris_payment(menu)
    duitku.base_url, duitku.read_timeout = broken
    clock.advance(seconds=10)
    response = client.get(f"/orders/{payment.order.public_id}/status")
    assert response.status_code == 200 and "Scan untuk membayar" in response.get_data(as_text=True)
    assert reload(payment).status == "pending"
    check = db.session.scalars(select(PaymentEvent).where(PaymentEvent.kind == "status_check")).all()
    assert len(check) == 1 and check[0].note == "gateway_error" and check[0].note_params["error"]


def test_a_callback_that_died_half_way_is_applied_once_on_retry(app, client, menu, clock, sandbox):
    """As if the worker died after writing the payment paid but before committing: the
    transaction is rolled back, Duitku retries, and the payment is paid exactly once.
    The death is injected before the first commit that follows the paying writes, so it
    hits both the statement-by-statement path and PostgreSQL's one-statement path."""
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    calls = {"n": 0}

    def dies_once(session):
        paid = session.execute(select(Payment.status).where(Payment.id == payment.id)).scalar_one() == "paid"
        if paid and calls["n"] == 0:
            calls["n"] += 1
            raise RuntimeError("worker killed mid-transaction")

    factory = db.session.session_factory
    sa_event.listen(factory, "before_commit", dies_once)
    try:
        first = client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    finally:
        sa_event.remove(factory, "before_commit", dies_once)
    assert first.status_code == 500  # Duitku sees a failure and retries
    assert reload(payment).status == "pending" and reload(payment).order.status == "awaiting_payment"
    retry = client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    again = client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    assert (retry.status_code, again.status_code) == (200, 200)
    payment = reload(payment)
    assert payment.status == "paid" and payment.order.status == "paid"
    paid_events = db.session.scalars(select(PaymentEvent).where(PaymentEvent.to_status == "paid")).all()
    assert len(paid_events) == 1
    assert [c.to_status for c in payment.order.history].count("paid") == 1
