"""acts signed with an EDS (issue 14 point 2)

Revision ID: d0e1f2a3b4c5
Revises: c9e0f1a2b3d4
Create Date: 2026-12-03 14:30:00

`act_signatures`: an act (a bidder's application, the realization order, the protocol, the approval of results,
the sale contract, a collector's retention application) signed with an EDS: the canonical bytes signed, the CMS,
the signer as his certificate names him, and the document that prints it. `documents.owner_id`: the person a
document is his (a bidder's application). No existing rows are changed; `owner_id` stays empty on them.
"""
from alembic import op
import sqlalchemy as sa
import service.orm


revision = 'd0e1f2a3b4c5'
down_revision = 'c9e0f1a2b3d4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('act_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act', sa.String(length=32), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('auction_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('signer_iin', sa.String(length=12), nullable=True),
    sa.Column('signer_bin', sa.String(length=12), nullable=True),
    sa.Column('signer_name', sa.String(length=300), nullable=False),
    sa.Column('cert_serial', sa.String(length=80), nullable=False),
    sa.Column('cert_issuer', sa.String(length=500), nullable=False),
    sa.Column('signed_at', service.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('cms', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['auction_id'], ['auctions.id'], name=op.f('fk_act_signatures_auction_id_auctions')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_act_signatures_document_id_documents')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_act_signatures_lot_id_lots')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_act_signatures_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_act_signatures'))
    )
    with op.batch_alter_table('act_signatures', schema=None) as batch_op:
        for column in ('auction_id', 'document_id', 'lot_id', 'user_id'):
            batch_op.create_index(batch_op.f(f'ix_act_signatures_{column}'), [column], unique=False)
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_owner_id_users'), 'users', ['owner_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_owner_id'))
        batch_op.drop_column('owner_id')
    with op.batch_alter_table('act_signatures', schema=None) as batch_op:
        for column in ('auction_id', 'document_id', 'lot_id', 'user_id'):
            batch_op.drop_index(batch_op.f(f'ix_act_signatures_{column}'))
    op.drop_table('act_signatures')
