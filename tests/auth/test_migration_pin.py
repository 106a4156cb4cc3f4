"""The approval-PIN migration on a database holding staff and orders: every account and
order is kept both ways, with no PIN yet."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "w8e2b6d4f1a3"
PREVIOUS = "v5d1a9b3c7e2"
USERS = 'SELECT id, username, password_hash, role, active FROM "user" ORDER BY id'
ORDERS = 'SELECT id, public_id, status, total FROM "order" ORDER BY id'


def test_the_pin_migration_keeps_every_account_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            connection.execute(
                sa.text(
                    'INSERT INTO "user" (id, username, password_hash, role, active, session_version, created_at)'
                    " VALUES (1, 'rini', 'hash', 'manager', true, 0, :now)"
                ),
                {"now": datetime(2026, 12, 6, tzinfo=UTC)},
            )
            before = [connection.execute(sa.text(query)).all() for query in (USERS, ORDERS)]
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert [connection.execute(sa.text(query)).all() for query in (USERS, ORDERS)] == before
            assert connection.execute(sa.text('SELECT pin_hash FROM "user"')).scalar_one() is None
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert [connection.execute(sa.text(query)).all() for query in (USERS, ORDERS)] == before
        db.engine.dispose()
