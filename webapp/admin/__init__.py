"""Admin pages: the day's summary, the menu, tables, reports and settings. Admin role required throughout."""

from flask import Blueprint, Flask

from ..auth import require_admin

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_admin)

from . import bill_report_views, bill_views, options, shop_views, tables, today, views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
