"""The Duitku client against the sandbox over real HTTP, and against misbehaving servers."""

import hashlib
import json
import shutil
import subprocess
import threading
from datetime import UTC, datetime

import pytest
import requests

from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE, create_sandbox_app
from tests.apps import NOWHERE
from tests.live_server import serving
from webapp.payments import duitku, qris_code
from webapp.payments.duitku import DuitkuClient, GatewayRejected, GatewayUnavailable


def test_callback_signature_test_vector_from_duitku():
    signature = duitku.callback_signature("D0001", "10000", "12345", "732B39FC61796845775D2C4FB05332AF")
    assert signature == "4104f20a70c933113c66c004fe25a9f1"


def test_inquiry_and_status_signatures():
    assert duitku.inquiry_signature("D0001", "ORD-1", 50000, "KEY") == hashlib.md5(b"D0001ORD-150000KEY").hexdigest()
    assert duitku.status_signature("D0001", "ORD-1", "KEY") == hashlib.md5(b"D0001ORD-1KEY").hexdigest()
    assert (
        duitku.payment_methods_signature("D0001", 10000, "2026-11-22 10:00:00", "KEY")
        == hashlib.sha256(b"D0001100002026-11-22 10:00:00KEY").hexdigest()
    )


def test_signature_comparison_is_case_insensitive_and_rejects_empty():
    assert duitku.signatures_match("abcdef", "ABCDEF")
    assert not duitku.signatures_match("abcdef", "")
    assert not duitku.signatures_match("abcdef", None)


@pytest.fixture
def sandbox_url(tmp_path):
    app = create_sandbox_app(
        {"SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite3"), "SANDBOX_ALLOWED_BASE_URL": NOWHERE}
    )
    with serving(app) as url:
        yield url


def client_for(url, **kwargs) -> DuitkuClient:
    return DuitkuClient(url, DEFAULT_MERCHANT_CODE, DEFAULT_API_KEY, **kwargs)


def inquiry(client, **overrides):
    args = dict(
        merchant_order_id="WRG-TEST-1",
        amount=50000,
        product_details="Pesanan A-001",
        email="pelanggan@example.com",
        customer_va_name="Budi Santoso Wijayakusuma",
        callback_url="http://127.0.0.1:9/api/v1/webhooks/duitku",
        return_url="http://127.0.0.1:9/",
        payment_method="SP",
        expiry_minutes=10,
    )
    args.update(overrides)
    return client.inquiry(**args)


def test_inquiry_success_returns_reference_and_a_valid_dynamic_qris(sandbox_url):
    result = inquiry(client_for(sandbox_url))
    assert result.reference.startswith(DEFAULT_MERCHANT_CODE)
    assert result.amount == 50000
    payload = qris_code.parse_for_payment(result.qr_string, 50000)
    assert payload.is_dynamic
    assert result.payment_url == f"{sandbox_url}/pay/{result.reference}"

    status = client_for(sandbox_url).transaction_status("WRG-TEST-1")
    assert (status.status_code, status.reference, status.amount) == ("01", result.reference, 50000)


