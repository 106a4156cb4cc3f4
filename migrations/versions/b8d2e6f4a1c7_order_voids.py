"""order voids: what staff voided off a placed order (order_void, its lines in
order_void_line) and each station's "BATAL" ticket (void_ticket, a print job)

Upgrade: three new tables; every order keeps its lines and figures. Downgrade: the
tables go.

Revision ID: b8d2e6f4a1c7
Revises: a7c4f1e8b3d5
Create Date: 2026-12-06 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d2e6f4a1c7'
down_revision = 'a7c4f1e8b3d5'
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        "order_void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("whole", sa.Boolean(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=False),
        sa.Column("voided_by", sa.String(length=60), nullable=False),
        sa.Column("approver", sa.String(length=60), server_default="", nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_order_void_amount_not_negative")),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"], name=op.f("fk_order_void_order_id_order"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_void")),
    )
    _indexes("order_void", "order_id")
    op.create_table(
        "order_void_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("void_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity BETWEEN 1 AND 99", name=op.f("ck_order_void_line_quantity_range")),
        sa.ForeignKeyConstraint(
            ["void_id"], ["order_void.id"], name=op.f("fk_order_void_line_void_id_order_void"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_void_line")),
    )
    _indexes("order_void_line", "item_id", "void_id")
    op.create_table(
        "void_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("void_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("item_ids", sa.String(length=400), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("bumped_at", UTC_DATETIME, nullable=True),
        sa.Column("bumped_by", sa.String(length=60), server_default="", nullable=False),
        sa.Column("print_state", sa.String(length=12), server_default="not_needed", nullable=False),
        sa.Column("print_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("print_due_at", UTC_DATETIME, nullable=True),
        sa.Column("printed_at", UTC_DATETIME, nullable=True),
        sa.Column("print_error", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"], name=op.f("fk_void_ticket_order_id_order"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["void_id"], ["order_void.id"], name=op.f("fk_void_ticket_void_id_order_void"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["kitchen_station.id"],
            name=op.f("fk_void_ticket_station_id_kitchen_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_void_ticket")),
    )
    _indexes("void_ticket", "order_id", "print_due_at", "station_id", "void_id")


def downgrade():
    op.drop_table("void_ticket")
    op.drop_table("order_void_line")
    op.drop_table("order_void")
