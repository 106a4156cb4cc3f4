"""The partner API endpoint by endpoint: success and every error."""

import json
import re
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from tests import factories as make
from tests.apps import NOWHERE
from tests.db_helpers import end_transaction, reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import API, post_qris, wait_until_watched
from webapp.extensions import db
from webapp.models import IdempotencyKey, Payment
from webapp.partners import accounts as partners
from webapp.payments import gateway, qris_code


def payments() -> int:
    return db.session.scalar(select(func.count()).select_from(Payment))


def test_create_returns_the_documented_fields(client, pos, clock):
    response = post_qris(client, pos, reference_id="TXN-001", description="Beli kopi", metadata={"cashier": "C1"})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {
        "transaction_id",
        "transaction_token",
        "qris_string",
        "qris_image_url",
        "qris_url",
        "amount",
        "expires_at",
        "status",
        "reference_id",
        "order_uid",
    }
    assert (body["amount"], body["status"], body["reference_id"], body["order_uid"]) == (
        50000,
        "pending",
        "TXN-001",
        None,
    )
    assert body["expires_at"] == "2026-11-22T05:10:00Z"
    assert body["transaction_token"].startswith("DS0001")
    assert qris_code.parse_for_payment(body["qris_string"], 50000).is_dynamic
    assert body["qris_url"] == body["qris_image_url"]
    assert re.fullmatch(rf"{NOWHERE}/payments/[\w-]{{22,}}/qr\.png", body["qris_image_url"])


def test_qr_image_needs_no_api_key(client, pos):
    body = post_qris(client, pos).json
    path = body["qris_image_url"].removeprefix(NOWHERE)
    image = client.get(path)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get(path.replace(".png", ".svg")).mimetype == "image/svg+xml"


def test_order_payment_uses_the_order_total(client, pos, menu):
    order = make.order(menu, method="qris", lines=make.TWO_NASI_GORENG)
    response = client.post(
        f"{API}/payments/qris",
        headers=pos.headers,
        json={
            "order_id": order.public_id,
            "customer_details": {"name": "Sari", "email": "sari@example.com", "phone": "0812"},
        },
    )
    assert response.status_code == 201
    assert response.json["amount"] == 50000 and response.json["order_uid"] == order.public_id
    assert client.get(f"{API}/payments/{response.json['transaction_id']}", headers=pos.headers).status_code == 200


def test_order_payment_errors(client, pos, menu):
    assert client.post(f"{API}/payments/qris", headers=pos.headers, json={"order_id": "nope"}).status_code == 404
    order = make.order(menu, method="qris")
    order.status = "cancelled"  # (an unpaid cash order is switched to QRIS: tests/api/test_counter_pos.py)
    db.session.commit()
    conflict = client.post(f"{API}/payments/qris", headers=pos.headers, json={"order_id": order.public_id})
    assert conflict.status_code == 409 and conflict.json["error"]["field"] == "order_id"
    bad_email = client.post(
        f"{API}/payments/qris",
        headers=pos.headers,
        json={"order_id": order.public_id, "customer_details": {"email": "x"}},
    )
    assert bad_email.status_code == 422 and bad_email.json["error"]["field"] == "customer_details.email"


@pytest.mark.parametrize("data", [b"{not json", b"", b"\xff\xfe"])
def test_malformed_json_is_400(client, pos, data):
    response = client.post(
        f"{API}/payments/qris", data=data, headers={**pos.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json["error"]["code"] == "malformed_json"


MISSING = object()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"license_key": MISSING}, "license_key"),
        ({"license_key": None}, "license_key"),
        ({"amount": MISSING}, "amount"),
        ({"amount": None}, "amount"),
        ({"amount": "50000"}, "amount"),
        ({"amount": 50000.5}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": 9999}, "amount"),
        ({"amount": 10_000_001}, "amount"),
        ({"amount": -1}, "amount"),
        ({"metadata": [1]}, "metadata"),
        ({"metadata": {"x": "y" * 4100}}, "metadata"),
        ({"reference_id": "r" * 65}, "reference_id"),
        ({"reference_id": 12}, "reference_id"),
        ({"description": "d" * 256}, "description"),
        ({"order_id": "o", "license_key": "l"}, "order_id"),
    ],
)
def test_validation_errors_are_422_naming_the_field(client, pos, body, field):
    payload = {"license_key": pos.license_key, "amount": 50000, **body}
    payload = {key: value for key, value in payload.items() if value is not MISSING}
    response = client.post(f"{API}/payments/qris", json=payload, headers=pos.headers)
    assert response.status_code == 422, response.json
    assert response.json["error"] == {
        "code": "validation_error",
        "message": response.json["error"]["message"],
        "field": field,
    }
    assert payments() == 0


