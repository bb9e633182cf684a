"""disqualification of a participant (Art. 80.4) and a proceeding passing to another bailiff (Art. 123.6)

Revision ID: f2c3d4e5a6b7
Revises: e8b1c2d3f4a5
Create Date: 2026-12-02 03:40:00

The ledger keeps its old postings as they are: the shared account `bailiff_income` of the postings made
before this revision stays readable (auction.ledger.is_bailiff_income); new income goes to
`bailiff:<id>:income`. Old postings are not renamed, since the hash-chained journal names their accounts.
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'f2c3d4e5a6b7'
down_revision = 'e8b1c2d3f4a5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proceeding_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proceeding_id', sa.Integer(), nullable=False),
    sa.Column('from_bailiff_id', sa.Integer(), nullable=False),
    sa.Column('from_private', sa.Boolean(), nullable=False),
    sa.Column('to_bailiff_id', sa.Integer(), nullable=False),
    sa.Column('to_private', sa.Boolean(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', service.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_proceeding_transfers_actor_id_users')),
    sa.ForeignKeyConstraint(['from_bailiff_id'], ['users.id'],
                            name=op.f('fk_proceeding_transfers_from_bailiff_id_users')),
    sa.ForeignKeyConstraint(['proceeding_id'], ['proceedings.id'],
                            name=op.f('fk_proceeding_transfers_proceeding_id_proceedings')),
    sa.ForeignKeyConstraint(['to_bailiff_id'], ['users.id'], name=op.f('fk_proceeding_transfers_to_bailiff_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proceeding_transfers'))
    )
    with op.batch_alter_table('proceeding_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proceeding_transfers_proceeding_id'), ['proceeding_id'], unique=False)

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disqualified_at', service.orm.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('disqualification_ground', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('disqualification_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('disqualification_reason')
        batch_op.drop_column('disqualification_ground')
        batch_op.drop_column('disqualified_at')

    with op.batch_alter_table('proceeding_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proceeding_transfers_proceeding_id'))

    op.drop_table('proceeding_transfers')
