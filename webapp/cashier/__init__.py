"""Cashier console: live board, order detail, cash, kitchen progress, menu availability.

Every route here needs a logged-in cashier or admin (checked once, for the whole
blueprint). Actions answer htmx with what changed on the board, and plain posts with
a redirect and a flashed message; a refused action says why, wherever it lands.
"""

from flask import Blueprint, Flask

from ..auth import require_login

bp = Blueprint("cashier", __name__, url_prefix="/cashier")
bp.before_request(require_login)

from . import bill_views, floor, receipt_views, views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
