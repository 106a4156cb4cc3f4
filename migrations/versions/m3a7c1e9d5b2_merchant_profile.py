"""merchant profile: the shop's name and logo, one row per change (who and when), and
its change notify trigger (PostgreSQL), so that every process forgets the name and logo
it shows in the header

A new table only: no row until an admin saves the shop page, and until then the name
is MERCHANT_NAME, as before.

Revision ID: m3a7c1e9d5b2
Revises: d2a7c4e9b1f0
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

from webapp.live.triggers import MERCHANT_CREATE_STATEMENTS, MERCHANT_DROP_STATEMENTS

revision = "m3a7c1e9d5b2"
down_revision = "d2a7c4e9b1f0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "merchant_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("logo_key", sa.String(length=64), nullable=False),
        sa.Column("logo_width", sa.Integer(), nullable=False),
        sa.Column("logo_height", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(length=40), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_merchant_profile_name_given")),
        sa.CheckConstraint(
            "logo_width >= 0 AND logo_height >= 0", name=op.f("ck_merchant_profile_logo_size_positive")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchant_profile")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in MERCHANT_CREATE_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in MERCHANT_DROP_STATEMENTS:
            op.execute(statement)
    op.drop_table("merchant_profile")
