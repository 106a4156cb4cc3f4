"""The reference deployment (deploy/) as it runs: Debian's nginx with deploy/nginx/warung.conf
in front of two gunicorn instances sharing one PostgreSQL database and one redis-server,
plus `flask worker`, all on loopback ports, talking to the Duitku sandbox.

Needs nginx and redis-server (`.ci/run` installs them) and PostgreSQL (TEST_DATABASE_URL);
skipped otherwise. Every process is bounded in time and stopped at the end.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import select

from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE
from tests import factories as make
from tests.apps import NOWHERE
from tests.db_helpers import count, end_transaction, reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import csrf_token_from, poll_order, post_qris, seen_version
from tests.live_server import (
    ROOT,
    free_port,
    gunicorn_env,
    gunicorn_process,
    healthy,
    running,
    serving,
    stop,
    wait_ready,
)
from tests.nginx_site import NGINX, nginx_command, site_config
from tests.partner_endpoint import PartnerEndpoint
from webapp.extensions import db
from webapp.models import EventKind, Payment, PaymentEvent, PaymentStatus, RateLimitCounter, WebhookDelivery
from webapp.payments import partner_webhooks

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(not (NGINX and REDIS), reason="needs nginx and redis-server")

POLL_PERIOD = 2.0  # seconds between a customer's polls while a QR waits (README)
LOGINS_PER_MINUTE = 4
STARTUP = 90  # seconds for three processes starting at once on a busy 2-core machine


def deadline_loop(seconds: float, what: str) -> Callable[[], None]:
    """A check to call in a polling loop: fails once `seconds` have passed."""
    end = time.monotonic() + seconds

    def tick() -> None:
        assert time.monotonic() < end, f"{what}: not within {seconds} s"
        time.sleep(0.05)

    return tick


@dataclass
class Instance:
    """One gunicorn instance (or nginx in front of them) as a browser or Duitku meets it."""

    url: str

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, allow_redirects=False, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=10, allow_redirects=False, **kwargs)


@dataclass
class Deployment:
    site: Instance
    a: Instance
    b: Instance
    a_process: object
    redis_url: str
    worker_settings: dict
    directory: Path


@pytest.fixture(scope="module")
def deployment(database_uri, _schema, sandbox, tmp_path_factory):
    if not database_uri.startswith("postgresql"):
        pytest.skip("the deployment runs on PostgreSQL")
    directory = tmp_path_factory.mktemp("deployment")
    nginx_port, redis_port, a_port, b_port = (free_port() for _ in range(4))
    site_url, redis_url = f"http://127.0.0.1:{nginx_port}", f"redis://127.0.0.1:{redis_port}/0"
    settings = {
        "PUBLIC_BASE_URL": site_url,
        "SECRET_KEY": "deployment-test-secret",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_LOGIN": f"{LOGINS_PER_MINUTE}/minute",
        "PROXY_FIX_X_FOR": "1",
        "DUITKU_BASE_URL": sandbox.config["BASE_URL"],
        "DUITKU_MERCHANT_CODE": DEFAULT_MERCHANT_CODE,
        "DUITKU_API_KEY": DEFAULT_API_KEY,
        # Only callbacks change a payment here: each poll's status check is far apart.
        "DUITKU_STATUS_CHECK_INTERVAL": "600",
        "PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "yes",
        # The sweep would race the tests' callbacks to a settled payment: hourly here.
        "WORKER_INTERVALS": "payments-sweep=3600,partner-webhooks=1",
    }
    for name in ("redis", "a", "b", "nginx", "worker"):
        (directory / name).mkdir()
    sandbox.config["SANDBOX_ALLOWED_BASE_URL"] = site_url
    worker_dir = directory / "worker"
    with (
        running(
            [REDIS, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
            directory / "redis" / "redis.log",
            lambda: redis_ping(redis_url),
            cwd=directory / "redis",
        ),
        gunicorn_process(database_uri, directory / "a", a_port, wait=False, **settings) as a_process,
        gunicorn_process(database_uri, directory / "b", b_port, wait=False, **settings) as b_process,
        worker_process(database_uri, worker_dir, settings, wait=False) as worker,
    ):
        # Started side by side (each takes seconds to import the app), then awaited.
        wait_ready(a_process, healthy(f"http://127.0.0.1:{a_port}"), directory / "a" / "gunicorn.log", STARTUP)
        wait_ready(b_process, healthy(f"http://127.0.0.1:{b_port}"), directory / "b" / "gunicorn.log", STARTUP)
        wait_ready(worker, lambda: assert_logged_run(worker_dir / "worker.log"), worker_dir / "worker.log", STARTUP)
        with running(
            nginx_command(directory / "nginx", site_config(nginx_port, [a_port, b_port])),
            directory / "nginx" / "nginx.log",
            healthy(site_url),
        ):
            try:
                yield Deployment(
                    Instance(site_url),
                    Instance(f"http://127.0.0.1:{a_port}"),
                    Instance(f"http://127.0.0.1:{b_port}"),
                    a_process,
                    redis_url,
                    settings,
                    directory,
                )
            finally:
                sandbox.config["SANDBOX_ALLOWED_BASE_URL"] = NOWHERE


def redis_ping(url: str) -> None:
    assert redis.Redis.from_url(url, socket_timeout=2).ping()


def worker_process(database_uri: str, directory: Path, settings: dict, *, wait: bool = True):
    """`flask worker` as deploy/systemd/warung-worker.service runs it; yielded once its
    first run is logged unless `wait` is off."""
    log = directory / "worker.log"
    return running(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        log,
        (lambda: assert_logged_run(log)) if wait else None,
        cwd=ROOT,
        env=gunicorn_env(database_uri, directory, settings["PUBLIC_BASE_URL"], **settings),
    )


def assert_logged_run(log: Path) -> None:
    assert '"logger": "webapp.worker"' in log.read_text()


@pytest.fixture
def on_site(app, deployment):
    """The test's own app makes payments as the deployment would (same public URL)."""
    app.config["PUBLIC_BASE_URL"] = deployment.site.url
    return deployment


