"""The day report's indexes (cash movements and voids by time) on a database holding
orders: the orders stay both ways, and the indexes come and go."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

BEFORE, INDEXES = "c1e4a7d9f2b3", "d2f5b8e1a4c6"
ORDERS = 'SELECT id, public_id, status, total FROM "order" ORDER BY id'
ADDED = {("cash_movement", "ix_cash_movement_created_at"), ("order_void", "ix_order_void_created_at")}


def indexes(connection) -> set[tuple[str, str]]:
    inspector = sa.inspect(connection)
    return {(table, index["name"]) for table, _ in ADDED for index in inspector.get_indexes(table)}


def test_the_index_migration_keeps_the_orders_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            orders = connection.execute(sa.text(ORDERS)).all()
            assert not indexes(connection) & ADDED
        upgrade(revision=INDEXES)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == orders and indexes(connection) >= ADDED
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == orders and not indexes(connection) & ADDED
        db.engine.dispose()
