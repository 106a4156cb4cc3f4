"""The built-in Duitku sandbox beyond the API calls the client tests cover."""
from datetime import datetime, timezone

import requests

from tests.payments.helpers import pay_on_sandbox, qris_payment, reload
from webapp.models import PaymentEvent
from webapp.sandbox import create_sandbox_app
from webapp.sandbox.store import Store


def test_state_is_shared_by_every_process_using_the_same_file(tmp_path):
    path = str(tmp_path / "sandbox.sqlite3")
    now = datetime(2026, 11, 22, 5, tzinfo=timezone.utc)
    Store(path).create(
        now=now, expiry_minutes=10, reference="DS0001ABC", merchant_code="DS0001", merchant_order_id="M-1",
        amount=10000, payment_method="SP", product_details="p", customer_va_name="n", email="a@b.co",
        callback_url="http://x/", return_url="http://x/", qr_string="q",
    )
    other_process = create_sandbox_app({"SANDBOX_DATABASE": path}).extensions["sandbox_store"]
    assert other_process.get("DS0001ABC").amount == 10000
    assert other_process.settle("DS0001ABC", "00", "93600918", now)
    assert Store(path).get("DS0001ABC").status == "00"


def test_payer_page_shows_the_qr_and_the_buttons(app, menu, sandbox):
    payment = qris_payment(menu)
    page = requests.get(f"{sandbox.config['BASE_URL']}/pay/{payment.reference}", timeout=5).text
    assert '<svg class="qr"' in page and "Rp50.000" in page
    assert 'value="pay"' in page and 'value="fail"' in page


def test_fail_button_sends_result_code_01_which_changes_nothing(app, menu, sandbox, live_app):
    payment = qris_payment(menu)
    pay_on_sandbox(sandbox, payment, action="fail")
    payment = reload(payment)
    assert payment.status == "pending"
    assert any(event.note == "not_completed" and event.note_params == {"result_code": "01"}
               for event in payment.events if isinstance(event, PaymentEvent))
    # a failed transaction can no longer be paid
    pay_on_sandbox(sandbox, payment, action="pay")
    assert reload(payment).status == "pending"


def test_return_url_carries_the_documented_query(app, menu, sandbox):
    payment = qris_payment(menu)
    response = requests.get(
        f"{sandbox.config['BASE_URL']}/pay/{payment.reference}/return", allow_redirects=False, timeout=5
    )
    assert response.status_code == 302
    assert f"merchantOrderId={payment.merchant_order_id}&resultCode=01&reference={payment.reference}" in response.headers["Location"]
