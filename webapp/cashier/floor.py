"""The floor view: a tile per table with its open orders, refreshed by htmx.

The page polls with the version of the floor it shows (`seen`); while the floor is
the same the answer is 204 and nothing is drawn. A tile opens the board filtered to
its table; a table whose guests have paid and left is freed from its tile.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clock
from ..extensions import db, never_rate_limited
from ..htmx import is_htmx
from ..live import streams
from ..models import DiningTable
from ..staff.permissions import Permission, requires
from ..state import IllegalTransition
from ..tables.clearing import clear_table
from ..tables.floor import floor
from . import bp
from .views import actor

FLOOR_POLL_SECONDS = 5


@bp.get("/tables")
@requires(Permission.FLOOR)
def tables():
    return render_template("cashier/tables.html", floor=floor(clock.now()), poll_seconds=FLOOR_POLL_SECONDS)


@bp.get("/tables/stream")
@never_rate_limited
@requires(Permission.FLOOR)
def floor_stream():
    """The floor's and a table bill's pushed updates (webapp/live/streams.py)."""
    return streams.stream(streams.FLOOR)


@bp.get("/tables/floor")
@requires(Permission.FLOOR)
def floor_fragment():
    """Polled by the floor page: 204 while nothing changed, else the whole grid."""
    if not is_htmx():
        return redirect(url_for("cashier.tables"), 303)
    current = floor(clock.now())
    if request.args.get("seen") == current.version:
        return "", 204
    return render_template("cashier/_floor.html", floor=current, poll_seconds=FLOOR_POLL_SECONDS)


@bp.post("/tables/<int:table_id>/clear")
@requires(Permission.MANAGE_BILLS)
def clear(table_id):
    """Kosongkan meja: the guests have left; their orders are done."""
    table = db.get_or_404(DiningTable, table_id)
    try:
        done = clear_table(table, actor(), clock.now())
    except IllegalTransition as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("Meja %(table)s kosong lagi: %(count)s pesanan selesai.", table=table.label, count=len(done)), "success"
        )
    return redirect(url_for("cashier.tables"), 303)
