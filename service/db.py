"""Engines and sessions. SQLite is the embedded default; PostgreSQL is the production path."""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from auction.errors import Unavailable

from .orm import metadata, start_mappers

log = logging.getLogger(__name__)


def _serialised_connection_class() -> type[sqlite3.Connection]:
    """SQLite connections of one engine that run one transaction at a time in this process, waited for
    in Python. SQLite's own busy wait sleeps in C: under gevent (`mulik run`) a greenlet that yields
    inside its transaction (WeasyPrint's and argon2's cffi locks yield, so does a Redis call) would
    leave the next greenlet's BEGIN blocking the whole process, itself included, until busy_timeout.
    `threading.Lock` is gevent's cooperative lock once the process is monkey-patched, an ordinary lock
    between threads otherwise. The lock is let go once SQLite has really ended the transaction (after
    COMMIT or ROLLBACK, not before), and when the connection is closed or invalidated mid-transaction."""
    writer = threading.Lock()

    class SerialisedConnection(sqlite3.Connection):
        _holding = False

        def begin_immediate(self) -> None:
            if not writer.acquire(timeout=30):  # as SQLite's busy_timeout: fail, never hang
                raise sqlite3.OperationalError("database is locked: another transaction of this process "
                                               "has run for 30 s")
            self._holding = True
            try:
                self.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._let_go()
                raise

        def _let_go(self) -> None:
            if self._holding:
                self._holding = False
                writer.release()

        def _ended(self) -> bool:
            try:
                return not self.in_transaction
            except sqlite3.ProgrammingError:  # closed
                return True

        def _finish(self, end) -> None:
            try:
                end()
            finally:
                if self._ended():
                    self._let_go()

        def commit(self) -> None:
            self._finish(super().commit)

        def rollback(self) -> None:
            self._finish(super().rollback)

        def close(self) -> None:
            try:
                super().close()
            finally:
                self._let_go()

    return SerialisedConnection


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> Engine:
    """An engine for `url`: SQLite (one connection at a time, serialised) or PostgreSQL through psycopg with a
    pool of `pool_size` connections kept open and up to `max_overflow` more while they are all in use."""
    start_mappers()
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30,
                                                  "factory": _serialised_connection_class()})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            # Take SQLite's write lock at BEGIN (BEGIN IMMEDIATE): transactions are serialised
            # instead of failing with "database is locked" on upgrade from read to write.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if url != "sqlite://" and ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            conn.connection.dbapi_connection.begin_immediate()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    _wait_on_the_gevent_loop()
    # Times come back in UTC whatever the server's TimeZone (Asia/Almaty on a Kazakh server), as the ORM's
    # UTCDateTime gives them: the bid function's row is read without it (call_autocommitted).
    engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow,
                           connect_args={"options": "-c TimeZone=UTC"})
    _ping_when_idle(engine)
    return engine


def _wait_on_the_gevent_loop() -> None:
    """Under gevent's monkey-patching (`mulik run`, the bench's bidders), psycopg waits for the server through
    gevent's select.poll: a poll object, a registration and a watcher per wait. This waits on gevent's loop
    directly (gevent.socket.wait_read / wait_write, one watcher): 30-50 us less CPU per statement,
    measured (docs/performance.md). A wait with a timeout (psycopg's own notifies) keeps psycopg's wait."""
    import sys
    monkey = sys.modules.get("gevent.monkey")
    if monkey is None or not monkey.is_module_patched("select"):
        return
    from gevent.socket import wait_read, wait_readwrite, wait_write
    from psycopg import waiting
    if getattr(waiting.wait, "mulik", False):
        return
    psycopgs = waiting.wait
    ready = {waiting.WAIT_R: waiting.READY_R, waiting.WAIT_W: waiting.READY_W, waiting.WAIT_RW: waiting.READY_RW}
    how = {waiting.WAIT_R: wait_read, waiting.WAIT_W: wait_write, waiting.WAIT_RW: wait_readwrite}

    def wait(gen, fileno, interval=0.0, timeout=None):
        if timeout is not None:
            return psycopgs(gen, fileno, interval=interval, timeout=timeout)
        try:
            state = next(gen)
            while True:
                how[state](fileno)  # RW: readable or writable; libpq's non-blocking calls take either
                state = gen.send(ready[state])
        except StopIteration as done:
            return done.value

    wait.mulik = True
    waiting.wait = wait


PING_AFTER_IDLE = 10.0  # seconds a pooled connection may rest before it is checked at its next checkout


def _ping_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling without a round trip per checkout (issue 15: no pre-ping per bid): a
    connection that rested in the pool more than PING_AFTER_IDLE seconds is pinged when it is taken out; a
    dead one is replaced (the pool retries on DisconnectionError). A busy connection is not pinged: a server
    that went away meanwhile is noticed by the statement itself, and SQLAlchemy then drops the whole pool."""
    import time

    from sqlalchemy import exc

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _rested_from(_dbapi_conn, record):
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy):
        if time.monotonic() - record.info.get("checked_in", 0.0) <= PING_AFTER_IDLE:
            return
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            if not dbapi_conn.autocommit:
                dbapi_conn.rollback()
        except Exception as error:  # the server closed it: let the pool make a new one
            raise exc.DisconnectionError() from error


def call_autocommitted(engine: Engine, statement: str, params: dict):
    """The first row (a named tuple) of `statement` (psycopg's `%(name)s` placeholders), run once on a pooled
    PostgreSQL connection in autocommit mode: one round trip, committed when it returns. psycopg's own cursor,
    not SQLAlchemy's execution: the bid path's call costs 0.1 ms of client CPU this way, 0.4 ms through Core
    (bench/micro.py). psycopg prepares a statement it has run 5 times on a connection (prepare_threshold), so
    the call is then sent as Bind/Execute only. SQLAlchemy's `before_cursor_execute` does not see it: count
    it on the wire (tests/pgwire.py)."""
    import psycopg
    from psycopg.rows import namedtuple_row
    from sqlalchemy import exc
    try:
        pooled = engine.raw_connection()
    except (psycopg.OperationalError, exc.OperationalError) as error:  # the server is down: no connection now
        log.warning("the database refused a connection: %s", error)
        raise Unavailable() from error
    try:
        conn = pooled.driver_connection
        conn.autocommit = True
        try:
            return conn.cursor(row_factory=namedtuple_row).execute(statement, params).fetchone()
        except psycopg.OperationalError as error:
            if not conn.closed:
                raise
            # The server went away (or restarted): this connection is not put back, and the others the pool
            # keeps idle are dropped with it, as SQLAlchemy does on a disconnect its own execution sees, so
            # that the next requests do not each find a dead one. The caller learns what to do.
            log.warning("the database closed a connection during a call: %s", error)
            pooled.invalidate()
            engine.dispose()
            raise Unavailable() from error
        finally:
            if not conn.closed:
                conn.autocommit = False
    finally:
        pooled.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def create_schema(engine: Engine) -> None:
    """Create the schema through Alembic migrations (same result as metadata)."""
    from .migrate import upgrade
    upgrade(engine)


def drop_schema(engine: Engine) -> None:
    metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
