"""Customer blueprint: menu, cart, checkout, order page and its status fragment."""
from flask import Blueprint

bp = Blueprint("orders", __name__)

from . import public_payment, views  # noqa: E402,F401  (register the routes on bp)
from .menu import localized  # noqa: E402

bp.add_app_template_filter(localized)