def test_body_must_be_an_object(client, pos):
    response = client.post(f"{API}/payments/qris", json=[1, 2], headers=pos.headers)
    assert response.status_code == 422


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong", "Basic abc", "bearer  "])
def test_missing_or_wrong_api_key_is_401(client, pos, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(
        f"{API}/payments/qris", json={"license_key": pos.license_key, "amount": 50000}, headers=headers
    )
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_rotated_key_stops_working(client, pos):
    new_key = partners.rotate_api_key(pos.partner)
    assert post_qris(client, pos).status_code == 401
    assert (
        client.post(
            f"{API}/payments/qris",
            json={"license_key": pos.license_key, "amount": 50000},
            headers={"Authorization": f"Bearer {new_key}"},
        ).status_code
        == 201
    )


def test_unknown_revoked_and_foreign_licenses_are_404(client, pos, other_pos):
    assert post_qris(client, pos, license_key="LIC-NOPE").status_code == 404
    foreign = post_qris(client, pos, license_key=other_pos.license_key)
    assert foreign.status_code == 404 and foreign.json["error"]["field"] == "license_key"
    partners.revoke_license(pos.license_key)
    assert post_qris(client, pos).status_code == 404


def test_partners_see_only_their_own_payments(client, pos, other_pos):
    transaction_id = post_qris(client, pos).json["transaction_id"]
    for method, path in (("GET", ""), ("GET", "/wait?timeout=1"), ("POST", "/cancel")):
        response = client.open(f"{API}/payments/{transaction_id}{path}", method=method, headers=other_pos.headers)
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert client.get(f"{API}/payments/unknown", headers=pos.headers).status_code == 404


def test_gateway_down_is_503_with_retry_after(client, pos):
    duitku = gateway.client()
    original, duitku.base_url = duitku.base_url, NOWHERE
    try:
        response = post_qris(client, pos)
    finally:
        duitku.base_url = original
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.json["error"]["code"] == "gateway_unavailable"


def test_idempotent_replay_conflict_and_expiry(client, pos, clock):
    headers = {**pos.headers, "Idempotency-Key": "order-77"}
    body = {"license_key": pos.license_key, "amount": 50000, "reference_id": "R-77"}
    first = client.post(f"{API}/payments/qris", json=body, headers=headers)
    again = client.post(f"{API}/payments/qris", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert payments() == 1  # no second inquiry
    conflict = client.post(f"{API}/payments/qris", json={**body, "amount": 60000}, headers=headers)
    assert conflict.status_code == 409 and conflict.json["error"]["code"] == "idempotency_key_reused"
    clock.advance(hours=24, seconds=1)
    later = client.post(f"{API}/payments/qris", json={**body, "amount": 60000}, headers=headers)
    assert later.status_code == 201 and later.json["transaction_id"] != first.json["transaction_id"]


def test_failed_creation_does_not_burn_the_idempotency_key(client, pos):
    headers = {**pos.headers, "Idempotency-Key": "retry-me"}
    body = {"license_key": pos.license_key, "amount": 50000}
    duitku = gateway.client()
    original, duitku.base_url = duitku.base_url, NOWHERE
    try:
        assert client.post(f"{API}/payments/qris", json=body, headers=headers).status_code == 503
    finally:
        duitku.base_url = original
    assert client.post(f"{API}/payments/qris", json=body, headers=headers).status_code == 201
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


def test_status_fields(client, pos, sandbox, clock):
    created = post_qris(client, pos, reference_id="R1", description="Kopi", metadata={"a": 1}).json
    payment = db.session.scalar(select(Payment).where(Payment.public_id == created["transaction_id"]))
    settle_quietly(sandbox, payment, clock())
    client.post("/api/v1/webhooks/duitku", data=callback_form(payment, issuerCode="93600915"))
    body = client.get(f"{API}/payments/{created['transaction_id']}", headers=pos.headers).json
    assert body == {
        "transaction_id": created["transaction_id"],
        "status": "paid",
        "amount": 50000,
        "reference_id": "R1",
        "description": "Kopi",
        "metadata": {"a": 1},
        "expires_at": "2026-11-22T05:10:00Z",
        "paid_at": "2026-11-22T05:00:00Z",
        "payer_info": {"bank": "DANA", "account_name": None},
    }


def test_cancel_then_repeat_then_paid_is_409(client, pos, sandbox, clock):
    first = post_qris(client, pos).json["transaction_id"]
    for _ in range(2):
        response = client.post(f"{API}/payments/{first}/cancel", headers=pos.headers)
        assert response.status_code == 200 and response.json["status"] == "cancelled"
    paid_id = post_qris(client, pos).json["transaction_id"]
    payment = db.session.scalar(select(Payment).where(Payment.public_id == paid_id))
    settle_quietly(sandbox, payment, clock())
    client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    conflict = client.post(f"{API}/payments/{paid_id}/cancel", headers=pos.headers)
    assert conflict.status_code == 409 and reload(payment).status == "paid"


@pytest.mark.parametrize("timeout", ["0", "121", "abc", "-1", "1.5"])
def test_wait_rejects_bad_timeouts(client, pos, timeout):
    transaction_id = post_qris(client, pos).json["transaction_id"]
    response = client.get(f"{API}/payments/{transaction_id}/wait?timeout={timeout}", headers=pos.headers)
    assert response.status_code == 422 and response.json["error"]["field"] == "timeout"


@pytest.mark.parametrize(
    "query, field",
    [
        ("/wait?timeout=%00", "timeout"),
        ("/wait?timeout=1&timeout=%00", "timeout"),
        ("?x=%00", "x"),  # a parameter no operation takes: ignored, but not with a NUL
        ("/cancel?x=a%00b", "x"),
    ],
)
def test_a_nul_in_a_query_value_is_a_422_naming_the_parameter(client, pos, query, field):
    transaction_id = post_qris(client, pos).json["transaction_id"]
    call = client.post if "/cancel" in query else client.get
    response = call(f"{API}/payments/{transaction_id}{query}", headers=pos.headers)
    assert response.status_code == 422
    assert response.json["error"] == {
        "code": "validation_error",
        "message": f"the query parameter '{field}' holds a NUL character",
        "field": field,
    }
    assert client.get(f"{API}/payments/{transaction_id}?x=y", headers=pos.headers).status_code == 200


def test_a_nul_in_a_transaction_id_is_a_404(client, pos):
    response = client.get(f"{API}/payments/a%00b", headers=pos.headers)
    assert response.status_code == 404 and response.json["error"]["field"] == "transaction_id"


def test_wait_times_out_with_the_current_status(client, pos):
    transaction_id = post_qris(client, pos).json["transaction_id"]
    end_transaction()
    started = time.monotonic()
    response = client.get(f"{API}/payments/{transaction_id}/wait?timeout=1", headers=pos.headers)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json["status"] == "pending" and response.json["timeout"] is True
    assert 1 <= elapsed < 5


def test_wait_returns_soon_after_a_sandbox_payment(app, client, pos, sandbox, live_app):
    created = post_qris(client, pos).json
    reference = created["transaction_token"]
    end_transaction()
    paid_at = {}

    def pay_later():
        wait_until_watched(app)
        paid_at["t"] = time.monotonic()
        requests.post(f"{sandbox.config['BASE_URL']}/pay/{reference}", data={"action": "pay"}, timeout=10)

    payer = threading.Thread(target=pay_later)
    payer.start()
    response = requests.get(
        f"{live_app}{API}/payments/{created['transaction_id']}/wait?timeout=30", headers=pos.headers, timeout=40
    )
    woke = time.monotonic()
    payer.join()
    assert response.json()["status"] == "paid" and response.json()["timeout"] is False
    assert woke - paid_at["t"] < 1.0


def test_waits_past_the_cap_get_503(app, client, pos):
    transaction_id = post_qris(client, pos).json["transaction_id"]
    app.extensions["payment_watcher"].slots.total = 0  # every slot is taken
    response = client.get(f"{API}/payments/{transaction_id}/wait?timeout=1", headers=pos.headers)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.json["error"]["code"] == "too_many_waits"


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/payments/x/unknown", "/api/v1/payments/qris"])
def test_api_errors_are_json_never_html(client, pos, path):
    response = client.get(path, headers=pos.headers)
    assert response.status_code in (404, 405) and response.is_json


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"license_key": {"a": 1}, "amount": 1e308},
        {"amount": 10**40, "license_key": "x"},
        {"order_id": 5},
        {"order_id": "x", "customer_details": "y"},
        {"license_key": "\u0000", "amount": 50000},
        "string",
        42,
        None,
    ],
)
def test_garbage_bodies_never_give_a_500(client, pos, body):
    response = client.post(
        f"{API}/payments/qris", data=json.dumps(body), headers={**pos.headers, "Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500 and response.is_json
