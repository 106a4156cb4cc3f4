"""The cash drawer (`/drawer`): a cashier opens the till's shift with the float counted,
sees the shift so far (the X report), pays cash in or out with a reason, and closes the
shift with the drawer counted (a difference past the limit needs a note and a manager's
PIN on the same device); the X and Z reports print on 58 and 80 mm paper like receipts.

Every route needs TAKE_CASH (cashiers, managers, the owner): the drawer is cash.
"""

from flask import Blueprint, Flask

bp = Blueprint("shift_views", __name__, url_prefix="/drawer")

from . import views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
