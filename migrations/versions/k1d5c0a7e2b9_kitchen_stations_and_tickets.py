"""kitchen stations, their categories, and kitchen tickets

New tables only: existing orders and categories are untouched (orders paid before
this revision have no tickets and keep the board's kitchen steps).

Revision ID: k1d5c0a7e2b9
Revises: b1e5a7c0de16
Create Date: 2026-11-23 15:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "k1d5c0a7e2b9"
down_revision = "b1e5a7c0de16"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kitchen_station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("printer", sa.String(length=120), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kitchen_station")),
        sa.UniqueConstraint("name", name=op.f("uq_kitchen_station_name")),
    )
    op.create_table(
        "kitchen_station_category",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
            name=op.f("fk_kitchen_station_category_category_id_category"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["kitchen_station.id"],
            name=op.f("fk_kitchen_station_category_station_id_kitchen_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("category_id", name=op.f("pk_kitchen_station_category")),
    )
    op.create_index(op.f("ix_kitchen_station_category_station_id"), "kitchen_station_category", ["station_id"])
    op.create_table(
        "kitchen_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("item_ids", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bumped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bumped_by", sa.String(length=60), server_default="", nullable=False),
        sa.Column("print_state", sa.String(length=12), server_default="not_needed", nullable=False),
        sa.Column("print_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("print_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("print_error", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_kitchen_ticket_order_id_order"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["kitchen_station.id"],
            name=op.f("fk_kitchen_ticket_station_id_kitchen_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kitchen_ticket")),
        sa.UniqueConstraint("order_id", "station_id", name="uq_kitchen_ticket_order_station"),
    )
    op.create_index(op.f("ix_kitchen_ticket_order_id"), "kitchen_ticket", ["order_id"])
    op.create_index(op.f("ix_kitchen_ticket_station_id"), "kitchen_ticket", ["station_id"])
    op.create_index(op.f("ix_kitchen_ticket_print_due_at"), "kitchen_ticket", ["print_due_at"])


def downgrade():
    op.drop_table("kitchen_ticket")
    op.drop_table("kitchen_station_category")
    op.drop_table("kitchen_station")
