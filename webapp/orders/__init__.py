"""Customer blueprint: menu, cart, checkout, order page and its status fragment."""
from flask import Blueprint

bp = Blueprint("orders", __name__)

from . import views  # noqa: E402,F401  (registers the routes on bp)
