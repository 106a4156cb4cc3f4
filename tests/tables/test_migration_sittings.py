"""The migration for sittings, kitchen steps and serving, on a database holding a
table, a paid dine-in order with its kitchen ticket and bill settings: every row is
kept both ways; no table was cleared, no ticket started, and dine-in orders are
brought to the table."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "d2a7c4e9b1f0"
PREVIOUS = "c5e8d1f2a3b4"
NOW = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
BEFORE = [
    "INSERT INTO dining_table (id, label, area, active, position, token, created_at)"
    " VALUES (7, '7', '', true, 1, 'tok-7', :now)",
    "UPDATE \"order\" SET order_type = 'dine_in', table_id = 7 WHERE id = 1",
    "INSERT INTO kitchen_station (id, name, printer, position) VALUES (1, 'Dapur', '', 0)",
    "INSERT INTO kitchen_ticket (id, order_id, station_id, item_ids, created_at, bumped_by, print_state,"
    " print_attempts, print_error) VALUES (1, 1, 1, '1', :now, '', 'not_needed', 0, '')",
    "INSERT INTO bill_settings (id, tax_rate, service_rate, mode, service_on_takeaway, rounding_step,"
    " rounding_direction, payment_timing, merchant_address, merchant_tax_number, changed_by, changed_at)"
    " VALUES (1, 1000, 500, 'exclusive', true, 100, 'up', 'pay_later', 'Jl. Mawar 1', '', 'budi', :now)",
]
KEPT = [
    'SELECT id, public_id, status, order_type, table_id, total FROM "order" ORDER BY id',
    "SELECT id, label, token, active FROM dining_table ORDER BY id",
    "SELECT id, order_id, station_id, item_ids, bumped_at FROM kitchen_ticket ORDER BY id",
    "SELECT id, tax_rate, rounding_step, payment_timing, merchant_address, changed_by FROM bill_settings ORDER BY id",
]


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def test_the_sittings_migration_keeps_every_row_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in [*MENU_AND_ORDERS, *BEFORE]:
                connection.execute(sa.text(statement), {"now": NOW})
            before = _rows(connection)
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            assert connection.execute(sa.text("SELECT cleared_at FROM dining_table")).scalar_one() is None
            assert connection.execute(sa.text("SELECT started_at FROM kitchen_ticket")).scalar_one() is None
            assert connection.execute(sa.text("SELECT dine_in_serving FROM bill_settings")).scalar_one() == "table"
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            assert "cleared_at" not in {column["name"] for column in sa.inspect(connection).get_columns("dining_table")}
        db.engine.dispose()
