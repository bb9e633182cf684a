"""INGEST: bid decisions per second on one hot auction, 32 concurrent bidders, PostgreSQL with
durable commits, through the real bid service; side by side with pgbench running the same bid
as one SQL statement (and, second, that statement plus the journal entry) on the same schema.

Our bidders: `procs` processes x 16 bidders, each one admitted participant. In a process the bidders are
greenlets on one gevent event loop (MULIK_BENCH_BIDDERS=gevent, the default), as `mulik run` serves its
clients (web/cli.py) and as pgbench's `-j 2` threads each serve their share of its 32 clients; or one OS
thread each (MULIK_BENCH_BIDDERS=threads), which pays a wake-up and a GIL hand-over per decision. Every
bidder bids the next valid price it knows (last broadcast price + step) unless it leads, as a
client does that follows the `bid` broadcasts: each call of `service.trading.place_bid` in its
own UnitOfWork is one decision, accepted or refused (`outbid` when another bid committed first).
The broadcast is a publisher that writes the last committed price into shared memory.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal

from .common import (
    BENCH_PG_URL,
    busy_share,
    cpu_busy,
    pct,
    pg_setting,
    pgbench,
    reset_bench_db,
    say,
    seed_open_auctions,
    skip,
)

# ---- our bid service ---------------------------------------------------------------------------------
BIDDERS = os.environ.get("MULIK_BENCH_BIDDERS", "gevent")


def _bidders_mode() -> str:
    """Called first in a bidder process, before psycopg is imported (it picks its wait function then): under
    gevent the bidders' threads are greenlets and psycopg waits on the event loop, as in `mulik run`."""
    if BIDDERS == "gevent":
        from gevent import monkey
        monkey.patch_all()
    return BIDDERS


def _start_at_go(threads, pipe, go) -> None:
    """Say the process is ready, wait for the go, then start the bidders. A pipe, not a multiprocessing queue:
    a queue's feeder thread would be a greenlet blocked on a lock made before gevent patched this process."""
    pipe.send(len(threads))
    go.wait()
    for t in threads:
        t.start()


class SharedPublisher:
    """The broadcast, as the bench's clients see it: the last committed (seq, price, leader)."""

    def __init__(self, shared):
        self.shared = shared

    def publish(self, auction_id, event):
        if event.get("kind") != "bid":
            return
        tiyn = int(Decimal(event["amount"]) * 100)
        with self.shared.get_lock():
            if event["seq"] > self.shared[0]:
                self.shared[0], self.shared[1], self.shared[2] = event["seq"], tiyn, event["participant_no"]


def _bidder_process(url, auction, bidders, seconds, shared, start_at, go, pipe):
    _bidders_mode()
    from auction.commands import PlaceBid
    from auction.errors import DomainError
    from service import trading
    from service.orm import User
    from web import create_app, uow_for

    # a pooled connection per bidder thread, as pgbench keeps one per client: no connection opened per decision
    app = create_app({"TESTING": True, "DATABASE_URL": url, "CREATE_SCHEMA": False, "SWEEPER_INTERVAL": 0,
                      "DATABASE_POOL_SIZE": len(bidders)})
    app.extensions["mulik"]["publisher"] = SharedPublisher(shared)
    if os.environ.get("MULIK_BENCH_SWITCH_INTERVAL"):  # an experiment: the GIL's switch interval, s
        import sys
        sys.setswitchinterval(float(os.environ["MULIK_BENCH_SWITCH_INTERVAL"]))
    with app.extensions["mulik"]["sessions"]() as s:
        users = [s.get(User, b["user_id"]) for b in bidders]
        s.expunge_all()
    step = int(Decimal(auction["step"]) * 100)
    results = []

    def bidder(user, my_no):
        accepted, refused, other, lat = 0, 0, Counter(), []
        end = start_at.value + seconds
        n = 0
        told = 0  # the price a refusal named (its facts), newer than the broadcast until the broadcast catches up
        while time.time() < end:
            with shared.get_lock():
                price, leader = shared[1], shared[2]
            if told > price:
                price, leader = told, None
            if leader == my_no:  # a participant does not outbid himself: wait for the next bid
                time.sleep(0.0005)
                continue
            n += 1
            t0 = time.perf_counter()
            try:
                with uow_for(app, user) as uow:
                    trading.place_bid(uow, user, PlaceBid(auction["id"], Decimal(price + step) / 100, f"b{my_no}-{n}"))
                accepted += 1
            except DomainError as exc:
                if exc.code in ("outbid", "wrong_price"):  # the price moved: stale view; the answer says where to
                    refused += 1
                    told = max(told, int(exc.facts["price"] * 100)) if exc.facts.get("price") is not None else told
                else:
                    other[exc.code] += 1
            lat.append(time.perf_counter() - t0)
        results.append((accepted, refused, other, lat))

    threads = [threading.Thread(target=bidder, args=(u, b["participant_no"])) for u, b in zip(users, bidders)]
    _start_at_go(threads, pipe, go)
    cpu0 = time.process_time()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu0
    pipe.send((sum(r[0] for r in results), sum(r[1] for r in results), sum((r[2] for r in results), Counter()),
             [x for r in results for x in r[3]], time.time(), cpu))
    app.extensions["mulik"]["engine"].dispose()


