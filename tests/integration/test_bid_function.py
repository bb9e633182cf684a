"""The ascending bid in one round trip on PostgreSQL (issue 15 point 2): `mulik_place_bid` decides, writes the bid
and its journal entry and commits in one call; SQLite runs the same steps in Python. The same bids give the same
journal bytes on both, the refusals name the same rules, and the broadcast follows the commit."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, select, text

from auction.commands import PlaceBid
from auction.errors import DomainError
from service import trading
from service.orm import JournalEntry
from service.orm import User as UserRow
from service.queries.platform import journal_chain
from tests.pgwire import traced
from web import uow_for


def _bid(m, who, auction_id, amount, client_id, *, wires=None):
    """place_bid in its own unit of work (as a socket event or a route runs it), the actor already loaded.
    `wires`: a list that gets what the bid itself sent to PostgreSQL (tests/pgwire.py), refused or not."""
    with uow_for(m.app) as uow:
        actor = uow.session.get(UserRow, who.id)
        uow.actor = f"user:{actor.id}"
        uow.session.commit()  # the actor's read done before the bid, as the runner does it
        with traced(m.app.extensions["mulik"]["engine"]) if wires is not None else nullcontext() as wire:
            if wires is not None:
                wires.append(wire)
            b = trading.place_bid(uow, actor, PlaceBid(auction_id, Decimal(amount), client_id))
        return SimpleNamespace(id=b.id, seq=b.seq, amount=b.amount, participant_no=b.participant_no, at=b.at)


def _bid_entries(m):
    with uow_for(m.app) as uow:
        rows = uow.session.execute(select(JournalEntry).where(JournalEntry.kind == "bid.accepted")
                                   .order_by(JournalEntry.id)).scalars().all()
        return [(e.chain, e.seq, e.actor, e.lot_id, e.auction_id, e.article, e.payload, e.prev_hash, e.hash)
                for e in rows]


def test_a_bids_journal_entry_is_the_one_python_makes_byte_for_byte(m, db_url):
    """On SQLite auction/journal.py makes the entry, on PostgreSQL the stored function: either way its payload is
    the event's (trading.bid_event) and its hash is auction/journal.make_entry's over the same fields."""
    from auction import journal as jr
    auction, b1, b2 = m.open_with_two_bidders()
    bids = [_bid(m, b1, auction["id"], "1050000.00", "a1")]
    m.advance(seconds=1.5)
    bids.append(_bid(m, b2, auction["id"], "1100000.00", "b1"))
    entries = _bid_entries(m)
    quiet = timedelta(seconds=auction["quiet_seconds"])
    for bid, (chain, seq, actor, lot_id, auction_id, article, payload, prev_hash, digest) in zip(bids, entries):
        ends_at = jr.iso_utc(bid.at + quiet)
        made = trading.bid_event(lot_id=lot_id, auction_id=auction_id, seq=bid.seq, amount=bid.amount,
                                 participant_no=bid.participant_no, ends_at=ends_at, at=bid.at, kind="bid")
        assert payload == made.payload
        expected = jr.make_entry(prev_hash, seq=seq, at=bid.at, kind="bid.accepted", actor=actor, lot_id=lot_id,
                                 auction_id=auction_id, article="80.3", payload=made.payload, chain=chain)
        assert (chain, actor, article, digest) == (f"lot:{auction['lot_id']}", f"user:{bid_user(bid, b1, b2)}",
                                                   "80.3", expected.hash)
    assert entries[1][6]["at"].endswith("Z") and len(entries[1][6]["at"]) == len("2026-03-02T05:00:00.000000Z")
    with uow_for(m.app) as uow:
        assert journal_chain(uow.session).ok


def bid_user(bid, b1, b2) -> int:
    return (b1, b2)[bid.participant_no - 1].id


@pytest.fixture
def pg_url(db_url):
    """The tests below are PostgreSQL's only (the stored function; SQLite runs the Python path)."""
    assert db_url.startswith("postgresql")
    return db_url


POSTGRES_ONLY = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)


