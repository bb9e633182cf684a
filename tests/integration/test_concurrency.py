"""Concurrency on PostgreSQL (SPEC §3, §6): two sweepers on the same due items act once on
each; two bidders clicking the same price give one winner and one "outbid" answer."""
from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

from auction import journal as jr
from auction.auctions import Auction
from service.orm import Bid, JournalEntry, Posting, Refund
from service.sweeper import sweep
from web import create_app, uow_for

from ..conftest import GENEROUS_LIMITS, PG_URL
from ..helpers import assert_journal_intact as journal_intact
from ..helpers import error

pytestmark = pytest.mark.postgres
POSTGRES = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)


@pytest.fixture
def second_app(app, db_url, clock):
    """Another app on the same database: its own engine and pool, as another process has."""
    other = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "WEBHOOK_SECRET", *GENEROUS_LIMITS)},
                        "DATABASE_URL": db_url, "CLOCK": clock, "SWEEPER_INTERVAL": 0,
                        "CREATE_SCHEMA": False})
    # Processes count who is online in the auction rooms together (Art. 84.4): in production through
    # Redis (RedisPresence, tests/integration/test_multiprocess.py); here they share one registry.
    other.extensions["mulik"]["presence"] = app.extensions["mulik"]["presence"]
    yield other
    other.extensions["mulik"]["engine"].dispose()