def _run_processes(ps, pipes, start_at, go, seconds, at_go=None) -> tuple[list, float]:
    """Start the bidder processes, wait until each is ready (a message on its pipe, `pipes` the (parent's end,
    child's end) of each), let them go at one moment
    (`at_go()` called just before); what each reported on its pipe, and the share of the machine's CPU busy
    meanwhile."""
    for p in ps:
        p.start()
    for _, theirs in pipes:  # the child's end, closed here: a child that dies ends its pipe at once (EOFError)
        theirs.close()
    pipes = [mine for mine, _ in pipes]
    for pipe, p in zip(pipes, ps):
        if not pipe.poll(180):
            raise RuntimeError(f"bidder process {p.pid} did not get ready (exit code {p.exitcode})")
        pipe.recv()
    if at_go is not None:
        at_go()
    start_at.value = time.time()
    busy0 = cpu_busy()
    go.set()
    got = []
    for pipe, p in zip(pipes, ps):
        if not pipe.poll(seconds + 120):
            raise RuntimeError(f"bidder process {p.pid} did not report (exit code {p.exitcode})")
        got.append(pipe.recv())
    busy = busy_share(busy0, cpu_busy())
    for p in ps:
        p.join(timeout=30)
    return got, busy


def run_ours(url, auction, *, procs: int, seconds: float) -> dict:
    ctx = mp.get_context("spawn")
    shared = ctx.Array("q", [0, int(Decimal(auction["start"]) * 100), 0])
    start_at = ctx.Value("d", 0.0)
    go = ctx.Event()
    parts = [auction["bidders"][i::procs] for i in range(procs)]
    pipes = [ctx.Pipe() for _ in parts]
    ps = [ctx.Process(target=_bidder_process, args=(url, auction, part, seconds, shared, start_at, go, theirs))
          for part, (_, theirs) in zip(parts, pipes)]
    xacts0 = []
    got, busy = _run_processes(ps, pipes, start_at, go, seconds,
                               at_go=lambda: xacts0.append(server_transactions(url, settle=True)))
    xacts = server_transactions(url, settle=True) - xacts0[0]
    elapsed = max(g[4] for g in got) - start_at.value
    lat = [x for g in got for x in g[3]]
    accepted, refused = sum(g[0] for g in got), sum(g[1] for g in got)
    other = sum((g[2] for g in got), Counter())
    decisions = accepted + refused + sum(other.values())
    return {"accepted": accepted, "refused": refused, "other": dict(other), "elapsed": elapsed,
            "rate": decisions / elapsed, "accepted_rate": accepted / elapsed, "p50": pct(lat, 50), "p99": pct(lat, 99),
            "seq": shared[0], "busy": busy, "server_xacts": xacts / max(decisions, 1),
            "cpu_ms": sum(g[5] for g in got) * 1000 / max(decisions, 1)}


