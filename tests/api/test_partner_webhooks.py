"""Signed partner webhooks: delivery, verification, retries with backoff, a down endpoint."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as make
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import API, post_qris
from tests.live_server import serving
from warung_client import WebhookVerificationError, verify_webhook
from webapp.extensions import db
from webapp.models import Payment, WebhookAttempt, WebhookDelivery
from webapp.partners import accounts as partners
from webapp.payments import outbound, partner_webhooks, reconcile


def paid_partner_payment(client, pos, sandbox, clock) -> Payment:
    created = post_qris(client, pos, reference_id="TXN-9").json
    payment = db.session.scalar(select(Payment).where(Payment.public_id == created["transaction_id"]))
    settle_quietly(sandbox, payment, clock())
    client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    return payment


@pytest.mark.parametrize("confirmed", [True, False])
def test_paid_event_is_delivered_signed(client, pos, endpoint, sandbox, clock, confirmed):
    """Also without confirmation, when a usual order's callback is paid before its payment
    is read (webapp/payments/callbacks.py): never a partner's."""
    client.application.config["DUITKU_CONFIRM_CALLBACKS"] = confirmed
    payment = paid_partner_payment(client, pos, sandbox, clock)
    [request] = endpoint.received
    event = verify_webhook(request["body"], request["signature"], pos.partner.webhook_secret, now=clock().timestamp())
    assert event["event"] == "payment.paid" and event["id"].startswith("evt_")
    assert event["data"]["transaction_id"] == payment.public_id
    assert event["data"]["status"] == "paid" and event["data"]["reference_id"] == "TXN-9"
    delivery = db.session.scalar(select(WebhookDelivery))
    assert (delivery.status, delivery.attempts, delivery.event_id) == ("delivered", 1, event["id"])


def test_verify_webhook_refuses_forgery_and_replay(client, pos, endpoint, sandbox, clock):
    paid_partner_payment(client, pos, sandbox, clock)
    [request] = endpoint.received
    now = clock().timestamp()
    with pytest.raises(WebhookVerificationError, match="mismatch"):
        verify_webhook(request["body"] + b" ", request["signature"], pos.partner.webhook_secret, now=now)
    with pytest.raises(WebhookVerificationError, match="mismatch"):
        verify_webhook(request["body"], request["signature"], "whsec_wrong", now=now)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify_webhook(request["body"], request["signature"], pos.partner.webhook_secret, now=now + 301)
    with pytest.raises(WebhookVerificationError, match="malformed"):
        verify_webhook(request["body"], "v1=abc", pos.partner.webhook_secret, now=now)


def test_expired_and_cancelled_events(client, pos, endpoint, clock):
    first = client.post(
        f"{API}/payments/qris", json={"license_key": pos.license_key, "amount": 20000}, headers=pos.headers
    ).json["transaction_id"]
    second = client.post(
        f"{API}/payments/qris", json={"license_key": pos.license_key, "amount": 30000}, headers=pos.headers
    ).json["transaction_id"]
    client.post(f"{API}/payments/{first}/cancel", headers=pos.headers)
    clock.advance(minutes=11)
    client.get(f"{API}/payments/{second}", headers=pos.headers)  # the read expires it
    events = [json.loads(r["body"]) for r in endpoint.received]
    assert [(e["event"], e["data"]["transaction_id"]) for e in events] == [
        ("payment.cancelled", first),
        ("payment.expired", second),
    ]


def test_a_down_endpoint_is_retried_with_backoff_and_every_attempt_logged(app, client, pos, endpoint, sandbox, clock):
    endpoint.status = 500
    paid_partner_payment(client, pos, sandbox, clock)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    runner = app.test_cli_runner()
    expected_gaps = [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
    ]
    for gap in expected_gaps:
        db.session.expire_all()
        assert db.session.get(WebhookDelivery, delivery.id).next_attempt_at == clock() + gap
        clock.advance(seconds=gap.total_seconds() - 1)
        assert "0 due" in runner.invoke(args=["payments", "deliver-webhooks"]).output  # not yet
        clock.advance(seconds=1)
        assert "1 due" in runner.invoke(args=["payments", "deliver-webhooks"]).output
    db.session.expire_all()
    delivery = db.session.get(WebhookDelivery, delivery.id)
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    attempts = db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery.id)).all()
    assert [a.status_code for a in attempts] == [500] * 6
    assert len({json.loads(r["body"])["id"] for r in endpoint.received}) == 1  # same event id every time


