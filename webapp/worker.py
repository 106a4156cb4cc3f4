"""`flask worker`: the background jobs cron would otherwise run, on a schedule.

JOBS is the whole list: a name, how often it runs, and a function taking `now` (each
lives in its domain). Runs are aligned on the clock (a 60 s job runs at :00 of each
minute), so every worker in a fleet reaches a job at the same moment. On PostgreSQL each
run first takes a session advisory lock named after the job without waiting: the worker
that gets it runs the job, the others skip this turn, because the work is being done.
A worker that dies loses its connection and with it the lock. The jobs' own claims
stay underneath (a webhook attempt is claimed by a conditional UPDATE), so a first
delivery made by the web process right after a payment changes is never repeated
either. On SQLite there is no such lock: run one worker.

Each run logs one JSON line (the job, its outcome, its counts, its duration). SIGTERM
and SIGINT let the run under way finish, then the worker exits.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import text

from . import clock
from .extensions import db
from .kitchen import printing
from .payments import partner_webhooks, reconcile
from .till import printing as till_printing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    interval: int  # seconds; WORKER_INTERVALS may change it
    run: Callable[[datetime], Mapping[str, int] | int]


JOBS: tuple[Job, ...] = (
    Job("payments-sweep", 60, reconcile.sweep),
    Job("partner-webhooks", 15, partner_webhooks.deliver_due),
    Job("kitchen-print-retry", 15, printing.retry_due),
    Job("receipt-print-retry", 15, till_printing.retry_due),
    Job("void-print-retry", 15, printing.retry_void_tickets),
)


def intervals(setting: str) -> dict[str, int]:
    """`payments-sweep=30,partner-webhooks=5` -> {name: seconds}; unknown names refused."""
    known = {job.name for job in JOBS}
    chosen = {}
    for part in filter(None, (piece.strip() for piece in setting.split(","))):
        name, _, seconds = part.partition("=")
        if name.strip() not in known or not seconds.strip().isdigit() or int(seconds) < 1:
            raise ValueError(f"WORKER_INTERVALS: {part!r} is not <job>=<seconds> for a job of {sorted(known)}")
        chosen[name.strip()] = int(seconds)
    return chosen


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for a job name."""
    return int.from_bytes(hashlib.sha256(f"warung-worker:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def claimed(job: Job) -> Iterator[bool]:
    """Whether this worker holds the job for this run (always, on SQLite)."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection:
        key = lock_key(job.name)
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
        connection.commit()
        try:
            yield bool(got)
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()


def run_job(job: Job, now: datetime) -> str:
    """Run one job once (if this worker claims it) and log a JSON line; the outcome."""
    started = time.perf_counter()
    counts: Mapping[str, int] | int | None = None
    outcome = "ok"
    try:
        with claimed(job) as ours:
            if ours:
                counts = job.run(now)
            else:
                outcome = "skipped"
    except Exception:
        outcome = "error"
        log.exception("job %s failed", job.name, extra={"job": job.name, "outcome": outcome})
    finally:
        db.session.remove()
    log.info(
        "job %s %s",
        job.name,
        outcome,
        extra={
            "job": job.name,
            "outcome": outcome,
            "counts": counts,
            "duration_ms": round((time.perf_counter() - started) * 1000),
        },
    )
    return outcome


def next_run(interval: int, after: float) -> float:
    """The first multiple of `interval` seconds (since the epoch) after `after`."""
    return (after // interval + 1) * interval


def run_forever(stop: threading.Event, jobs: tuple[Job, ...] = JOBS) -> None:
    """Run each job on its schedule until `stop` is set (between runs)."""
    every = {**{job.name: job.interval for job in jobs}, **intervals(current_app.config["WORKER_INTERVALS"])}
    due = {job.name: next_run(every[job.name], time.time()) for job in jobs}
    while not stop.is_set():
        job = min(jobs, key=lambda candidate: due[candidate.name])
        if stop.wait(max(0.0, due[job.name] - time.time())):
            break
        run_job(job, clock.now())
        due[job.name] = next_run(every[job.name], time.time())


def stop_on_signals(stop: threading.Event) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
