"""status checks announced apart, staff screens' tables per row: a payment UPDATE that
writes only last_checked_at is announced as "checked:<order id>" instead of "order:<order
id>", and the staff screens' tables (kitchen and BATAL tickets, bills and shares, tills)
announce per row written instead of per statement, so the staff screens' streams wake
for neither a status check nor a statement that wrote nothing (PostgreSQL only;
webapp/live/triggers.py)

Upgrade and downgrade: triggers and the payment trigger's function only; no table or
row changes.

Revision ID: e4a9c2f7b1d8
Revises: d2f5b8e1a4c6
Create Date: 2026-12-06 23:00:00

"""
from alembic import op

from webapp.live.triggers import (
    CHECKED_CREATE_STATEMENTS,
    CHECKED_DROP_STATEMENTS,
    STAFF_SCREEN_ROW_CREATE_STATEMENTS,
    STAFF_SCREEN_ROW_DROP_STATEMENTS,
)

# revision identifiers, used by Alembic.
revision = 'e4a9c2f7b1d8'
down_revision = 'd2f5b8e1a4c6'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*CHECKED_CREATE_STATEMENTS, *STAFF_SCREEN_ROW_CREATE_STATEMENTS):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in (*STAFF_SCREEN_ROW_DROP_STATEMENTS, *CHECKED_DROP_STATEMENTS):
            op.execute(statement)
