import pytest


@pytest.mark.parametrize("path", ["/orders/%00", "/orders/abc/status?seen=%00", "/payments/%00/qr.png"])
def test_nul_bytes_in_urls_are_a_400(client, menu, path):
    assert client.get(path).status_code == 400


def test_nul_bytes_in_forms_are_a_400(client, csrf, menu):
    response = client.post("/checkout", data={"csrf_token": csrf, "customer_name": "Sa\x00ri"})
    assert response.status_code == 400
    response = client.post("/api/v1/webhooks/duitku", data={"merchantOrderId": "\x00"})
    assert response.status_code == 400 and response.is_json


def test_nul_characters_in_json_are_a_400(client, menu):
    response = client.post("/api/v1/payments/qris", json={"metadata": {"note": "a\u0000b"}})
    assert response.status_code == 400 and response.is_json
