"""the language a person reads the platform in (their e-mails)

Revision ID: d1e6f0a2c4b8
Revises: c5d2a8e4b371
Create Date: 2026-12-01 12:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd1e6f0a2c4b8'
down_revision = 'c5d2a8e4b371'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
