"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
TEST_DATABASE_URL points at one (as .ci/run does).

Fixtures only: helpers live in modules of their own (tests/factories.py builds data,
tests/http_helpers.py talks HTTP, tests/apps.py makes apps), which test modules import.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from duitku_sandbox import create_sandbox_app
from tests import factories as make
from tests.apps import NOWHERE, config_for, make_app, sandbox_settings
from tests.db_helpers import drop_database, new_database
from tests.http_helpers import csrf_token_from, logged_in_client
from tests.live_server import serving
from webapp import create_app
from webapp.config import database_url
from webapp.extensions import db
from webapp.models import AuditEntry, MenuItem, Role
from webapp.timeutil import utcnow


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


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """The Duitku sandbox served on a loopback port for the whole run; callbacks are
    sent inline and retried without waiting."""
    app = create_sandbox_app(
        {
            "SANDBOX_DATABASE": str(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3"),
            "SANDBOX_ALLOWED_BASE_URL": NOWHERE,  # the app's PUBLIC_BASE_URL (see live_app)
            "SANDBOX_CALLBACKS_IN_BACKGROUND": False,
            "SANDBOX_CALLBACK_RETRY_DELAYS": (0, 0, 0, 0),
            "SANDBOX_CLOCK": SANDBOX_CLOCK,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with serving(app) as url:
        app.config["BASE_URL"] = url
        yield app


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    """SQLite in a temporary folder, or TEST_DATABASE_URL's PostgreSQL; under pytest-xdist
    (make test) each worker has a database of its own there, named after the worker."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return database_url(url)
    name = f"{database_url(url).rpartition('/')[2]}_{worker}"
    return new_database(database_url(url), name)


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


@pytest.fixture
def app(database_uri, _schema, sandbox):
    """The app on the test database, talking to the sandbox. Its context stays pushed
    for the test's own database work; requests through its test clients each run in a
    context of their own (tests/apps.py). The tables are emptied afterwards."""
    app = make_app(database_uri, **sandbox_settings(sandbox))
    with app.app_context():
        yield app
        app.extensions["change_feed"].stop()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                if table.name == AuditEntry.__tablename__ and db.engine.dialect.name == "postgresql":
                    # Audit rows are never deleted (a trigger refuses it); TRUNCATE is no row's change.
                    connection.exec_driver_sql("TRUNCATE audit_entry")
                else:
                    connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _races_on_postgresql_only(request, database_uri):
    """A test marked `races` is skipped on SQLite, which runs one writer at a time (the app
    begins each write transaction IMMEDIATE), so the race cannot happen there."""
    if request.node.get_closest_marker("races") and not database_uri.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time, so the race cannot happen there")


@pytest.fixture(autouse=True)
def _drawer_open(request):
    """Cash needs an open shift (webapp/shifts): a test that uses the app starts with the
    first till, "Kasir 1", and its drawer's shift open, as a cashier starts the day (a
    shift test closes it, or opens another till's); a test marked `no_till` starts with
    no till at all."""
    if "app" in request.fixturenames and request.node.get_closest_marker("no_till") is None:
        request.getfixturevalue("app")
        make.open_drawer()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def clock(app):
    """Freeze the app's (and the sandbox's) time at a known moment; move it by hand."""
    fake = FakeClock(datetime(2026, 11, 22, 5, 0, tzinfo=UTC))
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
    """factories.small_menu(): two categories, one item sold out. Keyed by item name."""
    return make.small_menu()


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
    yield new_database(database_uri, name)
    drop_database(database_uri, name)


@pytest.fixture
def photo_dir(app, tmp_path) -> Path:
    """The photo store's folder (item photos, the shop's logo), empty for each test."""
    app.extensions["photo_storage"].root = tmp_path
    return tmp_path


@pytest.fixture
def staff(app):
    """A cashier, sari, and an admin, budi, both with factories.STAFF_PASSWORD."""
    return {"cashier": make.staff_user("sari"), "admin": make.staff_user("budi", role=Role.ADMIN)}


@pytest.fixture
def staff_client(app, staff):
    """`staff_client("cashier")` or `staff_client("admin")`: a new test client logged in
    as that member of `staff`, its `csrf_token` ready for the staff forms."""

    def logged_in(role: str = "cashier"):
        return logged_in_client(app, staff[role].username)

    return logged_in


@pytest.fixture
def rini(app):
    """Rini, a manager whose approval PIN is factories.MANAGER_PIN (4321)."""
    return make.manager()


@pytest.fixture
def cashier_client(staff_client):
    return staff_client("cashier")


@pytest.fixture
def admin_client(staff_client):
    return staff_client("admin")