def server_transactions(url, *, settle: bool = False) -> int:
    """Transactions the server counted in this database (committed and rolled back, pg_stat_database): with every
    bid one autocommit call, one per round trip. `settle`: wait for the counters to be flushed (about 1 s)."""
    from sqlalchemy import create_engine, text
    if settle:
        time.sleep(1.5)
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                              "WHERE datname = current_database()")).scalar_one()
    engine.dispose()
    return int(n)


# ---- pgbench ---------------------------------------------------------------------------------------------
# The same work as service.trading.place_bid, done by PostgreSQL alone (issue 15 point 1): the very function the
# platform calls (mulik_place_bid, migration c1d2e3f4a5b6: the participant check, the client-id replay check, the
# rules, the conditional update, the bid row and the journal entry chained on the lot's head), called by pgbench
# with the next price read in the same statement (our bidders learn it from the broadcast instead).
SAME_WORK_SQL = """\
\\set p random(1, {n})
\\set uid {uid0} + :p - 1
\\set k random(1, 1000000000)
SELECT outcome FROM auctions a, LATERAL mulik_place_bid(a.id, :uid, a.current_price + a.step,
  'pgs-' || :client_id || '-' || :k, 'bid', now(), 'user:' || :uid) WHERE a.id = {aid};
"""

# The same, across many auctions at once (issue 15 point 3): a random auction, its participant who does not lead.
MANY_SQL = """\
\\set a random(0, {count} - 1)
\\set k random(1, 1000000000)
SELECT outcome FROM auctions a, LATERAL (SELECT user_id FROM applications p WHERE p.auction_id = a.id
  AND p.status = 'admitted' AND p.participant_no IS DISTINCT FROM a.leader_no ORDER BY p.participant_no LIMIT 1) u,
  LATERAL mulik_place_bid(a.id, u.user_id, a.current_price + a.step, 'pgm-' || :client_id || '-' || :k, 'bid',
  now(), 'user:' || u.user_id) WHERE a.id = {first} + :a;
"""


def _ids(url, auction) -> dict:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        lot = conn.execute(text("select lot_id from auctions where id = :a"), {"a": auction["id"]}).scalar_one()
        head = conn.execute(text("select count(*) from journal")).scalar_one()
        bids = conn.execute(text("select count(*) from bids where auction_id = :a"), {"a": auction["id"]}).scalar_one()
    engine.dispose()
    by_no = sorted(auction["bidders"], key=lambda b: b["participant_no"])
    app0, uid0 = by_no[0]["application_id"], by_no[0]["user_id"]
    consecutive = all(b["application_id"] == app0 + i and b["user_id"] == uid0 + i and b["participant_no"] == i + 1
                      for i, b in enumerate(by_no))
    return {"lot": lot, "head": head, "bids": bids, "app0": app0, "uid0": uid0, "consecutive": consecutive,
            "n": len(by_no)}


