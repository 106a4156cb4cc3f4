"""dining tables, and where an order is eaten as a type

New tables `dining_table` (label, area, active, position, QR token) and
`retired_table_token`. Orders gain `order_type` ('dine_in' or 'takeaway') and
`table_id`; `table_label` stays as the label the order was placed at (a snapshot,
like an order line's name).

The free text of existing orders is mapped without inventing tables: a takeaway word
("Bungkus", "take away", ...) becomes a takeaway order and its text is cleared; any
other text ("12", "Teras 2", "dekat pintu") becomes a dine-in order that keeps the
text as its label, with no table row (a typed text is not a table with a printed QR,
and creating one per spelling would fill the admin's list with tables nobody set
up). An empty field said nothing about takeaway, so it stays dine-in without a label.
The downgrade writes "Bungkus" back into takeaway orders.

The takeaway words are the app's as they were before this revision: part of this
migration, not to follow later changes of the app.

Revision ID: d69b400be3fa
Revises: e3b1c0de7a61
Create Date: 2026-11-23 14:42:30

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd69b400be3fa'
down_revision = 'e3b1c0de7a61'
branch_labels = None
depends_on = None

TAKEAWAY_WORDS = ("bungkus", "dibungkus", "takeaway", "take away", "take-away")
TAKEAWAY_LABEL = "Bungkus"  # what the app wrote for a takeaway order before

orders = sa.table("order", sa.column("id", sa.Integer), sa.column("table_label", sa.String),
                  sa.column("order_type", sa.String))


def _means_takeaway(label: str) -> bool:
    return " ".join(label.split()).casefold() in TAKEAWAY_WORDS


def upgrade():
    op.create_table('dining_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('area', sa.String(length=40), server_default='', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dining_table')),
    sa.UniqueConstraint('label', name=op.f('uq_dining_table_label')),
    sa.UniqueConstraint('token', name=op.f('uq_dining_table_token'))
    )
    op.create_table('retired_table_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['table_id'], ['dining_table.id'], name=op.f('fk_retired_table_token_table_id_dining_table'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retired_table_token')),
    sa.UniqueConstraint('token', name=op.f('uq_retired_table_token_token'))
    )
    with op.batch_alter_table('retired_table_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retired_table_token_table_id'), ['table_id'], unique=False)

    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_type', sa.Enum('dine_in', 'takeaway', name='order_type_known', native_enum=False, create_constraint=True, length=10), server_default='takeaway', nullable=False))
        batch_op.add_column(sa.Column('table_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_order_table_id'), ['table_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_order_table_id_dining_table'), 'dining_table', ['table_id'], ['id'], ondelete='SET NULL')

    connection = op.get_bind()
    labels = connection.execute(sa.select(orders.c.table_label).distinct()).scalars().all()
    takeaway = [label for label in labels if _means_takeaway(label)]
    # Dine-in first: the takeaway rows' text is cleared after they are told apart.
    connection.execute(orders.update().where(orders.c.table_label.not_in(takeaway))
                       .values(order_type="dine_in"))
    connection.execute(orders.update().where(orders.c.table_label.in_(takeaway))
                       .values(order_type="takeaway", table_label=""))


def downgrade():
    connection = op.get_bind()
    connection.execute(orders.update().where(orders.c.order_type == "takeaway").values(table_label=TAKEAWAY_LABEL))

    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_order_table_id_dining_table'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_order_table_id'))
        batch_op.drop_column('table_id')
        batch_op.drop_constraint(batch_op.f('ck_order_order_type_known'), type_='check')
        batch_op.drop_column('order_type')

    with op.batch_alter_table('retired_table_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retired_table_token_table_id'))

    op.drop_table('retired_table_token')
    op.drop_table('dining_table')
