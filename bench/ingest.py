"""INGEST: bid decisions per second on one hot auction, 32 concurrent bidders, PostgreSQL with
durable commits, through the real bid service; side by side with pgbench running the same bid
as one SQL statement (and, second, that statement plus the journal entry) on the same schema.

Our bidders: `procs` processes x `threads` threads, each thread one admitted participant. Every
thread bids the next valid price it knows (last broadcast price + step) unless it leads, as a
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


def _bidder_process(url, auction, bidders, seconds, shared, start_at, go, ready, out):
    from auction.commands import PlaceBid
    from auction.errors import DomainError
    from service import trading
    from service.orm import User
    from web import create_app, uow_for

    app = create_app({"TESTING": True, "DATABASE_URL": url, "CREATE_SCHEMA": False, "SWEEPER_INTERVAL": 0})
    app.extensions["mulik"]["publisher"] = SharedPublisher(shared)
    if os.environ.get("MULIK_BENCH_SWITCH_INTERVAL"):  # an experiment: the GIL's switch interval, s
        import sys
        sys.setswitchinterval(float(os.environ["MULIK_BENCH_SWITCH_INTERVAL"]))
    from sqlalchemy import event
    statements = [0]

    @event.listens_for(app.extensions["mulik"]["engine"], "before_cursor_execute")
    def _count(*_):
        statements[0] += 1  # under the GIL; an approximate count is enough

    with app.extensions["mulik"]["sessions"]() as s:
        users = [s.get(User, b["user_id"]) for b in bidders]
        s.expunge_all()
    step = int(Decimal(auction["step"]) * 100)
    results = []

    def bidder(user, my_no):
        accepted, refused, other, lat = 0, 0, Counter(), []
        go.wait()
        end = start_at.value + seconds
        n = 0
        while time.time() < end:
            with shared.get_lock():
                price, leader = shared[1], shared[2]
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
                if exc.code in ("outbid", "wrong_price"):  # the price moved: stale view
                    refused += 1
                else:
                    other[exc.code] += 1
            lat.append(time.perf_counter() - t0)
        results.append((accepted, refused, other, lat))

    threads = [threading.Thread(target=bidder, args=(u, b["participant_no"])) for u, b in zip(users, bidders)]
    for t in threads:
        t.start()
    ready.put(len(threads))
    go.wait()
    statements[0], cpu0 = 0, time.process_time()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu0
    out.put((sum(r[0] for r in results), sum(r[1] for r in results), sum((r[2] for r in results), Counter()),
             [x for r in results for x in r[3]], time.time(), statements[0], cpu))
    app.extensions["mulik"]["engine"].dispose()


def run_ours(url, auction, *, procs: int, seconds: float) -> dict:
    ctx = mp.get_context("spawn")
    shared = ctx.Array("q", [0, int(Decimal(auction["start"]) * 100), 0])
    start_at = ctx.Value("d", 0.0)
    go, ready, out = ctx.Event(), ctx.Queue(), ctx.Queue()
    parts = [auction["bidders"][i::procs] for i in range(procs)]
    ps = [ctx.Process(target=_bidder_process, args=(url, auction, part, seconds, shared, start_at, go, ready, out))
          for part in parts]
    for p in ps:
        p.start()
    for _ in ps:
        ready.get(timeout=120)
    start_at.value = time.time()
    busy0 = cpu_busy()
    go.set()
    got = [out.get(timeout=seconds + 120) for _ in ps]
    busy = busy_share(busy0, cpu_busy())
    for p in ps:
        p.join(timeout=30)
    elapsed = max(g[4] for g in got) - start_at.value
    lat = [x for g in got for x in g[3]]
    accepted, refused = sum(g[0] for g in got), sum(g[1] for g in got)
    other = sum((g[2] for g in got), Counter())
    decisions = accepted + refused + sum(other.values())
    return {"accepted": accepted, "refused": refused, "other": dict(other), "elapsed": elapsed,
            "rate": decisions / elapsed, "accepted_rate": accepted / elapsed, "p50": pct(lat, 50), "p99": pct(lat, 99),
            "seq": shared[0], "busy": busy, "statements": sum(g[5] for g in got) / max(decisions, 1),
            "cpu_ms": sum(g[6] for g in got) * 1000 / max(decisions, 1)}


# ---- pgbench ---------------------------------------------------------------------------------------------
BID_SQL = """\
\\set p random(1, {n})
\\set app {app0} + :p - 1
\\set uid {uid0} + :p - 1
SELECT current_price AS seen FROM auctions WHERE id = {aid} \\gset
WITH u AS (
  UPDATE auctions SET current_price = current_price + step, leader_no = :p, leader_user_id = :uid,
         ends_at = now() + make_interval(secs => quiet_s), seq = seq + 1, bids_count = bids_count + 1
   WHERE id = {aid} AND status = 'open' AND current_price = :seen AND ends_at > now()
  RETURNING seq, current_price)