def paid_by_callback(payment: Payment) -> bool:
    return (
        db.session.scalar(
            select(PaymentEvent.kind).where(
                PaymentEvent.payment_id == payment.id, PaymentEvent.to_status == PaymentStatus.PAID
            )
        )
        == EventKind.CALLBACK
    )


def test_a_callback_to_one_instance_is_seen_by_a_poll_on_the_other(on_site, menu, sandbox):
    payment = make.qris_payment(menu)
    end_transaction()
    first = poll_order(on_site.b, payment.order)
    assert first.status_code == 200
    seen = seen_version(first.text)
    assert poll_order(on_site.b, payment.order, seen).status_code == 204  # B now answers from its cache
    settle_quietly(sandbox, payment, payment.created_at)
    assert on_site.a.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    tick = deadline_loop(POLL_PERIOD, "instance B's poll showing the payment")
    while (answer := poll_order(on_site.b, payment.order, seen)).status_code == 204:
        tick()
    assert answer.status_code == 200 and seen_version(answer.text) != seen
    assert reload(payment).status == PaymentStatus.PAID and paid_by_callback(payment)


def staff_session(instance: Instance, username: str) -> requests.Session:
    """A tablet's browser session, logged in on `instance` (the session cookie is good on
    either instance: they share the secret key). It logs in from an address of its own,
    as nginx would pass it on, so it takes nothing of this machine's login limit."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = "192.0.2.10"
    form = session.get(instance.url + "/login", timeout=10)
    login = {"csrf_token": csrf_token_from(form.text), "username": username, "password": make.STAFF_PASSWORD}
    assert session.post(instance.url + "/login", data=login, allow_redirects=False, timeout=10).status_code == 303
    del session.headers["X-Forwarded-For"]
    return session


def next_news(lines) -> str:
    """The next event of a stream's lines that is not a heartbeat."""
    for line in lines:
        if line.startswith("event: ") and line != "event: heartbeat":
            return line.removeprefix("event: ")
    return "the stream ended"


def test_a_callback_to_one_instance_reaches_board_streams_on_the_other_and_through_nginx(on_site, menu, sandbox):
    """Issue 28: a board's stream on instance B hears a payment instance A commits, and
    one opened through nginx gets its events as they come (unbuffered)."""
    make.staff_user("kasir")
    payment = make.qris_payment(menu)
    end_transaction()
    session = staff_session(on_site.a, "kasir")
    streams = [
        session.get(url + "/cashier/stream", stream=True, timeout=(3, 30)) for url in (on_site.b.url, on_site.site.url)
    ]
    lines = [stream.iter_lines(decode_unicode=True) for stream in streams]
    try:
        for stream, its_lines in zip(streams, lines, strict=True):
            assert stream.status_code == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
            assert next(its_lines) == "retry: 2000"
        settle_quietly(sandbox, payment, payment.created_at)
        assert on_site.a.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
        assert [next_news(its_lines) for its_lines in lines] == ["cards", "cards"]  # the board is told its cards
    finally:
        for stream in streams:
            stream.close()
    assert reload(payment).status == PaymentStatus.PAID


