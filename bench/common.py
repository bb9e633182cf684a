"""What the benchmarks share: the machine's description, the benchmark database, an auction
open now in real time with N admitted bidders, percentiles, and the Node tools."""
from __future__ import annotations

import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = Path(__file__).resolve().parent / "node"
BENCH_PG_URL = os.environ.get("MULIK_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")
BENCH_REDIS_URL = os.environ.get("MULIK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def say(line: str = "") -> None:
    print(line, flush=True)


def skip(figure: str, why: str) -> None:
    say(f"[{figure}] SKIPPED: {why}")


# ---- the machine ---------------------------------------------------------------------------------
def _run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "not found"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M).group(1)
    except (OSError, AttributeError):
        pass
    ram = "unknown"
    try:
        kb = int(re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    pg = "unknown"
    try:
        from sqlalchemy import create_engine, text
        engine = create_engine(admin_url())
        with engine.connect() as conn:
            pg = conn.execute(text("select version()")).scalar_one().split(" on ")[0]
        engine.dispose()
    except Exception as exc:  # report, do not fail
        pg = f"unreachable ({exc.__class__.__name__})"
    redis_v = "unknown"
    try:
        import redis
        with redis.Redis.from_url(BENCH_REDIS_URL, socket_connect_timeout=2) as r:
            redis_v = "Redis " + r.info("server")["redis_version"]
    except Exception as exc:  # report, do not fail
        redis_v = f"unreachable ({exc.__class__.__name__})"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
        "kernel": f"{platform.system()} {platform.release()}",
        "python": f"Python {platform.python_version()}",
        "postgresql": pg, "redis": redis_v,
        "node": _run(["node", "--version"]) if shutil.which("node") else "not found",
        "pgbench": _run(["pgbench", "--version"]) if pgbench() else "not found",
        "load": "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def print_machine() -> None:
    m = machine()
    say(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, {m['kernel']}; {m['python']}, "
        f"{m['postgresql']}, {m['redis']}, Node {m['node']}, {m['pgbench']}; {m['load']}; {m['date']}")


# ---- tools ---------------------------------------------------------------------------------------
def pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True):
        return str(p)
    return None


def node_ready() -> str | None:
    """None when the Node tools are usable (installing the locked packages if needed), else why not."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "node/npm not installed"
    if not (NODE_DIR / "node_modules" / "socket.io" / "package.json").exists() or \
            not (NODE_DIR / "node_modules" / "socket.io-client" / "package.json").exists():
        out = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            return f"npm ci failed: {(out.stderr or out.stdout).strip()[-300:]}"
    return None


def raise_nofile(want: int = 20000) -> int:
    """Raise this process's open-file limit (children inherit it); return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat; see busy_share()."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of all cores that was busy between two cpu_busy() readings (0..1)."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total else float("nan")


def pct(values, p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


# ---- the benchmark database ------------------------------------------------------------------------
def admin_url() -> str:
    """The same server, database `postgres` (to create the benchmark database)."""
    from sqlalchemy.engine import make_url
    return make_url(BENCH_PG_URL).set(database="postgres").render_as_string(hide_password=False)


def reset_bench_db() -> str | None:
    """Create the benchmark database if needed and empty it; None, or why PostgreSQL is unusable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    name = make_url(BENCH_PG_URL).database
    try:
        admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(text("select 1 from pg_database where datname = :n"), {"n": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = create_engine(BENCH_PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as exc:  # report, do not fail
        return f"PostgreSQL at {BENCH_PG_URL} unusable ({exc.__class__.__name__}: {str(exc).splitlines()[0][:120]})"
    return None


def pg_setting(name: str) -> str:
    from sqlalchemy import create_engine, text
    engine = create_engine(BENCH_PG_URL)
    with engine.connect() as conn:
        value = conn.execute(text(f"SHOW {name}")).scalar_one()
    engine.dispose()
    return value


# ---- an auction open now -------------------------------------------------------------------------------
def seed_open_auctions(url: str, *, auctions: int = 1, bidders: int = 32, quiet_hours: int = 3) -> list[dict]:
    """Auctions open now in real time, each with `bidders` admitted participants.

    Like web/demo.py: a FakeClock walks the lots through their lifecycle over the HTTP API
    (tests/helpers.py's driver) and stops at the last trading slot before now; the quiet period
    keeps the auctions open for `quiet_hours` after now. Returns, per auction, its id, step,
    start price and bidders (user id, API token, application id, participant number)."""
    from auction.calendar import WorkingCalendar
    from auction.clock import FakeClock
    from tests.helpers import Mulik
    from web import create_app
    from web.demo import _last_trading_slot

    now = datetime.now(timezone.utc)
    open_slot = _last_trading_slot(now, WorkingCalendar())
    clock = FakeClock(open_slot - timedelta(days=40))
    app = create_app({"TESTING": True, "DATABASE_URL": url, "CLOCK": clock, "SWEEPER_INTERVAL": 0})
    m = Mulik(app, clock)
    bailiff = m.user("bailiff")
    lots = [m.ordered_lot(bailiff, value="10000000.00")[2] for _ in range(auctions)]
    clock.set(open_slot - timedelta(days=12))
    quiet = int((now - open_slot).total_seconds()) + quiet_hours * 3600
    out = []
    from auction.commands import ScheduleAuction
    from service import auctions
    from service.orm import User
    from web import uow_for
    for lot in lots:
        # the service, as web/demo.py does: the API caps quiet_seconds at 2 hours
        with uow_for(app, bailiff) as uow:
            a = auctions.schedule_auction(uow, uow.session.get(User, bailiff.id), ScheduleAuction(
                lot["id"], starts_at=open_slot, quiet_seconds=quiet, step="1000.00"))
            a = {"id": a.id}
        people = [m.bidder_admitted(a["id"]) for _ in range(bidders)]
        out.append({"auction": a, "people": people})
    clock.set(open_slot - timedelta(minutes=1))
    for item in out:
        for b in item["people"]:
            b.ok("POST", f"/auctions/{item['auction']['id']}/presence")
    clock.set(open_slot + timedelta(seconds=1))
    m.tick()
    from sqlalchemy import select

    from auction.auctions import Application, Auction
    result = []
    with app.extensions["mulik"]["sessions"]() as s:
        for item in out:
            a = s.get(Auction, item["auction"]["id"])
            assert a.status == "open", f"auction {a.id} did not open: {a.status}"
            apps = {x.user_id: x for x in s.execute(select(Application).where(Application.auction_id == a.id))
                    .scalars()}
            result.append({"id": a.id, "step": str(a.step), "start": str(a.current_price),
                           "ends_at": a.ends_at.isoformat(),
                           "bidders": [{"user_id": b.id, "token": b.token, "application_id": apps[b.id].id,
                                        "participant_no": apps[b.id].participant_no} for b in item["people"]]})
    app.extensions["mulik"]["engine"].dispose()
    return result


def python_env() -> dict[str, str]:
    """Environment for child Python processes: the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


PYTHON = sys.executable
