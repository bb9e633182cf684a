"""Fixtures: a controllable clock, the app on SQLite and on PostgreSQL, an HTTP driver.

PostgreSQL runs at MULIK_TEST_POSTGRES_URL (default: the local server, database `test`); Redis at
MULIK_TEST_REDIS_URL. Locally a missing server skips the PostgreSQL/Redis variants with the reason;
under CI=true a missing server fails the run.

The suite runs in parallel (pytest-xdist, docs/testing.md). Each worker has its own PostgreSQL
database, `<base>_<worker>`, cloned from a template database `<base>_template` that is migrated
once per run, and emptied between tests; its own Redis database number (the base number minus the worker's
index) and its own Redis key prefix and Socket.IO channel. So two workers, or two runs with
different bases, never empty each other's data.
"""
from __future__ import annotations

import itertools
import os
import re
import tempfile
import uuid
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from auction.clock import FakeClock

from . import helpers
from .helpers import Mulik

BASE_PG_URL = os.environ.get("MULIK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BASE_REDIS_URL = os.environ.get("MULIK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
START = datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc)  # Tue 1 Dec 2026, 09:00 in Almaty

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under xdist
WORKER_INDEX = int(WORKER[2:]) if re.fullmatch(r"gw\d+", WORKER) else 0
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex  # one per `pytest` invocation

