"""The built-in Duitku sandbox beyond the API calls the client tests cover."""

import secrets
from datetime import UTC, datetime

import pytest
import requests

from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE, create_sandbox_app
from duitku_sandbox.store import Store
from tests import factories as make
from tests.apps import NOWHERE, config_for
from tests.db_helpers import reload
from tests.duitku_side import pay_on_sandbox
from tests.live_server import serving
from webapp import create_app
from webapp.models import PaymentEvent
from webapp.payments import duitku


def test_state_is_shared_by_every_process_using_the_same_file(tmp_path):
    path = str(tmp_path / "sandbox.sqlite3")
    now = datetime(2026, 11, 22, 5, tzinfo=UTC)
    Store(path).create(
        now=now,
        expiry_minutes=10,
        reference="DS0001ABC",
        merchant_code="DS0001",
        merchant_order_id="M-1",
        amount=10000,
        payment_method="SP",
        product_details="p",
        customer_va_name="n",
        email="a@b.co",
        callback_url="http://x/",
        return_url="http://x/",
        qr_string="q",
    )
    other_process = create_sandbox_app({"SANDBOX_DATABASE": path, "SANDBOX_ALLOWED_BASE_URL": NOWHERE}).extensions[
        "sandbox_store"
    ]
    assert other_process.get("DS0001ABC").amount == 10000
    assert other_process.settle("DS0001ABC", "00", "93600918", now)
    assert Store(path).get("DS0001ABC").status == "00"


def test_payer_page_shows_the_qr_and_the_buttons(app, menu, sandbox):
    payment = make.qris_payment(menu)
    page = requests.get(f"{sandbox.config['BASE_URL']}/pay/{payment.reference}", timeout=5).text
    assert '<svg class="qr"' in page and "Rp50.000" in page
    assert 'value="pay"' in page and 'value="fail"' in page


def test_fail_button_sends_result_code_01_which_changes_nothing(app, menu, sandbox, live_app):
    payment = make.qris_payment(menu)
    pay_on_sandbox(sandbox, payment, action="fail")
    payment = reload(payment)
    assert payment.status == "pending"
    assert any(
        event.note == "not_completed" and event.note_params == {"result_code": "01"}
        for event in payment.events
        if isinstance(event, PaymentEvent)
    )
    # a failed transaction can no longer be paid
    pay_on_sandbox(sandbox, payment, action="pay")
    assert reload(payment).status == "pending"


def test_return_url_carries_the_documented_query(app, menu, sandbox):
    payment = make.qris_payment(menu)
    response = requests.get(
        f"{sandbox.config['BASE_URL']}/pay/{payment.reference}/return", allow_redirects=False, timeout=5
    )
    assert response.status_code == 302
    assert (
        f"merchantOrderId={payment.merchant_order_id}&resultCode=01&reference={payment.reference}"
        in response.headers["Location"]
    )


# Callback and return URLs only on the app's own PUBLIC_BASE_URL -----------------------


def signed_inquiry(sandbox, order_id: str, **urls) -> requests.Response:
    body = dict(
        merchantCode=DEFAULT_MERCHANT_CODE,
        paymentAmount=50000,
        merchantOrderId=order_id,
        productDetails="p",
        email="a@b.co",
        paymentMethod="SP",
        customerVaName="n",
        callbackUrl=f"{NOWHERE}/api/v1/webhooks/duitku",
        returnUrl=f"{NOWHERE}/orders/x",
        signature=duitku.inquiry_signature(DEFAULT_MERCHANT_CODE, order_id, 50000, DEFAULT_API_KEY),
    )
    body.update(urls)
    return requests.post(f"{sandbox.config['BASE_URL']}/webapi/api/merchant/v2/inquiry", json=body, timeout=5)


def test_inquiry_accepts_urls_on_the_apps_own_base(sandbox):
    response = signed_inquiry(sandbox, "own-base-1")
    assert response.status_code == 200 and response.json()["statusCode"] == "00"


@pytest.mark.parametrize("field", ["callbackUrl", "returnUrl"])
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "https://evil.example/",
        f"{NOWHERE}.evil.example/x",
        "http://127.0.0.1:99/x",
        "https://127.0.0.1:9/x",
        f"http://user@{NOWHERE[7:]}/x",
        "http://evil.example\\@127.0.0.1:9/x",
        "//127.0.0.1:9/x",
        "not a url",
    ],
)
def test_inquiry_refuses_urls_anywhere_else(sandbox, field, url):
    response = signed_inquiry(sandbox, f"foreign-{secrets.token_hex(4)}", **{field: url})
    assert response.status_code == 400 and field in response.json()["Message"]


def foreign_transaction(sandbox, **urls) -> str:
    """A transaction stored with URLs outside the allowed base (as an older sandbox may
    hold): the payer page must neither call it back nor send the payer there."""
    reference = "DS0001" + secrets.token_hex(6).upper()
    fields = {"callback_url": f"{NOWHERE}/api/v1/webhooks/duitku", "return_url": f"{NOWHERE}/orders/x", **urls}
    sandbox.extensions["sandbox_store"].create(
        now=datetime.now(UTC),
        expiry_minutes=10,
        reference=reference,
        merchant_code=DEFAULT_MERCHANT_CODE,
        merchant_order_id=f"old-{reference}",
        amount=50000,
        payment_method="SP",
        product_details="p",
        customer_va_name="n",
        email="a@b.co",
        qr_string="q",
        **fields,
    )
    return reference


def test_return_page_never_redirects_off_the_base(sandbox):
    reference = foreign_transaction(sandbox, return_url="https://evil.example/phish")
    response = requests.get(f"{sandbox.config['BASE_URL']}/pay/{reference}/return", allow_redirects=False, timeout=5)
    assert response.status_code == 400 and "Location" not in response.headers


def test_pay_never_calls_back_off_the_base(sandbox):
    received = []

    def receiver(environ, start_response):
        received.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    with serving(receiver) as url:
        reference = foreign_transaction(sandbox, callback_url=f"{url}/internal")
        response = requests.post(
            f"{sandbox.config['BASE_URL']}/pay/{reference}", data={"action": "pay"}, allow_redirects=False, timeout=10
        )
    assert response.status_code == 303 and received == []
    assert "not sent" in sandbox.extensions["sandbox_store"].get(reference).callback_result


def test_the_mounted_sandbox_allows_the_apps_public_base_url(database_uri, _schema):
    app = create_app(
        config_for(
            database_uri,
            DUITKU_BASE_URL="",
            DUITKU_MERCHANT_CODE="",
            DUITKU_API_KEY="",
            PUBLIC_BASE_URL="https://warung.example",
        )
    )
    mounted = app.extensions["duitku_sandbox"]
    assert mounted.config["SANDBOX_ALLOWED_BASE_URL"] == "https://warung.example"


def test_the_payer_page_of_one_process_is_taken_by_another(database_uri, _schema):
    """Behind nginx (or between gunicorn workers) the payer page and the press on Pay
    reach different processes: the mounted sandboxes share a key derived from the app's."""
    settings = config_for(
        database_uri, DUITKU_BASE_URL="", DUITKU_MERCHANT_CODE="", DUITKU_API_KEY="", SECRET_KEY="shared-key"
    )
    one, other = (create_app(settings).extensions["duitku_sandbox"] for _ in range(2))
    assert one.secret_key == other.secret_key != "shared-key"
    different = create_app({**settings, "SECRET_KEY": "another-key"}).extensions["duitku_sandbox"]
    assert different.secret_key != one.secret_key
