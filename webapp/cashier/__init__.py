"""Cashier console: live board, order detail, cash, kitchen progress, menu availability.

Every route here needs a logged-in cashier or admin (checked once, for the whole
blueprint). Actions answer htmx with the refreshed board, and plain posts with a
redirect and a flashed message.
"""
from flask import Blueprint

from .. import labels
from ..auth import require_login

bp = Blueprint("cashier", __name__, url_prefix="/cashier")
bp.before_request(require_login)
bp.context_processor(lambda: {"labels": labels})  # stored codes as words (webapp/labels.py)

from . import views  # noqa: E402,F401
