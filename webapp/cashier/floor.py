"""The floor view: a tile per table with its open orders, refreshed by htmx.

The page polls with the version of the floor it shows (`seen`); while the floor is
the same the answer is 204 and nothing is drawn. A tile opens the board filtered to
its table.
"""

from flask import redirect, render_template, request, url_for

from .. import clock
from ..htmx import is_htmx
from ..tables.floor import floor
from . import bp

FLOOR_POLL_SECONDS = 5


@bp.get("/tables")
def tables():
    return render_template("cashier/tables.html", floor=floor(clock.now()), poll_seconds=FLOOR_POLL_SECONDS)


@bp.get("/tables/floor")
def floor_fragment():
    """Polled by the floor page: 204 while nothing changed, else the whole grid."""
    if not is_htmx():
        return redirect(url_for("cashier.tables"), 303)
    current = floor(clock.now())
    if request.args.get("seen") == current.version:
        return "", 204
    return render_template("cashier/_floor.html", floor=current, poll_seconds=FLOOR_POLL_SECONDS)
