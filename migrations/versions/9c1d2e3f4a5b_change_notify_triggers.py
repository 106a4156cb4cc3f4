"""change notify triggers (PostgreSQL): orders, payments and the menu announce their changes

Revision ID: 9c1d2e3f4a5b
Revises: f4df244516ae
Create Date: 2026-11-22 07:45:00

"""
from alembic import op

from webapp.live.triggers import CREATE_STATEMENTS, DROP_STATEMENTS

# revision identifiers, used by Alembic.
revision = '9c1d2e3f4a5b'
down_revision = 'f4df244516ae'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in CREATE_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DROP_STATEMENTS:
            op.execute(statement)
