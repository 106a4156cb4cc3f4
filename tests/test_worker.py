"""`flask worker`: the job list, one JSON log line per run, one worker per job run on
PostgreSQL, and a clean stop on SIGTERM."""

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select, text

from tests import factories as make
from tests.db_helpers import count, end_transaction
from tests.http_helpers import API, post_qris
from tests.live_server import ROOT, serving
from tests.partner_endpoint import PartnerEndpoint
from webapp import clock as app_clock
from webapp import worker
from webapp.extensions import db
from webapp.models import Payment, PaymentStatus, WebhookAttempt, WebhookDelivery


@pytest.fixture
def failing_endpoint():
    receiver = PartnerEndpoint(status=500)
    with serving(receiver) as url:
        receiver.url = url + "/hooks/warung"
        yield receiver


def test_the_jobs_are_what_cron_ran_and_the_print_retries():
    assert [(job.name, job.interval) for job in worker.JOBS] == [
        ("payments-sweep", 60),
        ("partner-webhooks", 15),
        ("kitchen-print-retry", 15),
        ("receipt-print-retry", 15),
        ("void-print-retry", 15),
    ]


def test_intervals_setting_is_checked():
    assert worker.intervals(" payments-sweep=30, partner-webhooks=5 ") == {"payments-sweep": 30, "partner-webhooks": 5}
    assert worker.intervals("") == {}
    for bad in ("sweep=5", "payments-sweep=0", "payments-sweep", "partner-webhooks=x"):
        with pytest.raises(ValueError, match="WORKER_INTERVALS"):
            worker.intervals(bad)


def test_runs_are_aligned_on_the_clock():
    assert worker.next_run(60, 120.0) == 180 and worker.next_run(60, 179.9) == 180 and worker.next_run(15, 7) == 15


def test_worker_once_retries_a_due_webhook_and_expires_a_due_payment(
    app, client, menu, failing_endpoint, clock, caplog
):
    pos = make.partner("POS", webhook_url=failing_endpoint.url)
    created = post_qris(client, pos).json["transaction_id"]
    client.post(f"{API}/payments/{created}/cancel", headers=pos.headers)  # first attempt fails (500)
    overdue = make.qris_payment(menu)
    clock.advance(minutes=15)
    failing_endpoint.status = 200
    end_transaction()
    with caplog.at_level(logging.INFO, logger="webapp.worker"):
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert [request["body"] for request in failing_endpoint.received].count(failing_endpoint.received[0]["body"]) == 2
    assert db.session.scalar(select(WebhookDelivery.status)) == "delivered"
    assert db.session.get(Payment, overdue.id).status == PaymentStatus.EXPIRED
    runs = [record for record in caplog.records if record.name == "webapp.worker"]
    assert [(run.job, run.outcome) for run in runs] == [
        ("payments-sweep", "ok"),
        ("partner-webhooks", "ok"),
        ("kitchen-print-retry", "ok"),
        ("receipt-print-retry", "ok"),
        ("void-print-retry", "ok"),
    ]
    assert runs[1].counts == {"due": 1, "delivered": 1, "failed": 0} and runs[0].counts["expired"] == 1


def test_a_failing_job_is_logged_and_the_worker_goes_on(app, caplog):
    def broken(now):
        raise RuntimeError("boom")

    with caplog.at_level(logging.INFO, logger="webapp.worker"):
        assert worker.run_job(worker.Job("broken", 5, broken), app_clock.now()) == "error"
    failure, summary = [record for record in caplog.records if record.name == "webapp.worker"]
    assert failure.levelname == "ERROR" and "RuntimeError: boom" in caplog.text
    assert (summary.job, summary.outcome) == ("broken", "error")


def test_a_job_held_by_another_worker_is_skipped(app, database_uri):
    """On PostgreSQL the worker that holds a job's advisory lock runs it; the others skip."""
    if not database_uri.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's")
    runs = []
    job = worker.Job("held", 5, runs.append)
    with db.engine.connect() as other_worker:
        other_worker.execute(text("SELECT pg_advisory_lock(:key)"), {"key": worker.lock_key("held")})
        assert worker.run_job(job, app_clock.now()) == "skipped"
        other_worker.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": worker.lock_key("held")})
    assert worker.run_job(job, app_clock.now()) == "ok" and len(runs) == 1
    assert worker.run_job(job, app_clock.now()) == "ok" and len(runs) == 2  # the lock was given back


def test_run_forever_stops_between_runs(app):
    ran = threading.Event()
    stop = threading.Event()
    job = worker.Job("tick", 1, lambda now: ran.set())

    def run():
        with app.app_context():
            worker.run_forever(stop, (job,))

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert ran.wait(10)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_sigterm_stops_the_worker_process_cleanly(app, database_uri, tmp_path):
    """The real `flask worker`: a JSON line per run on stderr, exit 0 on SIGTERM."""
    env = {
        **os.environ,
        "DATABASE_URL": database_uri,
        "WARUNG_INSTANCE_DIR": str(tmp_path),
        "WORKER_INTERVALS": "payments-sweep=1,partner-webhooks=1",
        "DUITKU_BASE_URL": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 30
        seen = set()
        while seen != {"payments-sweep", "partner-webhooks"} and time.monotonic() < deadline:
            line = process.stderr.readline()
            record = json.loads(line) if line.startswith("{") else {}
            if record.get("logger") == "webapp.worker":
                assert record["outcome"] == "ok" and isinstance(record["duration_ms"], int)
                seen.add(record["job"])
        assert seen == {"payments-sweep", "partner-webhooks"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert count(WebhookAttempt) == 0
