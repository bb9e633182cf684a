"""Two whole runs of the suite at the same time on one machine (`make test-twice`, issue 16).

Each run has its own PostgreSQL base (MULIK_TEST_POSTGRES_URL: the configured one, and the same
server's `<database>_second`, created here when missing), and so its own worker databases, Redis
key prefixes and Socket.IO channels (tests/conftest.py). Both must pass; the exit code says so.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BASE = os.environ.get("MULIK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def second_base() -> str:
    url = make_url(BASE)
    name = f"{url.database}_second"
    engine = create_engine(BASE, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def main() -> int:
    workers = os.environ.get("WORKERS", "auto")
    runs = {}
    started = time.monotonic()
    for label, base in (("first", BASE), ("second", second_base())):
        log = open(f"test-twice-{label}.log", "w")
        env = dict(os.environ, MULIK_TEST_POSTGRES_URL=base)
        runs[label] = (base, subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                         "-n", workers, "--dist", "loadgroup"], env=env, stdout=log,
                                        stderr=subprocess.STDOUT), log)
    failed = 0
    for label, (base, proc, log) in runs.items():
        code = proc.wait()
        log.close()
        with open(log.name) as f:
            last = [line.strip() for line in f if line.strip()][-1]
        print(f"{label} run (MULIK_TEST_POSTGRES_URL={make_url(base).render_as_string()}): exit {code}: {last}")
        failed |= code != 0
    print(f"both runs together: {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
