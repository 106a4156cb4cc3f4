"""The refunds migration on a database holding orders: every order keeps its figures
both ways, with nothing refunded; the refund table comes and goes."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.discounts.test_migration import kept
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

BEFORE = "b8d2e6f4a1c7"  # the voids, the last revision before the refunds
REFUNDS = "b8d3f6a2c9e7"


def test_the_refunds_migration_keeps_every_order_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(sa.text(statement))
            before = kept(connection)
        upgrade(revision=REFUNDS)
        with db.engine.connect() as connection:
            assert kept(connection) == before
            assert connection.execute(sa.text('SELECT refunded FROM "order"')).scalars().all() == [0]
            assert connection.execute(sa.text("SELECT count(*) FROM refund")).scalar_one() == 0
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert kept(connection) == before and "refund" not in sa.inspect(connection).get_table_names()
            assert "refunded" not in {column["name"] for column in sa.inspect(connection).get_columns("order")}
        db.engine.dispose()
