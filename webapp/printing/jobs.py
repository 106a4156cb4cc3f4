"""A kind of print job and how it gets printed: queued, tried once after the commit,
retried with back-off by the worker, reprinted by the cashier.

A job is a row with the PrintJob columns (webapp/models/printing.py): a station's
kitchen ticket, a till's receipt. Each kind is a `PrintQueue`: its model, where a job
goes (`printer_of`) and its bytes (`render`). One process prints a due job: it claims
it first with a conditional update (its due time moves on by CLAIM), so two workers,
or a worker and the request that made it, never print it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, or_, select, update

from ..extensions import db
from ..models import PrintJob, PrintState
from ..state import rows_matched
from . import escpos

FIRST_RETRY = timedelta(seconds=15)
LONGEST_WAIT = timedelta(minutes=5)
CLAIM = timedelta(seconds=30)  # one process prints a due job; another may take it after this
BATCH = 50
WRITTEN, COMMITTED = "print_jobs_written", "print_jobs_committed"

Job = TypeVar("Job", bound=PrintJob)
QUEUES: dict[str, PrintQueue] = {}  # by name, in the order they were made


def next_wait(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed try a job is tried again: 15 s, doubling
    up to 5 min."""
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)


class PrintQueue(Generic[Job]):
    """The print jobs of one kind (`name`), in `model`'s table."""

    def __init__(self, name: str, model: type[Job], printer_of: Callable[[Job], str], render: Callable[[Job], bytes]):
        self.name, self.model, self.printer_of, self.render = name, model, printer_of, render
        QUEUES[name] = self

    def due(self, now: datetime) -> ColumnElement[bool]:
        model = self.model
        return (model.print_state == PrintState.QUEUED) & or_(model.print_due_at.is_(None), model.print_due_at <= now)

    def queued(self, job_ids: list[int]) -> None:
        """In the transaction that made these (queued) jobs: try them once it commits, at
        the end of the request (webapp/printing/__init__.py); nothing for a rollback."""
        if job_ids:
            db.session().info.setdefault(WRITTEN, {}).setdefault(self.name, []).extend(job_ids)

    def attempt(self, job: Job, now: datetime) -> bool:
        """One try; the job's row records the outcome (committed). True if printed.
        The transaction that read the job ends before the printer is asked: no pooled
        connection waits on a printer that is off (escpos's timeout, a couple of seconds)."""
        try:
            printer, data = self.printer_of(job), self.render(job)
            db.session.commit()
            escpos.send(printer, data)
        except (OSError, ValueError) as exc:
            job.print_attempts += 1
            job.print_state = PrintState.QUEUED
            job.print_due_at = now + next_wait(job.print_attempts)
            job.print_error = f"{type(exc).__name__}: {exc}"[:200]
            db.session.commit()
            return False
        job.print_attempts += 1
        job.print_state = PrintState.PRINTED
        job.printed_at, job.print_due_at, job.print_error = now, None, ""
        db.session.commit()
        return True

    def _claim(self, job_id: int, now: datetime) -> bool:
        """Take a due job for this process (a conditional update), so that two
        processes do not print it twice."""
        claimed = rows_matched(
            update(self.model)
            .where(self.model.id == job_id, self.due(now))
            .values(print_due_at=now + CLAIM)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return claimed == 1

    def retry_due(self, now: datetime) -> int:
        """For the background worker: try every queued job that is due; how many it tried."""
        model = self.model
        due = db.session.scalars(
            select(model.id).where(self.due(now)).order_by(model.print_due_at, model.id).limit(BATCH)
        ).all()
        db.session.commit()
        handled = 0
        for job_id in due:
            if self._claim(job_id, now):
                job = db.session.get(model, job_id)
                if job is not None:
                    self.attempt(job, now)
                    handled += 1
        return handled

    def print_now(self, job_ids: list[int], now: datetime) -> int:
        """The first try for jobs just committed; how many printed."""
        printed = 0
        for job_id in job_ids:
            job = db.session.get(self.model, job_id)
            if job is not None and self._claim(job_id, now):
                db.session.refresh(job)
                printed += self.attempt(job, now)
        return printed

    def reprint(self, job: Job, now: datetime) -> bool:
        """The cashier's reprint: print again now, whatever happened before."""
        job.print_state = PrintState.QUEUED
        job.print_due_at = now
        db.session.commit()
        return self.attempt(job, now)

    def unprinted(self, order_id: int) -> list[Job]:
        """The order's jobs still waiting for their printer (for the cashier)."""
        model = self.model
        return list(
            db.session.scalars(select(model).where(model.order_id == order_id, model.print_state == PrintState.QUEUED))
        )
