"""The shop profile migration on a database holding orders and bill settings: every row
is kept, the new table starts empty (the name stays MERCHANT_NAME), and on PostgreSQL a
write to it is announced; down again the table and its trigger go and the rows stay."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "m3a7c1e9d5b2"
PREVIOUS = "d2a7c4e9b1f0"
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
KEPT = [
    'SELECT id, public_id, status, payment_method, total FROM "order" ORDER BY id',
    "SELECT id, order_id, name, quantity, line_total FROM order_item ORDER BY id",
    "SELECT id, merchant_address, merchant_tax_number, changed_by FROM bill_settings ORDER BY id",
]
SETTINGS = (
    "INSERT INTO bill_settings (id, tax_rate, service_rate, mode, service_on_takeaway, rounding_step,"
    " rounding_direction, payment_timing, merchant_address, merchant_tax_number, changed_by, changed_at)"
    " VALUES (1, 1000, 500, 'exclusive', true, 0, 'up', 'pay_first', 'Jl. Braga 12', 'P2.01', 'budi', :now)"
)
PROFILE = (
    "INSERT INTO merchant_profile (name, logo_key, logo_width, logo_height, changed_by, changed_at)"
    " VALUES ('Warung Bu Tini', '', 0, 0, 'budi', :now)"
)


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def _triggers(connection) -> set[str]:
    if connection.dialect.name != "postgresql":
        return set()
    return set(connection.execute(sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())


def test_the_merchant_profile_migration_keeps_every_row_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in [*MENU_AND_ORDERS, SETTINGS]:
                connection.execute(sa.text(statement), {"now": NOW})
            before = _rows(connection)
            triggers_before = _triggers(connection)
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            assert _rows(connection) == before
            assert connection.execute(sa.text("SELECT count(*) FROM merchant_profile")).scalar_one() == 0
            if connection.dialect.name == "postgresql":
                assert _triggers(connection) == triggers_before | {"merchant_profile_change_notify"}
            connection.execute(sa.text(PROFILE), {"now": NOW})
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            assert "merchant_profile" not in sa.inspect(connection).get_table_names()
            assert _triggers(connection) == triggers_before
        db.engine.dispose()
