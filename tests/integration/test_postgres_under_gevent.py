"""Under gevent (`mulik run`), psycopg waits for PostgreSQL on gevent's loop (service/db._wait_on_the_gevent_loop):
a greenlet waiting for a slow statement lets the others run theirs, the bid function's call included, and a
server that closes the connection is still told as an error, not a hang."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from ..conftest import PG_URL, require_postgres

SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()  # as `mulik run` is started
    import json, sys
    import gevent
    from psycopg import waiting
    from sqlalchemy import text
    from service.db import call_autocommitted, make_engine
    engine = make_engine(sys.argv[1])
    events = []

    def slow():
        with engine.connect() as c:
            events.append("slow sent")
            c.execute(text("select pg_sleep(0.5)"))
            events.append("slow answered")

    def quick():
        gevent.sleep(0.05)
        events.append("quick sent")
        row = call_autocommitted(engine, "select %(n)s::int as n, pg_backend_pid() as pid", {"n": 7})
        events.append(f"quick answered {row.n}")

    gevent.joinall([gevent.spawn(slow), gevent.spawn(quick)], raise_error=True)
    with engine.connect() as c:
        pid = c.execute(text("select pg_backend_pid()")).scalar_one()
        with make_engine(sys.argv[1]).connect() as admin:
            admin.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
        try:
            c.execute(text("select 1"))
            events.append("answered on a closed connection")
        except Exception as exc:
            events.append(f"closed: {exc.__class__.__name__}")
    print(json.dumps({"ours": getattr(waiting.wait, "mulik", False), "events": events}))
""")


@pytest.mark.postgres
def test_a_slow_statement_under_gevent_lets_the_other_greenlets_query_and_a_closed_connection_is_an_error():
    from sqlalchemy.engine import make_url
    require_postgres()
    # no table is used: the server's maintenance database, not this worker's (a module of the worker may be
    # serving its scene from that one)
    url = make_url(PG_URL).set(database="postgres").render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["ours"] is True
    assert out["events"] == ["slow sent", "quick sent", "quick answered 7", "slow answered",
                             "closed: OperationalError"]
