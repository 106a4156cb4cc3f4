"""POST /api/v1/webhooks/duitku: verification, recording, confirmation, exactly-once."""

import threading

import pytest
import requests
from sqlalchemy import func, select

from tests import factories as make
from tests.apps import NOWHERE
from tests.db_helpers import count, end_transaction, reload
from tests.duitku_side import callback_form, settle_quietly
from webapp.extensions import db
from webapp.kitchen import stations
from webapp.models import Category, KitchenTicket, Payment, PaymentEvent
from webapp.orders import lifecycle
from webapp.payments import gateway

URL = "/api/v1/webhooks/duitku"


def events(**filters) -> list[PaymentEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(PaymentEvent).filter_by(**filters).order_by(PaymentEvent.id)))


@pytest.fixture
def paid_at_duitku(app, menu, clock, sandbox):
    """A pending payment that Duitku already reports as paid."""
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    return payment


@pytest.fixture(params=[True, False], ids=["confirmed", "not-confirmed"])
def either_confirmation(request, app):
    """Duitku asked to confirm a success (the default) or not (as `make bench` runs: on
    PostgreSQL a signed success is then tried in one statement before its payment is
    read, paying.pay_pending_at_once); every outcome is the same."""
    app.config["DUITKU_CONFIRM_CALLBACKS"] = request.param


@pytest.mark.usefixtures("either_confirmation")
def test_valid_callback_marks_payment_and_order_paid(client, paid_at_duitku):
    response = client.post(URL, data=callback_form(paid_at_duitku))
    assert response.status_code == 200 and response.json["message"] == "paid"
    payment = reload(paid_at_duitku)
    assert payment.status == "paid" and payment.paid_at is not None
    assert payment.payer_issuer_name == "ShopeePay"
    assert payment.order.status == "paid" and not payment.order.needs_attention
    event = events(payment_id=payment.id, kind="callback")[-1]
    assert (event.signature_valid, event.from_status, event.to_status) == (True, "pending", "paid")
    assert event.payload["merchantOrderId"] == payment.merchant_order_id


@pytest.mark.usefixtures("either_confirmation")
def test_repeated_callback_is_answered_200_and_changes_nothing(client, paid_at_duitku):
    client.post(URL, data=callback_form(paid_at_duitku))
    again = client.post(URL, data=callback_form(paid_at_duitku))
    assert again.status_code == 200 and again.json["message"].startswith("duplicate")
    assert len(events(payment_id=paid_at_duitku.id, kind="callback")) == 2
    assert len(events(payment_id=paid_at_duitku.id, to_status="paid")) == 1


@pytest.mark.usefixtures("either_confirmation")
def test_twenty_concurrent_identical_callbacks_apply_once(app, paid_at_duitku, live_app):
    form = callback_form(paid_at_duitku)
    payment_id = paid_at_duitku.id
    end_transaction()
    barrier = threading.Barrier(20)
    statuses = []

    def post():
        barrier.wait(timeout=30)
        statuses.append(requests.post(live_app + URL, data=form, timeout=30).status_code)

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    assert len(events(payment_id=payment_id, kind="callback")) == 20
    assert len(events(payment_id=payment_id, to_status="paid")) == 1
    assert db.session.get(Payment, payment_id).order.status == "paid"


@pytest.mark.usefixtures("either_confirmation")
def test_bad_signature_is_refused_and_recorded(client, paid_at_duitku):
    response = client.post(URL, data=callback_form(paid_at_duitku, signature="0" * 32))
    assert response.status_code == 400 and "signature" in response.json["error"]["message"]
    assert reload(paid_at_duitku).status == "pending"
    assert events(payment_id=paid_at_duitku.id, kind="callback")[-1].signature_valid is False


@pytest.mark.usefixtures("either_confirmation")
def test_signature_made_with_another_key_is_refused(client, paid_at_duitku):
    response = client.post(URL, data=callback_form(paid_at_duitku, api_key="F" * 32))
    assert response.status_code == 400
    assert reload(paid_at_duitku).status == "pending"


@pytest.mark.usefixtures("either_confirmation")
def test_wrong_merchant_code_is_refused(client, paid_at_duitku):
    response = client.post(URL, data=callback_form(paid_at_duitku, merchantCode="D9999"))
    assert response.status_code == 400
    assert reload(paid_at_duitku).status == "pending"


@pytest.mark.usefixtures("either_confirmation")
def test_amount_mismatch_is_recorded_flagged_and_not_paid(client, paid_at_duitku):
    response = client.post(URL, data=callback_form(paid_at_duitku, amount="10000"))
    assert response.status_code == 200
    payment = reload(paid_at_duitku)
    assert payment.status == "pending"
    assert payment.order.needs_attention and payment.order.attention_reason == "amount_mismatch"
    assert payment.order.attention_params == {"received": "10000", "expected": payment.amount}
    assert events(payment_id=payment.id, kind="callback")[-1].flagged


@pytest.mark.usefixtures("either_confirmation")
def test_unknown_order_is_recorded_and_flagged(client, app, menu):
    form = callback_form(Payment(amount=50000, merchant_order_id="WRG-NOT-OURS"))
    response = client.post(URL, data=form)
    assert response.status_code == 200
    [event] = events(payment_id=None)
    assert event.flagged and event.payload["merchantOrderId"] == "WRG-NOT-OURS"


@pytest.mark.usefixtures("either_confirmation")
def test_result_code_01_records_but_does_not_pay(client, paid_at_duitku):
    response = client.post(URL, data=callback_form(paid_at_duitku, resultCode="01"))
    assert response.status_code == 200
    assert reload(paid_at_duitku).status == "pending"


