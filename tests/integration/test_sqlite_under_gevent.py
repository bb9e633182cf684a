"""Under gevent (`mulik run`), a request that yields inside its SQLite transaction — WeasyPrint laying
out a PDF takes cffi locks that yield, so does argon2, so does a Redis call — must not freeze the
process: the next transaction waits for it cooperatively instead of in SQLite's busy wait, which
sleeps in C and would hold every greenlet, the one that holds the lock included, for busy_timeout."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json, sys
    import gevent
    from sqlalchemy import text
    from service.db import make_engine
    engine = make_engine(f"sqlite:///{sys.argv[1]}")
    with engine.begin() as c:
        c.execute(text("create table t (who text)"))
    events = []

    def holder():
        with engine.begin() as c:
            events.append("A began")
            c.execute(text("insert into t values ('A')"))
            gevent.sleep(0.3)  # yields inside the transaction, as a PDF being laid out does
            events.append("A commits")

    def second():
        gevent.sleep(0.05)
        events.append("B begins")
        try:
            with engine.begin() as c:
                events.append("B began")
                c.execute(text("insert into t values ('B')"))
        except Exception as exc:
            events.append(f"B failed: {exc.__class__.__name__}")

    gevent.joinall([gevent.spawn(holder), gevent.spawn(second)])
    with engine.connect() as c:
        rows = [r[0] for r in c.execute(text("select who from t order by rowid"))]
    print(json.dumps({"events": events, "rows": rows}))
""")


def test_a_transaction_that_yields_under_gevent_makes_the_next_one_wait_not_the_process_freeze(tmp_path):
    patched = "from gevent import monkey\nmonkey.patch_all()\n" + SCRIPT  # as `mulik run` is started
    done = subprocess.run([sys.executable, "-c", patched, str(tmp_path / "t.db")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["events"] == ["A began", "B begins", "A commits", "B began"]
    assert out["rows"] == ["A", "B"]


def _engine(tmp_path):
    from sqlalchemy import text

    from service.db import make_engine
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as c:
        c.execute(text("create table t (n integer)"))
    return engine


def _count(engine) -> int:
    from sqlalchemy import text
    with engine.begin() as c:  # needs the process's transaction lock: a leaked one makes this fail
        return c.execute(text("select count(*) from t")).scalar_one()


def test_a_connection_lost_in_the_middle_of_a_transaction_gives_the_lock_back(tmp_path):
    from sqlalchemy import text
    engine = _engine(tmp_path)
    with engine.connect() as c:
        c.begin()
        c.execute(text("insert into t values (1)"))
        c.invalidate()  # as after a disconnect, a GreenletExit or a timeout inside a database call
    assert _count(engine) == 0  # the insert was lost with the connection, and the next one starts
    engine.dispose()


def test_a_begin_that_fails_gives_the_lock_back_once_and_the_error_is_the_databases(tmp_path):
    import sqlite3

    import pytest
    engine = _engine(tmp_path)
    raw = engine.raw_connection()
    dbapi = raw.dbapi_connection

    def locked(sql, *args):
        raise sqlite3.OperationalError("database is locked")
    dbapi.execute = locked  # BEGIN IMMEDIATE refused, as when another process holds the write lock
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        dbapi.begin_immediate()
    dbapi.rollback()  # what SQLAlchemy does next: must not release the lock a second time
    del dbapi.execute
    raw.close()
    assert _count(engine) == 0
    with engine.begin() as c:  # and the lock still works as a lock: one holder at a time
        from sqlalchemy import text
        c.execute(text("insert into t values (1)"))
    assert _count(engine) == 1
    engine.dispose()
