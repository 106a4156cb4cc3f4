"""The apps the tests run: their settings, and a test client whose every request runs
in an app context of its own, as in production."""

from __future__ import annotations

import contextvars

from flask import has_app_context
from flask.testing import FlaskClient

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

NOWHERE = "http://127.0.0.1:9"  # a closed port: nothing is served there
REAL_DUITKU = {
    "DUITKU_BASE_URL": "https://passport.duitku.com",
    "DUITKU_MERCHANT_CODE": "D1234",
    "DUITKU_API_KEY": "f" * 32,
}


def config_for(url: str, **overrides) -> dict:
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    return {
        **settings,
        "SQLALCHEMY_DATABASE_URI": url,
        "DUITKU_BASE_URL": NOWHERE,
        "PUBLIC_BASE_URL": NOWHERE,
        "PARTNER_WEBHOOKS_IN_BACKGROUND": False,
        "DUITKU_MERCHANT_CODE": "DS0001",
        "DUITKU_API_KEY": "unused",
        **overrides,
    }


def sandbox_settings(sandbox) -> dict:
    """The app's Duitku settings for the sandbox served by the `sandbox` fixture."""
    from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE

    return {
        "DUITKU_BASE_URL": sandbox.config["BASE_URL"],
        "DUITKU_MERCHANT_CODE": DEFAULT_MERCHANT_CODE,
        "DUITKU_API_KEY": DEFAULT_API_KEY,
    }


class AppClient(FlaskClient):
    """A test client whose requests each get a new app context, so a new `g` and a new
    database session, however the test holds its own context open.

    Flask would run the request inside an app context of the same app that is already
    pushed, sharing the test's `g` and session. So the request runs in an empty
    `contextvars` context, where Flask pushes a context of its own and tears it down
    afterwards. The test's transaction is committed first: its writes are what the
    request should see, and on SQLite an open transaction holds the write lock the
    request may need. (Committing expires the test's rows, so they are read again,
    fresh, when the test next looks at them.)
    """

    csrf_token: str | None = None  # set for staff by the `staff_client` fixture

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_app(database_uri: str, **settings):
    """An app on `database_uri` with the test settings, whose test clients are AppClients."""
    app = create_app(config_for(database_uri, **settings))
    app.test_client_class = AppClient
    return app
