"""The live-bidding rules seen by real clients of a real server.

The application is served over TCP by a real WSGI server (Werkzeug, threaded, websockets
through simple-websocket) in this test process, on SQLite and on PostgreSQL; the bidders and
observers are python-socketio clients on websockets. The platform clock is the tests' fake
clock, so the opening moment and the close instant can be hit exactly; the sweeper and the
descending ticker are run by the tests at the moments they choose (`m.tick()`, `ticker`).
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from ..live_client import Live, http


@pytest.fixture
def server(m):
    from werkzeug.serving import make_server
    srv = make_server("127.0.0.1", 0, m.app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    clients: list[Live] = []

    class Server:
        port = srv.server_port

        @staticmethod
        def client(user=None) -> Live:
            c = Live(srv.server_port, user.token if user else None)
            clients.append(c)
            return c

    yield Server
    for c in clients:
        c.drop()
    srv.shutdown()
    thread.join(timeout=10)


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def plus(amount: str, step: str) -> str:
    return f"{Decimal(amount) + Decimal(step):.2f}"


def stored_bids(port: int, auction_id: int) -> list[tuple[int, str, int]]:
    status, body = http("GET", port, f"/api/v1/auctions/{auction_id}/bids?per_page=100")
    assert status == 200, body
    return sorted((b["seq"], b["amount"], b["participant_no"]) for b in body["items"])


def state(port: int, auction_id: int, user=None) -> dict:
    status, body = http("GET", port, f"/api/v1/auctions/{auction_id}/state", token=user.token if user else None)
    assert status == 200, body
    return body


def announced_with(m, n: int, **extra):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"], **extra)
    return auction, [m.bidder_admitted(auction["id"]) for _ in range(n)]


def open_in_the_room(m, server, auction, bidders) -> list[Live]:
    """The bidders connect and join the room a minute before the start; the sweeper opens it."""
    m.clock.set(utc(auction["starts_at"]) - timedelta(minutes=1))
    clients = [server.client(b) for b in bidders]
    for c in clients:
        assert c.join(auction["id"])["my_no"] is not None
    m.clock.set(utc(auction["starts_at"]) + timedelta(seconds=1))
    assert m.tick().get("auctions_opened") == 1
    for c in clients:
        c.next("state", status="open")
        c.received()
    return clients


def race(clients: list[Live], event: str, bodies: list[dict]) -> list[dict]:
    """Each client sends its body at the same moment; their acknowledgements in client order."""
    barrier, acks = threading.Barrier(len(clients)), [None] * len(clients)

    def send(i):
        barrier.wait()
        acks[i] = clients[i].call(event, bodies[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return acks


# ---- ascending ----------------------------------------------------------------------------------
def test_two_bidders_racing_for_the_same_next_price_give_one_bid_and_one_rejection_with_the_new_state(m, server):
    auction, bidders = announced_with(m, 3)
    clients = open_in_the_room(m, server, auction, bidders)
    aid, step = auction["id"], auction["step"]
    watcher = server.client()
    watcher.join(aid)
    watcher.next("state")
    price, leader, accepted = auction["start_price"], None, []
    for round_no in range(4):  # each round the two who do not lead race for the same price
        racers = [i for i in range(3) if i != leader][:2]
        offer = plus(price, step)
        acks = race([clients[i] for i in racers], "bid",
                    [{"auction_id": aid, "amount": offer, "client_id": f"r{round_no}-{i}"} for i in racers])
        won = [i for i, ack in zip(racers, acks) if ack["ok"]]
        lost = [(i, ack) for i, ack in zip(racers, acks) if not ack["ok"]]
        assert len(won) == 1 and len(lost) == 1, acks
        loser, refusal = lost[0]
        assert (refusal["code"], refusal["article"]) in {("outbid", "80.3"), ("wrong_price", "80.3")}
        assert offer in refusal["message"]
        # the loser's `rejected` event carries the new state: the winner's price and the next one
        rejected = clients[loser].next("rejected", client_id=f"r{round_no}-{loser}")
        assert rejected["state"]["price"] == offer and rejected["state"]["next_price"] == plus(offer, step)
        assert rejected["state"]["leader_no"] == won[0] + 1  # participant numbers follow the applications
        accepted.append((acks[racers.index(won[0])]["seq"], offer))
        # everybody in the room sees the one accepted bid
        seen = watcher.next("bid", seq=accepted[-1][0])
        assert seen["amount"] == offer
        price, leader = offer, won[0]
    assert [(s, a) for s, a, _ in stored_bids(server.port, aid)] == accepted
    assert [s for s, _ in accepted] == list(range(accepted[0][0], accepted[0][0] + 4))
    assert state(server.port, aid)["price"] == price


def test_a_bid_resent_with_the_same_client_id_is_one_bid_with_one_answer(m, server):
    auction, bidders = announced_with(m, 2)
    c1, _ = open_in_the_room(m, server, auction, bidders)
    aid, offer = auction["id"], plus(auction["start_price"], auction["step"])
    watcher = server.client()
    watcher.join(aid)
    body = {"auction_id": aid, "amount": offer, "client_id": "once"}
    second_connection = server.client(bidders[0])  # the same bidder on a second connection (a retry)
    second_connection.join(aid)
    first, again = race([c1, second_connection], "bid", [body, body])
    assert first["ok"] and again["ok"] and first["seq"] == again["seq"], (first, again)
    later = c1.call("bid", body)  # resent after the answer, e.g. after a reconnect
    assert later == first
    assert stored_bids(server.port, aid) == [(first["seq"], offer, 1)]
    bids = [d for kind, d in watcher.received() if kind == "bid"]
    assert [b["seq"] for b in bids] == [first["seq"]]


def test_a_reconnect_with_last_seq_receives_exactly_the_missed_bids(m, server):
    auction, bidders = announced_with(m, 3)
    clients = open_in_the_room(m, server, auction, bidders)
    aid, step = auction["id"], auction["step"]
    offer = plus(auction["start_price"], step)
    first = clients[0].call("bid", {"auction_id": aid, "amount": offer, "client_id": "a"})
    assert first["ok"]
    watcher = server.client()
    watcher.join(aid)
    assert watcher.next("state")["seq"] == first["seq"]
    last_seq = first["seq"]
    watcher.drop()  # the observer's connection drops
    missed = []
    for i, who in enumerate([1, 2, 1]):
        offer = plus(offer, step)
        ack = clients[who].call("bid", {"auction_id": aid, "amount": offer, "client_id": f"m{i}"})
        assert ack["ok"], ack
        missed.append((ack["seq"], offer))
    back = server.client()
    back.join(aid, last_seq=last_seq)
    got = back.received()
    assert [(d["seq"], d["amount"]) for kind, d in got if kind == "bid"] == missed
    assert [kind for kind, _ in got] == ["bid"] * 3  # exactly the missed bids, no snapshot, nothing twice
    last = [d for _, d in got][-1]
    assert last["ends_at"] == state(server.port, aid)["ends_at"]  # the countdown can be set from the replay


def test_an_observer_cannot_bid_and_a_bidder_who_is_not_a_participant_neither(m, server):
    auction, bidders = announced_with(m, 2)
    open_in_the_room(m, server, auction, bidders)
    aid, offer = auction["id"], plus(auction["start_price"], auction["step"])
    observer = server.client()
    assert observer.join(aid)["my_no"] is None
    ack = observer.call("bid", {"auction_id": aid, "amount": offer, "client_id": "o"})
    assert not ack["ok"] and ack["code"] == "unauthorized"
    stranger = server.client(m.user("bidder"))
    assert stranger.join(aid)["my_no"] is None
    ack = stranger.call("bid", {"auction_id": aid, "amount": offer, "client_id": "s"})
    assert (ack["ok"], ack["code"], ack["article"]) == (False, "not_a_participant", "80.1")
    assert stored_bids(server.port, aid) == []
    assert state(server.port, aid)["price"] == auction["start_price"]


def test_nothing_is_accepted_at_the_close_instant_or_after_it(m, server):
    auction, bidders = announced_with(m, 2)
    c1, c2 = open_in_the_room(m, server, auction, bidders)
    aid, step = auction["id"], auction["step"]
    offer = plus(auction["start_price"], step)
    ack = c1.call("bid", {"auction_id": aid, "amount": offer, "client_id": "last"})
    assert ack["ok"]
    ends_at = utc(state(server.port, aid)["ends_at"])
    m.clock.set(ends_at - timedelta(microseconds=1))
    # one microsecond before the close a bid still lands (and moves the close)
    early = c2.call("bid", {"auction_id": aid, "amount": plus(offer, step), "client_id": "just-in-time"})
    assert early["ok"], early
    ends_at = utc(state(server.port, aid)["ends_at"])
    late_offer = plus(plus(offer, step), step)
    for moment, cid in ((ends_at, "at-the-instant"), (ends_at + timedelta(seconds=1), "after")):
        m.clock.set(moment)
        refused = c1.call("bid", {"auction_id": aid, "amount": late_offer, "client_id": cid})
        assert (refused["ok"], refused["code"], refused["article"]) == (False, "auction_closed", "80.3"), refused
        assert c1.next("rejected", client_id=cid)["state"]["price"] == plus(offer, step)
    assert m.tick().get("auctions_closed") == 1
    closed = c1.next("closed")
    assert (closed["outcome"], closed["winner_no"], closed["price"]) == ("closed", 2, plus(offer, step))
    assert [a for _, a, _ in stored_bids(server.port, aid)] == [offer, plus(offer, step)]


# ---- presence at the opening (Art. 84.4) -------------------------------------------------------------
def test_fewer_than_two_participants_online_at_the_opening_fail_the_auction_under_art_84_4(m, server):
    auction, bidders = announced_with(m, 3)
    aid = auction["id"]
    m.clock.set(utc(auction["starts_at"]) - timedelta(minutes=1))
    present = server.client(bidders[0])
    assert present.join(aid)["my_no"] is not None
    gone = server.client(bidders[1])  # joins, then its connection drops before the opening
    gone.join(aid)
    assert present.next("state")["online"] in (1, 2)
    gone.drop()
    watcher = server.client()
    watcher.join(aid)
    assert watcher.next("state")["online"] == 1
    m.clock.set(utc(auction["starts_at"]) + timedelta(seconds=1))
    assert m.tick().get("auctions_opened") == 1
    closed = watcher.next("closed")
    assert (closed["outcome"], closed["winner_no"]) == ("failed", None)
    assert "84.4" in (closed["reason"] or "")
    got = http("GET", server.port, f"/api/v1/auctions/{aid}")[1]
    assert (got["status"], got["failure_reason"]) == ("failed", "84.4")
    refused = present.call("bid", {"auction_id": aid, "amount": plus(auction["start_price"], auction["step"]),
                                   "client_id": "too-late"})
    assert (refused["ok"], refused["code"]) == (False, "auction_closed")


def test_two_participants_connected_at_the_opening_open_the_auction_and_the_room_shows_them_online(m, server):
    auction, bidders = announced_with(m, 3)
    clients = open_in_the_room(m, server, auction, bidders[:2])
    st = state(server.port, auction["id"])
    assert (st["status"], st["online"]) == ("open", 2)
    clients[1].drop()
    assert clients[0].next("state", online=1)["status"] == "open"  # a departure is announced to the room
    assert state(server.port, auction["id"])["online"] == 1


# ---- descending ---------------------------------------------------------------------------------
def test_a_descending_acceptance_at_a_stale_price_is_refused_and_the_current_price_wins(m, server):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    first = m.announce(bailiff, lot["id"])
    m.open_auction(first, [])  # nobody applied (Art. 84.1); nobody retains it
    m.advance(days=20)
    m.tick()
    second = m.announce(bailiff, lot["id"], days=12, interval_seconds=120)
    assert second["round"] == 2
    bidders = [m.bidder_admitted(second["id"]) for _ in range(2)]
    c1, c2 = open_in_the_room(m, server, second, bidders)
    aid = second["id"]
    ticker = m.app.extensions["mulik"]["ticker"]
    ticker.emit_due()
    assert c1.next("price", tick=0)["price"] == "1000000.00"
    m.clock.advance(timedelta(seconds=120))
    ticker.emit_due()
    assert c1.next("price", tick=1)["price"] == "950000.00"
    stale = c2.call("accept", {"auction_id": aid, "price": "1000000.00", "client_id": "stale"})
    assert (stale["ok"], stale["code"], stale["article"]) == (False, "price_changed", "80.3")
    assert "950000.00" in stale["message"]
    won = c1.call("accept", {"auction_id": aid, "price": "950000.00", "client_id": "now"})
    assert won["ok"] and won["amount"] == "950000.00"
    late = c2.call("accept", {"auction_id": aid, "price": "950000.00", "client_id": "second"})
    assert (late["ok"], late["code"], late["article"]) == (False, "already_accepted", "80.3"), late
    closed = c2.next("closed")
    assert (closed["outcome"], closed["winner_no"], closed["price"]) == ("closed", 1, "950000.00")
    assert [(a, n) for _, a, n in stored_bids(server.port, aid)] == [("950000.00", 1)]


def test_every_watcher_on_websocket_or_polling_receives_every_bid_once_in_seq_order(m, server):
    # the room's broadcasts go through the one-frame manager (web/broadcast.py), one packet for every socket
    from web import socketio
    from web.broadcast import OneFrameManager
    assert type(socketio.server.manager) is OneFrameManager
    auction, bidders = announced_with(m, 3)
    clients = open_in_the_room(m, server, auction, bidders)
    aid, offer = auction["id"], auction["start_price"]
    watchers = [server.client(), server.client(), Live(server.port, transports=("polling",))]
    for w in watchers:
        w.join(aid)
        w.next("state")
    accepted = []
    for i in range(12):  # the three bidders in turn, each bid answered before the next
        offer = plus(offer, auction["step"])
        ack = clients[i % 3].call("bid", {"auction_id": aid, "amount": offer, "client_id": f"o{i}"})
        assert ack["ok"], ack
        accepted.append((ack["seq"], offer))
    for w in watchers:
        w.next("bid", seq=accepted[-1][0])
        bids = [(d["seq"], d["amount"]) for kind, d in w.seen + w.received() if kind == "bid"]
        assert bids == accepted
    watchers[2].close()
