"""Rate limits as served: counts shared by every gunicorn worker, keyed on who calls."""

import time

import pytest
import requests
from sqlalchemy import delete

from tests import factories as make
from tests.apps import NOWHERE
from tests.db_helpers import end_transaction, postgresql_round_trips
from tests.http_helpers import csrf_token_from
from tests.live_server import gunicorn_serving
from webapp.api.views import GATEWAY_RETRY_AFTER
from webapp.extensions import db
from webapp.models import RateLimitCounter
from webapp.rate_limit_storage import DatabaseStorage


def forget_counts():
    """Start from zero: other servers in this run (the browser tests') count in this database too."""
    db.session.execute(delete(RateLimitCounter))
    db.session.commit()


def test_documented_limits_hold_across_gunicorn_workers(app, database_uri, tmp_path):
    """gunicorn.conf.py's 2 workers, a new connection per request: login allows 10 and
    checkout 20 per minute per address in all, not per worker."""
    forget_counts()
    shipped = dict.fromkeys(
        (
            "WEB_CONCURRENCY",
            "GUNICORN_THREADS",
            "RATELIMIT_ENABLED",
            "RATELIMIT_STORAGE_URI",
            "RATELIMIT_LOGIN",
            "RATELIMIT_CHECKOUT",
        )
    )  # None: the shipped defaults
    with gunicorn_serving(
        database_uri, tmp_path, SECRET_KEY="rate-limit-tests", DUITKU_BASE_URL=NOWHERE, **shipped
    ) as base_url:
        form_page = requests.get(base_url + "/login", headers={"Connection": "close"}, timeout=10)
        form = {"csrf_token": csrf_token_from(form_page.text), "username": "nobody", "password": "wrong-password"}

        def post(path):
            return requests.post(
                base_url + path,
                data=form,
                cookies=form_page.cookies,
                headers={"Connection": "close"},
                allow_redirects=False,
                timeout=10,
            ).status_code

        logins = [post("/login") for _ in range(14)]
        checkouts = [post("/checkout") for _ in range(24)]
    assert 429 not in logins[:10] and set(logins[10:]) == {429}, logins
    assert 429 not in checkouts[:20] and set(checkouts[20:]) == {429}, checkouts


