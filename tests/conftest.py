"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
TEST_DATABASE_URL points at one (as .ci/run does)."""
import os
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine

from tests.live_server import serving
from webapp import create_app
from webapp.config import TestConfig, database_url
from webapp.extensions import db
from webapp.models import Category, MenuItem
from duitku_sandbox import create_sandbox_app
from webapp.timeutil import utcnow

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
NOWHERE = "http://127.0.0.1:9"  # a closed port: nothing is served there


class FakeClock:
    """A clock tests move by hand; the app and the sandbox both read it."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


class ClockSwitch:
    """Lets the session-wide sandbox read whichever clock the current test uses."""

    def __init__(self):
        self.clock = utcnow

    def __call__(self) -> datetime:
        return self.clock()


SANDBOX_CLOCK = ClockSwitch()


def config_for(url: str, **overrides) -> dict:
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    return {**settings, "SQLALCHEMY_DATABASE_URI": url, "DUITKU_BASE_URL": NOWHERE, "PUBLIC_BASE_URL": NOWHERE,
            "PARTNER_WEBHOOKS_IN_BACKGROUND": False,
            "DUITKU_MERCHANT_CODE": "DS0001", "DUITKU_API_KEY": "unused", **overrides}


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """The Duitku sandbox served on a loopback port for the whole run; callbacks are
    sent inline and retried without waiting."""
    app = create_sandbox_app({
        "SANDBOX_DATABASE": str(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3"),
        "SANDBOX_ALLOWED_BASE_URL": NOWHERE,  # the app's PUBLIC_BASE_URL (see live_app)
        "SANDBOX_CALLBACKS_IN_BACKGROUND": False,
        "SANDBOX_CALLBACK_RETRY_DELAYS": (0, 0, 0, 0),
        "SANDBOX_CLOCK": SANDBOX_CLOCK,
        "WTF_CSRF_ENABLED": False,
    })
    with serving(app) as url:
        app.config["BASE_URL"] = url
        yield app


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_uri):
    """Create the schema once per run, from the models, on a cleaned database."""
    app = create_app(config_for(database_uri))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.create_all()
        db.engine.dispose()


def sandbox_settings(sandbox) -> dict:
    from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE

    return {"DUITKU_BASE_URL": sandbox.config["BASE_URL"], "DUITKU_MERCHANT_CODE": DEFAULT_MERCHANT_CODE,
            "DUITKU_API_KEY": DEFAULT_API_KEY}


def _fresh_g():
    """Tests keep one app context open, which every test-client request then shares; in
    production each request has its own. Start each request with an empty `g` so nothing
    cached there (the logged-in user, the chosen language) leaks between requests."""
    from flask import g

    g.__dict__.clear()


@pytest.fixture
def app(database_uri, _schema, sandbox):
    app = create_app(config_for(database_uri, **sandbox_settings(sandbox)))
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    with app.app_context():
        yield app
        app.extensions["change_feed"].stop()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def clock(app):
    """Freeze the app's (and the sandbox's) time at a known moment; move it by hand."""
    fake = FakeClock(datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc))
    app.config["CLOCK"] = fake
    SANDBOX_CLOCK.clock = fake
    yield fake
    SANDBOX_CLOCK.clock = utcnow


@pytest.fixture
def live_app(app, sandbox):
    """The app served over real HTTP on a loopback port (so the sandbox can call back);
    PUBLIC_BASE_URL points at it, and the sandbox calls back there."""
    with serving(app) as url:
        app.config["PUBLIC_BASE_URL"] = sandbox.config["SANDBOX_ALLOWED_BASE_URL"] = url
        try:
            yield url
        finally:
            sandbox.config["SANDBOX_ALLOWED_BASE_URL"] = NOWHERE


@pytest.fixture
def menu(app) -> dict[str, MenuItem]:
    """A small menu: two categories, one item sold out. Keyed by item name."""
    food = Category(name="Makanan", position=0)
    drinks = Category(name="Minuman", position=1)
    food.items = [
        MenuItem(name="Nasi Goreng", description="Pedas sedang", price=25000, position=0),
        MenuItem(name="Mie Ayam", price=22000, position=1),
        MenuItem(name="Rendang", price=35000, position=2, available=False),
    ]
    drinks.items = [MenuItem(name="Es Teh Manis", price=5000, position=0)]
    db.session.add_all([food, drinks])
    db.session.commit()
    return {item.name: item for item in [*food.items, *drinks.items]}


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def csrf(client, menu) -> str:
    """A CSRF token valid for `client`'s session."""
    return csrf_token_from(client.get("/").get_data(as_text=True))


@pytest.fixture
def scratch_engine_url(database_uri, tmp_path):
    """The URL of a new, empty database of the same kind as the test database."""
    if database_uri.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"warung_scratch_{os.getpid()}"
    admin = create_engine(database_uri, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    base, _, _ = database_uri.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


STAFF_PASSWORD = "rahasia-kasir-123"


@pytest.fixture
def staff(app):
    """A cashier and an admin, both with STAFF_PASSWORD."""
    from webapp.staff.accounts import create_user
    from webapp.models import Role

    return {"cashier": create_user("sari", STAFF_PASSWORD, Role.CASHIER),
            "admin": create_user("budi", STAFF_PASSWORD, Role.ADMIN)}


def log_in(client, username: str, password: str = STAFF_PASSWORD):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password})


@pytest.fixture
def cashier_client(app, staff):
    client = app.test_client()
    assert log_in(client, "sari").status_code == 303
    return client


@pytest.fixture
def admin_client(app, staff):
    client = app.test_client()
    assert log_in(client, "budi").status_code == 303
    return client


def staff_csrf(client) -> str:
    return csrf_token_from(client.get("/cashier").get_data(as_text=True))


def log_out(client) -> None:
    assert client.post("/logout", data={"csrf_token": staff_csrf(client)}).status_code == 303
