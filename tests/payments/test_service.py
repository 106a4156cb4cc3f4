"""The payment service against the sandbox over real HTTP, with a controlled clock."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as make
from tests.apps import NOWHERE
from tests.db_helpers import reload
from tests.duitku_side import pay_on_sandbox, settle_quietly
from tests.live_server import serving
from webapp.extensions import db
from webapp.models import EventNote, OrderStatus, PaymentEvent, PaymentStatus
from webapp.orders import lifecycle
from webapp.payments import gateway, paying, qris_code, qris_payments, reconcile
from webapp.state import commit_and_publish


def events(payment, kind=None) -> list[PaymentEvent]:
    query = select(PaymentEvent).where(PaymentEvent.payment_id == payment.id).order_by(PaymentEvent.id)
    return [e for e in db.session.scalars(query) if kind is None or e.kind == kind]


@pytest.fixture
def gateway_at():
    """Point the app's Duitku client somewhere else for one test."""
    client = gateway.client()
    original = client.base_url

    def point(url):
        client.base_url = url

    yield point
    client.base_url = original


def test_create_stores_reference_qr_and_expiry(app, menu, clock):
    payment = make.qris_payment(menu)
    assert payment.status == "pending"
    assert payment.amount == 50000
    assert payment.reference and payment.reference.startswith("DS0001")
    assert qris_code.parse_for_payment(payment.qr_string, 50000).is_dynamic
    assert payment.expires_at == clock() + timedelta(minutes=10)
    assert len(payment.merchant_order_id) <= 50
    assert [e.kind for e in events(payment)] == ["created", "inquiry"]


def test_a_second_request_reuses_the_valid_qr_and_a_new_one_gets_a_new_merchant_order_id(app, menu, clock):
    order = make.order(menu, method="qris")
    first = qris_payments.create_qris_payment(order)
    assert qris_payments.create_qris_payment(order).id == first.id
    clock.advance(minutes=11)
    reconcile.reconcile_if_due(first)
    second = qris_payments.create_qris_payment(reload(order))
    assert second.id != first.id and second.merchant_order_id != first.merchant_order_id


def test_gateway_down_keeps_the_order_and_marks_the_attempt_failed(app, menu, gateway_at):
    gateway_at(NOWHERE)
    order = make.order(menu, method="qris")
    with pytest.raises(qris_payments.QrisUnavailable):
        qris_payments.create_qris_payment(order)
    order = reload(order)
    assert order.status == OrderStatus.AWAITING_PAYMENT.value
    assert order.current_payment.status == "failed"
    assert [e.kind for e in events(order.current_payment)] == ["created", "inquiry_failed"]


