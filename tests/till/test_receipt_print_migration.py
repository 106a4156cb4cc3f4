"""The receipt printing migration on a database holding tills and orders: every order
and till is kept both ways; a till prints on 80 mm paper until set, and no order paid
before gets a receipt printed."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "u6e1a9c3d7f2"
PREVIOUS = "t3c8a1f5e2b7"
TILL = (
    "INSERT INTO till (id, public_id, name, printer, order_type, customer_name, version, created_at, updated_at)"
    " VALUES (1, 'till-1', 'Kasir 1', '192.168.1.60:9100', 'takeaway', '', 0,"
    " '2026-11-22 05:00:00+00:00', '2026-11-22 05:00:00+00:00')"
)
KEPT = [
    'SELECT id, public_id, customer_name, status, total, till_id FROM "order" ORDER BY id',
    "SELECT id, order_id, name, quantity, line_total FROM order_item ORDER BY id",
    "SELECT id, public_id, name, printer FROM till ORDER BY id",
]


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def test_the_receipt_printing_migration_keeps_tills_and_orders_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            connection.execute(sa.text(TILL))
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            connection.execute(sa.text('UPDATE "order" SET till_id = 1'))
            before = _rows(connection)
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert _rows(connection) == before and before[0][0][-1] == 1
            assert connection.execute(sa.text("SELECT paper FROM till")).scalar_one() == "80"
            assert connection.execute(sa.text("SELECT count(*) FROM receipt_print")).scalar_one() == 0
        with db.engine.connect() as connection, connection.begin():
            refused = connection.begin_nested()
            try:
                connection.execute(sa.text("UPDATE till SET paper = '57'"))
            except sa.exc.IntegrityError:
                refused.rollback()
            else:
                raise AssertionError("a paper width other than 58 or 80 was stored")
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            inspector = sa.inspect(connection)
            assert "receipt_print" not in inspector.get_table_names()
            assert "paper" not in {column["name"] for column in inspector.get_columns("till")}
        db.engine.dispose()
