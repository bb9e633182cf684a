"""the nonces of the EDS sign-in (issue 14 point 1)

Revision ID: c9e0f1a2b3d4
Revises: b8d9e0f1a2c3
Create Date: 2026-12-03 12:00:00

`eds_challenges`: a one-time nonce the person signs with his EDS to log in, with its expiry (a few
minutes) and when it was spent (the first sign-in naming it, successful or not). In the database so that
every process of the deployment checks the same nonces. No existing rows are touched.
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'c9e0f1a2b3d4'
down_revision = 'b8d9e0f1a2c3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('eds_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', service.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', service.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', service.orm.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eds_challenges')),
    sa.UniqueConstraint('nonce', name=op.f('uq_eds_challenges_nonce'))
    )
    with op.batch_alter_table('eds_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eds_challenges_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('eds_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eds_challenges_expires_at'))
    op.drop_table('eds_challenges')
