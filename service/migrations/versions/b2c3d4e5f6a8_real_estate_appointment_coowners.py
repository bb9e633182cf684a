"""real estate described by its title (Art. 63.2), co-owners and their pre-emption (Art. 60)

Revision ID: b2c3d4e5f6a8
Revises: a1b2c3d4e5f7
Create Date: 2026-12-02 04:20:00

Existing rows: the real-estate columns stay NULL (the lots recorded before keep their inventory lines
as recorded); `coowners_notifiable` becomes true for every existing lot (the old code did not store it)
and the stored `preemption_ends_on` of existing lots is kept as it was (typed, or 30 days after the
inventory): no co-owner was recorded, so nothing to derive it from; it is re-derived when a co-owner is
notified or answers.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b2c3d4e5f6a8'
down_revision = 'a1b2c3d4e5f7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lot_coowners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('iin_bin', sa.String(length=12), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_coowners_lot_id_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_coowners'))
    )
    with op.batch_alter_table('lot_coowners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_coowners_lot_id'), ['lot_id'], unique=False)

    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cadastral_number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('area', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('title_reg_no', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('title_reg_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('coowners_notifiable', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.alter_column('coowners_notifiable', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_column('coowners_notifiable')
        batch_op.drop_column('title_reg_date')
        batch_op.drop_column('title_reg_no')
        batch_op.drop_column('area')
        batch_op.drop_column('address')
        batch_op.drop_column('cadastral_number')

    with op.batch_alter_table('lot_coowners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_coowners_lot_id'))

    op.drop_table('lot_coowners')