def test_database_storage_counts_each_window_once(app):
    storage = DatabaseStorage()
    assert [storage.incr("login/127.0.0.1", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("login/127.0.0.1") == 3 and storage.get_expiry("login/127.0.0.1") > time.time()
    assert [storage.incr("ended", 0) for _ in range(2)] == [1, 1]  # each hit found the last window over
    assert storage.get("ended") == 0
    storage.clear("login/127.0.0.1")
    assert storage.get("login/127.0.0.1") == 0 and storage.check()


def test_a_count_on_postgresql_is_one_statement(app):
    """The upsert alone, in autocommit: no BEGIN and COMMIT around it."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    storage = DatabaseStorage()
    storage.incr("warm/127.0.0.1", 60)  # the first count of a process may purge expired ones
    end_transaction()
    with postgresql_round_trips(requests_only=False) as seen:
        assert storage.incr("api/partner:1", 60) == 1
    assert seen == ["INSERT"]


def partner_headers() -> tuple[dict, str]:
    """A new partner's auth headers and license key (its transaction ended)."""
    account = make.partner()
    license_key = account.license_key
    end_transaction()
    return account.headers, license_key


def test_retry_after_only_on_429_and_the_apps_own_503s(limited):
    client = limited().test_client()  # 2 API calls a minute
    headers, license_key = partner_headers()
    created = client.post("/api/v1/payments/qris", json={"license_key": license_key, "amount": 50000}, headers=headers)
    assert created.status_code == 201 and "Retry-After" not in created.headers
    *not_found, limited_out = [client.get("/api/v1/payments/x", headers=headers) for _ in range(3)]
    assert {r.status_code for r in not_found} == {404} and all("Retry-After" not in r.headers for r in not_found)
    assert limited_out.status_code == 429 and 0 < int(limited_out.headers["Retry-After"]) <= 60


def test_gateway_503_keeps_its_retry_after(limited):
    client = limited(DUITKU_BASE_URL=NOWHERE).test_client()
    headers, license_key = partner_headers()
    response = client.post("/api/v1/payments/qris", json={"license_key": license_key, "amount": 50000}, headers=headers)
    assert response.status_code == 503 and response.headers["Retry-After"] == GATEWAY_RETRY_AFTER


def test_wait_cap_503_keeps_its_retry_after(limited):
    client = limited(WAIT_MAX_CONCURRENT=0).test_client()
    headers, license_key = partner_headers()
    created = client.post(
        "/api/v1/payments/qris", json={"license_key": license_key, "amount": 50000}, headers=headers
    ).json
    response = client.get(f"/api/v1/payments/{created['transaction_id']}/wait?timeout=1", headers=headers)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"


def test_one_api_key_has_one_budget_however_its_header_is_spelled(limited):
    client = limited().test_client()  # 2 API calls a minute
    headers, _license_key = partner_headers()
    api_key = headers["Authorization"].removeprefix("Bearer ")
    spellings = [f"Bearer {api_key}", f"bearer  {api_key} ", f"BEARER {api_key}\t"]
    statuses = [
        client.get("/api/v1/payments/x", headers={"Authorization": spelling}).status_code for spelling in spellings
    ]
    assert statuses == [404, 404, 429]


def test_calls_without_a_valid_key_share_their_address_budget(limited):
    client = limited().test_client()
    statuses = [
        client.get("/api/v1/payments/x", headers={"Authorization": f"Bearer bogus-{n}"}).status_code for n in range(3)
    ]
    assert statuses == [401, 401, 429]
    headers, _license_key = partner_headers()
    assert client.get("/api/v1/payments/x", headers=headers).status_code == 404  # a partner's own budget


def callback_answers(client, count: int) -> list[str]:
    """The error codes of `count` callbacks missing their fields."""
    return [
        client.post("/api/v1/webhooks/duitku", data={"merchantCode": "x"}).json["error"]["code"] for _ in range(count)
    ]


def test_duitku_callbacks_are_limited_per_address(limited):
    client = limited(RATELIMIT_DUITKU_CALLBACK="3/minute").test_client()
    assert callback_answers(client, 4) == ["callback_rejected"] * 3 + ["too_many_requests"]


def test_callbacks_from_the_allowed_duitku_addresses_are_never_limited(limited):
    client = limited(RATELIMIT_DUITKU_CALLBACK="3/minute", DUITKU_CALLBACK_ALLOWED_IPS="127.0.0.1").test_client()
    assert callback_answers(client, 6) == ["callback_rejected"] * 6


def test_qr_images_are_limited_per_address(limited):
    client = limited(RATELIMIT_QR_IMAGE="2/minute").test_client()
    statuses = [client.get(f"/payments/nope-{n}/qr.png").status_code for n in range(3)]
    assert statuses == [404, 404, 429]


def test_every_route_that_asks_duitku_for_a_qris_shares_one_budget(limited):
    """Paying a bill whole, then changing one's mind, again and again (or asking an
    order for a new QR) asks Duitku for a QRIS each time: 3 a minute per address here."""
    client = limited(RATELIMIT_QRIS="3/minute").test_client()
    menu = make.small_menu()
    bill = f"/bills/{make.three_friends_bill(menu).public_id}"
    order = f"/orders/{make.order(menu, method='qris', table=None).public_id}"
    end_transaction()
    csrf = {"csrf_token": csrf_token_from(client.get(bill).get_data(as_text=True))}
    statuses = []
    for _round in range(3):
        statuses.append(client.post(f"{bill}/whole", data=csrf).status_code)
        assert client.post(f"{bill}/cancel-split", data=csrf).status_code == 303
    statuses.append(client.post(f"{bill}/whole", data=csrf).status_code)
    statuses.append(client.post(f"{order}/qris", data=csrf).status_code)
    assert statuses == [303, 303, 303, 429, 429]
    assert client.get(bill).status_code == 200  # seeing the bill is not limited
