"""manager approval PIN: user.pin_hash

Upgrade: a nullable column; every account is kept as it is, with no PIN yet.
Downgrade: the column goes.

Revision ID: w8e2b6d4f1a3
Revises: v5d1a9b3c7e2
Create Date: 2026-12-06 11:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'w8e2b6d4f1a3'
down_revision = 'v5d1a9b3c7e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pin_hash", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("pin_hash")
