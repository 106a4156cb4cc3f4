"""The table-bill migration on a database holding orders, payments and bill settings:
every row is kept and the settings stay "pay first"; down again, a pay-later order
becomes what the old app knew (paid if its bill was settled, else awaiting payment,
in cash) and a share's payment is kept."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "c5b1d7e2f8a3"
PREVIOUS = "a14c0e5f1b2d"
NOW = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
KEPT = [
    'SELECT id, public_id, status, payment_method, total FROM "order" ORDER BY id',
    "SELECT id, order_id, name, quantity, line_total FROM order_item ORDER BY id",
    "SELECT id, order_id, provider, amount, status FROM payment ORDER BY id",
    "SELECT id, tax_rate, service_rate, changed_by FROM bill_settings ORDER BY id",
]
BEFORE = [
    # The menu and an order paid in cash (tests/test_migrations.py), then a QRIS payment and settings.
    "INSERT INTO payment (id, public_id, order_id, provider, merchant_order_id, amount, status,"
    " description, failure_reason, payer_issuer_code, payer_issuer_name, created_at, updated_at)"
    " VALUES (1, 'pay-1', 1, 'duitku', 'WRG-1', 50000, 'paid', '', '', '', '', :now, :now)",
    "INSERT INTO bill_settings (id, tax_rate, service_rate, mode, service_on_takeaway, rounding_step,"
    " rounding_direction, merchant_address, merchant_tax_number, changed_by, changed_at)"
    " VALUES (1, 1000, 500, 'exclusive', true, 0, 'up', '', '', 'budi', :now)",
]


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def test_the_bills_migration_keeps_every_row_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in [*MENU_AND_ORDERS, *BEFORE]:
                connection.execute(sa.text(statement), {"now": NOW})
            before = _rows(connection)
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            assert _rows(connection) == before
            assert connection.execute(sa.text("SELECT payment_timing FROM bill_settings")).scalar_one() == "pay_first"
            assert connection.execute(sa.text('SELECT bill_id FROM "order"')).scalar_one() is None
            _add_a_settled_pay_later_sitting(connection)
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert _rows(connection) == [
                [*before[0], (2, "pub-2", "paid", "cash", 27500), (3, "pub-3", "awaiting_payment", "cash", 5500)],
                [*before[1], (2, 2, "Nasi Goreng", 1, 25000)],
                [*before[2], (2, None, "duitku", 27500, "paid")],  # the share's payment, kept
                before[3],
            ]
            assert "table_bill" not in sa.inspect(connection).get_table_names()
        db.engine.dispose()


def _add_a_settled_pay_later_sitting(connection) -> None:
    """Table 4's bill, settled by one share paid by QRIS, with its pay-later order."""
    statements = [
        "INSERT INTO dining_table (id, label, area, active, position, token, created_at)"
        " VALUES (4, '4', '', true, 1, 'tok-4', :now)",
        "INSERT INTO table_bill (id, public_id, table_id, table_label, business_date, status, split_mode,"
        " locked_at, version, service_rate, tax_rate, mode, rounding_step, rounding_direction, subtotal,"
        " service, tax, rounding, total, opened_at, settled_at, updated_at)"
        " VALUES (1, 'bill-1', 4, '4', :day, 'settled', 'whole', :now, 5, 0, 1000, 'exclusive', 0, 'up',"
        " 25000, 0, 2500, 0, 27500, :now, :now, :now)",
        'INSERT INTO "order" (id, public_id, business_date, daily_seq, customer_name, table_label, note,'
        " payment_method, status, total, created_at, updated_at, order_type, table_id, bill_id)"
        " VALUES (2, 'pub-2', :day, 2, 'Rina', '4', '', 'bill', 'on_bill', 27500, :now, :now, 'dine_in', 4, 1)",
        "INSERT INTO order_item (id, order_id, menu_item_id, name, unit_price, quantity, note, line_total)"
        " VALUES (2, 2, 1, 'Nasi Goreng', 25000, 1, '', 25000)",
        "INSERT INTO bill_share (id, public_id, bill_id, position, status, subtotal, service, tax, rounding,"
        " amount, paid_method, paid_at, created_at, updated_at)"
        " VALUES (1, 'share-1', 1, 1, 'paid', 25000, 0, 2500, 0, 27500, 'duitku', :now, :now, :now)",
        "INSERT INTO payment (id, public_id, share_id, provider, merchant_order_id, amount, status, description,"
        " failure_reason, payer_issuer_code, payer_issuer_name, created_at, updated_at)"
        " VALUES (2, 'pay-2', 1, 'duitku', 'WRS-1', 27500, 'paid', '', '', '', '', :now, :now)",
        # ... and a bill still open at the same table's next sitting, with an order not paid yet.
        "INSERT INTO table_bill (id, public_id, table_id, table_label, business_date, status, version,"
        " service_rate, tax_rate, mode, rounding_step, rounding_direction, subtotal, service, tax, rounding,"
        " total, opened_at, updated_at)"
        " VALUES (2, 'bill-2', 4, '4', :day, 'open', 2, 0, 1000, 'exclusive', 0, 'up', 0, 0, 0, 0, 0, :now, :now)",
        'INSERT INTO "order" (id, public_id, business_date, daily_seq, customer_name, table_label, note,'
        " payment_method, status, total, created_at, updated_at, order_type, table_id, bill_id)"
        " VALUES (3, 'pub-3', :day, 3, 'Budi', '4', '', 'bill', 'on_bill', 5500, :now, :now, 'dine_in', 4, 2)",
    ]
    for statement in statements:
        connection.execute(sa.text(statement), {"now": NOW, "day": date(2026, 11, 22)})
