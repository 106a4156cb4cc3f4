"""promotions: a percentage or rupiah off items and categories in a weekly time window
(promotion, promotion_item, promotion_category), and which one an order's discount came
from (order_discount.promotion_id)

Upgrade: new tables and a nullable column; every order keeps its figures and discounts.
Downgrade: the tables and the column go.

Revision ID: z5b9e3d7f2a6
Revises: y3a8d2c6e1f4
Create Date: 2026-12-08 12:00:00

"""
import sqlalchemy as sa
from alembic import op

from webapp.live.triggers import PROMOTION_CREATE_STATEMENTS, PROMOTION_DROP_STATEMENTS

# revision identifiers, used by Alembic.
revision = 'z5b9e3d7f2a6'
down_revision = 'y3a8d2c6e1f4'
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _link_table(name: str, other: str, column: str) -> None:
    op.create_table(
        name,
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["promotion_id"], ["promotion.id"], name=op.f(f"fk_{name}_promotion_id_promotion"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint([column], [f"{other}.id"], name=op.f(f"fk_{name}_{column}_{other}"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("promotion_id", column, name=op.f(f"pk_{name}")),
    )


def upgrade():
    op.create_table(
        "promotion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.Integer(), nullable=False),
        sa.Column("ends_at", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("days BETWEEN 1 AND 127", name=op.f("ck_promotion_days_in_range")),
        sa.CheckConstraint("kind IN ('percent', 'amount')", name=op.f("ck_promotion_promotion_kind_known")),
        sa.CheckConstraint(
            "value > 0 AND (kind != 'percent' OR value <= 10000)", name=op.f("ck_promotion_value_in_range")
        ),
        sa.CheckConstraint(
            "starts_at >= 0 AND starts_at < ends_at AND ends_at <= 1440", name=op.f("ck_promotion_window_in_day")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion")),
    )
    _link_table("promotion_item", "menu_item", "menu_item_id")
    _link_table("promotion_category", "category", "category_id")
    with op.batch_alter_table("order_discount", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promotion_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_order_discount_promotion_id"), ["promotion_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_order_discount_promotion_id_promotion"),
            "promotion",
            ["promotion_id"],
            ["id"],
            ondelete="SET NULL",
        )
    if op.get_bind().dialect.name == "postgresql":
        for statement in PROMOTION_CREATE_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in PROMOTION_DROP_STATEMENTS:
            op.execute(statement)
    with op.batch_alter_table("order_discount", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_order_discount_promotion_id_promotion"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_discount_promotion_id"))
        batch_op.drop_column("promotion_id")
    op.drop_table("promotion_category")
    op.drop_table("promotion_item")
    op.drop_table("promotion")
