"""The bill report's routes: tax, service and rounding per day over a chosen range, on screen and in CSV."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, render_template, request
from flask_babel import gettext as _

from .. import clock
from ..staff.permissions import Permission, requires
from ..timeutil import jakarta_date
from . import bp
from .report import bill_report, bill_report_csv

MAX_DAYS = 366


def quick_ranges(today: date) -> list[tuple[str, date, date]]:
    """Today, this week (from Monday), this month, and last month (the one whose PB1 is
    reported to the regional tax office), in Jakarta."""
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return [
        (_("Hari ini"), today, today),
        (_("Minggu ini"), today - timedelta(days=today.weekday()), today),
        (_("Bulan ini"), today.replace(day=1), today),
        (_("Bulan lalu"), last_month_end.replace(day=1), last_month_end),
    ]


def _chosen_range(today: date) -> tuple[date, date, str | None]:
    """The range in `?start=&end=` (ISO dates; either one alone is a single day); today by default."""
    raw_start, raw_end = request.args.get("start", ""), request.args.get("end", "")
    if not raw_start and not raw_end:
        return today, today, None
    try:
        start = date.fromisoformat(raw_start or raw_end)
        end = date.fromisoformat(raw_end or raw_start)
    except ValueError:
        return today, today, _("Tanggal tidak dikenal; menampilkan hari ini.")
    if end < start:
        return today, today, _("Tanggal akhir sebelum tanggal awal; menampilkan hari ini.")
    if (end - start).days >= MAX_DAYS:
        return today, today, _("Paling panjang %(days)s hari; menampilkan hari ini.", days=MAX_DAYS)
    return start, end, None


@bp.get("/report/bill")
@requires(Permission.REPORTS)
def bill_report_page():
    today = jakarta_date(clock.now())
    start, end, error = _chosen_range(today)
    page = render_template(
        "admin/bill_report.html", report=bill_report(start, end), error=error, quick=quick_ranges(today)
    )
    return page, 400 if error else 200


@bp.get("/report/bill.csv")
@requires(Permission.REPORTS)
def bill_report_download():
    today = jakarta_date(clock.now())
    start, end, error = _chosen_range(today)
    report = bill_report(start, end)
    if error:
        return render_template("admin/bill_report.html", report=report, error=error, quick=quick_ranges(today)), 400
    return Response(
        bill_report_csv(report),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="warung-pajak-{start.isoformat()}-{end.isoformat()}.csv"'
        },
    )
