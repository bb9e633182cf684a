"""photos of lots uploaded by the bailiff

Revision ID: c5d2a8e4b371
Revises: b7c41e2d9f10
Create Date: 2026-12-01 12:10:00
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'c5d2a8e4b371'
down_revision = 'b7c41e2d9f10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lot_photos',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('lot_id', sa.Integer(), nullable=False),
                    sa.Column('content_type', sa.String(length=32), nullable=False),
                    sa.Column('content', sa.LargeBinary(), nullable=False),
                    sa.Column('sha256', sa.String(length=64), nullable=False),
                    sa.Column('width', sa.Integer(), nullable=False),
                    sa.Column('height', sa.Integer(), nullable=False),
                    sa.Column('uploaded_at', service.orm.UTCDateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['lot_id'], ['lots.id']),
                    sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('lot_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_photos_lot_id'), ['lot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lot_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_photos_lot_id'))
    op.drop_table('lot_photos')
