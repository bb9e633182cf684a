"""platform settings an operator changes

Revision ID: b7c41e2d9f10
Revises: a93ca21a9a04
Create Date: 2026-12-01 12:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c41e2d9f10'
down_revision = 'a93ca21a9a04'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('settings',
                    sa.Column('name', sa.String(length=40), nullable=False),
                    sa.Column('value', sa.String(length=40), nullable=False),
                    sa.PrimaryKeyConstraint('name'))


def downgrade() -> None:
    op.drop_table('settings')
