"""The admin's home, "Hari ini" (where an admin lands after logging in): the order
board's columns right now, today's takings, and a way to every job."""

from flask import render_template

from .. import clock
from ..cashier.live_board import COLUMNS, board_state
from ..staff.permissions import Permission, requires
from ..timeutil import jakarta_date
from . import bp
from .report import daily_report


@bp.get("/")
@requires(Permission.REPORTS)
def today():
    now = clock.now()
    state = board_state(now)
    columns = [(key, title, len(state.columns[key])) for key, title in COLUMNS]
    day = jakarta_date(now)
    return render_template("admin/today.html", day=day, columns=columns, report=daily_report(day))
