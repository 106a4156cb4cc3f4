"""the table's sitting, the kitchen's steps, how dine-in orders are served:
dining_table.cleared_at, kitchen_ticket.started_at, bill_settings.dine_in_serving

Upgrade: nullable or defaulted columns only; every existing row is kept as it is
(no table was ever cleared, no ticket started; the settings say dine-in orders are
brought to the table, which is what a table's QR implies).

Downgrade: the three columns are dropped; orders, tickets and settings keep every
other column.

Revision ID: d2a7c4e9b1f0
Revises: c5e8d1f2a3b4
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd2a7c4e9b1f0'
down_revision = 'c5e8d1f2a3b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dining_table", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("kitchen_ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("bill_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dine_in_serving", sa.String(length=10), server_default="table", nullable=False))
        batch_op.create_check_constraint(
            batch_op.f("ck_bill_settings_serving_known"), "dine_in_serving IN ('table', 'counter')"
        )


def downgrade():
    with op.batch_alter_table("bill_settings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_bill_settings_serving_known"), type_="check")
        batch_op.drop_column("dine_in_serving")
    with op.batch_alter_table("kitchen_ticket", schema=None) as batch_op:
        batch_op.drop_column("started_at")
    with op.batch_alter_table("dining_table", schema=None) as batch_op:
        batch_op.drop_column("cleared_at")
