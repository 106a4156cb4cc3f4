"""partner change notify trigger (PostgreSQL): a write to a partner is announced, so
that every process forgets the API keys it has cached; a write to a payment without an
order is announced as that payment's, so that every process forgets its status

Revision ID: c5e8d1f2a3b4
Revises: c5b1d7e2f8a3
Create Date: 2026-12-02 14:00:00

"""
from alembic import op

from webapp.live.triggers import PARTNER_CREATE_STATEMENTS, PARTNER_DROP_STATEMENTS

# revision identifiers, used by Alembic.
revision = 'c5e8d1f2a3b4'
down_revision = 'c5b1d7e2f8a3'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in PARTNER_CREATE_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in PARTNER_DROP_STATEMENTS:
            op.execute(statement)
