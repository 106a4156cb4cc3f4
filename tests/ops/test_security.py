"""Security headers, rate limits, request size limits, the callback allow-list."""

import re
from pathlib import Path

import pytest

from tests import factories as make
from tests.apps import config_for, sandbox_settings
from tests.db_helpers import end_transaction
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import csrf_token_from, poll_order
from webapp import create_app
from webapp.bills import bill_splits
from webapp.config import Config
from webapp.staff.permissions import Permission, requires

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@pytest.mark.parametrize("path", ["/", "/cart", "/login", "/nope", "/api/v1/openapi.json", "/static/css/app.css"])
def test_security_headers_on_every_response(client, menu, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_a_views_own_security_header_is_kept_and_not_doubled(app, client):
    app.add_url_rule(
        "/framed", "framed", requires(Permission.PUBLIC)(lambda: ("", 200, {"x-frame-options": "SAMEORIGIN"}))
    )
    headers = client.get("/framed").headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert headers.getlist("Content-Security-Policy") and len(headers.getlist("X-Content-Type-Options")) == 1


def test_hsts_only_over_https(client, menu):
    response = client.get("/", base_url="https://warung.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_script_in_any_template():
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag, f"{template.name}: inline script {tag}"


def test_login_is_rate_limited_with_retry_after(limited_app):
    client = limited_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    statuses = [
        client.post("/login", data={"csrf_token": token, "username": "x", "password": "y"}).status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
    limited = client.post("/login", data={"csrf_token": token, "username": "x", "password": "y"})
    assert int(limited.headers["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in limited.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # only POSTs count


def test_checkout_is_rate_limited(limited_app):
    client = limited_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    statuses = [client.post("/checkout", data={"csrf_token": token}).status_code for _ in range(3)]
    assert statuses[-1] == 429


def test_partner_api_is_rate_limited_with_json(limited_app):
    client = limited_app.test_client()
    responses = [client.get("/api/v1/payments/x", headers={"Authorization": "Bearer one"}) for _ in range(3)]
    assert [r.status_code for r in responses] == [401, 401, 429]
    assert responses[-1].is_json and responses[-1].json["error"]["code"] == "too_many_requests"
    assert "Retry-After" in responses[-1].headers


def test_rate_limits_count_in_the_database_unless_configured_otherwise(database_uri):
    from webapp.extensions import limiter

    create_app(config_for(database_uri, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=Config.RATELIMIT_STORAGE_URI))
    assert type(limiter.storage).__name__ == "DatabaseStorage"
    create_app(config_for(database_uri, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://"))
    assert type(limiter.storage).__name__ == "MemoryStorage"


def test_polls_are_never_rate_limited_even_by_a_default_limit(limited):
    """Polls are marked never_rate_limited: with a default limit of 2 a minute on every
    other view, the third request to the cart page is refused while polls go on (an
    order's status, a table's bill, a share of it)."""
    app = limited(RATELIMIT_DEFAULT="2/minute")
    client = app.test_client()
    menu = make.small_menu()
    order = make.qris_payment(menu).order
    bill = make.three_friends_bill(menu)
    share = bill_splits.split_evenly(bill, 3, "Rina")[0]
    bill_url, share_url = f"/bills/{bill.public_id}/live", f"/shares/{share.public_id}/status"
    end_transaction()
    polls = [poll_order(client, order).status_code for _ in range(5)]
    polls += [client.get(url).status_code for url in (bill_url, share_url) for _ in range(5)]
    assert polls == [200] * 15
    assert [client.get("/cart").status_code for _ in range(3)] == [200, 200, 429]


def test_request_size_is_limited(client, menu, csrf):
    page = client.post("/checkout", data={"csrf_token": csrf, "note": "x" * 70_000})
    assert page.status_code == 413
    api = client.post(
        "/api/v1/payments/qris", data=b"{" + b" " * 70_000 + b"}", headers={"Content-Type": "application/json"}
    )
    assert api.status_code == 413 and api.is_json


def callback_app(database_uri, sandbox, **settings):
    return create_app(config_for(database_uri, **sandbox_settings(sandbox), **settings))


def test_callback_allow_list_is_off_by_default(client, app, menu, sandbox, clock):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock())
    assert client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200


def test_callback_allow_list_refuses_other_sources(database_uri, _schema, sandbox):
    app = callback_app(database_uri, sandbox, DUITKU_CALLBACK_ALLOWED_IPS="182.23.85.8/31, 103.177.101.184/30")
    response = app.test_client().post("/api/v1/webhooks/duitku", data={"merchantCode": "x"})
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden_source"


def test_forwarded_for_counts_only_behind_a_configured_proxy(database_uri, _schema, sandbox):
    forwarded = {"X-Forwarded-For": "182.23.85.9"}
    direct = callback_app(database_uri, sandbox, DUITKU_CALLBACK_ALLOWED_IPS="182.23.85.8/31")
    assert direct.test_client().post("/api/v1/webhooks/duitku", data={"x": "y"}, headers=forwarded).status_code == 403
    proxied = callback_app(database_uri, sandbox, DUITKU_CALLBACK_ALLOWED_IPS="182.23.85.8/31", PROXY_FIX_X_FOR=1)
    response = proxied.test_client().post("/api/v1/webhooks/duitku", data={"x": "y"}, headers=forwarded)
    assert response.status_code == 400  # allowed through; then refused for its missing fields
