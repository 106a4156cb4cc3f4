"""vouchers: a code for a percentage or rupiah off, with its dates, uses limit and
minimum spend (voucher), and which voucher an order's discount came from
(order_discount.voucher_id)

Upgrade: a new table and a nullable column; every order keeps its figures and
discounts. Downgrade: the table and the column go.

Revision ID: a7c4f1e8b3d5
Revises: z5b9e3d7f2a6
Create Date: 2026-12-08 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c4f1e8b3d5'
down_revision = 'z5b9e3d7f2a6'
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "voucher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("uses_limit", sa.Integer(), nullable=False),
        sa.Column("uses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("min_spend", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=60), server_default="", nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("valid_from <= valid_until", name=op.f("ck_voucher_dates_in_order")),
        sa.CheckConstraint("min_spend >= 0", name=op.f("ck_voucher_min_spend_not_negative")),
        sa.CheckConstraint("uses >= 0 AND uses <= uses_limit", name=op.f("ck_voucher_uses_within_limit")),
        sa.CheckConstraint(
            "value > 0 AND (kind != 'percent' OR value <= 10000)", name=op.f("ck_voucher_value_in_range")
        ),
        sa.CheckConstraint("kind IN ('percent', 'amount')", name=op.f("ck_voucher_voucher_kind_known")),
        sa.CheckConstraint("status IN ('active', 'disabled')", name=op.f("ck_voucher_voucher_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher")),
        sa.UniqueConstraint("code", name=op.f("uq_voucher_code")),
    )
    with op.batch_alter_table("order_discount", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voucher_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_order_discount_voucher_id"), ["voucher_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_order_discount_voucher_id_voucher"), "voucher", ["voucher_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("order_discount", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_order_discount_voucher_id_voucher"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_discount_voucher_id"))
        batch_op.drop_column("voucher_id")
    op.drop_table("voucher")
