"""Cashier console: live board, order detail, cash, kitchen progress, menu availability.

Every route names the permission it needs (staff/permissions.py; a waiter opens the
floor and bills, a cashier the rest). Actions answer htmx with what changed on the board, and plain posts with
a redirect and a flashed message; a refused action says why, wherever it lands.
"""

from flask import Blueprint, Flask

from .. import labels

bp = Blueprint("cashier", __name__, url_prefix="/cashier")

from . import bill_views, discount_views, floor, receipt_views, refund_views, views, void_views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # How a refund went back, in words: the cashier's, the customer's and the receipt's pages.
    app.add_template_filter(labels.refund_method, "refund_method")
