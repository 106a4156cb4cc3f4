"""A database holding orders, for the tests that a migration keeps them both ways."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask_migrate import upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

ORDERS = 'SELECT id, public_id, status, total FROM "order" ORDER BY id'


@contextmanager
def holding_orders(engine_url: str, revision: str, orders: str = ORDERS) -> Iterator[list]:
    """In an app context, the database at `engine_url` migrated to `revision` and holding
    the menu and orders of MENU_AND_ORDERS; yields the orders as `orders` reads them.
    The engine's connections are closed at the end (the database is dropped next)."""
    app = create_app(config_for(engine_url))
    with app.app_context():
        upgrade(revision=revision)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            held = connection.execute(sa.text(orders)).all()
        try:
            yield held
        finally:
            db.engine.dispose()
