"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
TEST_DATABASE_URL points at one (as .ci/run does)."""
import os
import re

import pytest
from sqlalchemy import create_engine

from webapp import create_app
from webapp.config import TestConfig, database_url
from webapp.extensions import db
from webapp.models import Category, MenuItem

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def config_for(url: str, **overrides) -> dict:
    settings = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    return {**settings, "SQLALCHEMY_DATABASE_URI": url, **overrides}


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


@pytest.fixture
def app(database_uri, _schema):
    app = create_app(config_for(database_uri))
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


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