@POSTGRES_ONLY
def test_an_accepted_bid_is_one_statement_committed_before_the_broadcast(m, pg_url):
    auction, b1, _ = m.open_with_two_bidders()
    wires = []
    seen_at_publish = []
    other = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))

    def committed(auction_id, event_):
        if event_.get("kind") == "bid":  # what another connection sees when the broadcast goes out
            with other.connect() as conn:
                seen_at_publish.append(conn.execute(text("SELECT current_price, seq FROM auctions WHERE id = :a"),
                                                    {"a": auction_id}).one())
    m.app.extensions["mulik"]["publisher"].publish, original = committed, m.app.extensions["mulik"]["publisher"].publish
    try:
        bid = _bid(m, b1, auction["id"], "1050000.00", "one-trip", wires=wires)
    finally:
        m.app.extensions["mulik"]["publisher"].publish = original
        other.dispose()
    assert (bid.amount, bid.participant_no) == (Decimal("1050000.00"), 1)
    # on the wire, BEGIN, COMMIT and the pool's reset included: one round trip, the call
    [wire] = wires
    assert len(wire) == 1 and "mulik_place_bid" in wire.round_trips[0], wire.round_trips
    assert seen_at_publish == [(105000000, bid.seq)]  # committed (tiyn) when the broadcast went out


