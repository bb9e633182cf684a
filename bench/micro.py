"""MICRO: small figures (`python -m bench micro`). Prints, asserts nothing.

1. bid decisions per second through the bid service (one hot auction, one client, durable
   commits), SQLite file and PostgreSQL;
2. the same with 8 threads racing on the same auction (PostgreSQL): accepted vs refused;
3. GET /api/v1/lots over the WSGI test client;
4. the calendar: 10 working days ahead;
5. documents: laying out each PDF of SPEC §7 from HTML with WeasyPrint (the protocol with 200 bids);
6. the client's cost of one call of `mulik_place_bid` (PostgreSQL): as `service.trading` makes it (a unit of
   work, psycopg's cursor on a pooled autocommit connection), as it made it before (SQLAlchemy Core on the
   session's autocommit connection) and on a pooled psycopg connection alone; the function is asked about an
   auction that does not exist, so the server's share is small and the same for all three.
"""
from __future__ import annotations

import statistics
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone

from .common import BENCH_PG_URL as PG_URL
from .common import reset_bench_db


def _app(url):
    from auction.clock import FakeClock
    from web import create_app
    clock = FakeClock(datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc))
    return create_app({"TESTING": True, "DATABASE_URL": url, "CLOCK": clock, "SWEEPER_INTERVAL": 0}), clock


def _reset_pg():
    problem = reset_bench_db()
    if problem:
        raise RuntimeError(problem)


def _open_auction(app, clock):
    """An open ascending auction with two admitted participants; returns (auction_id, bidders)."""
    from tests.helpers import Mulik
    m = Mulik(app, clock)
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"], quiet_seconds=7200)
    bidders = [m.bidder_admitted(auction["id"]) for _ in range(2)]
    m.open_auction(auction, bidders)
    return m, auction["id"], bidders


def bench_bids(url, label, n=400):
    from auction.commands import PlaceBid
    from service import trading
    from service.orm import User
    from web import uow_for
    app, clock = _app(url)
    m, auction_id, bidders = _open_auction(app, clock)
    with app.extensions["mulik"]["sessions"]() as s:
        users = [s.get(User, b.id) for b in bidders]
        s.expunge_all()
    price = None
    t0 = time.perf_counter()
    latencies = []
    for i in range(n):
        user = users[i % 2]
        with uow_for(app, user) as uow:
            from auction.auctions import Auction
            a = uow.session.get(Auction, auction_id)
            price = a.current_price + a.step
            t1 = time.perf_counter()
            trading.place_bid(uow, user, PlaceBid(auction_id, price, f"bench-{i}"))
            latencies.append(time.perf_counter() - t1)
    elapsed = time.perf_counter() - t0
    app.extensions["mulik"]["engine"].dispose()
    print(f"[bids/{label}] {n} sequential bids: {n / elapsed:,.0f} bids/s; "
          f"place_bid p50 {statistics.median(latencies) * 1000:.2f} ms, "
          f"p99 {sorted(latencies)[int(n * 0.99)] * 1000:.2f} ms")


