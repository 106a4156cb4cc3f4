"""The shop's own details: its name and logo, in every page's header, page titles,
receipts and the table QR cards, set by an admin on the shop page (`admin.shop`).

Every page shows them, so each process keeps them (`live`: dropped by any write to
them, in any process, announced as "merchant"), and a request reads them once.
"""

from flask import Flask

from ..live import cache, feed
from ..models import MerchantProfile
from .logo import logo_url
from .profile import MERCHANT_TOPIC, current_shop


def init_app(app: Flask) -> None:
    """`shop()` (the name and logo in force) and `logo_url` for the templates."""
    feed.name_writes((MerchantProfile,), MERCHANT_TOPIC)
    cache.install(app, "merchant_cache")
    app.add_template_global(current_shop, "shop")
    app.add_template_global(logo_url)
