"""Production refuses to take payments it cannot collect: no built-in sandbox unless a
loudly named setting asks for a demo, and then every page says payments are not real."""

from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE
from tests.apps import REAL_DUITKU, make_app
from webapp.extensions import db
from webapp.models import User
from webapp.production import ConfigurationError

PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": "k" * 40,
    "PUBLIC_BASE_URL": "https://warung.example",
    **REAL_DUITKU,
}
NOT_REAL = "Mode demo: pembayaran tidak sungguhan"


def production_app(database_uri, **settings):
    return make_app(database_uri, **{**PRODUCTION, **settings})


@contextmanager
def pages_of(app):
    """A test client of an app made here, set up and cleaned up like the `app` fixture's."""
    with app.app_context():
        try:
            yield app.test_client()
        finally:
            app.extensions["change_feed"].stop()
            db.session.remove()
            db.engine.dispose()


def test_production_with_real_duitku_settings_starts_without_the_sandbox(database_uri):
    app = production_app(database_uri)
    assert app.config["DUITKU_SANDBOX"] is False
    assert app.test_client().get("/_sandbox/duitku/pay/x").status_code == 404


@pytest.mark.parametrize("missing", ["DUITKU_BASE_URL", "DUITKU_MERCHANT_CODE", "DUITKU_API_KEY"])
def test_production_refuses_to_start_without_each_duitku_setting(database_uri, missing):
    with pytest.raises(ConfigurationError, match=missing):
        production_app(database_uri, **{missing: ""})


def test_production_names_every_missing_duitku_setting_at_once(database_uri):
    with pytest.raises(ConfigurationError) as refused:
        production_app(database_uri, DUITKU_BASE_URL="", DUITKU_MERCHANT_CODE="", DUITKU_API_KEY="")
    assert all(name in str(refused.value) for name in REAL_DUITKU)


@pytest.mark.parametrize(
    "settings, complaint",
    [
        ({"DUITKU_API_KEY": DEFAULT_API_KEY}, "DUITKU_API_KEY"),
        ({"DUITKU_MERCHANT_CODE": DEFAULT_MERCHANT_CODE}, "DUITKU_MERCHANT_CODE"),
        ({"DUITKU_BASE_URL": "http://passport.duitku.com"}, "https"),
        ({"DUITKU_BASE_URL": "https://warung.example/_sandbox/duitku"}, "sandbox"),
    ],
)
def test_production_refuses_the_sandbox_credentials_and_addresses(database_uri, settings, complaint):
    with pytest.raises(ConfigurationError, match=complaint):
        production_app(database_uri, **settings)


def test_the_demo_setting_mounts_the_sandbox_and_every_page_says_payments_are_not_real(database_uri, _schema):
    app = production_app(
        database_uri,
        DUITKU_BASE_URL="",
        DUITKU_MERCHANT_CODE="",
        DUITKU_API_KEY="",
        UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION=True,
    )
    assert app.config["DUITKU_SANDBOX"] is True
    with pages_of(app) as client:
        assert client.get("/_sandbox/duitku/webapi/api/merchant/v2/inquiry").status_code == 405  # mounted
        for path in ("/", "/cart", "/checkout", "/login", "/no-such-page"):
            assert NOT_REAL in client.get(path).get_data(as_text=True), path
        english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Demo mode: payments are not real" in english


def test_the_demo_setting_contradicts_a_real_duitku(database_uri):
    with pytest.raises(ConfigurationError, match="UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION"):
        production_app(database_uri, UNSAFE_SANDBOX_PAYMENTS_IN_PRODUCTION=True)


def test_development_with_the_sandbox_mounted_says_payments_are_not_real(database_uri, _schema):
    app = make_app(database_uri, DUITKU_BASE_URL="", DUITKU_MERCHANT_CODE="", DUITKU_API_KEY="")
    with pages_of(app) as client:
        assert NOT_REAL in client.get("/").get_data(as_text=True)


def test_a_real_duitku_shows_no_demo_banner(database_uri, _schema):
    with pages_of(production_app(database_uri)) as client:
        assert NOT_REAL not in client.get("/").get_data(as_text=True)


def test_the_demo_seed_makes_no_logins_in_production(app, database_uri):
    """(`app` empties the tables afterwards.)"""
    production = production_app(database_uri)
    with pages_of(production):
        output = production.test_cli_runner().invoke(args=["seed-demo"]).output
        assert "Demo logins: none in production" in output and " / " not in output
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