def run_together(*jobs):
    """Start the jobs at the same moment in threads; return their results (re-raise any error)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except BaseException as exc:  # collected and re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def two_sweepers(app, second_app) -> Counter:
    done = run_together(lambda: sweep(lambda: uow_for(app, "system:sweeper")),
                        lambda: sweep(lambda: uow_for(second_app, "system:sweeper")))
    return Counter(done[0]) + Counter(done[1])


def assert_journal_intact(app) -> list[jr.Entry]:
    """Every chain intact and gap-free (tests/helpers.assert_journal_intact); the entries in written order."""
    with uow_for(app) as uow:
        rows = journal_intact(uow.session)
        return [jr.Entry(seq=e.seq, at=e.at, kind=e.kind, actor=e.actor, lot_id=e.lot_id, auction_id=e.auction_id,
                         article=e.article, payload=e.payload, prev_hash=e.prev_hash, hash=e.hash, chain=e.chain)
                for e in rows]


def kinds_per_auction(rows, kind: str, auction_ids) -> Counter:
    return Counter(e.auction_id for e in rows if e.kind == kind and e.auction_id in auction_ids)


def announce_batch(m, n: int):
    """n lots announced for the same moment, two admitted bidders each."""
    batch = []
    for _ in range(n):
        bailiff, _, lot = m.ordered_lot(value="1000000.00")
        auction = m.announce(bailiff, lot["id"])
        batch.append((auction, m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])))
    starts = {a["starts_at"] for a, _, _ in batch}
    assert len(starts) == 1
    return batch, datetime.fromisoformat(starts.pop().replace("Z", "+00:00"))


@POSTGRES
def test_two_sweepers_open_close_and_refund_each_auction_exactly_once(m, app, second_app):
    for round_no in range(3):
        batch, starts = announce_batch(m, 5)
        ids = {a["id"] for a, _, _ in batch}
        # Every other auction has only one participant online: it fails at the opening (Art. 84.4).
        full = {a["id"] for i, (a, _, _) in enumerate(batch) if i % 2 == 0}
        m.clock.set(starts - timedelta(minutes=1))
        for a, b1, b2 in batch:
            for b in ([b1, b2] if a["id"] in full else [b1]):
                b.ok("POST", f"/auctions/{a['id']}/presence")
        m.clock.set(starts + timedelta(seconds=1))

        done = two_sweepers(app, second_app)
        assert done["auctions_opened"] == 5, (round_no, done)
        # a sweeper that lists its due items after the other committed a failure pays its refunds in this run
        paid_at_open = done.get("refunds_paid", 0)
        rows = assert_journal_intact(app)
        assert kinds_per_auction(rows, "auction.opened", ids) == {i: 1 for i in full}
        assert kinds_per_auction(rows, "auction.failed", ids) == {i: 1 for i in ids - full}
        # the failed ones freed both deposits once; the open ones hold them
        assert kinds_per_auction(rows, "deposit.freed", ids) == {i: 2 for i in ids - full}

        for a, b1, _ in batch:
            if a["id"] in full:
                b1.ok("POST", f"/auctions/{a['id']}/bids", {"amount": "1050000.00", "client_id": f"r{round_no}"})
        m.advance(minutes=11)
        done = two_sweepers(app, second_app)
        assert done["auctions_closed"] == len(full), (round_no, done)
        # The failed auctions' refunds are due; the losers' refunds of the auctions closed now become
        # due when one sweeper commits the close, and the other sweeper, if it lists its due items
        # after that commit, pays them in the same run: 2 per failed auction, and 0..len(full) more.
        paid_at_close = paid_at_open + done["refunds_paid"]
        assert 2 * len(ids - full) <= paid_at_close <= 2 * len(ids - full) + len(full), (round_no, paid_at_open, done)
        rows = assert_journal_intact(app)
        assert kinds_per_auction(rows, "auction.closed", ids) == {i: 1 for i in full}
        assert kinds_per_auction(rows, "deposit.freed", ids) == {i: 2 if i not in full else 1 for i in ids}

        done = two_sweepers(app, second_app)  # the losers' refunds of the closed auctions not yet paid
        assert paid_at_close + done["refunds_paid"] == 2 * len(ids - full) + len(full), (round_no, done)
        assert set(done) <= {"refunds_paid"}, (round_no, done)
        assert two_sweepers(app, second_app) == {}  # nothing is due twice

        rows = assert_journal_intact(app)
        with uow_for(app) as uow:
            refunds = uow.session.execute(select(Refund)).scalars().all()
            assert {r.status for r in refunds} == {"paid"}
            refunded = Counter(e.payload["refund_id"] for e in rows if e.kind == "deposit.refunded")
            assert refunded == {r.id: 1 for r in refunds}
            paid_out = uow.session.execute(select(Posting).where(Posting.kind == "deposit_refunded",
                                                                 Posting.account == "external")).scalars().all()
            assert len(paid_out) == len(refunds)
            assert sum(p.amount for p in paid_out) == Decimal("50000.00") * len(refunds)
        balances = m.balances()
        for a, b1, b2 in batch:
            winner_holds = "50000.00" if a["id"] in full else "0.00"
            assert balances[f"bidder:{b1.id}:deposit"] == winner_holds
            assert balances[f"bidder:{b2.id}:deposit"] == "0.00"
        assert sum(Decimal(v) for v in balances.values()) == 0
        with uow_for(app) as uow:
            statuses = dict(uow.session.execute(select(Auction.id, Auction.status).where(Auction.id.in_(ids))).all())
        assert statuses == {i: "closed" if i in full else "failed" for i in ids}


def ladder(uow, auction_id: int) -> list:
    """The accepted bids in seq order (plain rows, usable after the unit of work)."""
    return uow.session.execute(select(Bid.seq, Bid.amount, Bid.participant_no).where(Bid.auction_id == auction_id)
                               .order_by(Bid.seq)).all()


@pytest.fixture
def open_auction(m):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    bidders = [m.bidder_admitted(auction["id"]) for _ in range(3)]
    m.open_auction(auction, bidders)
    assert m.public.ok("GET", f"/auctions/{auction['id']}/state")["status"] == "open"
    return auction, bidders


def bid_in_thread(app, user, auction_id: int, amount: str, client_id: str):
    """Each thread has its own client, as two browsers have."""
    r = app.test_client().post(f"/api/v1/auctions/{auction_id}/bids", json={"amount": amount, "client_id": client_id},
                               headers={"Authorization": f"Bearer {user.token}"})
    return user, r


@POSTGRES
def test_two_bidders_offering_the_same_price_at_once_give_one_bid_and_one_outbid(m, app, open_auction, monkeypatch):
    auction, bidders = open_auction
    aid = auction["id"]
    # Both requests have read the same current price before either writes: the database decides. On PostgreSQL
    # the one call that decides reads the auction, then waits for its row: the row is held until both wait.
    holder = create_engine(PG_URL)

    def held_until_both_wait(run):
        with holder.connect() as conn:
            conn.execute(select(Auction.id).where(Auction.id == aid).with_for_update())
            done = []
            t = threading.Thread(target=lambda: done.append(run()))
            t.start()
            waiting, deadline = 0, time.monotonic() + 30
            while waiting < 2 and time.monotonic() < deadline and t.is_alive():
                time.sleep(0.01)
                conn.execute(text("SELECT pg_stat_clear_snapshot()"))  # else the first read is kept all along
                waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                            "AND query LIKE '%mulik_place_bid%'")).scalar_one()
            assert waiting == 2, "both bids did not reach the auction row"
            conn.rollback()
        t.join(timeout=60)
        return done[0]
    price, leader = Decimal("1000000.00"), None
    for race in range(5):
        racers = [b for b in bidders if b is not leader][:2]
        amount = f"{price + Decimal('50000.00'):.2f}"
        answers = held_until_both_wait(lambda: run_together(*[
            lambda b=b: bid_in_thread(app, b, aid, amount, f"race{race}-{b.id}") for b in racers]))
        won = [(u, r) for u, r in answers if r.status_code == 201]
        lost = [(u, r) for u, r in answers if r.status_code != 201]
        assert len(won) == 1 and len(lost) == 1, [(r.status_code, r.get_json()) for _, r in answers]
        price = Decimal(amount)
        e = error(lost[0][1], 422, "outbid", "80.3")
        assert f"the price is now {amount}" in e["message"]
        leader = won[0][0]
        state = won[0][1].get_json()["state"]
        assert state["price"] == amount

    holder.dispose()
    state = m.public.ok("GET", f"/auctions/{aid}/state")
    assert state["price"] == "1250000.00"
    with uow_for(app) as uow:
        bids = ladder(uow, aid)
    assert [b.amount for b in bids] == [Decimal(1000000 + 50000 * k) for k in range(1, 6)]
    rows = assert_journal_intact(app)
    # the auction's own sequence numbers (SPEC §3) are gap-free: the losers consumed none
    seqs = [e.payload["seq"] for e in rows if e.auction_id == aid and "seq" in e.payload]
    assert seqs == list(range(1, state["seq"] + 1))
    assert [b.seq for b in bids] == [e.payload["seq"] for e in rows if e.kind == "bid.accepted"
                                     and e.auction_id == aid]


@POSTGRES
def test_bidders_hammering_one_auction_build_a_gap_free_ladder_of_single_steps(m, app, open_auction):
    auction, bidders = open_auction
    aid = auction["id"]
    answers: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def keep_bidding(user):
        client = app.test_client()
        headers = {"Authorization": f"Bearer {user.token}"}
        for k in range(8):
            state = client.get(f"/api/v1/auctions/{aid}/state", headers=headers).get_json()
            r = client.post(f"/api/v1/auctions/{aid}/bids", headers=headers,
                            json={"amount": state["next_price"], "client_id": f"h{user.id}-{k}"})
            body = r.get_json()
            with lock:
                answers.append((r.status_code, None if r.status_code == 201 else body["error"]["code"]))

    run_together(*[lambda b=b: keep_bidding(b) for b in bidders])
    accepted = sum(1 for status, _ in answers if status == 201)
    assert accepted >= 1
    refused = Counter(code for status, code in answers if status != 201)
    assert set(refused) <= {"outbid", "wrong_price", "already_leading"}, refused
    assert all(status in (201, 422) for status, _ in answers)
    with uow_for(app) as uow:
        bids = ladder(uow, aid)
        a = uow.session.get(Auction, aid)
        final = (a.current_price, a.seq, a.bids_count)
    assert len(bids) == accepted == final[2]
    assert [b.amount for b in bids] == [Decimal(1000000 + 50000 * k) for k in range(1, accepted + 1)]
    assert final[0] == bids[-1].amount
    assert all(x.participant_no != y.participant_no for x, y in zip(bids, bids[1:]))  # nobody outbid himself
    rows = assert_journal_intact(app)
    seqs = [e.payload["seq"] for e in rows if e.auction_id == aid and "seq" in e.payload]
    assert seqs == list(range(1, final[1] + 1))


@POSTGRES
def test_the_first_actions_on_a_new_platform_made_at_the_same_moment_are_all_journaled(m, app):
    """Nothing is journaled yet, so no journal head row exists: concurrent first writers must
    not fail on creating it."""
    with uow_for(app) as uow:
        assert uow.session.execute(select(JournalEntry.id)).first() is None
    requests = []
    for k in range(4):
        bailiff, debtor, collector = m.user("bailiff"), m.user("debtor"), m.user("collector")
        body = {"number": f"EP-FIRST-{k}", "debtor": {"name": "Debtor", "iin_bin": debtor.iin_bin},
                "collectors": [{"name": "Collector", "iin_bin": collector.iin_bin, "kind": "other",
                                "claim": "100000.00"}]}
        requests.append((bailiff, body))

    def create(bailiff, body):
        return app.test_client().post("/api/v1/proceedings", json=body,
                                      headers={"Authorization": f"Bearer {bailiff.token}"})

    answers = run_together(*[lambda b=b, body=body: create(b, body) for b, body in requests])
    assert [r.status_code for r in answers] == [201] * 4, [r.get_json() for r in answers]
    rows = assert_journal_intact(app)
    assert sorted(e.payload["number"] for e in rows if e.kind == "proceeding.created") == [
        f"EP-FIRST-{k}" for k in range(4)]
