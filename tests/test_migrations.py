"""`flask db upgrade` on an empty database must build exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select

from tests.conftest import config_for
from webapp import create_app
from webapp.extensions import db


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


def test_rate_limit_counters_migration_keeps_the_orders(scratch_engine_url):
    from webapp.models import Category, MenuItem, Order, PaymentMethod, RateLimitCounter
    from webapp.orders.cart import Cart, price_cart
    from webapp.orders.placing import CustomerDetails, place_order

    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision="9c1d2e3f4a5b")
        db.session.add(Category(name="Makanan", position=0, items=[MenuItem(name="Nasi Goreng", price=25000)]))
        db.session.commit()
        cart = Cart({})
        cart.add(db.session.scalar(select(MenuItem.id)), 2)
        place_order(price_cart(cart), CustomerDetails(name="Sari", table_label="7", note="",
                                                      payment_method=PaymentMethod.CASH))
        db.session.commit()
        upgrade()
        orders = [(order.customer_name, order.total) for order in db.session.scalars(select(Order))]
        db.session.add(RateLimitCounter(key="login/127.0.0.1", count=1, expires_at=0.0))
        db.session.commit()
        db.engine.dispose()
    assert orders == [("Sari", 50000)]
