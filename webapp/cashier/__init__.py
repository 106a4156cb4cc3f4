"""Cashier console: live board, order detail, cash, kitchen progress, menu availability.

Every route names the permission it needs (staff/permissions.py; a waiter opens the
floor and bills, a cashier the rest). Actions answer htmx with what changed on the board, and plain posts with
a redirect and a flashed message; a refused action says why, wherever it lands.
"""

from flask import Blueprint, Flask

bp = Blueprint("cashier", __name__, url_prefix="/cashier")

from . import bill_views, discount_views, floor, receipt_views, views, void_views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
