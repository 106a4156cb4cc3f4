import json

import pytest

from tests import factories as make


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


HUGE = "99999999999999999999"  # beyond 64 bits
PAST_INT4 = str(2**31)  # beyond PostgreSQL's `integer`, the type of every id column


@pytest.mark.parametrize("item_id", [HUGE, PAST_INT4, f"-{HUGE}"])
def test_an_item_id_beyond_the_database_range_is_an_unknown_item(client, csrf, item_id):
    response = client.post("/cart/add", data={"csrf_token": csrf, "item_id": item_id, "quantity": "1"})
    assert response.status_code == 422 and "Menu tidak dikenal" in response.get_data(as_text=True)


@pytest.mark.parametrize("category_id", [HUGE, PAST_INT4])
def test_a_category_id_beyond_the_database_range_is_a_form_error(admin_client, menu, category_id):
    response = admin_client.post(
        "/admin/items/new",
        data={"csrf_token": admin_client.csrf_token, "category_id": category_id, "name": "Sate", "price": "30000"},
    )
    assert response.status_code == 422 and "Pilih kategori" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/items/{HUGE}/edit",
        f"/admin/items/{PAST_INT4}/edit",
        f"/admin/categories/{HUGE}/edit",
        f"/cashier/menu/{HUGE}/availability",
    ],
)
def test_an_id_beyond_the_database_range_in_a_url_is_a_404(admin_client, menu, path):
    response = admin_client.post(path, data={"csrf_token": admin_client.csrf_token})
    assert response.status_code == 404


def test_a_category_preselected_by_a_non_ascii_digit_is_ignored(admin_client, menu):
    assert admin_client.get("/admin/items/new?category=%C2%B2").status_code == 200  # "²".isdigit() is True


DEEP_ARRAY = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


@pytest.fixture
def partner_headers(app):
    account = make.partner("Guard POS", store="Toko")
    return account.headers, account.license_key


def assert_json_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json and response.json["error"]["code"] == code
    assert set(response.json["error"]) == {"code", "message", "field"}


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT])
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_deeply_nested_json_is_a_400(client, partner_headers, body, content_type):
    headers, _license = partner_headers
    response = client.post("/api/v1/payments/qris", data=body, content_type=content_type, headers=headers)
    assert_json_error(response, 400, "malformed_json")
    assert "nested" in response.json["error"]["message"]
    response = client.post("/api/v1/webhooks/duitku", data=body, content_type=content_type)
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize("field", ["license_key", "reference_id", "description", "order_id"])
def test_a_lone_surrogate_in_json_is_a_400(client, partner_headers, field):
    headers, license_key = partner_headers
    body = {"license_key": license_key, "amount": 50000}
    if field == "order_id":
        body = {}
    raw = json.dumps(body)[:-1].lstrip("{")
    raw = "{" + (raw + ", " if raw else "") + f'"{field}": "ab\\ud800"' + "}"
    response = client.post("/api/v1/payments/qris", data=raw, content_type="application/json", headers=headers)
    assert_json_error(response, 400, "malformed_json")
    assert "surrogate" in response.json["error"]["message"]


def test_surrogate_pairs_are_fine(client, partner_headers):
    headers, license_key = partner_headers
    raw = json.dumps({"license_key": license_key, "amount": 50000, "description": "Kopi \U0001f600"})
    assert "\\ud83d\\ude00" in raw
    response = client.post("/api/v1/payments/qris", data=raw, content_type="application/json", headers=headers)
    assert response.status_code != 400


@pytest.mark.parametrize("timeout", ["%C2%B2", "9" * 5000, HUGE])
def test_a_wait_timeout_that_is_no_small_number_is_a_422(client, partner_headers, timeout):
    headers, _license = partner_headers
    response = client.get(f"/api/v1/payments/whatever/wait?timeout={timeout}", headers=headers)
    assert_json_error(response, 422, "validation_error")


def test_a_json_content_type_without_a_body_is_fine(client, partner_headers):
    headers, _license = partner_headers
    response = client.get("/api/v1/payments/nothing-here", headers={**headers, "Content-Type": "application/json"})
    assert_json_error(response, 404, "not_found")
