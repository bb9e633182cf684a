"""ledger accounts as lock rows: a bidder's wallet and deposits serialised per account (Art. 80.1, SPEC §4)

Revision ID: e5f6a7b8c9d2
Revises: f6a7b8c9d0e3
Create Date: 2026-12-02 05:00:00

A row per account that must stay non-negative, made on first use by the transaction that takes money out
of it (or reserves a deposit on it) and locked by it for the rest of that transaction. No balance is
stored: balances stay derived from the postings. Existing accounts get their row when next used.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5f6a7b8c9d2'
down_revision = 'f6a7b8c9d0e3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledger_accounts',
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('account', name=op.f('pk_ledger_accounts'))
    )


def downgrade() -> None:
    op.drop_table('ledger_accounts')
