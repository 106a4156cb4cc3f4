"""tills: till (what staff ring up, its customer display's pairing, its printer);
order.taken_by and order.till_id (who rang an order up, at which till)

Upgrade: a new table and defaulted or nullable columns; every order is kept as it is
(a customer's own: taken by nobody, at no till).

Downgrade: the till table and the two columns are dropped; orders keep every other
column.

Revision ID: t3c8a1f5e2b7
Revises: r7b2e4c6a9d1
Create Date: 2026-12-06 10:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 't3c8a1f5e2b7'
down_revision = 'r7b2e4c6a9d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "till",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("printer", sa.String(length=120), server_default="", nullable=False),
        sa.Column("draft", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("order_type", sa.String(length=10), server_default="takeaway", nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=True),
        sa.Column("customer_name", sa.String(length=40), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("display_token", sa.String(length=64), nullable=True),
        sa.Column("pairing_code", sa.String(length=8), nullable=True),
        sa.Column("pairing_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["table_id"], ["dining_table.id"], name=op.f("fk_till_table_id_dining_table"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till")),
        sa.UniqueConstraint("display_token", name=op.f("uq_till_display_token")),
        sa.UniqueConstraint("name", name=op.f("uq_till_name")),
        sa.UniqueConstraint("public_id", name=op.f("uq_till_public_id")),
    )
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_by", sa.String(length=40), server_default="", nullable=False))
        batch_op.add_column(sa.Column("till_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_order_till_id"), ["till_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_order_till_id_till"), "till", ["till_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_order_till_id_till"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_till_id"))
        batch_op.drop_column("till_id")
        batch_op.drop_column("taken_by")
    op.drop_table("till")