def test_a_qr_string_for_another_amount_is_refused(app, menu, gateway_at):
    import json

    fake_qr = qris_code.build_dynamic(amount=1000, merchant_name="X", merchant_city="Y", bill_number="Z")
    body = json.dumps({"reference": "R1", "qrString": fake_qr, "amount": "50000", "statusCode": "00"}).encode()

    def fake_duitku(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    with serving(fake_duitku) as url:
        gateway_at(url)
        with pytest.raises(qris_payments.QrisUnavailable, match="differs"):
            make.qris_payment(menu)


def test_expiry_marks_the_payment_expired_but_keeps_the_order(app, menu, clock):
    payment = make.qris_payment(menu)
    clock.advance(minutes=9, seconds=59)
    reconcile.reconcile_if_due(payment)
    assert reload(payment).status == "pending"
    clock.advance(seconds=1)
    reconcile.reconcile_if_due(payment)
    payment = reload(payment)
    assert payment.status == "expired"
    assert payment.order.status == OrderStatus.AWAITING_PAYMENT.value
    assert events(payment)[-1].kind == "expired"


def test_expiry_never_discards_a_payment_duitku_reports_paid(app, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    clock.advance(minutes=9)
    settle_quietly(sandbox, payment, clock())  # paid, but the callback was lost
    clock.advance(minutes=2)
    reconcile.reconcile_if_due(payment)
    payment = reload(payment)
    assert payment.status == "paid"
    assert payment.order.status == OrderStatus.PAID.value
    assert not payment.order.needs_attention


def test_lost_callback_is_found_by_a_throttled_status_check(app, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    reconcile.reconcile_if_due(payment)  # created just now: no check yet
    assert reload(payment).status == "pending"
    clock.advance(seconds=10)
    reconcile.reconcile_if_due(payment)
    payment = reload(payment)
    assert payment.status == "paid" and payment.order.status == "paid"
    assert [e.kind for e in events(payment)][-1] == "status_check"


def test_a_status_check_that_finds_the_payment_paid_meanwhile_records_a_duplicate(app, menu, clock, sandbox):
    """The check was claimed while pending; the callback paid it before Duitku answered.
    (Its event took the check's note twice: a TypeError, and the customer's poll a 500.)"""
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    paying.mark_paid(payment, clock(), kind="callback", actor="duitku")
    commit_and_publish()
    reconcile.check_with_gateway(reload(payment), clock())
    last = events(payment)[-1]
    assert (last.kind, last.note, last.to_status) == ("status_check", EventNote.ALREADY_PAID, None)
    assert reload(payment).status == "paid"


def test_status_checks_are_throttled_to_one_per_interval(app, menu, clock):
    payment = make.qris_payment(menu)
    for _second in range(25):
        clock.advance(seconds=1)
        reconcile.reconcile_if_due(reload(payment))
    assert len(events(payment, "status_check")) == 2  # at 10 s and at 20 s


def test_sweep_expires_overdue_and_reconciles_the_rest(app, menu, clock, sandbox):
    overdue = make.qris_payment(menu)
    clock.advance(minutes=5)
    lost_callback = make.qris_payment(menu, lines=[("Nasi Goreng", 1)])
    settle_quietly(sandbox, lost_callback, clock())
    still_waiting = make.qris_payment(menu, lines=[("Nasi Goreng", 3)])
    clock.advance(minutes=6)
    result = app.test_cli_runner().invoke(args=["payments", "sweep"])
    assert result.exit_code == 0, result.output
    assert "3 checked, 1 paid, 1 expired" in result.output
    assert [reload(p).status for p in (overdue, lost_callback, still_waiting)] == ["expired", "paid", "pending"]


def test_switch_to_cash_cancels_the_pending_qr(app, menu):
    payment = make.qris_payment(menu)
    assert lifecycle.switch_to_cash(payment.order)
    payment = reload(payment)
    assert payment.status == "cancelled" and payment.order.payment_method == "cash"
    assert not lifecycle.switch_to_cash(payment.order)  # a second click changes nothing
    assert len(events(payment, "cancelled")) == 1


def test_pending_payment_cannot_be_created_for_a_cash_order(app, menu):
    order = make.order(menu, method="qris")
    lifecycle.switch_to_cash(order)
    with pytest.raises(qris_payments.PaymentNotAllowed):
        qris_payments.create_qris_payment(reload(order))


def test_sandbox_callback_reaches_the_app_and_marks_it_paid(app, menu, sandbox, live_app):
    payment = make.qris_payment(menu)
    pay_on_sandbox(sandbox, payment, issuer="93600914")
    payment = reload(payment)
    assert payment.status == PaymentStatus.PAID.value
    assert (payment.payer_issuer_code, payment.payer_issuer_name) == ("93600914", "GoPay")
    assert payment.order.status == OrderStatus.PAID.value
    txn = sandbox.extensions["sandbox_store"].get(payment.reference)
    assert (txn.callback_attempts, txn.callback_result) == (1, "HTTP 200")


def test_sandbox_retries_a_refused_callback_five_times(app, menu, sandbox):
    payment = make.qris_payment(menu)  # PUBLIC_BASE_URL is a closed port: every attempt fails
    pay_on_sandbox(sandbox, payment)
    txn = sandbox.extensions["sandbox_store"].get(payment.reference)
    assert txn.callback_attempts == 5
    assert reload(payment).status == "pending"
