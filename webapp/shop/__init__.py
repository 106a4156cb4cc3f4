"""The customer's pages: menu, cart, checkout, the order page and its live status, and
a payment's public page. They parse and validate, call the orders and payments
domains, and render."""

from flask import Blueprint, Flask

bp = Blueprint("shop", __name__)

from . import bill_views, checkout_views, payment_page, views  # noqa: E402,F401  (register the routes on bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
