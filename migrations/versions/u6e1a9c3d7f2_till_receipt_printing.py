"""till receipt printing: till.paper (58 or 80 mm) and receipt_print (a paid till
order's receipt for its till's printer, with the drawer kick for cash)

Upgrade: a defaulted column (every till prints on 80 mm paper until set) and a new
table; orders are kept as they are (none paid before gets a receipt printed).

Downgrade: the table and the column are dropped; orders keep every column.

Revision ID: u6e1a9c3d7f2
Revises: t3c8a1f5e2b7
Create Date: 2026-12-07 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'u6e1a9c3d7f2'
down_revision = 't3c8a1f5e2b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paper", sa.String(length=2), server_default="80", nullable=False))
        batch_op.create_check_constraint(batch_op.f("ck_till_paper_known"), "paper IN ('58', '80')")
    op.create_table(
        "receipt_print",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("drawer_kick", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("print_state", sa.String(length=12), server_default="not_needed", nullable=False),
        sa.Column("print_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("print_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("print_error", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_receipt_print_order_id_order"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_receipt_print_till_id_till"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_print")),
    )
    with op.batch_alter_table("receipt_print", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_print_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_print_print_due_at"), ["print_due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_print_till_id"), ["till_id"], unique=False)


def downgrade():
    with op.batch_alter_table("receipt_print", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_print_till_id"))
        batch_op.drop_index(batch_op.f("ix_receipt_print_print_due_at"))
        batch_op.drop_index(batch_op.f("ix_receipt_print_order_id"))
    op.drop_table("receipt_print")
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_till_paper_known"), type_="check")
        batch_op.drop_column("paper")
