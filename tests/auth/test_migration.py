"""The staff-session migration keeps users (and their passwords) and orders."""

from datetime import UTC, date, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text
from werkzeug.security import check_password_hash, generate_password_hash

from tests.apps import config_for
from webapp import create_app
from webapp.extensions import db
from webapp.models import Order, User

BEFORE = "9c1d2e3f4a5b"
CREATED = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def fill_old_schema() -> None:
    with db.engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO "user" (username, password_hash, role, active, failed_logins, locked_until, created_at) '
                "VALUES ('sari', :hash, 'cashier', :active, 3, :created, :created)"
            ),
            {"hash": generate_password_hash("rahasia-kasir-123"), "active": True, "created": CREATED},
        )
        connection.execute(
            text(
                'INSERT INTO "order" (public_id, business_date, daily_seq, customer_name, table_label, note, '
                "payment_method, status, total, needs_attention, attention_reason, created_at, updated_at) "
                "VALUES ('pub-1', :day, 1, 'Tamu', '12', '', 'cash', 'completed', 25000, :no, '', :created, :created)"
            ),
            {"day": date(2026, 11, 20), "no": False, "created": CREATED},
        )


def test_upgrade_keeps_users_and_orders_and_downgrade_too(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        fill_old_schema()
        upgrade()
        user = db.session.scalar(select(User))
        assert (user.username, user.role, user.active, user.session_version) == ("sari", "cashier", True, 0)
        assert check_password_hash(user.password_hash, "rahasia-kasir-123")
        assert db.session.scalar(select(func.count(Order.id))) == 1
        db.session.remove()
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            rows = connection.execute(text('SELECT username, failed_logins FROM "user"')).all()
            assert [tuple(row) for row in rows] == [("sari", 0)]
            assert connection.execute(text('SELECT total FROM "order"')).scalar_one() == 25000
        db.engine.dispose()
