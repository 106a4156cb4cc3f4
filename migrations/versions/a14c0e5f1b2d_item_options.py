"""item options: option groups, their options, groups attached to items, and the
options chosen on order lines (snapshots)

Only new tables: every existing row is kept as it is (existing order lines simply have
no options). On PostgreSQL the new menu tables announce their writes like the others.

Revision ID: a14c0e5f1b2d
Revises: b7e4a91c2d05
Create Date: 2026-11-23 15:30:00

"""
import sqlalchemy as sa
from alembic import op

from webapp.live.triggers import OPTION_CREATE_STATEMENTS, OPTION_DROP_STATEMENTS

# revision identifiers, used by Alembic.
revision = 'a14c0e5f1b2d'
down_revision = 'b7e4a91c2d05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'option_group',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('name_en', sa.String(length=60), server_default='', nullable=False),
        sa.Column('min_choices', sa.Integer(), nullable=False),
        sa.Column('max_choices', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.CheckConstraint('max_choices >= 1 AND max_choices >= min_choices', name=op.f('ck_option_group_max_choices_range')),
        sa.CheckConstraint('min_choices >= 0', name=op.f('ck_option_group_min_choices_not_negative')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_option_group')),
        sa.UniqueConstraint('name', name=op.f('uq_option_group_name')),
    )
    op.create_table(
        'option',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('name_en', sa.String(length=60), server_default='', nullable=False),
        sa.Column('price_diff', sa.Integer(), nullable=False),
        sa.Column('available', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.CheckConstraint('price_diff >= 0', name=op.f('ck_option_price_diff_not_negative')),
        sa.ForeignKeyConstraint(['group_id'], ['option_group.id'], name=op.f('fk_option_group_id_option_group'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_option')),
        sa.UniqueConstraint('group_id', 'name', name='uq_option_group_id_name'),
    )
    op.create_index(op.f('ix_option_group_id'), 'option', ['group_id'], unique=False)
    op.create_table(
        'menu_item_option_group',
        sa.Column('menu_item_id', sa.Integer(), nullable=False),
        sa.Column('option_group_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['menu_item_id'], ['menu_item.id'], name=op.f('fk_menu_item_option_group_menu_item_id_menu_item'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['option_group_id'], ['option_group.id'], name=op.f('fk_menu_item_option_group_option_group_id_option_group'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('menu_item_id', 'option_group_id', name=op.f('pk_menu_item_option_group')),
    )
    op.create_table(
        'order_item_option',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_item_id', sa.Integer(), nullable=False),
        sa.Column('option_id', sa.Integer(), nullable=True),
        sa.Column('group_name', sa.String(length=60), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('name_en', sa.String(length=60), server_default='', nullable=False),
        sa.Column('price_diff', sa.Integer(), nullable=False),
        sa.CheckConstraint('price_diff >= 0', name=op.f('ck_order_item_option_price_diff_not_negative')),
        sa.ForeignKeyConstraint(['option_id'], ['option.id'], name=op.f('fk_order_item_option_option_id_option'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['order_item_id'], ['order_item.id'], name=op.f('fk_order_item_option_order_item_id_order_item'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_order_item_option')),
    )
    op.create_index(op.f('ix_order_item_option_option_id'), 'order_item_option', ['option_id'], unique=False)
    op.create_index(op.f('ix_order_item_option_order_item_id'), 'order_item_option', ['order_item_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in OPTION_CREATE_STATEMENTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in OPTION_DROP_STATEMENTS:
            op.execute(statement)
    op.drop_table('order_item_option')
    op.drop_table('menu_item_option_group')
    op.drop_index(op.f('ix_option_group_id'), table_name='option')
    op.drop_table('option')
    op.drop_table('option_group')