def run_pgbench(url, auction, *, clients: int, seconds: int, template: str = SAME_WORK_SQL) -> dict | str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    exe = pgbench()
    if not exe:
        return "pgbench not installed (Debian: postgresql-client / postgresql-contrib)"
    ids = _ids(url, auction)
    if template is SAME_WORK_SQL and not ids["consecutive"]:
        return "the seeded applications' ids are not consecutive; the pgbench script relies on it"
    u = make_url(url)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "bid.sql")
        with open(script, "w") as f:
            f.write(template.format(aid=auction["id"], **ids))
        cmd = [exe, "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script,
               "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres", u.database]
        env = dict(os.environ, PGPASSWORD=u.password or "")
        busy0 = cpu_busy()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 120)
        busy = busy_share(busy0, cpu_busy())
    if proc.returncode != 0:
        return f"pgbench failed: {(proc.stderr or proc.stdout).strip()[-400:]}"
    m = re.search(r"number of transactions actually processed: (\d+)", proc.stdout)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", proc.stdout)
    lat = re.search(r"latency average = ([\d.]+) ms", proc.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", proc.stdout)
    engine = create_engine(url)
    with engine.connect() as conn:
        bids = conn.execute(text("select count(*) from bids where auction_id = :a"), {"a": auction["id"]}).scalar_one()
        head = conn.execute(text("select count(*) from journal")).scalar_one()
    engine.dispose()
    total = int(m.group(1))
    accepted = bids - ids["bids"]
    return {"decisions": total, "accepted": accepted, "refused": total - accepted, "rate": float(tps.group(1)),
            "accepted_rate": accepted / seconds, "latency_avg": float(lat.group(1)) / 1000 if lat else None,
            "failed": int(failed.group(1)) if failed else 0, "journal_added": head - ids["head"], "busy": busy}


def verify_chain(url) -> str:
    """`mulik journal verify`'s check (every chain against its head record, the anchors)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from service.queries.platform import journal_chain
    engine = create_engine(url)
    with Session(engine) as s:
        result = journal_chain(s)
    engine.dispose()
    if result.ok:
        return f"journal OK ({result.checked} entries in {result.chains} chains)"
    return f"journal BROKEN in chain {result.chain} at seq {result.first_bad_seq}: {result.problem}"


# ---- profile -------------------------------------------------------------------------------------------
def round_trips(url, auction, n: int = 50) -> None:
    """Round trips per accepted and per refused decision, counted on the wire (libpq's trace, tests/pgwire.py:
    BEGIN, COMMIT and the pool's reset included), one thread, two bidders taking turns; each refused bid names
    the price just outbid (a stale view, refused `wrong_price`)."""
    from auction.commands import PlaceBid
    from auction.errors import DomainError
    from service import trading
    from service.orm import User
    from tests.pgwire import traced
    from web import create_app, uow_for
    app = create_app({"TESTING": True, "DATABASE_URL": url, "CREATE_SCHEMA": False, "SWEEPER_INTERVAL": 0})
    engine = app.extensions["mulik"]["engine"]
    last = {}

    class Pub:
        def publish(self, auction_id, ev):
            if ev.get("kind") == "bid":
                last.update(price=int(Decimal(ev["amount"]) * 100), leader=ev["participant_no"])
    app.extensions["mulik"]["publisher"] = Pub()
    with app.extensions["mulik"]["sessions"]() as s:
        users = [(s.get(User, b["user_id"]), b["participant_no"]) for b in auction["bidders"][:2]]
        s.expunge_all()
    step = int(Decimal(auction["step"]) * 100)
    last.update(price=int(Decimal(auction["start"]) * 100), leader=None)
    counts = {"accepted": [], "refused": []}
    for i in range(2 * n):
        user, _ = users[0] if last["leader"] != users[0][1] else users[1]
        stale = i % 2 == 1 and last["leader"] is not None
        amount = last["price"] if stale else last["price"] + step
        with traced(engine) as wire:
            try:
                with uow_for(app, user) as uow:
                    trading.place_bid(uow, user, PlaceBid(auction["id"], Decimal(amount) / 100, f"rt-{i}"))
                outcome = "accepted"
            except DomainError:
                outcome = "refused"
        if i >= 10:  # a pooled connection's first calls: psycopg prepares the call on its 6th (one Parse more)
            counts[outcome].append(len(wire))
    engine.dispose()
    say("[ingest/round-trips] on the wire per decision (libpq trace, one thread): " + ", ".join(
        f"{k} {sum(v) / len(v):.2f} (min {min(v)}, max {max(v)}, {len(v)} decisions)" for k, v in counts.items() if v))


def profile(url, auction, n: int = 300) -> None:
    """Statements SQLAlchemy runs per decision and where the time goes, one thread, alternating two bidders."""
    import cProfile
    import io
    import pstats

    from sqlalchemy import event

    from auction.commands import PlaceBid
    from auction.errors import DomainError
    from service import trading
    from service.orm import User
    from web import create_app, uow_for
    app = create_app({"TESTING": True, "DATABASE_URL": url, "CREATE_SCHEMA": False, "SWEEPER_INTERVAL": 0})
    engine = app.extensions["mulik"]["engine"]
    statements = Counter()

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, params, context, executemany):
        statements[" ".join(statement.split())[:90]] += 1

    shared = [0, int(Decimal(auction["start"]) * 100), 0]

    class Pub:
        def publish(self, auction_id, ev):
            if ev.get("kind") == "bid":
                shared[:] = [ev["seq"], int(Decimal(ev["amount"]) * 100), ev["participant_no"]]
    app.extensions["mulik"]["publisher"] = Pub()
    with app.extensions["mulik"]["sessions"]() as s:
        users = [(s.get(User, b["user_id"]), b["participant_no"]) for b in auction["bidders"][:2]]
        s.expunge_all()
    with engine.connect() as c:  # current price
        from sqlalchemy import text
        row = c.execute(text("select seq, current_price, leader_no from auctions where id = :a"),
                        {"a": auction["id"]}).one()
        shared[:] = [row[0], row[1], row[2] or 0]
    step = int(Decimal(auction["step"]) * 100)

    def bids(k, tag):
        cpu, t0 = time.process_time(), time.perf_counter()
        for i in range(k):
            user, no = users[0] if shared[2] != users[0][1] else users[1]
            try:
                with uow_for(app, user) as uow:
                    trading.place_bid(uow, user, PlaceBid(auction["id"], Decimal(shared[1] + step) / 100, f"{tag}-{i}"))
            except DomainError as exc:
                say(f"  (unexpected refusal {exc.code})")
        return time.perf_counter() - t0, time.process_time() - cpu

    bids(20, "warm")
    statements.clear()
    elapsed, cpu = bids(n, "plain")
    total, per = sum(statements.values()), statements.most_common(14)
    say(f"[ingest/profile] {n} uncontended accepted bids, one thread: {elapsed / n * 1000:.2f} ms each "
        f"({n / elapsed:,.0f}/s), of which Python CPU {cpu / n * 1000:.2f} ms; "
        f"{total / n:.1f} statements through SQLAlchemy per accepted bid (the bid call itself is psycopg's, counted "
        f"above on the wire):")
    prof = cProfile.Profile(time.process_time)  # CPU, not wall: the wait for the server is not Python's cost
    prof.enable()
    bids(n, "prof")
    prof.disable()
    engine.dispose()
    for stmt, k in per:
        say(f"    {k / n:4.1f} x {stmt}")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(r"/(service|auction|web)/", 12)
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(18)
    say("  cProfile, process CPU: cumulative in Mulik's functions, then each function's own (top):")
    for line in buf.getvalue().splitlines():
        if re.match(r"\s+\d", line):
            say("    " + line.strip()[:150])


# ---- the benchmark -----------------------------------------------------------------------------------
def main(argv=()) -> dict | None:
    seconds = int(os.environ.get("MULIK_BENCH_SECONDS", "10"))
    procs = int(os.environ.get("MULIK_BENCH_PROCS", "2"))
    bidders = 32
    problem = reset_bench_db()
    if problem:
        skip("ingest", problem)
        return None
    say(f"[ingest] PostgreSQL {BENCH_PG_URL.rsplit('@', 1)[-1]}: "
        f"synchronous_commit={pg_setting('synchronous_commit')}, "
        f"fsync={pg_setting('fsync')}, wal_sync_method={pg_setting('wal_sync_method')}")
    t0 = time.perf_counter()
    ours_a, pgb_a, pgj_a, prof_a, same_a = seed_open_auctions(BENCH_PG_URL, auctions=5, bidders=bidders)
    say(f"[ingest] seeded 5 auctions open now with {bidders} admitted bidders each ({time.perf_counter() - t0:.0f} s)")
    round_trips(BENCH_PG_URL, prof_a)
    if "--profile" in argv:
        profile(BENCH_PG_URL, prof_a)
    ours = run_ours(BENCH_PG_URL, ours_a, procs=procs, seconds=seconds)
    say(f"[ingest/ours] {bidders} bidders ({procs} processes x {bidders // procs} {BIDDERS} bidders), "
        f"{ours['elapsed']:.1f} s, "
        f"service.trading.place_bid: {ours['rate']:,.0f} decisions/s "
        f"(accepted {ours['accepted']:,} = {ours['accepted_rate']:,.0f}/s, refused outbid {ours['refused']:,}"
        + (f", other {ours['other']}" if ours["other"] else "") +
        f"); decision latency p50 {ours['p50'] * 1000:.1f} ms, p99 {ours['p99'] * 1000:.1f} ms; "
        f"{ours['server_xacts']:.2f} server transactions (pg_stat_database) "
        f"and {ours['cpu_ms']:.1f} ms of bidder-process CPU per decision; "
        f"machine CPU busy {ours['busy'] * 100:.0f}%; "
        f"auction seq {ours['seq']}")
    say(f"[ingest] after our run: {verify_chain(BENCH_PG_URL)}")
    res = {"ours": ours}
    r = run_pgbench(BENCH_PG_URL, same_a, clients=bidders, seconds=seconds)
    if isinstance(r, str):
        skip("ingest/same-work", r)
    else:
        res["same-work"] = r
        _say_pgbench("same-work", bidders, seconds, r)
        say(f"[ingest/ratio] ours / same-work: decisions {ours['rate'] / r['rate']:.2f}x, "
            f"accepted bids {ours['accepted_rate'] / max(r['accepted_rate'], 1e-9):.2f}x")
        say(f"[ingest] after the same-work run: {verify_chain(BENCH_PG_URL)}")
    many = int(os.environ.get("MULIK_BENCH_AUCTIONS", "100"))
    if many > 1:
        res.update(_many_auctions(many, procs=procs, seconds=seconds, bidders=bidders, one=ours))
    return res


def _say_pgbench(label, clients, seconds, r) -> None:
    say(f"[ingest/{label}] {clients} clients, -T {seconds}, -M prepared: {r['rate']:,.0f} decisions/s "
        f"(accepted {r['accepted']:,} = {r['accepted_rate']:,.0f}/s, refused {r['refused']:,}, "
        f"failed {r['failed']}); latency avg {r['latency_avg'] * 1000:.1f} ms; "
        f"machine CPU busy {r['busy'] * 100:.0f}%; journal entries added {r['journal_added']:,}")


# ---- many auctions at once (issue 15 point 3) -----------------------------------------------------------------
def _many_bidder_process(url, auctions, threads, seconds, start_at, go, pipe):
    """`threads` threads, each bidding in turn in its own share of `auctions`, always as the participant who
    does not lead (nobody else bids there: every decision is accepted unless a rule refuses it)."""
    _bidders_mode()
    from auction.commands import PlaceBid
    from auction.errors import DomainError
    from service import trading
    from service.orm import User
    from web import create_app, uow_for

    app = create_app({"TESTING": True, "DATABASE_URL": url, "CREATE_SCHEMA": False, "SWEEPER_INTERVAL": 0,
                      "DATABASE_POOL_SIZE": threads})  # a pooled connection per thread (see _bidder_process)
    with app.extensions["mulik"]["sessions"]() as s:
        users = {b["user_id"]: s.get(User, b["user_id"]) for a in auctions for b in a["bidders"]}
        s.expunge_all()
    results = []

    def bidder(mine):
        state = {a["id"]: [int(Decimal(a["start"]) * 100), 0] for a in mine}  # price (tiyn), bids placed
        accepted, other, n = 0, Counter(), 0
        end = start_at.value + seconds
        while time.time() < end:
            for a in mine:
                price, k = state[a["id"]]
                who = a["bidders"][k % 2]
                n += 1
                amount = price + int(Decimal(a["step"]) * 100)
                try:
                    with uow_for(app, users[who["user_id"]]) as uow:
                        trading.place_bid(uow, users[who["user_id"]], PlaceBid(a["id"], Decimal(amount) / 100,
                                                                                f"m{who['user_id']}-{n}"))
                    accepted += 1
                    state[a["id"]] = [amount, k + 1]
                except DomainError as exc:
                    other[exc.code] += 1
        results.append((accepted, other))

    shares = [auctions[i::threads] for i in range(threads)]
    ts = [threading.Thread(target=bidder, args=(share,)) for share in shares if share]
    _start_at_go(ts, pipe, go)
    cpu0 = time.process_time()
    for t in ts:
        t.join()
    pipe.send((sum(r[0] for r in results), sum((r[1] for r in results), Counter()), time.time(),
             time.process_time() - cpu0))
    app.extensions["mulik"]["engine"].dispose()


def run_ours_many(url, auctions, *, procs: int, threads: int, seconds: float) -> dict:
    ctx = mp.get_context("spawn")
    start_at = ctx.Value("d", 0.0)
    go = ctx.Event()
    parts = [auctions[i::procs] for i in range(procs)]
    pipes = [ctx.Pipe() for _ in parts]
    ps = [ctx.Process(target=_many_bidder_process, args=(url, part, max(1, threads // procs), seconds, start_at, go,
                                                           theirs)) for part, (_, theirs) in zip(parts, pipes)]
    got, busy = _run_processes(ps, pipes, start_at, go, seconds)
    elapsed = max(g[2] for g in got) - start_at.value
    accepted = sum(g[0] for g in got)
    other = sum((g[1] for g in got), Counter())
    decisions = accepted + sum(other.values())
    return {"accepted": accepted, "other": dict(other), "elapsed": elapsed, "rate": decisions / elapsed,
            "accepted_rate": accepted / elapsed, "busy": busy,
            "cpu_ms": sum(g[3] for g in got) * 1000 / max(decisions, 1)}


def _many_auctions(count: int, *, procs: int, seconds: int, bidders: int, one: dict) -> dict:
    t0 = time.perf_counter()
    ours_m = seed_open_auctions(BENCH_PG_URL, auctions=count, bidders=2)
    same_m = seed_open_auctions(BENCH_PG_URL, auctions=count, bidders=2)
    say(f"[ingest/many] seeded 2 x {count} auctions open now, 2 admitted bidders each "
        f"({time.perf_counter() - t0:.0f} s)")
    ours = run_ours_many(BENCH_PG_URL, ours_m, procs=procs, threads=bidders, seconds=seconds)
    say(f"[ingest/many/ours] {count} auctions, {bidders} bidders ({procs} processes, {BIDDERS}): {ours['rate']:,.0f} "
        f"decisions/s, accepted {ours['accepted']:,} = {ours['accepted_rate']:,.0f}/s"
        + (f", refused {ours['other']}" if ours["other"] else "") +
        f"; {ours['cpu_ms']:.1f} ms of bidder-process CPU per decision; machine CPU busy {ours['busy'] * 100:.0f}%; "
        f"{ours['accepted_rate'] / max(one['accepted_rate'], 1e-9):.1f}x the accepted bids/s of one hot auction")
    res = {"many-ours": ours}
    ids = [a["id"] for a in same_m]
    if ids != list(range(ids[0], ids[0] + count)):
        skip("ingest/many/same-work", "the seeded auctions' ids are not consecutive; the pgbench script relies on it")
        return res
    r = run_pgbench(BENCH_PG_URL, same_m[0], clients=bidders, seconds=seconds,
                    template=MANY_SQL.replace("{count}", str(count)).replace("{first}", str(ids[0])))
    if isinstance(r, str):
        skip("ingest/many/same-work", r)
        return res
    r["accepted"] = _bids_in(BENCH_PG_URL, ids, r)
    r["refused"], r["accepted_rate"] = r["decisions"] - r["accepted"], r["accepted"] / seconds
    res["many-same-work"] = r
    _say_pgbench(f"many/same-work, {count} auctions", bidders, seconds, r)
    say(f"[ingest/many/ratio] ours / same-work over {count} auctions: decisions {ours['rate'] / r['rate']:.2f}x, "
        f"accepted bids {ours['accepted_rate'] / max(r['accepted_rate'], 1e-9):.2f}x")
    say(f"[ingest/many] after both runs: {verify_chain(BENCH_PG_URL)}")
    return res


def _bids_in(url, ids, r) -> int:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("select count(*) from bids where auction_id = any(:ids) and client_id like 'pgm-%'"),
                         {"ids": ids}).scalar_one()
    engine.dispose()
    return n
