"""Admin pages: the day's summary, the menu, tables, reports and settings; each route
names its permission (staff/permissions.py: reports for managers, the rest for the owner)."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import (  # noqa: E402,F401  (register the routes on bp)
    audit_views,
    bill_report_views,
    bill_views,
    options,
    promotions,
    shop_views,
    tables,
    tills,
    today,
    users,
    views,
    vouchers,
)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
