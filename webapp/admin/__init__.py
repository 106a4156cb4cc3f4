"""Admin pages: menu management and the daily report. Admin role required throughout."""

from flask import Blueprint, Flask

from ..auth import require_admin

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_admin)

from . import bill_report_views, bill_views, options, shop_views, tables, views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
