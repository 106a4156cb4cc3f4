"""The voids migration on a database holding orders: every order keeps its lines and
figures both ways; the voids' tables come and go."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.discounts.test_migration import kept
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

BEFORE = "a7c4f1e8b3d5"  # the vouchers
VOIDS = "b8d2e6f4a1c7"
TABLES = {"order_void", "order_void_line", "void_ticket"}


def test_the_voids_migration_keeps_every_order_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            before = kept(connection)
        assert before[0] and before[1]
        upgrade(revision=VOIDS)
        with db.engine.connect() as connection:
            assert kept(connection) == before
            assert set(sa.inspect(connection).get_table_names()) >= TABLES
            assert connection.execute(sa.text("SELECT count(*) FROM order_void")).scalar_one() == 0
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert kept(connection) == before and not TABLES & set(sa.inspect(connection).get_table_names())
        db.engine.dispose()
