"""Engines and sessions. SQLite is the embedded default; PostgreSQL is the production path."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from .orm import metadata, start_mappers


def make_engine(url: str) -> Engine:
    start_mappers()
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

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

        # One transaction at a time in this process, waited for in Python. SQLite's own busy wait
        # sleeps in C: under gevent (mulik run) a greenlet that yields inside a transaction (a cffi
        # lock in WeasyPrint or argon2, a Redis call) would leave the next greenlet's BEGIN blocking
        # the whole process until busy_timeout. `threading.Lock` is gevent's cooperative lock once
        # the process is monkey-patched, an ordinary lock between threads otherwise.
        writer = threading.Lock()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            if not writer.acquire(timeout=30):  # as SQLite's busy_timeout: fail, never hang
                raise sqlite3.OperationalError("database is locked: another transaction of this process "
                                               "has run for 30 s")
            conn.info["mulik_writer"] = True
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                conn.info.pop("mulik_writer", None)
                writer.release()
                raise

        def _end(conn):
            if conn.info.pop("mulik_writer", None):
                writer.release()

        event.listen(engine, "commit", _end)
        event.listen(engine, "rollback", _end)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


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
