"""The discount migrations on a database holding orders: every order keeps its figures
both ways, with no discount; the promotions' tables come and go; the vouchers' table
comes and goes and every discount given stays."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

BEFORE = "x2f7c9a1e4b6"  # the shifts, the last revision before the discounts
ORDER_DISCOUNTS = "y3a8d2c6e1f4"
PROMOTIONS = "z5b9e3d7f2a6"
VOUCHERS = "a7c4f1e8b3d5"
ORDERS = 'SELECT id, public_id, status, total FROM "order" ORDER BY id'
LINES = "SELECT id, order_id, name, unit_price, quantity, line_total FROM order_item ORDER BY id"


def kept(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in (ORDERS, LINES)]


def test_the_discount_migrations_keep_every_order_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            before = kept(connection)
        upgrade(revision=PROMOTIONS)
        with db.engine.connect() as connection:
            assert kept(connection) == before
            assert connection.execute(sa.text('SELECT bill_discount FROM "order"')).scalars().all() == [0]
            assert connection.execute(sa.text("SELECT count(*) FROM order_discount")).scalar_one() == 0
            tables = set(sa.inspect(connection).get_table_names())
            assert {"promotion", "promotion_item", "promotion_category"} <= tables
        downgrade(revision=ORDER_DISCOUNTS)
        with db.engine.connect() as connection:
            assert kept(connection) == before and "promotion" not in sa.inspect(connection).get_table_names()
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert kept(connection) == before
            assert "order_discount" not in sa.inspect(connection).get_table_names()
            assert "bill_discount" not in {column["name"] for column in sa.inspect(connection).get_columns("order")}
        db.engine.dispose()


A_STAFF_DISCOUNT = (
    "INSERT INTO order_discount (id, order_id, order_item_id, source, kind, value, amount, label, given_by,"
    " approver, created_at) VALUES (1, 1, 1, 'manual', 'percent', 1000, 5000, 'pelanggan tetap', 'cashier:sari',"
    " '', '2026-11-22 05:00:00+00:00')"
)
DISCOUNTS = "SELECT id, order_id, order_item_id, source, kind, value, amount, label, given_by FROM order_discount"


def test_the_voucher_migration_keeps_every_discount_given_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PROMOTIONS)
        with db.engine.begin() as connection:
            for statement in (*MENU_AND_ORDERS, A_STAFF_DISCOUNT):
                connection.execute(sa.text(statement))
            before = kept(connection), connection.execute(sa.text(DISCOUNTS)).all()
        upgrade(revision=VOUCHERS)
        with db.engine.connect() as connection:
            assert (kept(connection), connection.execute(sa.text(DISCOUNTS)).all()) == before
            assert connection.execute(sa.text("SELECT voucher_id FROM order_discount")).scalar_one() is None
            assert connection.execute(sa.text("SELECT count(*) FROM voucher")).scalar_one() == 0
        downgrade(revision=PROMOTIONS)
        with db.engine.connect() as connection:
            assert (kept(connection), connection.execute(sa.text(DISCOUNTS)).all()) == before
            assert "voucher" not in sa.inspect(connection).get_table_names()
            columns = {column["name"] for column in sa.inspect(connection).get_columns("order_discount")}
            assert "voucher_id" not in columns
        db.engine.dispose()