INSERT INTO bids (auction_id, seq, application_id, participant_no, amount, kind, client_id, at)
SELECT {aid}, u.seq, :app, :p, u.current_price, 'bid', 'pgbench-' || u.seq, now() FROM u;
"""

JOURNAL_SQL = """\
\\set p random(1, {n})
\\set app {app0} + :p - 1
\\set uid {uid0} + :p - 1
SELECT current_price AS seen FROM auctions WHERE id = {aid} \\gset
BEGIN;
WITH u AS (
  UPDATE auctions SET current_price = current_price + step, leader_no = :p, leader_user_id = :uid,
         ends_at = now() + make_interval(secs => quiet_s), seq = seq + 1, bids_count = bids_count + 1
   WHERE id = {aid} AND status = 'open' AND current_price = :seen AND ends_at > now()
  RETURNING seq, current_price),
i AS (INSERT INTO bids (auction_id, seq, application_id, participant_no, amount, kind, client_id, at)
      SELECT {aid}, u.seq, :app, :p, u.current_price, 'bid', 'pgbench-' || u.seq, now() FROM u RETURNING seq)
SELECT count(*) AS won, coalesce(max(seq), 0) AS bidseq FROM i \\gset
\\if :won
SELECT value AS head FROM locks WHERE name = 'journal' FOR UPDATE \\gset
\\set nxt :head + 1
SELECT hash AS prev FROM journal WHERE seq = :head \\gset
INSERT INTO journal (seq, at, kind, actor, lot_id, auction_id, article, payload, prev_hash, hash)
VALUES (:nxt, now(), 'bid.accepted', 'user:' || :uid::text, {lot}, {aid}, '80.3',
        json_build_object('seq', :bidseq::int, 'participant_no', :p::int, 'at', now()), :prev,
        encode(sha256(convert_to(:prev::text || :nxt::text || 'bid.accepted' || :bidseq::text, 'UTF8')), 'hex'));
