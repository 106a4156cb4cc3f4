"""bill settings (tax, service, rounding; one row per change) and each order's bill

Existing orders get the bill they had: subtotal = total, no service, tax or rounding.

Revision ID: b1e5a7c0de16
Revises: d69b400be3fa
Create Date: 2026-11-23 15:30:00

"""

import sqlalchemy as sa
from alembic import op

import webapp.models.types

# revision identifiers, used by Alembic.
revision = "b1e5a7c0de16"
down_revision = "d69b400be3fa"
branch_labels = None
depends_on = None

BILL_COLUMNS = ("bill_subtotal", "bill_service", "bill_tax", "bill_rounding", "bill_service_rate", "bill_tax_rate")


def upgrade():
    op.create_table(
        "bill_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tax_rate", sa.Integer(), nullable=False),
        sa.Column("service_rate", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("service_on_takeaway", sa.Boolean(), nullable=False),
        sa.Column("rounding_step", sa.Integer(), nullable=False),
        sa.Column("rounding_direction", sa.String(length=10), nullable=False),
        sa.Column("merchant_address", sa.String(length=200), nullable=False),
        sa.Column("merchant_tax_number", sa.String(length=40), nullable=False),
        sa.Column("changed_by", sa.String(length=40), nullable=False),
        sa.Column("changed_at", webapp.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('exclusive', 'inclusive')", name=op.f("ck_bill_settings_price_mode_known")),
        sa.CheckConstraint(
            "rounding_direction IN ('up', 'nearest')", name=op.f("ck_bill_settings_rounding_direction_known")
        ),
        sa.CheckConstraint("tax_rate BETWEEN 0 AND 1000", name=op.f("ck_bill_settings_tax_rate_range")),
        sa.CheckConstraint("service_rate BETWEEN 0 AND 2000", name=op.f("ck_bill_settings_service_rate_range")),
        sa.CheckConstraint("rounding_step IN (0, 100, 500, 1000)", name=op.f("ck_bill_settings_rounding_step_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_settings")),
    )
    with op.batch_alter_table("order", schema=None) as batch_op:
        for name in BILL_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("bill_mode", sa.String(length=10), server_default="exclusive", nullable=False))
    op.execute('UPDATE "order" SET bill_subtotal = total')


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ has it): rebuilding "order" the
    # batch way on SQLite would cascade-delete its lines and payments.
    for name in ("bill_mode", *reversed(BILL_COLUMNS)):
        op.drop_column("order", name)
    op.drop_table("bill_settings")
