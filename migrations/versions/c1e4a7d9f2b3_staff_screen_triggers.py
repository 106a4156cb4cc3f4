"""staff screen triggers: a write to a kitchen or BATAL ticket, a table's bill or share,
or a till is announced on the change feed's channel, so every process wakes the staff
screens' streams (PostgreSQL only; webapp/live/triggers.py)

Upgrade and downgrade: triggers and their functions only; no table or row changes.

Revision ID: c1e4a7d9f2b3
Revises: b8d3f6a2c9e7
Create Date: 2026-12-06 19:00:00

"""
from alembic import op

from webapp.live.triggers import STAFF_SCREEN_CREATE_STATEMENTS, STAFF_SCREEN_DROP_STATEMENTS

# revision identifiers, used by Alembic.
revision = 'c1e4a7d9f2b3'
down_revision = 'b8d3f6a2c9e7'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in STAFF_SCREEN_CREATE_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in STAFF_SCREEN_DROP_STATEMENTS:
            op.execute(statement)