UPDATE locks SET value = :nxt WHERE name = 'journal';
\\endif
END;
"""


# The same work as service.trading.place_bid, done by PostgreSQL alone (issue 15 point 1): the participant check,
# the client-id replay check, the leader check, the conditional update, the bid row and the chained journal entry
# (head row locked, previous hash read, SHA-256 over it and the entry, head moved on), in one function call.
SAME_WORK_FUNCTION = """\
CREATE OR REPLACE FUNCTION bench_place_bid(p_auction int, p_user int, p_amount numeric, p_client text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  app_id int; app_no int; app_status text; a_lot int; a_leader int; done_seq int; head bigint; prev text;
  body text; at timestamptz := now();
BEGIN
  SELECT id, participant_no, status INTO app_id, app_no, app_status
    FROM applications WHERE auction_id = p_auction AND user_id = p_user;
  IF app_id IS NULL OR app_status <> 'admitted' THEN RETURN 'not_a_participant'; END IF;
  PERFORM 1 FROM bids WHERE auction_id = p_auction AND client_id = p_client;
  IF FOUND THEN RETURN 'replayed'; END IF;
  SELECT lot_id, leader_no INTO a_lot, a_leader FROM auctions WHERE id = p_auction;
  IF a_leader = app_no THEN RETURN 'leading'; END IF;
  UPDATE auctions SET current_price = p_amount, leader_no = app_no, leader_user_id = p_user,
         ends_at = at + make_interval(secs => quiet_s), seq = seq + 1, bids_count = bids_count + 1
   WHERE id = p_auction AND status = 'open' AND current_price + step = p_amount AND ends_at > at
  RETURNING seq INTO done_seq;
  IF done_seq IS NULL THEN RETURN 'outbid'; END IF;
  INSERT INTO bids (auction_id, seq, application_id, participant_no, amount, kind, client_id, at)
  VALUES (p_auction, done_seq, app_id, app_no, p_amount, 'bid', p_client, at);
  SELECT value INTO head FROM locks WHERE name = 'journal' FOR UPDATE;
  SELECT hash INTO prev FROM journal WHERE seq = head;
  body := json_build_object('seq', done_seq, 'amount', p_amount::text, 'participant_no', app_no,
                            'at', at, 'auto', false)::text;
  INSERT INTO journal (seq, at, kind, actor, lot_id, auction_id, article, payload, prev_hash, hash)
  VALUES (head + 1, at, 'bid.accepted', 'user:' || p_user, a_lot, p_auction, '80.3', body::json, prev,
          encode(sha256(convert_to(prev || (head + 1)::text || 'bid.accepted' || body, 'UTF8')), 'hex'));
  UPDATE locks SET value = head + 1 WHERE name = 'journal';
  RETURN 'accepted';
END $$;
"""

SAME_WORK_SQL = """\
\\set p random(1, {n})
\\set uid {uid0} + :p - 1
\\set k random(1, 1000000000)
SELECT current_price + step AS amt FROM auctions WHERE id = {aid} \\gset
SELECT bench_place_bid({aid}, :uid, :amt, 'pgs-' || :client_id || '-' || :k) AS outcome;
"""


def _ids(url, auction) -> dict:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        lot = conn.execute(text("select lot_id from auctions where id = :a"), {"a": auction["id"]}).scalar_one()
        head = conn.execute(text("select value from locks where name = 'journal'")).scalar_one()
        bids = conn.execute(text("select count(*) from bids where auction_id = :a"), {"a": auction["id"]}).scalar_one()
    engine.dispose()
    by_no = sorted(auction["bidders"], key=lambda b: b["participant_no"])
    app0, uid0 = by_no[0]["application_id"], by_no[0]["user_id"]
    consecutive = all(b["application_id"] == app0 + i and b["user_id"] == uid0 + i and b["participant_no"] == i + 1
                      for i, b in enumerate(by_no))
    return {"lot": lot, "head": head, "bids": bids, "app0": app0, "uid0": uid0, "consecutive": consecutive,
            "n": len(by_no)}


def run_pgbench(url, auction, *, clients: int, seconds: int, journal: bool, template: str | None = None) -> dict | str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    exe = pgbench()
    if not exe:
        return "pgbench not installed (Debian: postgresql-client / postgresql-contrib)"
    ids = _ids(url, auction)
    if not ids["consecutive"]:
        return "the seeded applications' ids are not consecutive; the pgbench script relies on it"
    u = make_url(url)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "bid.sql")
        with open(script, "w") as f:
            f.write((template or (JOURNAL_SQL if journal else BID_SQL)).format(aid=auction["id"], **ids))
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
        head = conn.execute(text("select value from locks where name = 'journal'")).scalar_one()
    engine.dispose()
    total = int(m.group(1))
    accepted = bids - ids["bids"]
    return {"decisions": total, "accepted": accepted, "refused": total - accepted, "rate": float(tps.group(1)),
            "accepted_rate": accepted / seconds, "latency_avg": float(lat.group(1)) / 1000 if lat else None,
            "failed": int(failed.group(1)) if failed else 0, "journal_added": head - ids["head"], "busy": busy}


def verify_chain(url) -> str:
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from auction import journal as jr
    from service.orm import JournalEntry
    engine = create_engine(url)
    with Session(engine) as s:
        rows = [jr.Entry(seq=e.seq, at=e.at, kind=e.kind, actor=e.actor, lot_id=e.lot_id, auction_id=e.auction_id,
                         article=e.article, payload=e.payload, prev_hash=e.prev_hash, hash=e.hash)
                for e in s.execute(select(JournalEntry).order_by(JournalEntry.seq)).scalars()]
    engine.dispose()
    result = jr.verify(rows)
    if result.ok:
        return f"journal chain OK ({result.checked} entries)"
    return f"journal chain BROKEN at {result.first_bad_seq}"


# ---- profile -------------------------------------------------------------------------------------------
def profile(url, auction, n: int = 300) -> None:
    """Statements per decision and where the time goes, one thread, alternating two bidders."""
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
        f"{total / n:.1f} SQL statements per accepted bid:")
    prof = cProfile.Profile()
    prof.enable()
    bids(n, "prof")
    prof.disable()
    engine.dispose()
    for stmt, k in per:
        say(f"    {k / n:4.1f} x {stmt}")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(r"/(service|auction|web)/", 25)
    say("  cProfile, cumulative wall time in Mulik's functions (top):")
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
    if "--profile" in argv:
        profile(BENCH_PG_URL, prof_a)
    ours = run_ours(BENCH_PG_URL, ours_a, procs=procs, seconds=seconds)
    say(f"[ingest/ours] {bidders} bidders ({procs} processes x {bidders // procs} threads), {ours['elapsed']:.1f} s, "
        f"service.trading.place_bid: {ours['rate']:,.0f} decisions/s "
        f"(accepted {ours['accepted']:,} = {ours['accepted_rate']:,.0f}/s, refused outbid {ours['refused']:,}"
        + (f", other {ours['other']}" if ours["other"] else "") +
        f"); decision latency p50 {ours['p50'] * 1000:.1f} ms, p99 {ours['p99'] * 1000:.1f} ms; "
        f"{ours['statements']:.1f} SQL statements and {ours['cpu_ms']:.1f} ms of bidder-process CPU per decision; "
        f"machine CPU busy {ours['busy'] * 100:.0f}%; "
        f"auction seq {ours['seq']}")
    say(f"[ingest] after our run: {verify_chain(BENCH_PG_URL)}")
    res = {"ours": ours}
    _create_same_work_function(BENCH_PG_URL)
    for label, journal, auction, template in (("same-work", True, same_a, SAME_WORK_SQL),
                                              ("pgbench", False, pgb_a, None), ("pgbench+journal", True, pgj_a, None)):
        r = run_pgbench(BENCH_PG_URL, auction, clients=bidders, seconds=seconds, journal=journal, template=template)
        if isinstance(r, str):
            skip(f"ingest/{label}", r)
            continue
        res[label] = r
        say(f"[ingest/{label}] {bidders} clients, -T {seconds}, -M prepared: {r['rate']:,.0f} decisions/s "
            f"(accepted {r['accepted']:,} = {r['accepted_rate']:,.0f}/s, refused {r['refused']:,}, "
            f"failed {r['failed']}); "
            f"latency avg {r['latency_avg'] * 1000:.1f} ms; machine CPU busy {r['busy'] * 100:.0f}%"
            + (f"; journal entries added {r['journal_added']:,}" if journal else ""))
        say(f"[ingest/ratio] ours / {label}: decisions {ours['rate'] / r['rate']:.2f}x, "
            f"accepted bids {ours['accepted_rate'] / max(r['accepted_rate'], 1e-9):.2f}x")
    if "same-work" in res:
        say(f"[ingest] after the same-work run: {verify_chain(BENCH_PG_URL)} (its hash is not the platform's: "
            "the chain check names where it stops)")
    return res


def _create_same_work_function(url) -> None:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(SAME_WORK_FUNCTION))
    engine.dispose()