def test_rate_limits_hold_across_both_instances(on_site):
    form_page = on_site.site.get("/login")
    form = {"csrf_token": csrf_token_from(form_page.text), "username": "nobody", "password": "wrong-password"}
    answers = [
        instance.post("/login", data=form, cookies=form_page.cookies).status_code
        for instance in (on_site.a, on_site.b) * LOGINS_PER_MINUTE
    ]
    assert 429 not in answers[:LOGINS_PER_MINUTE] and set(answers[LOGINS_PER_MINUTE:]) == {429}, answers
    assert count(RateLimitCounter) == 0  # counted in Redis, not in the database
    assert any(b"login" in key for key in redis.Redis.from_url(on_site.redis_url).keys("*"))


def test_static_files_come_from_nginx_with_a_long_cache(on_site, menu):
    page = on_site.site.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"])  # nginx's id, through the app
    path = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page.text).group(1)
    css = on_site.site.get(path)
    assert css.status_code == 200 and css.content == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.headers["Server"].startswith("nginx") and "X-Request-ID" not in css.headers  # the app never saw it
    compressed = on_site.site.get(path, stream=True)
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert len(compressed.raw.read(decode_content=False)) < len(css.content) / 2


def test_a_body_over_the_apps_limit_stops_at_nginx(on_site):
    answer = on_site.site.post("/api/v1/webhooks/duitku", data={"note": "x" * (65 * 1024)})
    assert answer.status_code == 413 and answer.headers["Server"].startswith("nginx")


def test_an_item_photo_upload_reaches_the_app_but_not_a_larger_body(on_site):
    """An admin's photo may be 5 MB (the app takes up to MAX_UPLOAD_LENGTH, 8 MB), far
    over the 64 KB every other request may send."""

    def upload(size: int) -> requests.Response:
        photo = ("nasi.jpg", b"\xff" * size, "image/jpeg")
        return on_site.site.post("/admin/items/1/photo", files={"photo": photo})

    reached = upload(5 * 1024 * 1024)
    assert reached.status_code != 413 and "X-Request-ID" in reached.headers  # answered by the app
    refused = upload(9 * 1024 * 1024)
    assert refused.status_code == 413 and "X-Request-ID" not in refused.headers  # by nginx


def test_two_workers_never_deliver_a_webhook_twice(on_site, client, database_uri):
    """Deliveries due at once (their first attempt lost), two workers polling every
    second: every event reaches the partner exactly once."""
    endpoint = PartnerEndpoint()
    second = on_site.directory / "second-worker"
    second.mkdir()
    with serving(endpoint) as url, worker_process(database_uri, second, on_site.worker_settings):
        pos = make.partner("POS Ganda", webhook_url=url + "/hooks")
        payments = [
            db.session.scalar(select(Payment).where(Payment.public_id == post_qris(client, pos).json["transaction_id"]))
            for _ in range(12)
        ]
        for payment in payments:
            partner_webhooks.enqueue(payment, payment.created_at)
        db.session.info.pop(partner_webhooks.SESSION_KEY)  # queued, never attempted
        end_transaction()
        tick = deadline_loop(30, "the workers delivering 12 webhooks")
        while count(WebhookDelivery, status="delivered") < len(payments):
            tick()
    event_ids = [re.search(rb'"id":"(evt_[0-9a-f]+)"', request["body"]).group(1) for request in endpoint.received]
    assert len(event_ids) == len(set(event_ids)) == len(payments)
    assert {delivery.attempts for delivery in db.session.scalars(select(WebhookDelivery))} == {1}


def test_stopping_one_instance_keeps_the_site_up_and_loses_no_callback(on_site, menu, sandbox):
    """Run last: instance A stays stopped."""
    payments = [make.qris_payment(menu) for _ in range(2)]
    end_transaction()
    stop(on_site.a_process)
    for payment in payments:  # round robin: one of the two goes to A first
        settle_quietly(sandbox, payment, payment.created_at)
        assert on_site.site.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    assert [on_site.site.get("/").status_code for _ in range(4)] == [200] * 4
    for payment in payments:
        assert reload(payment).status == PaymentStatus.PAID and paid_by_callback(payment)
        assert poll_order(on_site.site, payment.order).status_code == 200
