"""The kitchen's pages: each station's display (/kitchen/<station id>, any logged-in
staff: the kitchen tablet logs in as a cashier), the admins' station settings, and
the cashier's reprint of a ticket that did not print."""

from flask import Blueprint, Flask

from ..auth import require_login

bp = Blueprint("kitchen", __name__, url_prefix="/kitchen")
bp.before_request(require_login)

from . import views  # noqa: E402


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(views.unprinted_tickets, "kitchen_unprinted")
