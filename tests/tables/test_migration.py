"""The migration to order types, run on a database holding orders with free-text tables:
takeaway words become takeaway orders, other text stays as the dine-in label, every
line and status change is kept, and the downgrade writes "Bungkus" back."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from webapp import create_app
from webapp.extensions import db

REVISION = "d69b400be3fa"
PREVIOUS = "e3b1c0de7a61"
NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)

# table_label as the old app stored it -> (order_type, table_label) after the migration
LABELS = {
    "7": ("dine_in", "7"),
    "Teras 2": ("dine_in", "Teras 2"),
    "dekat pintu": ("dine_in", "dekat pintu"),
    "Bungkus": ("takeaway", ""),
    " Take away ": ("takeaway", ""),
    "": ("dine_in", ""),
}
KEPT = [
    'SELECT id, public_id, customer_name, status, total FROM "order" ORDER BY id',
    "SELECT id, order_id, name, quantity, line_total FROM order_item ORDER BY id",
    "SELECT id, order_id, to_status FROM order_status_change ORDER BY id",
]


def fill(connection) -> None:
    tables = sa.MetaData()
    tables.reflect(bind=connection)
    order, item, change = (tables.tables[name] for name in ("order", "order_item", "order_status_change"))
    for seq, label in enumerate(LABELS, start=1):
        connection.execute(
            order.insert().values(
                id=seq,
                public_id=f"order-{seq}",
                business_date=date(2026, 11, 22),
                daily_seq=seq,
                customer_name="Rina",
                table_label=label,
                note="",
                payment_method="cash",
                status="paid",
                total=25000,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        connection.execute(
            item.insert().values(
                order_id=seq, name="Nasi Goreng", unit_price=25000, quantity=1, note="", line_total=25000
            )
        )
        connection.execute(
            change.insert().values(order_id=seq, to_status="paid", actor="cashier:sari", reason="", created_at=NOW)
        )


def test_free_text_tables_become_order_types_and_come_back(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            fill(connection)
            before = [connection.execute(sa.text(query)).all() for query in KEPT]
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert [connection.execute(sa.text(query)).all() for query in KEPT] == before
            rows = connection.execute(sa.text('SELECT order_type, table_label, table_id FROM "order" ORDER BY id'))
            assert [tuple(row) for row in rows] == [(*LABELS[label], None) for label in LABELS]
            assert connection.execute(sa.text("SELECT count(*) FROM dining_table")).scalar_one() == 0
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert [connection.execute(sa.text(query)).all() for query in KEPT] == before
            labels = connection.execute(sa.text('SELECT table_label FROM "order" ORDER BY id')).scalars().all()
            assert labels == ["7", "Teras 2", "dekat pintu", "Bungkus", "Bungkus", ""]
        db.engine.dispose()