def throwaway_ca(directory) -> tuple[str, tuple[str, str]]:
    """A certificate authority made now (openssl's command line; the dev set has no
    cryptography package) and a server certificate it signed for 127.0.0.1: the CA's
    file, and the server's (certificate, key) files."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")

    def openssl(*arguments: str) -> None:
        subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)

    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Test CA")
    openssl("req", *key, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (directory / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n"
    )
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "1", "-extfile", "server.ext",
    )  # fmt: skip
    return str(directory / "ca.pem"), (str(directory / "server.pem"), str(directory / "server.key"))


def test_a_private_ca_is_trusted_through_requests_ca_bundle(tmp_path, monkeypatch):
    """Behind a TLS-inspecting proxy, or with a staging gateway, Duitku's certificate is
    signed by a CA of one's own: REQUESTS_CA_BUNDLE names it (the client sets no
    `verify` of its own, so requests reads the variable on every call)."""
    ca, certificate = throwaway_ca(tmp_path)
    app = create_sandbox_app(
        {"SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite3"), "SANDBOX_ALLOWED_BASE_URL": NOWHERE}
    )
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with serving(app, ssl_context=certificate) as url:
        client = client_for(url)
        with pytest.raises(GatewayUnavailable, match="SSLError"):
            inquiry(client)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca)
        assert inquiry(client).amount == 50000


def test_inquiry_sends_amount_as_json_integer_and_truncates_the_name(sandbox_url):
    seen = {}
    session = requests.Session()
    original = session.post

    def spy(url, json=None, **kwargs):
        seen.update(json)
        return original(url, json=json, **kwargs)

    session.post = spy
    inquiry(client_for(sandbox_url, session=session))
    assert seen["paymentAmount"] == 50000 and isinstance(seen["paymentAmount"], int)
    assert seen["customerVaName"] == "Budi Santoso Wijayak" and len(seen["customerVaName"]) == 20


@pytest.mark.parametrize(
    "overrides, status, message",
    [
        ({"amount": 9999}, 400, "Minimum Payment 10000 IDR"),
        ({"amount": 10_000_001}, 400, "Maximum Payment exceeded"),
        ({"payment_method": ""}, 400, "paymentMethod is mandatory"),
        ({"payment_method": "VC"}, 404, "Payment channel not available"),
        ({"email": "not-an-email"}, 400, "Invalid Email Address"),
        ({"product_details": ""}, 400, "productDetails is mandatory"),
    ],
)
def test_inquiry_errors_carry_duitkus_message(sandbox_url, overrides, status, message):
    with pytest.raises(GatewayRejected) as raised:
        inquiry(client_for(sandbox_url), **overrides)
    assert (raised.value.status_code, raised.value.message) == (status, message)


def test_wrong_api_key_is_a_wrong_signature(sandbox_url):
    with pytest.raises(GatewayRejected) as raised:
        inquiry(DuitkuClient(sandbox_url, DEFAULT_MERCHANT_CODE, "0" * 32))
    assert (raised.value.status_code, raised.value.message) == (401, "Wrong signature")


def test_unknown_merchant(sandbox_url):
    with pytest.raises(GatewayRejected) as raised:
        inquiry(DuitkuClient(sandbox_url, "D9999", DEFAULT_API_KEY))
    assert (raised.value.status_code, raised.value.message) == (404, "Merchant not found")


def test_merchant_order_id_longer_than_50_is_refused_before_sending(sandbox_url):
    with pytest.raises(ValueError, match="longer than 50"):
        inquiry(client_for(sandbox_url), merchant_order_id="x" * 51)


def test_sandbox_refuses_raw_requests_it_cannot_accept(sandbox_url):
    url = f"{sandbox_url}/webapi/api/merchant/v2/inquiry"
    body = {"merchantCode": DEFAULT_MERCHANT_CODE, "merchantOrderId": "x" * 51}
    response = requests.post(url, json=body, timeout=5)
    assert response.status_code == 400 and "mandatory" in response.json()["Message"]
    response = requests.post(url, data="not json", timeout=5)
    assert response.status_code == 400
    full = dict(
        merchantCode=DEFAULT_MERCHANT_CODE,
        paymentAmount=50000,
        merchantOrderId="x" * 51,
        productDetails="p",
        email="a@b.co",
        paymentMethod="SP",
        customerVaName="n",
        callbackUrl="http://x/",
        returnUrl="http://x/",
        signature="s",
    )
    response = requests.post(url, json=full, timeout=5)
    assert response.json() == {"Message": "length of merchantOrderId can't > 50"}
    full.update(merchantOrderId="ok-1", paymentAmount="50000")
    assert requests.post(url, json=full, timeout=5).status_code == 400  # a string amount


def test_item_details_must_add_up(sandbox_url):
    url = f"{sandbox_url}/webapi/api/merchant/v2/inquiry"
    body = dict(
        merchantCode=DEFAULT_MERCHANT_CODE,
        paymentAmount=50000,
        merchantOrderId="items-1",
        productDetails="p",
        email="a@b.co",
        paymentMethod="SP",
        customerVaName="n",
        callbackUrl="http://x/",
        returnUrl="http://x/",
        signature=duitku.inquiry_signature(DEFAULT_MERCHANT_CODE, "items-1", 50000, DEFAULT_API_KEY),
        itemDetails=[{"name": "a", "price": 20000, "quantity": 1}],
    )
    response = requests.post(url, json=body, timeout=5)
    assert response.status_code == 409
    assert response.json()["Message"] == "Payment amount must be equal to all item price"


def test_status_of_unknown_order_is_rejected(sandbox_url):
    with pytest.raises(GatewayRejected) as raised:
        client_for(sandbox_url).transaction_status("never-created")
    assert raised.value.status_code == 404


def test_payment_methods_lists_qris_channels(sandbox_url):
    methods = client_for(sandbox_url).payment_methods(50000, datetime(2026, 11, 22, tzinfo=UTC))
    assert {m["paymentMethod"] for m in methods} == {"SP", "NQ", "GQ", "SQ"}


# Misbehaving servers ----------------------------------------------------------------


def misbehaving(status=200, body=b"", delay_event=None):
    def app(environ, start_response):
        if delay_event is not None:
            delay_event.wait(5)
        start_response(f"{status} X", [("Content-Type", "application/json")])
        return [body]

    return app


def test_5xx_is_unavailable():
    with serving(misbehaving(502, b'{"Message": "bad gateway"}')) as url, pytest.raises(GatewayUnavailable):
        inquiry(client_for(url))


def test_garbage_body_is_unavailable():
    with serving(misbehaving(200, b"<html>maintenance</html>")) as url:
        with pytest.raises(GatewayUnavailable):
            inquiry(client_for(url))
        with pytest.raises(GatewayUnavailable):
            client_for(url).transaction_status("x")


def test_json_without_expected_fields_is_unavailable():
    with serving(misbehaving(200, json.dumps({"statusCode": "00"}).encode())) as url, pytest.raises(GatewayUnavailable):
        inquiry(client_for(url))


def test_read_timeout_is_unavailable():
    release = threading.Event()
    with serving(misbehaving(200, b"{}", delay_event=release)) as url:
        try:
            with pytest.raises(GatewayUnavailable, match="Timeout"):
                inquiry(client_for(url, read_timeout=0.2))
        finally:
            release.set()


def test_connection_refused_is_unavailable():
    with serving(misbehaving()) as url:
        pass  # the port is closed again
    with pytest.raises(GatewayUnavailable):
        inquiry(client_for(url, connect_timeout=0.5))


def test_api_key_is_not_in_the_clients_repr():
    assert DEFAULT_API_KEY not in repr(client_for("http://127.0.0.1:9"))
