"""The kitchen's pages: each station's display (/kitchen/<station id>, for a kitchen
account, and the counter's staff), the owner's station settings, and the cashier's
reprint of a ticket that did not print."""

from flask import Blueprint, Flask

bp = Blueprint("kitchen", __name__, url_prefix="/kitchen")

from . import views  # noqa: E402


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(views.unprinted_tickets, "kitchen_unprinted")
