from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from webapp.extensions import db
from webapp.models import Order, OrderStatus


def make_order(**fields) -> Order:
    values = dict(
        business_date=date(2026, 11, 22),
        daily_seq=1,
        customer_name="Budi",
        payment_method="cash",
        total=10000,
    )
    values.update(fields)
    return Order(**values)


def test_order_number_is_short_and_zero_padded(app):
    assert make_order(daily_seq=7).number == "A-007"
    assert make_order(daily_seq=1234).number == "A-1234"


def test_public_ids_are_long_random_and_distinct(app):
    orders = [make_order(daily_seq=n) for n in range(1, 4)]
    db.session.add_all(orders)
    db.session.commit()
    ids = {order.public_id for order in orders}
    assert len(ids) == 3
    assert all(len(public_id) >= 22 for public_id in ids)


def test_timestamps_come_back_as_aware_utc(app):
    order = make_order(created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    db.session.add(order)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Order, order.id)
    assert stored.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert stored.created_at.utcoffset().total_seconds() == 0


def test_naive_timestamps_are_refused(app):
    naive = datetime(2026, 1, 2, 3, 4, 5)  # noqa: DTZ001 - naive on purpose
    db.session.add(make_order(created_at=naive))
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()


def test_daily_number_is_unique_per_day(app):
    db.session.add_all([make_order(), make_order()])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_unknown_status_is_refused_by_the_models_and_the_database(app):
    db.session.add(make_order(status="lost"))
    with pytest.raises(StatementError, match="not among the defined enum values"):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(IntegrityError):  # the CHECK constraint, whoever writes
        db.session.execute(
            text(
                'INSERT INTO "order" (public_id, business_date, daily_seq, customer_name, table_label, note,'
                " payment_method, status, total, needs_attention, attention_reason, created_at, updated_at)"
                " VALUES ('x', '2026-11-22', 1, 'Budi', '', '', 'cash', 'lost', 10000, false, '',"
                " '2026-11-22 05:00:00+00:00', '2026-11-22 05:00:00+00:00')"
            )
        )
    db.session.rollback()


def test_final_statuses():
    assert {s for s in OrderStatus if s.is_final} == {OrderStatus.COMPLETED, OrderStatus.CANCELLED}
