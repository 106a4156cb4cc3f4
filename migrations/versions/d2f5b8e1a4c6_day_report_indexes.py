"""day report indexes: cash movements and voids by when they happened, as the daily
report's transactions, its breakdown per cashier, shift and hour, and the CSV read them

Upgrade and downgrade: two indexes only; no row changes.

Revision ID: d2f5b8e1a4c6
Revises: c1e4a7d9f2b3
Create Date: 2026-12-06 19:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd2f5b8e1a4c6'
down_revision = 'c1e4a7d9f2b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cash_movement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_movement_created_at"), ["created_at"], unique=False)
    with op.batch_alter_table("order_void", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_void_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("order_void", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_void_created_at"))
    with op.batch_alter_table("cash_movement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_movement_created_at"))