def bench_race(url, label, threads=8, rounds=50):
    from auction.auctions import Auction
    from auction.commands import PlaceBid
    from auction.errors import DomainError
    from service import trading
    from service.orm import User
    from web import uow_for
    app, clock = _app(url)
    m, auction_id, bidders = _open_auction(app, clock)
    extra = [m.user("bidder") for _ in range(threads - 2)]
    with app.extensions["mulik"]["sessions"]() as s:
        users = [s.get(User, b.id) for b in bidders]
        s.expunge_all()
    accepted = refused = 0
    lock = threading.Lock()
    t0 = time.perf_counter()
    for r in range(rounds):
        with uow_for(app) as uow:
            a = uow.session.get(Auction, auction_id)
            price = a.current_price + a.step
        contenders = [u for u in users]
        barrier = threading.Barrier(len(contenders))

        def go(user, k):
            nonlocal accepted, refused
            barrier.wait()
            try:
                with uow_for(app, user) as uow:
                    trading.place_bid(uow, user, PlaceBid(auction_id, price, f"race-{r}-{k}"))
                with lock:
                    accepted += 1
            except DomainError:
                with lock:
                    refused += 1
        ts = [threading.Thread(target=go, args=(u, k)) for k, u in enumerate(contenders)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    elapsed = time.perf_counter() - t0
    del extra
    app.extensions["mulik"]["engine"].dispose()
    print(f"[race/{label}] {rounds} rounds x {len(users)} racing bidders: accepted {accepted}, "
          f"refused {refused} (one winner per round expected at most), {rounds * len(users) / elapsed:,.0f} attempts/s")


def bench_catalogue(url, label, n=300):
    app, clock = _app(url)
    from tests.helpers import Mulik
    m = Mulik(app, clock)
    bailiff = m.user("bailiff")
    for _ in range(20):
        m.ordered_lot(bailiff)
    c = app.test_client()
    t0 = time.perf_counter()
    for _ in range(n):
        assert c.get("/api/v1/lots?per_page=20").status_code == 200
    elapsed = time.perf_counter() - t0
    app.extensions["mulik"]["engine"].dispose()
    print(f"[catalogue/{label}] GET /api/v1/lots (20 lots): {n / elapsed:,.0f} requests/s, "
          f"{elapsed / n * 1000:.2f} ms each")


def bench_calendar(n=20000):
    from auction.calendar import WorkingCalendar
    cal = WorkingCalendar()
    d0 = date(2026, 12, 10)
    t0 = time.perf_counter()
    for i in range(n):
        cal.deadline_within(d0 + timedelta(days=i % 300), 10)
    elapsed = time.perf_counter() - t0
    print(f"[calendar] deadline_within(…, 10 WD): {elapsed / n * 1e6:.1f} µs per call")


def bench_documents(n=5):
    """Milliseconds to lay out each kind of document (median of `n`), and the protocol of a long auction."""
    from dataclasses import replace
    from decimal import Decimal

    from auction import documents as docs
    from tests.unit import test_documents as cases
    mark = docs.JournalMark(41, "ab" * 32)
    for name, data in cases.CASES.items():
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            pdf = getattr(docs, name)(data, issued_at=cases.T, journal=mark)
            times.append(time.perf_counter() - t0)
        print(f"[documents] {name}: {statistics.median(times) * 1000:.0f} ms, {len(pdf) / 1024:.0f} KiB")
    bids = tuple(docs.ProtocolBid(i + 1, Decimal(8500000 + 100000 * (i + 1)), 1 + i % 2,
                                  cases.T + timedelta(seconds=30 * i)) for i in range(200))
    long = replace(cases.protocol(), bids=bids, final_price=bids[-1].amount, winner_no=bids[-1].participant_no)
    t0 = time.perf_counter()
    pdf = docs.auction_protocol(long, issued_at=cases.T, journal=mark)
    print(f"[documents] auction_protocol with 200 bids: {(time.perf_counter() - t0) * 1000:.0f} ms, "
          f"{len(pdf) / 1024:.0f} KiB")


def bench_bid_call(url, n=3000):
    from sqlalchemy import text

    from service.trading import _BID_CALL
    from web import uow_for
    app, _ = _app(url)
    params = {"auction": 2**31 - 1, "user": 1, "amount": 100, "client": "micro", "kind": "bid",
              "now": datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc), "actor": "user:1"}
    engine = app.extensions["mulik"]["engine"]
    core = text(_BID_CALL.replace("%(", ":").replace(")s", ""))

    def as_the_service():
        with uow_for(app) as uow:
            return uow.call_committed(_BID_CALL, params)

    def through_core():  # what service.trading did before (afd796d): the session's autocommit connection
        with uow_for(app) as uow:
            return uow.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"}).execute(
                core, params).one()

    def pooled_psycopg():
        raw = engine.raw_connection()
        try:
            raw.driver_connection.autocommit = True
            return raw.driver_connection.execute(_BID_CALL, params, prepare=True).fetchone()
        finally:
            raw.driver_connection.autocommit = False
            raw.close()
    for label, call in (("as service.trading calls it (a unit of work, psycopg's cursor)", as_the_service),
                        ("through SQLAlchemy Core, a unit of work", through_core),
                        ("pooled psycopg alone, prepared", pooled_psycopg)):
        assert call()[0] == "no_auction"
        for _ in range(200):
            call()
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n):
            call()
        wall, cpu = (time.perf_counter() - t0) / n, (time.process_time() - c0) / n
        print(f"[micro] postgres: one mulik_place_bid call {label}: {wall * 1e6:.0f} us wall, {cpu * 1e6:.0f} us "
              f"client CPU ({n} calls)")
    engine.dispose()


def main(argv=()):
    bench_calendar()
    bench_documents()
    with tempfile.TemporaryDirectory() as tmp:
        bench_bids(f"sqlite:///{tmp}/bench.db", "sqlite")
        bench_catalogue(f"sqlite:///{tmp}/cat.db", "sqlite")
    try:
        _reset_pg()
    except Exception as exc:  # report, do not fail: benchmarks print figures
        print(f"[micro] SKIPPED PostgreSQL figures: {exc}")
        return
    bench_bids(PG_URL, "postgres")
    _reset_pg()
    bench_race(PG_URL, "postgres")
    _reset_pg()
    bench_catalogue(PG_URL, "postgres")
    _reset_pg()
    bench_bid_call(PG_URL)

