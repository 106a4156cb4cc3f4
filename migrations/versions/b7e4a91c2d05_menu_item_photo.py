"""menu_item.photo_key: an item's photo, named by the hash of its files

Existing items keep every value and have no photo. Plain ADD/DROP COLUMN on both
databases, as in 7e4a1c0de5e1: a batch copy of `menu_item` on SQLite would drop a
table that order lines reference while foreign keys are enforced.

Revision ID: b7e4a91c2d05
Revises: k1d5c0a7e2b9
Create Date: 2026-11-23 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e4a91c2d05'
down_revision = 'k1d5c0a7e2b9'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('menu_item', sa.Column('photo_key', sa.String(length=64), server_default='', nullable=False))


def downgrade():
    op.drop_column('menu_item', 'photo_key')
