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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


_pg_schema_ready = False


def _reset_postgres() -> None:
    """Drop everything in the test database; the app recreates it through the migrations."""
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mulik.db'}"
    require_postgres()
    _reset_postgres()
    return PG_URL


@pytest.fixture
def app(db_url, clock):
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "CLOCK": clock, "SECRET_KEY": "test",
                      "WEBHOOK_SECRET": "test-webhook-secret", "SWEEPER_INTERVAL": 0})
    yield app
    app.extensions["mulik"]["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def m(app, clock) -> Mulik:
    return Mulik(app, clock)
