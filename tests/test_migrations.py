"""`flask db upgrade` on an empty database must build exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from tests.apps import config_for
from webapp import create_app
from webapp.extensions import db
from webapp.models import OrderItem


def test_upgrade_on_an_empty_database_matches_the_models(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()

    engine = create_engine(scratch_engine_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert {"category", "menu_item", "order", "order_item", "alembic_version"} <= tables


LAST_RELEASE = "9c1d2e3f4a5b"  # the schema that production databases hold
MENU_AND_ORDERS = [
    ("INSERT INTO category (id, name, position) VALUES (1, 'Makanan', 0)"),
    (
        "INSERT INTO menu_item (id, category_id, name, description, price, available, position)"
        " VALUES (1, 1, 'Nasi Goreng', 'Pedas sedang', 25000, true, 0)"
    ),
    (
        'INSERT INTO "order" (id, public_id, business_date, daily_seq, customer_name, table_label, note,'
        " payment_method, status, total, checkout_token, created_at, updated_at) VALUES (1, 'pub-1', '2026-11-22', 1,"
        " 'Sari', '7', '', 'cash', 'paid', 50000, NULL, '2026-11-22 05:00:00+00:00', '2026-11-22 05:00:00+00:00')"
    ),
    (
        "INSERT INTO order_item (id, order_id, menu_item_id, name, unit_price, quantity, note, line_total)"
        " VALUES (1, 1, 1, 'Nasi Goreng', 25000, 2, 'tidak pedas', 50000)"
    ),
]
KEPT = [
    "SELECT id, name, position FROM category",
    "SELECT id, category_id, name, description, price, available FROM menu_item",
    'SELECT id, public_id, customer_name, status, total FROM "order"',
    "SELECT id, order_id, menu_item_id, name, unit_price, quantity, note, line_total FROM order_item",
]


def test_the_new_migrations_keep_the_menu_and_the_orders_both_ways(scratch_engine_url):
    """From the last release's schema, holding a menu and an order, up to the head and
    back down: nothing is lost, not even the order line's link to its menu item; the
    optional English columns start empty and the rate-limit counters get their table."""
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=LAST_RELEASE)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(text(statement))
            before = [connection.execute(text(query)).all() for query in KEPT]
        upgrade()
        with db.engine.connect() as connection:
            assert [connection.execute(text(query)).all() for query in KEPT] == before
            english = [
                connection.execute(text(f"SELECT name_en FROM {table}")).scalar_one()
                for table in ("category", "menu_item", "order_item")
            ]
            assert english == ["", "", ""]
            assert connection.execute(text("SELECT description_en FROM menu_item")).scalar_one() == ""
            assert "rate_limit_counter" in inspect(connection).get_table_names()
        downgrade(revision=LAST_RELEASE)
        with db.engine.connect() as connection:
            assert [connection.execute(text(query)).all() for query in KEPT] == before
            assert "name_en" not in {column["name"] for column in inspect(connection).get_columns("menu_item")}
            assert "rate_limit_counter" not in inspect(connection).get_table_names()
        db.engine.dispose()


def test_the_bill_migration_gives_existing_orders_the_bill_they_had(scratch_engine_url):
    """Orders placed before bills existed keep their total as their subtotal, with no
    service, tax or rounding; the settings table starts empty (0%, no rounding)."""
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision="e3b1c0de7a61")
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(text(statement))
        upgrade(revision="b1e5a7c0de16")
        with db.engine.connect() as connection:
            bill = connection.execute(
                text(
                    "SELECT total, bill_subtotal, bill_service, bill_tax, bill_rounding, bill_service_rate,"
                    ' bill_tax_rate, bill_mode FROM "order"'
                )
            ).one()
            assert tuple(bill) == (50000, 50000, 0, 0, 0, 0, 0, "exclusive")
            assert connection.execute(text("SELECT count(*) FROM bill_settings")).scalar_one() == 0
        downgrade(revision="e3b1c0de7a61")
        with db.engine.connect() as connection:
            columns = {column["name"] for column in inspect(connection).get_columns("order")}
            assert "bill_subtotal" not in columns
            assert connection.execute(text('SELECT total FROM "order"')).scalar_one() == 50000


def test_the_options_migration_keeps_the_orders_and_they_show_without_options(scratch_engine_url):
    """On a database holding a menu and an order, the options migration adds its tables
    and leaves every row as it was; the order line has no options, and down again the
    tables go and the rows stay."""
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=LAST_RELEASE)
        with db.engine.begin() as connection:
            for statement in MENU_AND_ORDERS:
                connection.execute(text(statement))
        upgrade(revision="e3b1c0de7a61")
        with db.engine.connect() as connection:
            before = [connection.execute(text(query)).all() for query in KEPT]
        upgrade(revision="a14c0e5f1b2d")
        with db.engine.connect() as connection:
            assert [connection.execute(text(query)).all() for query in KEPT] == before
            assert connection.execute(text("SELECT count(*) FROM order_item_option")).scalar_one() == 0
            assert connection.execute(text("SELECT count(*) FROM menu_item_option_group")).scalar_one() == 0
        with app.test_request_context():
            line = db.session.get(OrderItem, 1)
            assert (line.options, line.option_names, line.unit_price) == ([], [], 25000)
            db.session.remove()
        downgrade(revision="e3b1c0de7a61")
        with db.engine.connect() as connection:
            assert [connection.execute(text(query)).all() for query in KEPT] == before
            assert "order_item_option" not in inspect(connection).get_table_names()
        db.engine.dispose()
