"""a lot's viewing arrangements and the bailiff's office contact, shown on the public lot page (issue 13 point 5)

Revision ID: a7c8d9e0f1b2
Revises: e5f6a7b8c9d2
Create Date: 2026-12-03 11:00:00

`lots.viewing`: free text, how and when the property can be seen (set by the bailiff; empty for the lots
recorded before). `users.office` and `users.phone`: a bailiff's office address and telephone, given when
the account is opened or by the bailiff himself (NULL for everybody else).
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c8d9e0f1b2'
down_revision = 'e5f6a7b8c9d2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lots') as batch:
        batch.add_column(sa.Column('viewing', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('lots') as batch:  # the default only fills the existing rows
        batch.alter_column('viewing', server_default=None)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('office', sa.String(length=300), nullable=True))
        batch.add_column(sa.Column('phone', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('phone')
        batch.drop_column('office')
    with op.batch_alter_table('lots') as batch:
        batch.drop_column('viewing')
