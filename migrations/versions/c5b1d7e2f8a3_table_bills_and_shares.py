"""table bills (eat first, pay later): table_bill, bill_share, share_claim, bill_event;
order.bill_id, payment.share_id, bill_settings.payment_timing; the order codes
"on_bill" (status) and "bill" (payment method)

Upgrade: only new tables and nullable or defaulted columns, and two CHECK constraints
widened; every existing row is kept as it is (existing orders were paid first and
have no bill; the settings stay "pay first").

Downgrade: the old schema has no bills, so a pay-later order becomes what the old app
knew: paid if its bill was settled, else awaiting payment, and "cash" as its method;
share payments keep their rows (amount, status, Duitku ids) without the share.

Revision ID: c5b1d7e2f8a3
Revises: a14c0e5f1b2d
Create Date: 2026-12-02 13:30:00

"""

import sqlalchemy as sa
from alembic import op

import webapp.models.types

# revision identifiers, used by Alembic.
revision = "c5b1d7e2f8a3"
down_revision = "a14c0e5f1b2d"
branch_labels = None
depends_on = None

OLD_STATUSES = "'awaiting_payment', 'paid', 'preparing', 'ready', 'completed', 'cancelled'"
NEW_STATUSES = "'awaiting_payment', 'on_bill', 'paid', 'preparing', 'ready', 'completed', 'cancelled'"
OLD_METHODS = "'qris', 'cash'"
NEW_METHODS = "'qris', 'cash', 'bill'"
UTC_DATETIME = webapp.models.types.UTCDateTime(timezone=True)


def _order_checks(statuses: str, methods: str) -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_order_status_known"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_order_payment_method_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_order_status_known"), f"status IN ({statuses})")
        batch_op.create_check_constraint(batch_op.f("ck_order_payment_method_known"), f"payment_method IN ({methods})")


