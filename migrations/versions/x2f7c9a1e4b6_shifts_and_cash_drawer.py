"""shifts and the cash drawer: shift (one open per till, a partial unique index) and
cash_movement (every cash in and out of a shift's drawer)

Upgrade: new tables only; orders and payments are kept as they are (cash taken before
shifts existed belongs to no shift). Downgrade: the two tables go.

Revision ID: x2f7c9a1e4b6
Revises: w8e2b6d4f1a3
Create Date: 2026-12-06 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'x2f7c9a1e4b6'
down_revision = 'w8e2b6d4f1a3'
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("opened_by", sa.String(length=60), nullable=False),
        sa.Column("opened_at", UTC_DATETIME, nullable=False),
        sa.Column("opening_float", sa.Integer(), nullable=False),
        sa.Column("closed_by", sa.String(length=60), server_default="", nullable=False),
        sa.Column("closed_at", UTC_DATETIME, nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("counted", sa.Integer(), nullable=True),
        sa.Column("counted_notes", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("close_note", sa.String(length=200), server_default="", nullable=False),
        sa.Column("approver", sa.String(length=60), server_default="", nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("counted IS NULL OR counted >= 0", name=op.f("ck_shift_counted_not_negative")),
        sa.CheckConstraint("opening_float >= 0", name=op.f("ck_shift_float_not_negative")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_shift_shift_status_known")),
        sa.ForeignKeyConstraint(["till_id"], ["till.id"], name=op.f("fk_shift_till_id_till")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift")),
        sa.UniqueConstraint("public_id", name=op.f("uq_shift_public_id")),
    )
    op.create_index(op.f("ix_shift_till_id"), "shift", ["till_id"], unique=False)
    op.create_index(
        "uq_shift_open_till",
        "shift",
        ["till_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "cash_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("approver", sa.String(length=60), server_default="", nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint(
            "(kind IN ('sale', 'pay_in') AND amount > 0) OR (kind IN ('refund', 'pay_out') AND amount < 0)",
            name=op.f("ck_cash_movement_amount_sign_of_kind"),
        ),
        sa.CheckConstraint(
            "kind IN ('sale', 'refund', 'pay_in', 'pay_out')", name=op.f("ck_cash_movement_cash_kind_known")
        ),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"], name=op.f("fk_cash_movement_payment_id_payment")),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"], name=op.f("fk_cash_movement_shift_id_shift")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movement")),
    )
    op.create_index(op.f("ix_cash_movement_payment_id"), "cash_movement", ["payment_id"], unique=False)
    op.create_index(op.f("ix_cash_movement_shift_id"), "cash_movement", ["shift_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_cash_movement_shift_id"), table_name="cash_movement")
    op.drop_index(op.f("ix_cash_movement_payment_id"), table_name="cash_movement")
    op.drop_table("cash_movement")
    op.drop_index("uq_shift_open_till", table_name="shift")
    op.drop_index(op.f("ix_shift_till_id"), table_name="shift")
    op.drop_table("shift")
