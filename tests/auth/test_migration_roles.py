"""The roles migration on a database holding staff and orders: every account keeps its
role and password both ways, and down again a manager, waiter or kitchen account
becomes a cashier (the old app's least)."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "r7b2e4c6a9d1"
PREVIOUS = "m3a7c1e9d5b2"
NOW = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
USER = (
    'INSERT INTO "user" (id, username, password_hash, role, active, session_version, created_at)'
    " VALUES (:id, :name, :hash, :role, true, 0, :now)"
)
KEPT = [
    'SELECT id, public_id, status, total FROM "order" ORDER BY id',
    'SELECT id, username, password_hash, active FROM "user" ORDER BY id',
]


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def test_the_roles_migration_keeps_every_account_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            for user_id, name, role in ((1, "budi", "admin"), (2, "sari", "cashier")):
                connection.execute(
                    sa.text(USER), {"id": user_id, "name": name, "hash": f"hash-{name}", "role": role, "now": NOW}
                )
            before = _rows(connection)
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            assert _rows(connection) == before
            roles = connection.execute(sa.text('SELECT role FROM "user" ORDER BY id')).scalars().all()
            assert roles == ["admin", "cashier"]
            for user_id, name, role in ((3, "rini", "manager"), (4, "joko", "waiter"), (5, "tono", "kitchen")):
                connection.execute(
                    sa.text(USER), {"id": user_id, "name": name, "hash": f"hash-{name}", "role": role, "now": NOW}
                )
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            roles = connection.execute(sa.text('SELECT role FROM "user" ORDER BY id')).scalars().all()
            assert roles == ["admin", "cashier", "cashier", "cashier", "cashier"]
            assert _rows(connection)[0] == before[0]
        db.engine.dispose()
