"""Warung: order-and-pay web app for Indonesian eateries.

`create_app` builds the app from one list, PARTS: each part is a module with
`init_app(app)`, called in the order listed. Settings come first, the Duitku sandbox
is mounted before the client that talks to it is built, caches after the change feed
that empties them, and blueprints last.
"""

import os
from pathlib import Path

from flask import Flask

import duitku_sandbox

from . import (
    admin,
    api,
    auth,
    billing,
    bills,
    callbacks,
    cashier,
    cli,
    cookie_session,
    errors,
    extensions,
    formatting,
    i18n,
    kitchen,
    kitchen_display,
    live,
    merchant,
    navigation,
    printing,
    production,
    request_guards,
    security,
    shift_views,
    shifts,
    shop,
    static_files,
    till_display,
    till_views,
)
from .config import Config
from .discounts import promotions
from .menu import listing, photos
from .ops import health
from .ops import logging as request_logging
from .orders import paying as order_paying
from .orders import tracking
from .partners import accounts as partner_accounts
from .payments import gateway
from .till import printing as till_printing

PROJECT_ROOT = Path(__file__).resolve().parent.parent

PARTS = (
    production,  # refuses unsafe production settings; decides whether the sandbox is used
    request_logging,
    request_guards,  # before any route: it bounds <int:...> in URLs
    extensions,
    cookie_session,  # the session is read when a request first uses it
    security,
    static_files,  # versioned static URLs, for long caching
    i18n,
    formatting,
    billing,  # the bill's template filters
    order_paying,  # what an order does when its payment is paid (the payments domain's payee)
    bills,  # the same for a share of a table's bill; the share's template filter
    shifts,  # cash taken lands in its drawer's open shift (none open: refused)
    errors,
    navigation,  # the staff bar
    live,  # the change feed, before the caches it empties
    listing,  # the menu list cache
    photos,  # where item photos are kept, and /photos/<name> for the default store
    merchant,  # the shop's name and logo, cached (after photos: the logo is kept in their store)
    promotions,  # the promotions switched on, cached
    tracking,  # the order poll cache
    partner_accounts,  # the partner API key cache
    printing,  # prints, after the request, the print jobs its transactions queued and committed
    kitchen,  # makes a paid order's tickets in the transaction that pays it
    till_printing,  # queues a paid till order's receipt in the transaction that pays it
    duitku_sandbox,  # mounted only when in use
    gateway,  # the Duitku client, with the sandbox's address when it is mounted
    cli,
    shop,
    callbacks,
    api,
    auth,
    cashier,
    admin,
    kitchen_display,
    till_display,
    till_views,
    shift_views,
    health,
)


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app. `config` is a config class or a mapping of overrides."""
    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=os.environ.get("WARUNG_INSTANCE_DIR", str(PROJECT_ROOT / "instance")),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    Path(app.instance_path).mkdir(exist_ok=True)
    for part in PARTS:
        part.init_app(app)
    return app
