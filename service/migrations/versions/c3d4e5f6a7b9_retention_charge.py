"""Art. 85.3: the retaining collector's pending charge (his share of expenses and fee, the excess)

Revision ID: c3d4e5f6a7b9
Revises: f2c3d4e5a6b7
Create Date: 2026-12-02 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c3d4e5f6a7b9'
down_revision = 'f2c3d4e5a6b7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_charge', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_column('retention_charge')