@POSTGRES_ONLY
def test_a_refused_bid_is_one_statement_and_names_its_rule_and_the_next_price(m, pg_url):
    auction, b1, b2 = m.open_with_two_bidders()
    _bid(m, b1, auction["id"], "1050000.00", "a1")
    refusals = {}
    for name, who, amount, cid in [("stale", b2, "1050000.00", "b-stale"), ("leading", b1, "1100000.00", "a2"),
                                   ("wrong", b2, "1200000.00", "b-wrong")]:
        wires = []
        with pytest.raises(DomainError) as refused:
            _bid(m, who, auction["id"], amount, cid, wires=wires)
        assert all("mulik_place_bid" in trip for trip in wires[0].round_trips), wires[0].round_trips
        refusals[name] = (refused.value.code, refused.value.article, len(wires[0]))
    # a bid already stale when it came is a wrong price, as on SQLite (a race lost while waiting is "outbid":
    # tests/integration/test_concurrency.py)
    assert refusals == {"stale": ("wrong_price", "80.3", 1), "leading": ("already_leading", "80.3", 1),
                        "wrong": ("wrong_price", "80.3", 1)}
    r = b2.post(f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "b-http"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "wrong_price"
    assert "exactly the current price plus one step: 1100000.00; the price is now 1050000.00" in \
        r.get_json()["error"]["message"]


@POSTGRES_ONLY
def test_a_retried_client_id_gets_the_first_answer_and_another_participants_is_refused(m, pg_url):
    auction, b1, b2 = m.open_with_two_bidders()
    first = _bid(m, b1, auction["id"], "1050000.00", "same")
    again = _bid(m, b1, auction["id"], "1050000.00", "same")
    assert (again.id, again.seq, again.amount) == (first.id, first.seq, first.amount)
    with pytest.raises(DomainError) as taken:
        _bid(m, b2, auction["id"], "1100000.00", "same")
    assert taken.value.code == "client_id_taken"
    with uow_for(m.app) as uow:
        assert uow.session.execute(text("SELECT count(*) FROM bids")).scalar_one() == 1
        assert uow.session.execute(text("SELECT count(*) FROM journal WHERE kind = 'bid.accepted'")).scalar_one() == 1


@POSTGRES_ONLY
def test_a_bid_on_one_lot_never_waits_for_another_lots_journal(m, pg_url):
    """Issue 15 point 3: each lot's chain has its own head row. While a transaction holds lot A's head (as a long
    write of lot A would), a bid on lot B commits; a bid on lot A itself waits until A's head is let go."""
    import threading
    bailiff = m.user("bailiff")
    first, second = (m.announce(bailiff, m.ordered_lot(bailiff)[2]["id"]) for _ in range(2))
    people = {a["id"]: [m.bidder_admitted(a["id"]), m.bidder_admitted(a["id"])] for a in (first, second)}
    assert first["starts_at"] == second["starts_at"]
    starts = datetime.fromisoformat(first["starts_at"].replace("Z", "+00:00"))
    m.clock.set(starts - timedelta(minutes=1))
    for who in people[first["id"]] + people[second["id"]]:
        who.ok("POST", f"/auctions/{first['id'] if who in people[first['id']] else second['id']}/presence")
    m.clock.set(starts + timedelta(seconds=1))
    assert m.tick().get("auctions_opened") == 2
    a1, b1 = people[first["id"]][0], people[second["id"]][0]
    holder = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    done: dict[str, object] = {}

    def bid(name, who, auction):
        try:
            done[name] = _bid(m, who, auction["id"], "1050000.00", f"{name}-1")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            done[name] = exc
    try:
        with holder.connect() as conn:
            conn.execute(text("SELECT seq FROM journal_heads WHERE chain = :c FOR UPDATE"),
                         {"c": f"lot:{first['lot_id']}"})
            other = threading.Thread(target=bid, args=("other", b1, second))
            same = threading.Thread(target=bid, args=("same", a1, first))
            other.start()
            same.start()
            other.join(timeout=30)
            same.join(timeout=2)
            assert "other" in done and not isinstance(done["other"], Exception), done  # lot B: not held up
            assert "same" not in done  # lot A: waits for its head
            conn.rollback()
        same.join(timeout=30)
        assert "same" in done and not isinstance(done["same"], Exception), done
    finally:
        holder.dispose()


@POSTGRES_ONLY
def test_a_bid_and_the_closing_never_wait_for_a_transaction_that_only_refers_to_the_auction(m, pg_url):
    """A transaction inserting a row that refers to the auction (the notifier's "outbid" notification, a
    document) holds FOR KEY SHARE on the auction row until it commits: its foreign key check. The bid and the
    sweeper's closing lock the row FOR NO KEY UPDATE (migration d2e3f4a5b6c7, service/load.py), so they go on;
    with FOR UPDATE each bid waited for that transaction (60-90 ms at p99 behind the notifier, 1,000 receivers)."""
    import threading
    auction, b1, b2 = m.open_with_two_bidders()
    holder = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    done: dict[str, object] = {}

    def run(name, fn):
        try:
            done[name] = fn()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            done[name] = exc

    def in_thread(name, fn):
        t = threading.Thread(target=run, args=(name, fn))
        t.start()
        t.join(timeout=30)
        return done.get(name)
    try:
        with holder.connect() as conn:
            # the lock a foreign key check of an INSERT referring to the auction takes, held to the commit
            conn.execute(text("SELECT id FROM auctions WHERE id = :a FOR KEY SHARE"), {"a": auction["id"]})
            bid = in_thread("bid", lambda: _bid(m, b1, auction["id"], "1050000.00", "ks-1"))
            assert not isinstance(bid, Exception) and bid is not None and bid.amount == Decimal("1050000.00"), done
            m.clock.advance(timedelta(hours=2))  # past the soft close: the sweeper closes the auction
            closed = in_thread("tick", m.tick)
            assert not isinstance(closed, Exception) and closed is not None, done
            assert closed.get("auctions_closed") == 1, closed
            conn.rollback()
        state = m.public.ok("GET", f"/auctions/{auction['id']}")
        assert state["status"] == "closed" and state["final_price"] == "1050000.00" and state["winner_no"] == 1
    finally:
        holder.dispose()


def test_a_login_naming_no_account_is_refused_as_the_public_and_stores_nothing(m, db_url):
    """The runner passes a bid's caller unread (service/runner.py); an id that names no account is the public's
    bid: `unauthorized`, on PostgreSQL from the bid function's own read of the account."""
    from auction.errors import Unauthorized
    from service.handlers import handle
    from service.runner import Caller
    auction, _, _ = m.open_with_two_bidders()
    with pytest.raises(Unauthorized) as refused:
        m.app.extensions["mulik"]["runner"](Caller(user_id=987654), handle,
                                            PlaceBid(auction["id"], Decimal("1050000.00"), "nobody-1"))
    assert refused.value.code == "unauthorized"
    assert m.public.ok("GET", f"/auctions/{auction['id']}/bids")["items"] == []
