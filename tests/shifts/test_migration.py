"""The shifts migration on a database holding orders and a paid cash order: every order
and payment is kept both ways (cash taken before shifts belongs to no shift); once
migrated, a till has one open shift at most and a movement's sign follows its kind."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from tests.apps import config_for
from tests.test_migrations import MENU_AND_ORDERS
from webapp import create_app
from webapp.extensions import db

REVISION = "x2f7c9a1e4b6"
PREVIOUS = "w8e2b6d4f1a3"
NOW = "'2026-12-06 05:00:00+00:00'"
KEPT = [
    'SELECT id, public_id, customer_name, status, total FROM "order" ORDER BY id',
    "SELECT id, order_id, provider, amount, status FROM payment ORDER BY id",
]
CASH_PAID = (
    "INSERT INTO payment (id, public_id, order_id, provider, amount, status, failure_reason, payer_issuer_code,"
    f" payer_issuer_name, description, paid_at, created_at, updated_at) VALUES (1, 'pay-1', 1, 'cash', 50000,"
    f" 'paid', '', '', '', '', {NOW}, {NOW}, {NOW})"
)
TILL = (
    "INSERT INTO till (id, public_id, name, printer, paper, order_type, customer_name, version, created_at,"
    f" updated_at) VALUES (1, 'till-1', 'Kasir 1', '', '80', 'takeaway', '', 0, {NOW}, {NOW})"
)


def shift(shift_id: int, status: str = "open") -> str:
    return (
        "INSERT INTO shift (id, public_id, till_id, status, opened_by, opened_at, opening_float, updated_at)"
        f" VALUES ({shift_id}, 'shift-{shift_id}', 1, '{status}', 'cashier:sari', {NOW}, 200000, {NOW})"
    )


def movement(movement_id: int, kind: str, amount: int) -> str:
    return (
        "INSERT INTO cash_movement (id, shift_id, kind, amount, actor, created_at)"
        f" VALUES ({movement_id}, 1, '{kind}', {amount}, 'cashier:sari', {NOW})"
    )


def _rows(connection) -> list:
    return [connection.execute(sa.text(query)).all() for query in KEPT]


def refused(statement: str) -> None:
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(sa.text(statement))


def test_the_shifts_migration_keeps_every_order_and_payment_both_ways(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision=PREVIOUS)
        with db.engine.begin() as connection:
            for statement in [*MENU_AND_ORDERS, CASH_PAID, TILL]:
                connection.execute(sa.text(statement))
            before = _rows(connection)
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            assert _rows(connection) == before
            assert connection.execute(sa.text("SELECT count(*) FROM cash_movement")).scalar_one() == 0
            connection.execute(sa.text(shift(1)))
            connection.execute(sa.text(movement(1, "sale", 50000)))
            connection.execute(sa.text(movement(2, "pay_out", -20000)))
        refused(shift(2))  # a second open shift at the till
        refused(movement(3, "pay_out", 20000))  # a pay-out puts no money in
        refused(movement(4, "sale", -1))
        with db.engine.begin() as connection:
            connection.execute(sa.text(shift(3, "closed")))  # closed shifts: as many as there were
        downgrade(revision=PREVIOUS)
        with db.engine.connect() as connection:
            assert _rows(connection) == before
            assert {"shift", "cash_movement"}.isdisjoint(sa.inspect(connection).get_table_names())
        db.engine.dispose()