def test_a_final_attempt_that_died_mid_send_is_tried_again_later(app, client, pos, endpoint, sandbox, clock):
    endpoint.status = 500
    paid_partner_payment(client, pos, sandbox, clock)
    delivery = db.session.scalar(select(WebhookDelivery))
    delivery.attempts = partner_webhooks.MAX_ATTEMPTS - 1  # as if its process died during the last try
    delivery.next_attempt_at = clock() + partner_webhooks.FINAL_ATTEMPT_LEASE
    db.session.commit()
    runner = app.test_cli_runner()
    assert "0 due" in runner.invoke(args=["payments", "deliver-webhooks"]).output  # still leased
    clock.advance(hours=1)
    endpoint.status = 200
    assert "1 delivered" in runner.invoke(args=["payments", "deliver-webhooks"]).output
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, delivery.id).status == "delivered"


def test_a_retry_succeeds_once_the_endpoint_is_back(app, client, pos, endpoint, sandbox, clock):
    endpoint.status = 503
    paid_partner_payment(client, pos, sandbox, clock)
    endpoint.status = 200
    clock.advance(minutes=1)
    result = app.test_cli_runner().invoke(args=["payments", "deliver-webhooks"])
    assert "1 delivered" in result.output
    assert db.session.scalar(select(WebhookDelivery)).status == "delivered"
    clock.advance(hours=7)
    assert "0 due" in app.test_cli_runner().invoke(args=["payments", "deliver-webhooks"]).output


def test_unreachable_endpoint_is_logged_as_an_error(client, pos, endpoint, sandbox, clock):
    pos.partner.webhook_url = "http://127.0.0.1:9/hooks"
    db.session.commit()
    paid_partner_payment(client, pos, sandbox, clock)
    attempt = db.session.scalar(select(WebhookAttempt))
    assert attempt.status_code is None and "Connection" in attempt.error


def test_an_attempt_is_sent_once_even_if_two_deliverers_race(app, client, pos, endpoint, sandbox, clock):
    endpoint.status = 500
    paid_partner_payment(client, pos, sandbox, clock)
    delivery_id = db.session.scalar(select(WebhookDelivery.id))
    clock.advance(minutes=1)
    assert partner_webhooks.attempt(delivery_id, clock()) is False
    assert partner_webhooks.attempt(delivery_id, clock()) is None  # the second one finds it not due
    assert len(endpoint.received) == 2


def test_web_order_payments_send_no_partner_webhooks(client, app, menu, endpoint, sandbox, clock):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    reconcile.check_with_gateway(payment, clock())
    assert endpoint.received == [] and db.session.scalar(select(WebhookDelivery)) is None


# Where webhooks may go ---------------------------------------------------------------


@pytest.fixture
def redirector(endpoint):
    """A partner endpoint that answers 307 to the loopback receiver `endpoint`."""
    hits = []

    def app(environ, start_response):
        hits.append(environ["PATH_INFO"])
        start_response("307 Temporary Redirect", [("Location", endpoint.url), ("Content-Length", "0")])
        return [b""]

    with serving(app) as url:
        yield url + "/hooks", hits


def test_a_redirect_is_not_followed_and_counts_as_a_failure(client, pos, endpoint, redirector, sandbox, clock):
    url, hits = redirector
    pos.partner.webhook_url = url
    db.session.commit()
    paid_partner_payment(client, pos, sandbox, clock)
    assert hits == ["/hooks"] and endpoint.received == []  # the signed event stayed where it was sent
    attempt = db.session.scalar(select(WebhookAttempt))
    assert attempt.status_code == 307
    assert db.session.scalar(select(WebhookDelivery)).status == "pending"  # retried later, like any failure


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_destinations_are_refused_at_delivery_unless_allowed(app, client, pos, endpoint, sandbox, clock, host):
    app.config["PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = False
    pos.partner.webhook_url = endpoint.url.replace("127.0.0.1", host)  # set while it was allowed
    db.session.commit()
    paid_partner_payment(client, pos, sandbox, clock)
    assert endpoint.received == []
    attempt = db.session.scalar(select(WebhookAttempt))
    assert attempt.status_code is None and attempt.error.startswith("refused:") and "loopback" in attempt.error
    assert db.session.scalar(select(WebhookDelivery)).status == "pending"
    app.config["PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = True
    clock.advance(minutes=1)
    assert "1 delivered" in app.test_cli_runner().invoke(args=["payments", "deliver-webhooks"]).output
    assert len(endpoint.received) == 1


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "private"),
        ("100.64.0.1", "reserved"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address, kind):
    assert outbound.non_public_kind(address) == kind


def test_a_loopback_webhook_url_is_refused_when_set(app):
    app.config["PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = False
    with pytest.raises(partners.PartnerError, match="loopback"):
        partners.create_partner("Kasir Lokal", "http://127.0.0.1:8080/hooks")
    with pytest.raises(partners.PartnerError, match="link-local"):
        partners.create_partner("Kasir Metadata", "http://169.254.169.254/latest")
    with pytest.raises(partners.PartnerError, match="no host"):
        partners.create_partner("Kasir Kosong", "https://")
