"""license.counter_pos: the restaurant's own counter POS may act on web orders

Existing licenses keep every value and are not counter POS licenses: an operator marks
one with `flask partners counter-pos LIC-...`.

Revision ID: h1c0f7e2a9d4
Revises: 6e55f0a1c4b2
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h1c0f7e2a9d4'
down_revision = '6e55f0a1c4b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('license', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counter_pos', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('license', schema=None) as batch_op:
        batch_op.drop_column('counter_pos')