@pytest.mark.usefixtures("either_confirmation")
@pytest.mark.parametrize("field", ["merchantCode", "amount", "merchantOrderId", "resultCode", "signature"])
def test_missing_field_is_a_400_naming_it(client, paid_at_duitku, field):
    form = callback_form(paid_at_duitku)
    del form[field]
    response = client.post(URL, data=form)
    assert response.status_code == 400
    assert response.json["error"]["field"] == field
    assert reload(paid_at_duitku).status == "pending"


def test_json_instead_of_form_is_a_400(client, paid_at_duitku):
    response = client.post(URL, json=callback_form(paid_at_duitku))
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_callback"
    assert reload(paid_at_duitku).status == "pending"


def test_webhook_needs_no_csrf_token_but_only_accepts_post(client, paid_at_duitku):
    assert client.get(URL).status_code == 405
    assert client.get(URL).is_json


def test_success_while_duitku_still_says_pending_is_not_paid(client, app, menu, clock):
    payment = make.qris_payment(menu)  # not paid at the sandbox
    response = client.post(URL, data=callback_form(payment))
    assert response.status_code == 200
    assert reload(payment).status == "pending"
    callback = events(payment_id=payment.id, kind="callback")[-1]
    assert (callback.note, callback.note_params) == ("unconfirmed_by_status", {"status_code": "01"})


def test_unconfirmable_success_asks_duitku_to_retry(client, paid_at_duitku):
    client_ = gateway.client()
    original, client_.base_url = client_.base_url, NOWHERE
    try:
        response = client.post(URL, data=callback_form(paid_at_duitku))
    finally:
        client_.base_url = original
    assert response.status_code == 503
    assert reload(paid_at_duitku).status == "pending"
    assert client.post(URL, data=callback_form(paid_at_duitku)).status_code == 200  # the retry
    assert reload(paid_at_duitku).status == "paid"


def test_while_duitku_confirms_a_success_no_database_transaction_is_held(client, app, paid_at_duitku, monkeypatch):
    """Its answer may take seconds: meanwhile the request holds no pooled connection (and
    on SQLite no write lock)."""
    client_, held = gateway.client(), []
    ask = client_.transaction_status

    def asked(merchant_order_id):
        held.append(db.session().in_transaction())
        return ask(merchant_order_id)

    monkeypatch.setattr(client_, "transaction_status", asked)
    assert client.post(URL, data=callback_form(paid_at_duitku)).status_code == 200
    assert held == [False] and reload(paid_at_duitku).status == "paid"


def test_without_confirmation_a_signed_success_is_applied(client, app, menu):
    app.config["DUITKU_CONFIRM_CALLBACKS"] = False
    payment = make.qris_payment(menu)
    assert client.post(URL, data=callback_form(payment)).status_code == 200
    assert reload(payment).status == "paid"


@pytest.mark.usefixtures("either_confirmation")
def test_success_after_expiry_is_paid_and_flagged(client, app, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    db.session.execute(
        Payment.__table__.update().where(Payment.id == payment.id).values(status="expired")
    )  # expired here while the callback was still on its way
    db.session.commit()
    assert client.post(URL, data=callback_form(payment)).status_code == 200
    payment = reload(payment)
    assert payment.status == "paid"
    assert payment.order.status == "paid" and payment.order.needs_attention
    assert payment.order.attention_reason == "paid_after_qr_closed"
    assert payment.order.attention_params == {"payment_status": "expired"}


@pytest.mark.usefixtures("either_confirmation")
def test_success_after_switching_to_cash_is_paid_and_flagged(client, app, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    lifecycle.switch_to_cash(payment.order)
    assert client.post(URL, data=callback_form(payment)).status_code == 200
    payment = reload(payment)
    assert payment.status == "paid" and payment.order.needs_attention
    assert payment.order.attention_reason == "paid_after_qr_closed"
    assert payment.order.attention_params == {"payment_status": "cancelled"}


@pytest.mark.usefixtures("either_confirmation")
def test_success_for_a_cancelled_order_is_recorded_and_flagged(client, app, menu, clock, sandbox):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    payment.order.status = "cancelled"
    db.session.commit()
    assert client.post(URL, data=callback_form(payment)).status_code == 200
    payment = reload(payment)
    assert payment.status == "paid" and payment.order.status == "cancelled"
    assert payment.order.needs_attention and payment.order.attention_reason == "paid_for_closed_order"
    assert payment.order.attention_params == {"order_status": "cancelled"}
    (event,) = events(payment_id=payment.id, to_status="paid")
    assert (event.from_status, event.flagged, event.signature_valid) == ("pending", True, True)
    assert all(change.to_status != "paid" for change in payment.order.history)


def test_a_cancelled_order_paid_by_its_qris_gets_no_kitchen_ticket(client, app, menu):
    """The tickets are written in the statement that pays (on PostgreSQL), chained after
    the order's move: none when the order had moved on."""
    app.config["DUITKU_CONFIRM_CALLBACKS"] = False
    kitchen = stations.save_station(None, "Dapur", "")
    for category in Category.query.all():
        stations.assign(category, kitchen)
    payment = make.qris_payment(menu)
    payment.order.status = "cancelled"
    db.session.commit()
    assert client.post(URL, data=callback_form(payment)).json["message"] == "paid"
    payment = reload(payment)
    assert payment.status == "paid" and payment.order.attention_reason == "paid_for_closed_order"
    assert count(KitchenTicket, order_id=payment.order_id) == 0


@pytest.mark.parametrize(
    "form",
    [
        {"x": "y"},
        {"amount": "abc", "merchantCode": "DS0001", "merchantOrderId": "a", "resultCode": "00", "signature": "s"},
        {"merchantOrderId": "x" * 600},
        {"amount": "1e9999"},
    ],
)
def test_garbage_callbacks_never_give_a_500(client, app, form):
    response = client.post(URL, data=form)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 1
