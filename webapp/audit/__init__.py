"""The audit trail: an append-only row for every sensitive action, written in the same
transaction as the change it records (`record`), and read by day, person and kind.

Who did it is the caller's `actor`; the device's address is the request's (a job
outside a request records none). Rows are never
updated or deleted (PostgreSQL's trigger refuses it: models/audit.py).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context, request
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import AuditEntry, AuditKind
from ..timeutil import jakarta_day_bounds

SHOWN = 500  # rows a page shows at most (the CSV has them all)


def _device_address() -> str:
    return (request.remote_addr or "")[:45] if has_request_context() else ""


def record(
    kind: AuditKind,
    actor: str,
    subject: str,
    *,
    before: dict | None = None,
    after: dict | None = None,
    approver: str = "",
    note: str = "",
    now: datetime | None = None,
) -> AuditEntry:
    """Add the action's row to the session: it commits with the change it records."""
    entry = AuditEntry(
        kind=kind,
        actor=actor[:60],
        approver=approver[:60],
        subject=subject[:120],
        before=before,
        after=after,
        note=" ".join(note.split())[:200],
        address=_device_address(),
        created_at=now or clock.now(),
    )
    db.session.add(entry)
    return entry


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value changed, before and after."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def entries(day: date | None = None, actor: str = "", kind: AuditKind | None = None, limit: int | None = SHOWN):
    """The trail, newest first, of a day (Asia/Jakarta), a person (the actor or the
    approver), a kind."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if day is not None:
        start, end = jakarta_day_bounds(day)
        query = query.where(AuditEntry.created_at >= start, AuditEntry.created_at < end)
    if actor:
        query = query.where((AuditEntry.actor == actor) | (AuditEntry.approver == actor))
    if kind is not None:
        query = query.where(AuditEntry.kind == kind)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def people() -> list[str]:
    """Everyone who appears in the trail, for the page's filter."""
    actors = db.session.scalars(select(AuditEntry.actor).distinct())
    approvers = db.session.scalars(select(AuditEntry.approver).distinct().where(AuditEntry.approver != ""))
    return sorted({*actors, *approvers})
