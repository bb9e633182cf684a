"""the self-sale granted on the debtor's application; a lot's encumbrances (Art. 74.2)

Revision ID: a1b2c3d4e5f7
Revises: c3d4e5f6a7b9
Create Date: 2026-12-02 04:20:00

Self-sale windows opened before this revision were opened by the debtor's application alone: they
migrate as granted on the day of the application (the window's end less its months is not stored, so
the grant date is left unknown: NULL), and the application as "granted".
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'a1b2c3d4e5f7'
down_revision = 'c3d4e5f6a7b9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lot_encumbrances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('document_no', sa.String(length=100), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('this_proceeding', sa.Boolean(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('lifted_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_encumbrances_lot_id_lots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_encumbrances'))
    )
    with op.batch_alter_table('lot_encumbrances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_encumbrances_lot_id'), ['lot_id'], unique=False)

    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_sale_application', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('self_sale_applied_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('self_sale_expected_price', service.orm.Money(), nullable=True))
        batch_op.add_column(sa.Column('self_sale_granted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('self_sale_refusal_ground', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('self_sale_refusal_reason', sa.Text(), nullable=True))

    # Every window opened under the old one-step rule was, in law, a grant.
    op.execute("UPDATE lots SET self_sale_application = 'granted' WHERE self_sale_status IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_column('self_sale_refusal_reason')
        batch_op.drop_column('self_sale_refusal_ground')
        batch_op.drop_column('self_sale_granted_on')
        batch_op.drop_column('self_sale_expected_price')
        batch_op.drop_column('self_sale_applied_on')
        batch_op.drop_column('self_sale_application')

    with op.batch_alter_table('lot_encumbrances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_encumbrances_lot_id'))

    op.drop_table('lot_encumbrances')
