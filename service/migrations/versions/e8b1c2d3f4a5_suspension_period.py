"""the period of a suspension at the collector's request (Art. 44 item 8), and the sweeper's lease on proceedings

Revision ID: e8b1c2d3f4a5
Revises: e1a2b3c4d5e6
Create Date: 2026-12-02 03:30:00
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'e8b1c2d3f4a5'
down_revision = 'e1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collector_application_on', sa.Date(), nullable=True))
        # existing proceedings had no mediation agreement recorded: false, then no default (the code sets it)
        batch_op.add_column(sa.Column('mediation_agreement', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('suspension_ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('lease_until', service.orm.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.alter_column('mediation_agreement', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.drop_column('lease_until')
        batch_op.drop_column('suspension_ends_on')
        batch_op.drop_column('mediation_agreement')
        batch_op.drop_column('collector_application_on')
