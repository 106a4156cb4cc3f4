"""The audit-trail migration on a database holding orders: every order is kept both
ways; on PostgreSQL the table refuses changes to its rows once migrated."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import DBAPIError

from tests.migration_helpers import holding_orders
from webapp.extensions import db

REVISION = "v5d1a9b3c7e2"
PREVIOUS = "u6e1a9c3d7f2"
ORDERS = 'SELECT id, public_id, customer_name, status, total FROM "order" ORDER BY id'
ENTRY = (
    "INSERT INTO audit_entry (id, created_at, kind, actor, approver, subject, note, address)"
    " VALUES (1, '2026-12-06 05:00:00+00:00', 'pay_out', 'cashier:sari', '', 'Laci', '', '')"
)


def test_the_audit_migration_keeps_every_order_and_guards_its_rows(scratch_engine_url):
    with holding_orders(scratch_engine_url, PREVIOUS, ORDERS) as before:
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == before
            connection.execute(sa.text(ENTRY))
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="never changed or deleted"), db.engine.begin() as connection:
                connection.execute(sa.text("DELETE FROM audit_entry"))
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(ORDERS)).all() == before
            assert "audit_entry" not in sa.inspect(connection).get_table_names()
