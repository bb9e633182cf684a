"""What a PostgreSQL engine's connections send to the server, read from libpq's own trace of the wire.

SQLAlchemy's `before_cursor_execute` counts only the statements SQLAlchemy runs: not BEGIN or COMMIT, not the
pool's reset, not a statement run on psycopg's own cursor (the bid call, service/db.py call_autocommitted).
`traced(engine)` turns libpq's trace on for every connection taken from the engine's pool while it lasts and
gives, per connection, each round trip the client began: a simple Query, or an extended-protocol batch
(Parse/Bind/Describe/Execute) ended by its Sync, with the SQL where the wire shows it (a statement psycopg
prepared earlier is sent by name only: "prepared _pg3_0").
"""
from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field

from psycopg import pq
from sqlalchemy import event


@dataclass
class Wire:
    round_trips: list[str] = field(default_factory=list)  # the SQL (or prepared name) each one carried

    def __len__(self) -> int:
        return len(self.round_trips)


def _messages(trace: str) -> list[tuple[str, str, str]]:
    """(direction, type, rest) of each traced message; a statement's newlines continue its message's line."""
    messages = []
    for line in trace.split("\n"):
        parts = line.split("\t", 3)
        if len(parts) >= 3 and parts[0] in ("F", "B") and parts[1].isdigit():
            messages.append([parts[0], parts[2], parts[3] if len(parts) > 3 else ""])
        elif messages:
            messages[-1][2] += "\n" + line
    return [tuple(m) for m in messages]


_QUERY = re.compile(r'\s*"(.*)"\s*$', re.S)
_PARSE = re.compile(r'\s*"([^"]*)"\s*"(.*)"[\sN\d]*$', re.S)
_BIND = re.compile(r'\s*"([^"]*)"\s*"([^"]*)"')


def _round_trips(trace: str) -> list[str]:
    trips, batch = [], []
    for direction, kind, rest in _messages(trace):
        if direction != "F":
            continue
        if kind == "Query":
            trips.append(_QUERY.match(rest).group(1))
        elif kind == "Parse":
            batch.append(_PARSE.match(rest).group(2))
        elif kind == "Bind":
            name = _BIND.match(rest).group(2)
            if name and not batch:
                batch.append(f"prepared {name}")
        elif kind == "Sync":
            trips.append("; ".join(batch))
            batch = []
    return trips


@contextmanager
def traced(engine):
    """Yields a Wire filled in when the block ends: every round trip of every connection checked out meanwhile
    (its reset when it is checked back in included)."""
    wire, files, live = Wire(), [], {}

    def out(dbapi_conn, _record, _proxy):
        fd, path = tempfile.mkstemp(prefix="pgwire-", suffix=".txt")
        files.append((fd, path))
        dbapi_conn.pgconn.trace(fd)
        dbapi_conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        live[id(dbapi_conn)] = dbapi_conn

    def back(dbapi_conn, _record):
        if live.pop(id(dbapi_conn), None) is not None:
            dbapi_conn.pgconn.untrace()  # flushes what libpq buffered

    event.listen(engine, "checkout", out)
    event.listen(engine, "checkin", back)
    try:
        yield wire
    finally:
        event.remove(engine, "checkout", out)
        event.remove(engine, "checkin", back)
        for conn in live.values():
            conn.pgconn.untrace()
        for fd, path in files:
            with open(path) as f:
                wire.round_trips.extend(_round_trips(f.read()))
            os.close(fd)
            os.unlink(path)
