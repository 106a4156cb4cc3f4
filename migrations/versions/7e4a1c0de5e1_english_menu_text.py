"""optional English names and descriptions for the menu, and the English name on order lines

Revision ID: 7e4a1c0de5e1
Revises: h1c0f7e2a9d4
Create Date: 2026-11-23 08:42:03

Plain ADD/DROP COLUMN on both databases (SQLite has had DROP COLUMN since 3.35): a
batch copy of `category` or `menu_item` on SQLite would drop a table that others
reference while foreign keys are enforced.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e4a1c0de5e1'
down_revision = 'h1c0f7e2a9d4'
branch_labels = None
depends_on = None

COLUMNS = (
    ("category", "name_en", 60),
    ("menu_item", "name_en", 80),
    ("menu_item", "description_en", 200),
    ("order_item", "name_en", 80),
)


def upgrade():
    for table, column, length in COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(length=length), server_default='', nullable=False))


def downgrade():
    for table, column, _length in reversed(COLUMNS):
        op.drop_column(table, column)
