"""a claim's kind corrected on the writ or document that shows it, kept in the claim's history
(Art. 111–112: the queue follows from the kind)

Migration e1a2b3c4d5e6 gave the kind "other" (queue 5) to every claim whose typed queue was 1, 2 or 4,
since the kind could not be known; the bailiff now corrects it. `claim_changes` holds both kinds of
change: `what` is "arrears" (Art. 99.1, every existing row) or "kind"; the arrears' columns are empty
on a kind's row and the kind's columns on an arrears' row.

Revision ID: f6a7b8c9d0e3
Revises: b2c3d4e5f6a8
Create Date: 2026-12-03 10:00:00
"""
from alembic import op
import sqlalchemy as sa

import service.orm


revision = 'f6a7b8c9d0e3'
down_revision = 'b2c3d4e5f6a8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('claim_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('what', sa.String(length=16), nullable=False, server_default='arrears'))
        batch_op.add_column(sa.Column('old_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('new_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('basis', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.String(length=2000), nullable=True))
        batch_op.alter_column('arrears', existing_type=service.orm.Money(), nullable=True)
        batch_op.alter_column('penalty', existing_type=service.orm.Money(), nullable=True)
        batch_op.alter_column('resolution_no', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('resolution_date', existing_type=sa.Date(), nullable=True)
    # The mapped schema has no server default: it was only for the rows already there.
    with op.batch_alter_table('claim_changes', schema=None) as batch_op:
        batch_op.alter_column('what', server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM claim_changes WHERE what = 'kind'")
    with op.batch_alter_table('claim_changes', schema=None) as batch_op:
        batch_op.alter_column('resolution_date', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('resolution_no', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('penalty', existing_type=service.orm.Money(), nullable=False)
        batch_op.alter_column('arrears', existing_type=service.orm.Money(), nullable=False)
        batch_op.drop_column('reason')
        batch_op.drop_column('basis')
        batch_op.drop_column('new_kind')
        batch_op.drop_column('old_kind')
        batch_op.drop_column('what')
