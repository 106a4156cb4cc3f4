"""order discounts: what an order got off (order.bill_discount, the order_discount snapshot rows
of its lines and of itself) and a table bill's and its shares' part of it

Upgrade: defaulted columns (no order, bill or share had a discount) and a new
table; every order keeps its figures. Downgrade: the table and the columns go.

Revision ID: y3a8d2c6e1f4
Revises: x2f7c9a1e4b6
Create Date: 2026-12-08 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'y3a8d2c6e1f4'
down_revision = 'x2f7c9a1e4b6'
branch_labels = None
depends_on = None

DISCOUNTED = (("order", "bill_discount"), ("table_bill", "discount"), ("bill_share", "discount"))


def upgrade():
    for table, column in DISCOUNTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "order_discount",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_item_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), server_default="", nullable=False),
        sa.Column("given_by", sa.String(length=60), server_default="", nullable=False),
        sa.Column("approver", sa.String(length=60), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_order_discount_amount_not_negative")),
        sa.CheckConstraint("value > 0", name=op.f("ck_order_discount_value_positive")),
        sa.CheckConstraint(
            "source IN ('promotion', 'voucher', 'manual')", name=op.f("ck_order_discount_discount_source_known")
        ),
        sa.CheckConstraint("kind IN ('percent', 'amount')", name=op.f("ck_order_discount_discount_kind_known")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_order_discount_order_id_order"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["order_item_id"], ["order_item.id"], name=op.f("fk_order_discount_order_item_id_order_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_discount")),
    )
    with op.batch_alter_table("order_discount", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_discount_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_discount_order_item_id"), ["order_item_id"], unique=False)


def downgrade():
    with op.batch_alter_table("order_discount", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_discount_order_item_id"))
        batch_op.drop_index(batch_op.f("ix_order_discount_order_id"))
    op.drop_table("order_discount")
    for table, column in reversed(DISCOUNTED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
