"""staff sessions and login failures: user.session_version, the login_failure log
(replacing user.failed_logins and user.locked_until)

Existing users keep their accounts and passwords (session_version 0: sessions made
before this migration name no version and end, so staff log in once more). Counts of
recent failed logins are dropped: they are only kept for minutes anyway.

Revision ID: 6e55f0a1c4b2
Revises: 9c1d2e3f4a5b
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e55f0a1c4b2'
down_revision = '9c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_address_created_at', ['address', 'created_at'], unique=False)
        batch_op.create_index('ix_login_failure_username_created_at', ['username', 'created_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('session_version')

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_username_created_at')
        batch_op.drop_index('ix_login_failure_address_created_at')

    op.drop_table('login_failure')
