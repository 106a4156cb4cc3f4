"""the audit trail: audit_entry, append-only (on PostgreSQL a trigger refuses any UPDATE
or DELETE of a row)

Upgrade: a new table; nothing else changes. Downgrade: the table (and its trigger) go.

Revision ID: v5d1a9b3c7e2
Revises: u6e1a9c3d7f2
Create Date: 2026-12-06 11:00:00

"""
import sqlalchemy as sa
from alembic import op

from webapp.models.audit import APPEND_ONLY_DROP_STATEMENTS, APPEND_ONLY_STATEMENTS

# revision identifiers, used by Alembic.
revision = 'v5d1a9b3c7e2'
down_revision = 'u6e1a9c3d7f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("approver", sa.String(length=60), server_default="", nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("before", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("after", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.Column("address", sa.String(length=45), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_created_at", "audit_entry", ["created_at"], unique=False)
    op.create_index("ix_audit_entry_actor_created_at", "audit_entry", ["actor", "created_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in APPEND_ONLY_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in APPEND_ONLY_DROP_STATEMENTS:
            op.execute(statement)
    op.drop_index("ix_audit_entry_actor_created_at", table_name="audit_entry")
    op.drop_index("ix_audit_entry_created_at", table_name="audit_entry")
    op.drop_table("audit_entry")
