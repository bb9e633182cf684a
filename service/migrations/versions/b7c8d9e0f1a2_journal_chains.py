"""a journal chain per lot, with anchors (issue 15 point 3)

Revision ID: b7c8d9e0f1a2
Revises: d0e1f2a3b4c5
Create Date: 2026-12-03 17:40:00

`journal.chain`: the chain an entry belongs to (`lot:<id>`, or `platform`); `seq` is its number in that chain,
unique with it (it was unique alone). `journal_heads`: each chain's last seq and hash, the row its writers lock
(it was one `locks` row, `journal`, for the whole platform). `journal_cursors`: how far the notifier has read
each chain (it was the `locks` row `notifier`) and which head the last anchor named. `notifications.journal_seq` becomes `journal_id` (the entry's
id: a seq is no longer unique). Existing entries become the platform chain unchanged: their canonical form has
no `chain` key (auction/journal.py), so their hashes stay valid and `mulik journal verify` passes on them.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c8d9e0f1a2'
down_revision = 'd0e1f2a3b4c5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain', sa.String(length=24), nullable=False, server_default='platform'))
        batch_op.drop_constraint(batch_op.f('uq_journal_seq'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_journal_chain'), ['chain', 'seq'])
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.alter_column('chain', server_default=None)
    op.create_table('journal_heads',
    sa.Column('chain', sa.String(length=24), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_journal_heads'))
    )
    op.create_table('journal_cursors',
    sa.Column('reader', sa.String(length=16), nullable=False),
    sa.Column('chain', sa.String(length=24), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('reader', 'chain', name=op.f('pk_journal_cursors'))
    )
    op.execute("INSERT INTO journal_heads (chain, seq, hash) "
               "SELECT 'platform', j.seq, j.hash FROM locks l JOIN journal j ON j.seq = l.value "
               "WHERE l.name = 'journal' AND l.value > 0")
    op.execute("INSERT INTO journal_cursors (reader, chain, seq) "
               "SELECT 'notifier', 'platform', value FROM locks WHERE name = 'notifier'")
    op.execute("DELETE FROM locks WHERE name = 'journal'")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('journal_id', sa.Integer(), nullable=True))
    op.execute("UPDATE notifications SET journal_id = (SELECT j.id FROM journal j WHERE j.seq = "
               "notifications.journal_seq AND j.chain = 'platform')")
    op.execute("UPDATE notifications SET journal_id = 0 WHERE journal_id IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_notifications_user_id'), type_='unique')
        batch_op.drop_column('journal_seq')
        batch_op.alter_column('journal_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_user_id'), ['user_id', 'kind', 'journal_id'])


def downgrade() -> None:
    raise NotImplementedError("the chains cannot be folded back into one platform chain without rehashing")
