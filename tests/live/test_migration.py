"""The staff screen triggers' migration on a database holding orders: the orders stay
both ways, and on PostgreSQL the triggers come and go."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.migration_helpers import ORDERS, holding_orders
from webapp.extensions import db
from webapp.live.triggers import STAFF_SCREEN_TABLES

BEFORE = "b8d3f6a2c9e7"  # refunds, the last revision before the triggers
TRIGGERS = "c1e4a7d9f2b3"
STAFF_TRIGGERS = {f"{table}_change_notify" for tables in STAFF_SCREEN_TABLES.values() for table in tables}


def triggers(connection) -> set[str]:
    if connection.dialect.name != "postgresql":
        return set()
    return set(connection.execute(sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())


def test_the_trigger_migration_keeps_the_orders_both_ways(scratch_engine_url):
    with holding_orders(scratch_engine_url, BEFORE) as orders:
        with db.engine.connect() as connection:
            assert not triggers(connection) & STAFF_TRIGGERS
        upgrade(revision=TRIGGERS)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == orders
            if connection.dialect.name == "postgresql":
                assert triggers(connection) >= STAFF_TRIGGERS
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == orders
            assert not triggers(connection) & STAFF_TRIGGERS


CHECKED = "e4a9c2f7b1d8"
PAYMENT_FUNCTION = "SELECT prosrc FROM pg_proc WHERE proname = 'warung_notify_payment_change'"
TICKET_TRIGGER_PER_ROW = "SELECT (tgtype & 1) = 1 FROM pg_trigger WHERE tgname = 'kitchen_ticket_change_notify'"


def test_the_status_check_migration_keeps_the_orders_both_ways(scratch_engine_url):
    """Only triggers change: on PostgreSQL the payment's function names "checked:" and the
    tickets' trigger fires per row after the upgrade, and neither after the downgrade."""
    with holding_orders(scratch_engine_url, TRIGGERS) as orders:
        for revision, announces_checks in ((CHECKED, True), (TRIGGERS, False)):
            (upgrade if announces_checks else downgrade)(revision=revision)
            with db.engine.connect() as connection:
                assert connection.execute(sa.text(ORDERS)).all() == orders
                if connection.dialect.name == "postgresql":
                    source = connection.execute(sa.text(PAYMENT_FUNCTION)).scalar_one()
                    assert ("'checked:'" in source) is announces_checks and "'payment:'" in source
                    per_row = connection.execute(sa.text(TICKET_TRIGGER_PER_ROW)).scalar_one()
                    assert per_row is announces_checks  # the staff screens' tables: per row, not per statement