def upgrade():
    op.create_table(
        "table_bill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("table_label", sa.String(length=20), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("split_mode", sa.String(length=10), nullable=True),
        sa.Column("locked_at", UTC_DATETIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("service_rate", sa.Integer(), nullable=False),
        sa.Column("tax_rate", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("rounding_step", sa.Integer(), nullable=False),
        sa.Column("rounding_direction", sa.String(length=10), nullable=False),
        sa.Column("subtotal", sa.Integer(), nullable=False),
        sa.Column("service", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("rounding", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("needs_attention", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("attention_reason", sa.String(length=200), server_default="", nullable=False),
        sa.Column("attention_params", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("close_reason", sa.String(length=10), nullable=True),
        sa.Column("close_note", sa.String(length=200), server_default="", nullable=False),
        sa.Column("closed_by", sa.String(length=60), server_default="", nullable=False),
        sa.Column("opened_at", UTC_DATETIME, nullable=False),
        sa.Column("settled_at", UTC_DATETIME, nullable=True),
        sa.Column("closed_at", UTC_DATETIME, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("status IN ('open', 'settled', 'closed')", name=op.f("ck_table_bill_status_known")),
        sa.CheckConstraint("split_mode IN ('whole', 'even', 'items')", name=op.f("ck_table_bill_split_mode_known")),
        sa.CheckConstraint(
            "close_reason IN ('walk_out', 'comped', 'emptied', 'other')", name=op.f("ck_table_bill_close_reason_known")
        ),
        sa.CheckConstraint("total >= 0", name=op.f("ck_table_bill_total_not_negative")),
        sa.ForeignKeyConstraint(["table_id"], ["dining_table.id"], name=op.f("fk_table_bill_table_id_dining_table")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_table_bill")),
        sa.UniqueConstraint("public_id", name=op.f("uq_table_bill_public_id")),
    )
    with op.batch_alter_table("table_bill", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_table_bill_business_date"), ["business_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_table_bill_table_id"), ["table_id"], unique=False)
        batch_op.create_index(
            "uq_table_bill_open_table",
            ["table_id"],
            unique=True,
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "bill_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("params", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["table_bill.id"], name=op.f("fk_bill_event_bill_id_table_bill"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_event")),
    )
    op.create_index(op.f("ix_bill_event_bill_id"), "bill_event", ["bill_id"], unique=False)

    op.create_table(
        "bill_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("payer_name", sa.String(length=40), server_default="", nullable=False),
        sa.Column("rest", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("subtotal", sa.Integer(), nullable=False),
        sa.Column("service", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("rounding", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid_method", sa.String(length=10), nullable=True),
        sa.Column("paid_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("status IN ('open', 'paid', 'cancelled')", name=op.f("ck_bill_share_status_known")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_bill_share_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["bill_id"], ["table_bill.id"], name=op.f("fk_bill_share_bill_id_table_bill"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_share")),
        sa.UniqueConstraint("public_id", name=op.f("uq_bill_share_public_id")),
    )
    op.create_index(op.f("ix_bill_share_bill_id"), "bill_share", ["bill_id"], unique=False)
    op.create_index(
        "uq_bill_share_position",
        "bill_share",
        ["bill_id", "position"],
        unique=True,
        postgresql_where=sa.text("status != 'cancelled'"),
        sqlite_where=sa.text("status != 'cancelled'"),
    )

    op.create_table(
        "share_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("share_id", sa.Integer(), nullable=False),
        sa.Column("order_item_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("unit BETWEEN 1 AND 99", name=op.f("ck_share_claim_unit_range")),
        sa.ForeignKeyConstraint(
            ["order_item_id"],
            ["order_item.id"],
            name=op.f("fk_share_claim_order_item_id_order_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["share_id"], ["bill_share.id"], name=op.f("fk_share_claim_share_id_bill_share"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_claim")),
        sa.UniqueConstraint("order_item_id", "unit", name="uq_share_claim_unit"),
    )
    op.create_index(op.f("ix_share_claim_share_id"), "share_claim", ["share_id"], unique=False)

    with op.batch_alter_table("bill_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payment_timing", sa.String(length=10), server_default="pay_first", nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_bill_settings_payment_timing_known"), "payment_timing IN ('pay_first', 'pay_later')"
        )

    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bill_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_order_bill_id"), ["bill_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_order_bill_id_table_bill"), "table_bill", ["bill_id"], ["id"])
    _order_checks(NEW_STATUSES, NEW_METHODS)

    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_payment_share_id"), ["share_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_payment_share_id_bill_share"), "bill_share", ["share_id"], ["id"])


def downgrade():
    op.execute(
        'UPDATE "order" SET status = CASE WHEN EXISTS (SELECT 1 FROM table_bill'
        " WHERE table_bill.id = \"order\".bill_id AND table_bill.status = 'settled') THEN 'paid'"
        " ELSE 'awaiting_payment' END WHERE status = 'on_bill'"
    )
    op.execute("UPDATE \"order\" SET payment_method = 'cash' WHERE payment_method = 'bill'")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_payment_share_id_bill_share"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_payment_share_id"))
        batch_op.drop_column("share_id")

    _order_checks(OLD_STATUSES, OLD_METHODS)
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_order_bill_id_table_bill"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_bill_id"))
        batch_op.drop_column("bill_id")

    with op.batch_alter_table("bill_settings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_bill_settings_payment_timing_known"), type_="check")
        batch_op.drop_column("payment_timing")

    op.drop_index(op.f("ix_share_claim_share_id"), table_name="share_claim")
    op.drop_table("share_claim")
    op.drop_index("uq_bill_share_position", table_name="bill_share")
    op.drop_index(op.f("ix_bill_share_bill_id"), table_name="bill_share")
    op.drop_table("bill_share")
    op.drop_index(op.f("ix_bill_event_bill_id"), table_name="bill_event")
    op.drop_table("bill_event")
    with op.batch_alter_table("table_bill", schema=None) as batch_op:
        batch_op.drop_index("uq_table_bill_open_table")
        batch_op.drop_index(batch_op.f("ix_table_bill_table_id"))
        batch_op.drop_index(batch_op.f("ix_table_bill_business_date"))
    op.drop_table("table_bill")
