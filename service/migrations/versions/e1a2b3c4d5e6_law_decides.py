"""the law decides: a lot's Art. 72 queue derived from its kind and the debtor's; a claim's
Art. 111–112 queue derived from its kind; Art. 72.4 grounds; alimony arrears history (Art. 99.1)

Existing lots get the queue the table derives (auction/lots/priority.py) — a typed queue that
the law contradicts is corrected. Existing claims get the kind "pledge_secured" where their
typed queue was 3 (the only kind of that queue) and "other" elsewhere, as issue 10 decided; the
queue follows from the kind. Every changed queue is printed so that a bailiff can review it.

Revision ID: e1a2b3c4d5e6
Revises: d1e6f0a2c4b8
Create Date: 2026-12-02 03:00:00
"""
from alembic import op
import sqlalchemy as sa

import service.orm


revision = 'e1a2b3c4d5e6'
down_revision = 'd1e6f0a2c4b8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from auction.claims import queue_of
    from auction.lots.priority import realization_queue

    with op.batch_alter_table('collectors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=32), nullable=False, server_default='other'))
        batch_op.add_column(sa.Column('fee_category', sa.String(length=32), nullable=False, server_default='property'))
        batch_op.add_column(sa.Column('fee_charged', service.orm.Money(), nullable=False, server_default='0'))
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.alter_column('fee_rate', existing_type=sa.String(length=16), type_=sa.String(length=64))
        batch_op.add_column(sa.Column('mci', service.orm.Money(), nullable=True))
        batch_op.add_column(sa.Column('mci_year', sa.Integer(), nullable=True))
    op.create_table(
        'mci_values',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('value', service.orm.Money(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('changed_at', service.orm.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('year'),
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority_article', sa.String(length=16), nullable=False, server_default='72'))
        batch_op.add_column(sa.Column('used_in_production', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('pledged', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('priority_override_ground', sa.String(length=32), nullable=True))
    op.create_table(
        'claim_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('collector_id', sa.Integer(), nullable=False),
        sa.Column('old_claim', service.orm.Money(), nullable=False),
        sa.Column('new_claim', service.orm.Money(), nullable=False),
        sa.Column('arrears', service.orm.Money(), nullable=False),
        sa.Column('penalty', service.orm.Money(), nullable=False),
        sa.Column('resolution_no', sa.String(length=64), nullable=False),
        sa.Column('resolution_date', sa.Date(), nullable=False),
        sa.Column('at', service.orm.UTCDateTime(timezone=True), nullable=False),
        sa.Column('by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['collector_id'], ['collectors.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('claim_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_changes_collector_id'), ['collector_id'], unique=False)

    conn = op.get_bind()
    # The monthly calculation index of the years the platform has run in (the budget laws); the
    # operator keeps the next ones (PUT /settings/mci/{year}). Money in tiyn.
    from datetime import datetime, timezone
    seeded = datetime(2026, 12, 2, tzinfo=timezone.utc)
    from service.settings import MCI_SEED
    for year, value in MCI_SEED.items():
        conn.execute(sa.text('INSERT INTO mci_values (year, value, reason, changed_at) VALUES (:y, :v, :r, :t)'),
                     {'y': year, 'v': int(value * 100), 'r': 'the budget law of the year', 't': seeded})
    # The fee category moves from the proceeding to each writ (Art. 118).
    for pid, category in conn.execute(sa.text('SELECT id, fee_category FROM proceedings')).all():
        conn.execute(sa.text('UPDATE collectors SET fee_category = :c WHERE proceeding_id = :p'),
                     {'c': category, 'p': pid})
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.drop_column('fee_category')
    for cid, queue in conn.execute(sa.text('SELECT id, queue FROM collectors')).all():
        kind = 'pledge_secured' if queue == 3 else 'other'
        if queue_of(kind) != queue:
            print(f"collector {cid}: queue {queue} -> {queue_of(kind)} (kind {kind}); review the kind of the claim")
        conn.execute(sa.text('UPDATE collectors SET kind = :k, queue = :q WHERE id = :i'),
                     {'k': kind, 'q': queue_of(kind), 'i': cid})
    rows = conn.execute(sa.text('SELECT l.id, l.category, l.priority, p.debtor_iin_bin FROM lots l '
                                'JOIN proceedings p ON p.id = l.proceeding_id')).all()
    for lid, category, priority, number in rows:
        q = realization_queue(category, debtor_is_entity=number[4] in '456')
        if q.number != priority:
            print(f"lot {lid}: realization queue {priority} -> {q.number} (Art. {q.article})")
        conn.execute(sa.text('UPDATE lots SET priority = :q, priority_article = :a WHERE id = :i'),
                     {'q': q.number, 'a': q.article, 'i': lid})
    conn.execute(sa.text('UPDATE proceedings SET debtor_is_entity = :t WHERE substr(debtor_iin_bin, 5, 1) IN '
                         "('4', '5', '6')"), {'t': True})
    conn.execute(sa.text('UPDATE proceedings SET debtor_is_entity = :f WHERE substr(debtor_iin_bin, 5, 1) NOT IN '
                         "('4', '5', '6')"), {'f': False})

    # The mapped schema has no server defaults: they were only for the rows already there.
    with op.batch_alter_table('collectors', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('fee_category', server_default=None)
        batch_op.alter_column('fee_charged', server_default=None)
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.alter_column('priority_article', server_default=None)
        batch_op.alter_column('used_in_production', server_default=None)
        batch_op.alter_column('pledged', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_category', sa.String(length=32), nullable=False, server_default='property'))
    op.drop_table('mci_values')
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.drop_column('mci_year')
        batch_op.drop_column('mci')
        batch_op.alter_column('fee_rate', existing_type=sa.String(length=64), type_=sa.String(length=16))
    with op.batch_alter_table('claim_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_changes_collector_id'))
    op.drop_table('claim_changes')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_column('priority_override_ground')
        batch_op.drop_column('pledged')
        batch_op.drop_column('used_in_production')
        batch_op.drop_column('priority_article')
    with op.batch_alter_table('collectors', schema=None) as batch_op:
        batch_op.drop_column('fee_charged')
        batch_op.drop_column('fee_category')
        batch_op.drop_column('kind')
