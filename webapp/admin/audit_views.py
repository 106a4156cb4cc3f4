"""The owner's audit trail page: every sensitive action of a day, of a person, of a
kind, newest first, and the same as CSV."""

from __future__ import annotations

import json
from datetime import date

from flask import Response, render_template, request

from .. import audit, clock, labels
from ..csv_export import to_csv
from ..models import AuditKind
from ..staff.permissions import Permission, requires
from ..timeutil import jakarta_date, to_jakarta
from . import bp


def _filters() -> tuple[date, str, AuditKind | None]:
    """The page's `?day=&person=&kind=`; a day that is not a date (or one at the edge of
    the calendar, 0001-01-01 or 9999-12-31, whose Jakarta bounds fall outside it) is today."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
        if not date.min < day < date.max:
            raise ValueError(day)
    except ValueError:
        day = jakarta_date(clock.now())
    kind = request.args.get("kind", "")
    return day, request.args.get("person", "")[:60], AuditKind(kind) if kind in set(AuditKind) else None


@bp.get("/audit")
@requires(Permission.AUDIT)
def audit_page():
    day, person, kind = _filters()
    return render_template(
        "admin/audit.html",
        entries=audit.entries(day, person, kind),
        day=day,
        person=person,
        kind=kind,
        people=audit.people(),
        kinds=list(AuditKind),
        labels=labels,
        shown=audit.SHOWN,
    )


@bp.get("/audit.csv")
@requires(Permission.AUDIT)
def audit_download():
    day, person, kind = _filters()
    rows = [["time", "kind", "actor", "approver", "subject", "before", "after", "note", "address"]]
    rows += [
        [
            to_jakarta(entry.created_at).isoformat(timespec="seconds"),
            entry.kind,
            entry.actor,
            entry.approver,
            entry.subject,
            json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
            json.dumps(entry.after, ensure_ascii=False) if entry.after else "",
            entry.note,
            entry.address,
        ]
        for entry in audit.entries(day, person, kind, limit=None)
    ]
    response = Response(to_csv(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-{day.isoformat()}.csv"'
    return response
