"""The day report's indexes (cash movements and voids by time) on a database holding
orders: the orders stay both ways, and the indexes come and go."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.migration_helpers import ORDERS, holding_orders
from webapp.extensions import db

BEFORE, INDEXES = "c1e4a7d9f2b3", "d2f5b8e1a4c6"
ADDED = {("cash_movement", "ix_cash_movement_created_at"), ("order_void", "ix_order_void_created_at")}


def indexes(connection) -> set[tuple[str, str]]:
    inspector = sa.inspect(connection)
    return {(table, index["name"]) for table, _ in ADDED for index in inspector.get_indexes(table)}


def test_the_index_migration_keeps_the_orders_both_ways(scratch_engine_url):
    with holding_orders(scratch_engine_url, BEFORE) as orders:
        with db.engine.connect() as connection:
            assert not indexes(connection) & ADDED
        upgrade(revision=INDEXES)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == orders and indexes(connection) >= ADDED
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == orders and not indexes(connection) & ADDED
