"""an operator blocks and unblocks an account (SPEC §8: the operator manages users; issue 13 point 8)

Revision ID: b8d9e0f1a2c3
Revises: a7c8d9e0f1b2
Create Date: 2026-12-03 11:00:00

`blocked_at` set: the account cannot log in, its API token and page sessions stop working, it cannot
apply or bid; `blocked_reason` is the operator's reason, shown to the person. Existing accounts are not
blocked (NULL).
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'b8d9e0f1a2c3'
down_revision = 'a7c8d9e0f1b2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_at', service.orm.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('blocked_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('blocked_reason')
        batch_op.drop_column('blocked_at')
