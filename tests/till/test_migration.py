"""The tills migration on a database holding orders: every order is kept both ways, a
customer's own taken by nobody at no till."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "t3c8a1f5e2b7"
PREVIOUS = "r7b2e4c6a9d1"
KEPT = [
    'SELECT id, public_id, customer_name, status, total FROM "order" ORDER BY id',
    "SELECT id, order_id, name, quantity, line_total FROM order_item ORDER BY id",
]


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def test_the_tills_migration_keeps_every_order_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            before = _rows(connection)
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            assert connection.execute(sa.text('SELECT taken_by, till_id FROM "order"')).one() == ("", None)
            assert connection.execute(sa.text("SELECT count(*) FROM till")).scalar_one() == 0
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            assert "till" not in sa.inspect(connection).get_table_names()
        db.engine.dispose()
