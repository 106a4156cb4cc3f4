"""staff roles: manager, waiter and kitchen beside admin and cashier

Upgrade: the CHECK constraint on user.role widened; every account keeps its role.

Downgrade: the old app knows cashiers and admins only: a manager, a waiter or a kitchen
account becomes a cashier (as the kitchen's tablet logged in before).

Revision ID: r7b2e4c6a9d1
Revises: m3a7c1e9d5b2
Create Date: 2026-12-06 10:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'r7b2e4c6a9d1'
down_revision = 'm3a7c1e9d5b2'
branch_labels = None
depends_on = None


def _role_check(roles: str) -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_user_role_known"), f"role IN ({roles})")


def upgrade():
    _role_check("'admin', 'manager', 'cashier', 'waiter', 'kitchen'")


def downgrade():
    op.execute("UPDATE \"user\" SET role = 'cashier' WHERE role IN ('manager', 'waiter', 'kitchen')")
    _role_check("'cashier', 'admin'")
