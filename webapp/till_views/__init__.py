"""The till (`/till`): staff ring up orders at the counter, or on a phone at a table.

Every route names its permission (staff/permissions.py): ringing up needs TAKE_ORDERS
(waiters, cashiers, managers, the owner), taking cash TAKE_CASH, which a waiter lacks:
their till has no cash form and the server refuses cash to them with a 403 that says
why. Changes answer htmx with the till's side column (the order being rung up, and the
last order placed); without JavaScript the same forms post and are redirected back.
Above the grid the till lists the orders that came in from elsewhere, each announcing
itself (incoming.py).
"""

from flask import Blueprint, Flask

from ..live import feed
from ..models import Till

bp = Blueprint("till", __name__, url_prefix="/till")
# Any write to a till (its draft, its display's pairing) wakes its page's and its
# display's streams.
TILLS_TOPIC = "tills"

from . import discounts, incoming, paying, views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    feed.name_writes((Till,), TILLS_TOPIC)