def _url_builders_compiled_once() -> None:
    """Werkzeug compiles two URL-builder functions per rule (with `ast` and `compile`) each time an app
    registers its ~100 rules: half the cost of making an app, and the suite makes ~1,800 apps. The
    function depends only on the rule's text, parts and defaults (it is bound to each Rule afterwards,
    so it reads that rule's own converters), so the suite compiles each once. Test harness only."""
    from werkzeug.routing import Rule
    compile_builder = Rule._compile_builder
    made: dict[tuple, object] = {}

    def once(self, append_unknown: bool = True):
        key = (self.rule, self.host, self.subdomain, tuple(self._trace),
               repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in made:
            made[key] = compile_builder(self, append_unknown)
        return made[key]

    Rule._compile_builder = once


_url_builders_compiled_once()

_base = make_url(BASE_PG_URL)
TEMPLATE_DB = f"{_base.database}_template"
WORKER_DB = f"{_base.database}_{WORKER}"
PG_URL = _base.set(database=WORKER_DB).render_as_string(hide_password=False)  # this worker's database


def _redis_url() -> str:
    m = re.fullmatch(r"(.*?)(?:/(\d+))?/?", BASE_REDIS_URL)
    base_db = int(m.group(2) or 0)
    return f"{m.group(1)}/{(base_db - WORKER_INDEX) % 16}"


REDIS_URL = _redis_url()
REDIS_PREFIX = f"mulik-test-{WORKER_DB}"  # keys and the Socket.IO channel of this worker's servers


def _admin():
    """A connection to the base database, for CREATE/DROP DATABASE."""
    return create_engine(BASE_PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _postgres_available() -> str | None:
    try:
        engine = _admin()
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure
        return f"PostgreSQL not reachable at {BASE_PG_URL}: {exc.__class__.__name__}"


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


def clear_redis() -> None:
    """Delete this worker's keys (its database number and prefix), nobody else's."""
    import redis
    with redis.Redis.from_url(REDIS_URL) as r:
        for key in r.scan_iter(match=f"{REDIS_PREFIX}:*"):
            r.delete(key)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request, monkeypatch):
    """argon2 at a test cost (the hashes stay argon2id): tests make thousands of accounts and logins,
    and argon2's production cost is slow on purpose. A test marked `production_hashing` keeps the
    production parameters (tests/e2e/test_api_contract.py checks what a registration stores)."""
    if request.node.get_closest_marker("production_hashing"):
        return
    from argon2 import PasswordHasher

    import web.auth
    monkeypatch.setattr(web.auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


_laid_out: OrderedDict = OrderedDict()  # (html, base url, options) -> PDF bytes, the most recent 500


@pytest.fixture(autouse=True)
def documents_laid_out_once(request, monkeypatch):
    """WeasyPrint turns the same HTML into the same bytes (auction/documents/layout.py derives the PDF's
    identifier from the HTML), and the HTTP tests issue the same documents again and again: each builds
    its case on a fresh database at the same clock, so the same ids, dates and hashes. Outside
    tests/unit (which test the documents themselves, their determinism included) a page already laid
    out by this worker is not laid out again: the bytes are those WeasyPrint gave for that very HTML."""
    if request.node.path.parent.name == "unit":
        return
    import weasyprint

    from auction.documents import layout

    class HTML:
        def __init__(self, *, string: str, base_url: str):
            self.string, self.base_url = string, base_url

        def write_pdf(self, **options) -> bytes:
            key = (self.string, self.base_url, tuple(sorted(options.items())))
            if key in _laid_out:
                _laid_out.move_to_end(key)
            else:
                _laid_out[key] = weasyprint.HTML(string=self.string, base_url=self.base_url).write_pdf(**options)
                if len(_laid_out) > 500:
                    _laid_out.popitem(last=False)
            return _laid_out[key]

    monkeypatch.setattr(layout, "weasyprint", SimpleNamespace(HTML=HTML))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


_templates: dict[str, object] = {}


def _sequences(conn) -> list:
    """(qualified name, last value or None) of every sequence of the database."""
    return conn.execute(text("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                             "FROM pg_sequences")).all()


def save_postgres() -> tuple:
    """Every row of this worker's database and where each sequence stands (tests/e2e/scenes.py)."""
    from service.orm import metadata
    engine = create_engine(PG_URL, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = {t.name: [r._asdict() for r in conn.execute(t.select())] for t in metadata.sorted_tables}
            sequences = _sequences(conn)
    finally:
        engine.dispose()
    return rows, sequences


def restore_postgres(saved: tuple) -> None:
    """This worker's database emptied, then given back the rows and sequences of `saved`."""
    from service.orm import metadata
    rows, sequences = saved
    _fresh_postgres()
    engine = create_engine(PG_URL, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM mci_values"))  # the emptying seeded it; the saved rows say what it held
            for t in metadata.sorted_tables:  # parents first
                if rows[t.name]:
                    conn.execute(t.insert(), rows[t.name])
            for name, last in sequences:
                if last is not None:
                    conn.execute(text("SELECT setval(:name, :last)"), {"name": name, "last": last})
    finally:
        engine.dispose()


def _ensure_template() -> None:
    """The template database of this run, migrated to the head revision: made by the first worker
    that needs it (an advisory lock keeps the others waiting), then cloned for every test."""
    if "postgres" in _templates:
        return
    from service.db import create_schema, make_engine
    engine = _admin()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:name))"), {"name": TEMPLATE_DB})
            try:
                made_for = conn.execute(text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"),
                    {"name": TEMPLATE_DB}).scalar_one_or_none()
                if made_for != f"mulik test template {RUN_ID}":  # missing, or an earlier run's
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
                    migrated = make_engine(_base.set(database=TEMPLATE_DB).render_as_string(hide_password=False))
                    try:
                        create_schema(migrated)
                    finally:
                        migrated.dispose()  # a template must have no connection when it is cloned
                    conn.execute(text(f"COMMENT ON DATABASE \"{TEMPLATE_DB}\" IS 'mulik test template {RUN_ID}'"))
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:name))"), {"name": TEMPLATE_DB})
    finally:
        engine.dispose()
    _templates["postgres"] = TEMPLATE_DB


def _reset_postgres() -> None:
    """This worker's database, new and empty: no schema at all (tests of the migrations use this)."""
    _recreate_worker_db("")


def _recreate_worker_db(template: str) -> None:
    """This worker's database made anew: a clone of `template`, or empty."""
    engine = _admin()
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{WORKER_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{WORKER_DB}"' + (f' TEMPLATE "{template}"' if template else "")))
            # Commits need not wait for the disk here: no test kills the database server itself.
            conn.execute(text(f'ALTER DATABASE "{WORKER_DB}" SET synchronous_commit = off'))
    finally:
        engine.dispose()
    _templates["worker"] = "migrated" if template else "empty"


def _emptied_statements(engine) -> str:
    """DELETE every row (children first) and restart every sequence: for 24 small tables ~10x faster
    than TRUNCATE, which makes new files for each table."""
    if "emptying" not in _templates:
        from service.orm import metadata
        with engine.connect() as conn:
            sequences = [name for name, _ in _sequences(conn)]
        from service.settings import MCI_SEED
        # the rows the migrations seed come back (the MCI of the years before the platform, Art. 118)
        seeds = [f"INSERT INTO mci_values (year, value, reason, changed_at) VALUES ({year}, {int(value * 100)}, "
                 "'the budget law of the year', '2026-12-02 00:00:00+00')" for year, value in MCI_SEED.items()]
        _templates["emptying"] = "; ".join([f'DELETE FROM "{t.name}"' for t in reversed(metadata.sorted_tables)]
                                           + [f"ALTER SEQUENCE {s} RESTART" for s in sequences] + seeds)
    return _templates["emptying"]


def _fresh_postgres() -> None:
    """This worker's database at the head migration with no rows: cloned from the run's template
    the first time (and after a test dropped or changed its schema, or replaced it), then emptied."""
    _ensure_template()
    if _templates.get("worker") != "migrated":
        _recreate_worker_db(TEMPLATE_DB)
        return
    engine = create_engine(PG_URL, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(_emptied_statements(engine))
    finally:
        engine.dispose()


def _fresh_sqlite(path) -> None:
    """A copy of a database file migrated once per run."""
    import shutil
    if "sqlite" not in _templates:
        import tempfile

        from service.db import create_schema, make_engine
        template = os.path.join(tempfile.mkdtemp(prefix="mulik-template-"), "template.db")
        engine = make_engine(f"sqlite:///{template}")
        create_schema(engine)
        engine.dispose()  # the last connection closing checkpoints the WAL into the file
        assert not os.path.exists(template + "-wal") or os.path.getsize(template + "-wal") == 0
        _templates["sqlite"] = template
    shutil.copyfile(_templates["sqlite"], path)


# Tests that wait in real time (a browser before an auction opens, a soft close, servers starting) or
# run long: started first, so that the workers are not left waiting on them at the end of the run.
LONG_FIRST = ("tests/e2e/test_browser_journeys.py::test_a_bidder_registers",
              "tests/integration/test_lifecycle_properties.py::test_random_lifecycles",
              "tests/e2e/test_browser_room.py", "tests/integration/test_multiprocess.py",
              "tests/integration/test_crash.py", "tests/e2e/test_browser_journeys.py",
              "tests/integration/test_concurrency.py", "tests/e2e/test_live_real_server.py",
              "tests/integration/test_journal_cli.py")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        return next((i for i, prefix in enumerate(LONG_FIRST) if item.nodeid.startswith(prefix)), len(LONG_FIRST))
    items.sort(key=rank)  # stable: the rest keep their order


def pytest_sessionfinish(session):
    """Drop this worker's database; the run's template goes with the last process (the controller
    under xdist, or the only one)."""
    for engine in _engines.values():
        engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_DB}{suffix}").unlink(missing_ok=True)
    if _pg_problem:
        return
    names = [WORKER_DB] if "worker" in _templates else []
    if not hasattr(session.config, "workerinput"):
        names.append(TEMPLATE_DB)
    if not names:
        return
    engine = _admin()
    try:
        with engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


# This worker's SQLite file: one path for every test, made anew from the migrated file before each.
SQLITE_DB = Path(tempfile.gettempdir()) / f"mulik-test-{RUN_ID[:12]}-{WORKER}.db"
SQLITE_URL = f"sqlite:///{SQLITE_DB}"

# One engine per database URL for the whole worker, handed to every app of the `app` fixture: a new
# engine per test would compile every SQL statement again (SQLAlchemy's statement cache lives in the
# engine and is keyed by its dialect). Its connections are closed after each test (`dispose`), so each
# test still talks to its own fresh database.
_engines: dict[str, object] = {}


def shared_engine(url: str, **pool):
    """One engine per database URL for the whole run; `pool` (the pool's size, from the config) is the first
    app's: the tests run one request at a time."""
    if url not in _engines:
        from service.db import make_engine
        _engines[url] = make_engine(url, **pool)
    return _engines[url]


def _close_connections(url: str) -> None:
    if url in _engines:
        _engines[url].dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request) -> str:
    if request.param == "sqlite":
        _close_connections(SQLITE_URL)
        for suffix in ("", "-wal", "-shm"):  # a new file (a new inode): a lingering process keeps the old one
            Path(f"{SQLITE_DB}{suffix}").unlink(missing_ok=True)
        _fresh_sqlite(SQLITE_DB)
        return SQLITE_URL
    require_postgres()
    _close_connections(PG_URL)
    _fresh_postgres()
    return PG_URL


# Rate limits no test meets unless it sets its own (`@pytest.mark.app_config(BID_RATE_LIMIT="3/minute")`):
# tests bid, log in and register far faster than people (web/ratelimit.py).
GENEROUS_LIMITS = {"BID_RATE_LIMIT": "10000/second", "LOGIN_RATE_LIMIT_ACCOUNT": "10000/second",
                   "LOGIN_RATE_LIMIT_ADDRESS": "10000/second", "REGISTER_RATE_LIMIT": "10000/second",
                   "EDS_CHALLENGE_RATE_LIMIT": "10000/second", "VERIFY_RATE_LIMIT": "10000/second"}


@pytest.fixture
def app(request, db_url, clock, monkeypatch):
    from web import create_app
    marker = request.node.get_closest_marker("app_config")
    monkeypatch.setattr("web.make_engine", shared_engine)
    # People, proceedings and lots numbered from 1 on each fresh database: the same case built by two
    # tests is then the same case, to its documents' bytes (documents_laid_out_once).
    monkeypatch.setattr(helpers, "_serial", itertools.count(1))
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "CLOCK": clock, "SECRET_KEY": "test",
                      "WEBHOOK_SECRET": "test-webhook-secret", "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False,
                      **GENEROUS_LIMITS, **(marker.kwargs if marker else {})})
    yield app
    app.extensions["mulik"]["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def m(app, clock) -> Mulik:
    return Mulik(app, clock)
