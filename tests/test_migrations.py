"""`flask db upgrade` on an empty database must build exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

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
