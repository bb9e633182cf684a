"""Fixtures: a controllable clock, the app on SQLite and on PostgreSQL, an HTTP driver.

PostgreSQL runs at MULIK_TEST_POSTGRES_URL (default: the local server, database `test`).
Locally a missing server skips the PostgreSQL variants with the reason; under CI=true a
missing server fails the run.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text

from auction.clock import FakeClock

from .helpers import Mulik

PG_URL = os.environ.get("MULIK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("MULIK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
START = datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc)  # Tue 1 Dec 2026, 09:00 in Almaty


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure
        return f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"


_pg_problem = _postgres_available()


def require_postgres() -> None:
    if _pg_problem:
        if CI:
            pytest.fail(f"CI=true needs PostgreSQL: {_pg_problem}")
        pytest.skip(_pg_problem)


def _redis_available() -> str | None:
    try:
        import redis
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2) as r:
            r.ping()
        return None
    except Exception as exc:  # any connection failure
        return f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}"


_redis_problem: list[str | None] = []  # checked once, on first use


def require_redis() -> None:
    if not _redis_problem:
        _redis_problem.append(_redis_available())
    if _redis_problem[0]:
        if CI:
            pytest.fail(f"CI=true needs Redis: {_redis_problem[0]}")
        pytest.skip(_redis_problem[0])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


_templates: dict[str, object] = {}


def _reset_postgres() -> None:
    """Drop everything in the test database (tests of the migrations themselves use this)."""
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _fresh_postgres() -> None:
    """An empty schema at the head migration: migrated once per run, then emptied per test."""
    from service.db import create_schema, make_engine
    from service.orm import metadata
    engine = make_engine(PG_URL)
    try:
        from sqlalchemy import inspect
        # The first test of a run migrates a new schema (the database may hold an older run's, of
        # an older revision); later ones only where a test of the migrations dropped it.
        if "postgres" not in _templates or not inspect(engine).has_table("documents"):
            _reset_postgres()
            create_schema(engine)
            _templates["postgres"] = PG_URL
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def _fresh_sqlite(path) -> None:
    """A copy of a database file migrated once per run."""
    import shutil
    if "sqlite" not in _templates:
        from service.db import create_schema, make_engine
        import tempfile
        template = os.path.join(tempfile.mkdtemp(prefix="mulik-template-"), "template.db")
        engine = make_engine(f"sqlite:///{template}")
        create_schema(engine)
        engine.dispose()  # the last connection closing checkpoints the WAL into the file
        assert not os.path.exists(template + "-wal") or os.path.getsize(template + "-wal") == 0
        _templates["sqlite"] = template
    shutil.copyfile(_templates["sqlite"], path)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        _fresh_sqlite(tmp_path / "mulik.db")
        return f"sqlite:///{tmp_path / 'mulik.db'}"
    require_postgres()
    _fresh_postgres()
    return PG_URL


@pytest.fixture
def app(db_url, clock):
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "CLOCK": clock, "SECRET_KEY": "test",
                      "WEBHOOK_SECRET": "test-webhook-secret", "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False})
    yield app
    app.extensions["mulik"]["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def m(app, clock) -> Mulik:
    return Mulik(app, clock)
