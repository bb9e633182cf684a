"""The Alembic migrations build exactly the schema the code maps (service.orm.metadata),
on SQLite and on PostgreSQL."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from service import migrate
from service.db import make_engine
from service.orm import metadata

from ..conftest import PG_URL, _reset_postgres, require_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_engine(request, tmp_path):
    """An empty database: a new SQLite file, or the PostgreSQL test database with its schema dropped."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    else:
        require_postgres()
        _reset_postgres()
        engine = make_engine(PG_URL)
    assert inspect(engine).get_table_names() == []
    yield engine
    engine.dispose()
    if request.param == "postgres":
        _reset_postgres()  # leave no altered schema behind: the next test migrates afresh


def _differences(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(ctx, metadata)


def test_a_fresh_database_upgraded_by_the_migrations_has_exactly_the_mapped_schema(fresh_engine):
    migrate.upgrade(fresh_engine)
    assert _differences(fresh_engine) == []
    tables = set(inspect(fresh_engine).get_table_names())
    assert tables == set(metadata.tables) | {"alembic_version"}


def test_the_upgraded_database_is_stamped_with_the_head_revision(fresh_engine):
    migrate.upgrade(fresh_engine)
    head = ScriptDirectory.from_config(migrate.config()).get_current_head()
    with fresh_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head


def test_upgrading_an_up_to_date_database_again_changes_nothing(fresh_engine):
    migrate.upgrade(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(text("INSERT INTO locks (name, value) VALUES ('journal', 7)"))
    migrate.upgrade(fresh_engine)
    assert _differences(fresh_engine) == []
    with fresh_engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM locks WHERE name = 'journal'")).scalar_one() == 7


def test_the_schema_comparison_notices_a_column_missing_from_the_database(fresh_engine):
    """Guards the test above: the comparison really looks at the columns."""
    migrate.upgrade(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(text("ALTER TABLE refunds DROP COLUMN lease_until"))
    diffs = _differences(fresh_engine)
    assert [(d[0], d[2], d[3].name) for d in diffs] == [("add_column", "refunds", "lease_until")]


def test_a_journal_written_before_chains_still_verifies_after_the_upgrade(fresh_engine):
    """Issue 15: the entries of one platform-wide chain become the platform chain, their hashes unchanged;
    the head and the notifier's place move to their new tables, and the next lot entry starts its own chain."""
    from datetime import datetime, timezone

    from auction import journal as jr
    from service.queries.platform import journal_chain
    migrate.upgrade(fresh_engine, "d0e1f2a3b4c5")
    at = datetime(2026, 3, 2, 5, tzinfo=timezone.utc)
    prev, rows = None, []
    for seq, (kind, lot_id) in enumerate([("user.registered", None), ("lot.created", 1), ("lot.status", 1)], 1):
        prev = jr.make_entry(prev, seq=seq, at=at, kind=kind, lot_id=lot_id, payload={"n": seq})
        rows.append(prev)
    with fresh_engine.begin() as conn:
        for e in rows:
            conn.execute(text("INSERT INTO journal (seq, at, kind, actor, lot_id, auction_id, article, payload, "
                              "prev_hash, hash) VALUES (:seq, :at, :kind, NULL, :lot, NULL, NULL, :payload, :prev, "
                              ":hash)"), {"seq": e.seq, "at": e.at, "kind": e.kind, "lot": e.lot_id,
                                          "payload": '{"n": %d}' % e.seq, "prev": e.prev_hash, "hash": e.hash})
        conn.execute(text("DELETE FROM locks WHERE name IN ('journal', 'notifier')"))
        conn.execute(text("INSERT INTO locks (name, value) VALUES ('journal', 3), ('notifier', 2)"))
    migrate.upgrade(fresh_engine)
    assert _differences(fresh_engine) == []
    with fresh_engine.connect() as conn:
        heads = conn.execute(text("SELECT chain, seq, hash FROM journal_heads")).all()
        assert heads == [("platform", 3, rows[-1].hash)]
        assert conn.execute(text("SELECT reader, chain, seq FROM journal_cursors")).all() == [
            ("notifier", "platform", 2)]
        assert conn.execute(text("SELECT count(*) FROM locks WHERE name = 'journal'")).scalar_one() == 0
    from sqlalchemy.orm import Session
    with Session(fresh_engine) as session:
        result = journal_chain(session)
    assert (result.ok, result.checked, result.chains, result.head) == (True, 3, 1, rows[-1].hash)
