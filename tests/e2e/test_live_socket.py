"""The /live namespace with Flask-SocketIO's test client: rooms, snapshots, bids, rejections."""
import pytest

from web import socketio


def _client(m, user=None):
    headers = {"Authorization": f"Bearer {user.token}"} if user else {}
    return socketio.test_client(m.app, namespace="/live", headers=headers)


def _events(client, name):
    return [e["args"][0] for e in client.get_received("/live") if e["name"] == name]


def _open(m):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    return auction, b1, b2


def test_a_bid_made_over_the_socket_reaches_every_client_in_the_room_after_it_is_stored(m):
    auction, b1, b2 = _open(m)
    c1, c2, watcher = _client(m, b1), _client(m, b2), _client(m)
    for c in (c1, c2, watcher):
        assert c.is_connected("/live")
        c.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    state = _events(watcher, "state")[-1]
    assert state["status"] == "open" and state["next_price"] == "1050000.00" and state["my_no"] is None
    assert _events(c1, "state")[0]["my_no"] == 1
    c1.get_received("/live"), c2.get_received("/live")
    ack = c1.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "s1"},
                  namespace="/live", callback=True)
    assert ack["ok"] and ack["seq"] > 0
    for c in (c1, c2, watcher):
        bids = _events(c, "bid")
        assert [(b["seq"], b["amount"], b["participant_no"]) for b in bids] == [(ack["seq"], "1050000.00", 1)]
    stored = m.public.ok("GET", f"/auctions/{auction['id']}/bids")["items"]
    assert [b["seq"] for b in stored] == [ack["seq"]]


def test_a_stale_bid_is_rejected_with_the_current_state(m):
    auction, b1, b2 = _open(m)
    c1, c2 = _client(m, b1), _client(m, b2)
    for c in (c1, c2):
        c.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    c1.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "a"}, namespace="/live")
    c2.get_received("/live")
    c2.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "b"}, namespace="/live")
    rejected = _events(c2, "rejected")
    assert rejected[0]["client_id"] == "b" and rejected[0]["article"] == "80.3"
    assert rejected[0]["state"]["price"] == "1050000.00" and rejected[0]["state"]["next_price"] == "1100000.00"


def test_an_observer_cannot_bid(m):
    auction, b1, b2 = _open(m)
    watcher = _client(m)
    watcher.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    ack = watcher.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "w"},
                       namespace="/live", callback=True)
    assert not ack["ok"] and ack["code"] == "unauthorized"
    assert m.public.ok("GET", f"/auctions/{auction['id']}/bids")["items"] == []


def test_a_wrong_token_is_refused_at_connect(m):
    bad = socketio.test_client(m.app, namespace="/live", headers={"Authorization": "Bearer nope"})
    assert not bad.is_connected("/live")


def test_rejoining_with_last_seq_returns_exactly_the_missed_bids(m):
    auction, b1, b2 = _open(m)
    c1 = _client(m, b1)
    c1.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    first = c1.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "1"},
                    namespace="/live", callback=True)
    b2.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1100000.00", "client_id": "2"})
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1150000.00", "client_id": "3"})
    late = _client(m, b2)
    late.emit("join", {"auction_id": auction["id"], "last_seq": first["seq"]}, namespace="/live")
    bids = _events(late, "bid")
    assert [b["amount"] for b in bids] == ["1100000.00", "1150000.00"]
    assert [b["seq"] for b in bids] == [first["seq"] + 1, first["seq"] + 2]
    assert _events(late, "state") == []
    # a position before the opening (a state change missed): a snapshot instead
    older = _client(m, b2)
    older.emit("join", {"auction_id": auction["id"], "last_seq": 0}, namespace="/live")
    assert _events(older, "state")[0]["seq"] == first["seq"] + 2 and _events(older, "bid") == []


def test_the_close_is_broadcast_with_the_winner(m):
    auction, b1, b2 = _open(m)
    watcher = _client(m)
    watcher.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "1"})
    m.advance(minutes=11)
    m.tick()
    closed = _events(watcher, "closed")
    assert closed == [{"auction_id": auction["id"], "outcome": "closed", "winner_no": 1, "price": "1050000.00",
                       "article": "80.4", "reason": None}]  # the winner pays within 5 working days (Art. 80.4)


@pytest.mark.app_config(BID_RATE_LIMIT="2/minute")
def test_bid_attempts_beyond_the_rate_limit_are_refused(m):
    auction, b1, b2 = _open(m)
    c1 = _client(m, b1)
    acks = [c1.emit("bid", {"auction_id": auction["id"], "amount": "1.00", "client_id": f"r{i}"},
                    namespace="/live", callback=True) for i in range(3)]
    assert [a["code"] for a in acks] == ["wrong_price", "wrong_price", "rate_limited"]
    assert acks[-1]["retry_after"] >= 1  # tests/e2e/test_rate_limits.py: the limits in detail


def test_auto_bid_raises_one_step_when_outbid_up_to_the_ceiling(m):
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    b2.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": "1200000.00"})
    watcher = _client(m)
    watcher.emit("join", {"auction_id": aid}, namespace="/live")
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "m1"})
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1150000.00", "client_id": "m2"})
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1250000.00", "client_id": "m3"})
    ladder = [(b["amount"], b["participant_no"], b["kind"]) for b in
              m.public.ok("GET", f"/auctions/{aid}/bids")["items"]]
    assert ladder == [("1050000.00", 1, "bid"), ("1100000.00", 2, "auto"), ("1150000.00", 1, "bid"),
                      ("1200000.00", 2, "auto"), ("1250000.00", 1, "bid")]
    assert [b["amount"] for b in _events(watcher, "bid")] == [x[0] for x in ladder]
    journal = [e for e in m.public.ok("GET", f"/lots/{auction['lot_id']}/journal")["items"]
               if e["kind"] == "bid.accepted"]
    assert len(journal) == 5


def test_two_auto_bidders_stop_at_the_lower_ceiling(m):
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    b1.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": "1300000.00"})
    b2.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": "1200000.00"})
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "m1"})
    state = m.public.ok("GET", f"/auctions/{aid}/state")
    # 1 bids 1,050,000; 2 auto 1,100,000; 1 auto 1,150,000; 2 auto 1,200,000; 1 auto 1,250,000; 2 stops (ceiling)
    assert state["price"] == "1250000.00" and state["leader_no"] == 1


def test_a_participant_reads_his_own_ceiling_only(m):
    auction, b1, b2 = _open(m)
    from ..helpers import error
    aid = auction["id"]
    assert b1.ok("GET", f"/auctions/{aid}/auto-bid") == {"participant_no": 1, "ceiling": None}
    b1.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": "1300000.00"})
    assert b1.ok("GET", f"/auctions/{aid}/auto-bid")["ceiling"] == "1300000.00"
    assert b2.ok("GET", f"/auctions/{aid}/auto-bid") == {"participant_no": 2, "ceiling": None}  # not b1's
    error(m.user("bidder").get(f"/auctions/{aid}/auto-bid"), 403, "not_a_participant", "80.1")
    error(m.public.get(f"/auctions/{aid}/auto-bid"), 401)
    b1.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": None})
    assert b1.ok("GET", f"/auctions/{aid}/auto-bid")["ceiling"] is None


def test_a_ceiling_below_the_next_bid_is_refused(m):
    auction, b1, b2 = _open(m)
    from ..helpers import error
    error(b1.put(f"/auctions/{auction['id']}/auto-bid", {"ceiling": "1000000.00"}), 422, "ceiling_too_low", "80.3")


def test_the_falling_price_is_broadcast_once_per_step_in_the_descending_round(m):
    from datetime import timedelta
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    first = m.announce(bailiff, lot["id"])
    m.open_auction(first, [])  # nobody applied: fails (84.1)
    collectors_refuse = m.tick  # the retention window passes without an application
    m.advance(days=20)
    collectors_refuse()
    second = m.announce(bailiff, lot["id"], days=12, interval_seconds=120)
    b1, b2 = m.bidder_admitted(second["id"]), m.bidder_admitted(second["id"])
    m.open_auction(second, [b1, b2])
    watcher = _client(m)
    watcher.emit("join", {"auction_id": second["id"]}, namespace="/live")
    ticker = m.app.extensions["mulik"]["ticker"]
    assert ticker.emit_due() == 1  # tick 0 at the opening
    assert ticker.emit_due() == 0  # announced once
    m.clock.advance(timedelta(seconds=120))
    assert ticker.emit_due() == 1
    prices = [(e["tick"], e["price"]) for e in _events(watcher, "price")]
    assert prices == [(0, "1000000.00"), (1, "950000.00")]  # step 5% of the start


def test_joining_an_auction_that_does_not_exist_is_refused_and_the_socket_gets_no_room(m):
    auction, b1, b2 = _open(m)
    stray = _client(m)
    ack = stray.emit("join", {"auction_id": auction["id"] + 1000}, namespace="/live", callback=True)
    assert not ack["ok"] and ack["code"] == "not_found" and str(auction["id"] + 1000) in ack["message"]
    assert _events(stray, "state") == []
    c1 = _client(m, b1)
    c1.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    c1.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "n1"}, namespace="/live")
    assert _events(c1, "bid") and _events(stray, "bid") == []


def test_a_watcher_joining_reads_the_auction_row_alone_in_one_statement(m):
    """A watcher has no account to record presence for: no Join, no read of the participants' applications;
    the room's first picture is one SELECT of the auction (10,000 watchers joining: docs/performance.md)."""
    from sqlalchemy import event
    auction, b1, b2 = _open(m)
    watcher = _client(m)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    engine = m.app.extensions["mulik"]["engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        ack = watcher.emit("join", {"auction_id": auction["id"]}, namespace="/live", callback=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert ack["ok"] and ack["my_no"] is None
    state = _events(watcher, "state")[-1]
    assert state["status"] == "open" and state["next_price"] == "1050000.00"
    assert len(statements) == 1 and "FROM auctions" in statements[0], statements


def test_a_blocked_auto_bidders_ceiling_raises_no_more(m):
    """SPEC §8: a blocked account cannot bid, its auto-bids included; the others' go on."""
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    b2.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": "1200000.00"})
    m.operator.ok("POST", f"/users/{b2.id}/block", {"reason": "forged identity documents"})
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "m1"})
    ladder = [(b["amount"], b["participant_no"], b["kind"]) for b in
              m.public.ok("GET", f"/auctions/{aid}/bids")["items"]]
    assert ladder == [("1050000.00", 1, "bid")]
    state = m.public.ok("GET", f"/auctions/{aid}/state")
    assert state["price"] == "1050000.00" and state["leader_no"] == 1


def test_a_socket_bid_names_the_accounts_rule_when_the_account_may_not_bid(m):
    """The runner passes a socket's login unread to the bid (on PostgreSQL the bid function reads the account):
    a blocked bidder is refused `blocked` with the operator's reason, another role `forbidden`, nothing stored."""
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    c1, bailiff = _client(m, b1), _client(m, m.user("bailiff"))
    m.operator.ok("POST", f"/users/{b1.id}/block", {"reason": "forged identity documents"})
    ack = c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "s1"}, namespace="/live",
                  callback=True)
    assert not ack["ok"] and ack["code"] == "blocked" and "forged identity documents" in ack["message"]
    # the account is refused before the input, whichever database decides (PostgreSQL's call checks the account)
    for bad in ({"amount": "1050000.00", "client_id": ""}, {"amount": "1.050.000", "client_id": "s9"}):
        ack = c1.emit("bid", {"auction_id": aid, **bad}, namespace="/live", callback=True)
        assert not ack["ok"] and ack["code"] == "blocked", (bad, ack)
        ack = bailiff.emit("bid", {"auction_id": aid, **bad}, namespace="/live", callback=True)
        assert not ack["ok"] and ack["code"] == "forbidden", (bad, ack)
    ack = bailiff.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "s2"}, namespace="/live",
                       callback=True)
    assert not ack["ok"] and ack["code"] == "forbidden"
    assert ack["message"] == "this action is for: bidder; you are bailiff"
    assert m.public.ok("GET", f"/auctions/{aid}/bids")["items"] == []
    m.operator.ok("POST", f"/users/{b1.id}/unblock", {"reason": "documents checked"})
    for bad, code in (({"amount": "1050000.00", "client_id": ""}, "bad_client_id"),
                      ({"amount": "1.050.000", "client_id": "s9"}, "invalid_money")):
        ack = c1.emit("bid", {"auction_id": aid, **bad}, namespace="/live", callback=True)
        assert not ack["ok"] and ack["code"] == code, (bad, ack)
    ack = c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "s3"}, namespace="/live",
                  callback=True)
    assert ack["ok"] and ack["amount"] == "1050000.00"


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_socket_bid_on_postgresql_is_one_round_trip_on_the_wire(m, db_url):
    """Issue 15: from the socket event to the answer, the bid function's call is all an accepted bid sends to
    PostgreSQL (BEGIN, COMMIT, the pool's reset and any read of the account included). A refused one too: its
    `rejected` message carries the room's state (SPEC §9) as the call judged it (migration f7a8b9c0d1e2), the
    same state a read gives."""
    from tests.pgwire import traced
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    c1, c2 = _client(m, b1), _client(m, b2)
    engine = m.app.extensions["mulik"]["engine"]
    with traced(engine) as accepted:
        ack = c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "w1"}, namespace="/live",
                      callback=True)
    assert ack["ok"] and ack["amount"] == "1050000.00"
    assert len(accepted) == 1 and "mulik_place_bid" in accepted.round_trips[0], accepted.round_trips
    m.advance(seconds=1.5)  # past the bid-rate limit's window for b2's next attempt
    with traced(engine) as refused:
        ack = c2.emit("bid", {"auction_id": aid, "amount": "1250000.00", "client_id": "w2"}, namespace="/live",
                      callback=True)
    assert not ack["ok"] and ack["code"] == "wrong_price" and ack["article"] == "80.3"
    assert len(refused) == 1 and "mulik_place_bid" in refused.round_trips[0], refused.round_trips
    read = m.public.ok("GET", f"/auctions/{aid}/state")
    shown = ack["state"]
    assert shown["server_time"] is not None
    assert {k: v for k, v in shown.items() if k != "server_time"} == {
        k: v for k, v in read.items() if k != "server_time"}
    assert (shown["price"], shown["next_price"], shown["leader_no"], shown["status"]) == (
        "1050000.00", "1100000.00", 1, "open")


def _drop_every_connection_of_the_database() -> int:
    """What a PostgreSQL restart does to the app's pool: every connection to the test database is closed by the
    server (an administrator's pg_terminate_backend), none of them told."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from tests.conftest import PG_URL
    admin = create_engine(PG_URL, poolclass=NullPool)
    try:
        with admin.connect() as conn:
            return len(conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                         "current_database() AND pid <> pg_backend_pid()")).all())
    finally:
        admin.dispose()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_bid_that_finds_the_database_gone_is_told_to_resend_and_is_taken_once(m, db_url):
    """A bid whose connection the server closed gets `unavailable` (HTTP 503), never a server error, and says
    what to do: send it again with the same client_id. The pool's other dead connections are dropped with it:
    the requests after it are served, and the resent bid is taken once."""
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    c1 = _client(m, b1)
    engine = m.app.extensions["mulik"]["engine"]
    held = [engine.raw_connection() for _ in range(3)]  # the pool keeps several connections, as a busy server's
    for conn in held:
        conn.close()
    assert _drop_every_connection_of_the_database() >= 3
    ack = c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "gone-1"}, namespace="/live",
                  callback=True)
    assert not ack["ok"] and ack["code"] == "unavailable", ack
    assert ack["message"] == ("the database did not answer; try again (a bid sent again with the same client_id "
                              "is taken at most once)")
    assert ack["state"] is None  # no state is read from a database that does not answer
    assert m.public.ok("GET", f"/auctions/{aid}/state")["price"] == "1000000.00"  # the next request is served
    ack = c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "gone-1"}, namespace="/live",
                  callback=True)
    assert ack["ok"] and ack["amount"] == "1050000.00"
    # over HTTP the caller's token is read first, through SQLAlchemy: the same answer
    _drop_every_connection_of_the_database()
    r = b2.post(f"/auctions/{aid}/bids", {"amount": "1100000.00", "client_id": "gone-2"})
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "unavailable", r.get_json()
    assert m.public.ok("GET", f"/auctions/{aid}/state")["price"] == "1050000.00"
    assert b2.ok("POST", f"/auctions/{aid}/bids", {"amount": "1100000.00", "client_id": "gone-2"})["bid"]["amount"] \
        == "1100000.00"
    ladder = sorted((b["amount"], b["participant_no"]) for b in m.public.ok("GET", f"/auctions/{aid}/bids")["items"])
    assert ladder == [("1050000.00", 1), ("1100000.00", 2)]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_server_that_refuses_connections_is_a_503_that_says_to_try_again(m, db_url):
    """PostgreSQL down (nothing listens at its address): every request, a read, a bid over HTTP or over the socket,
    answers `unavailable`, never a server error; nothing is stored."""
    from tests.live_client import free_port
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    c1 = _client(m, b1)
    from sqlalchemy import event
    engine = m.app.extensions["mulik"]["engine"]
    nobody = free_port()

    def elsewhere(dialect, conn_rec, cargs, cparams):  # the pool's new connections go where nothing listens
        cparams["port"] = nobody
    event.listen(engine, "do_connect", elsewhere)
    engine.dispose()
    try:
        for r in (m.public.get(f"/auctions/{aid}/state"),
                  b2.post(f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "down-1"})):
            assert r.status_code == 503 and r.get_json()["error"]["code"] == "unavailable", r.get_json()
        ack = c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "down-2"}, namespace="/live",
                      callback=True)
        assert not ack["ok"] and ack["code"] == "unavailable" and ack["state"] is None, ack
    finally:
        event.remove(engine, "do_connect", elsewhere)
        engine.dispose()
    assert m.public.ok("GET", f"/auctions/{aid}/bids")["items"] == []


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_resent_bid_whose_answer_was_lost_is_broadcast_and_answered_by_the_auto_bidders(m, db_url, monkeypatch):
    """The bid function committed a bid and its answer was lost with the connection: the client was told
    `unavailable` and nobody heard of the bid. Sent again with the same client_id it is taken once and, still
    leading, broadcast then; the auto-bidder it outbid answers it. A resend after an answer that arrived is
    not broadcast again (tests/e2e/test_live_real_server.py)."""
    from auction.errors import Unavailable
    from service.uow import UnitOfWork
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    b2.ok("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": "1200000.00"})
    c1, watcher = _client(m, b1), _client(m)
    watcher.emit("join", {"auction_id": aid}, namespace="/live")
    watcher.get_received("/live")
    real = UnitOfWork.call_committed

    def committed_then_lost(self, statement, params):  # the call runs and commits; its answer never arrives
        monkeypatch.setattr(UnitOfWork, "call_committed", real)
        real(self, statement, params)
        raise Unavailable()
    monkeypatch.setattr(UnitOfWork, "call_committed", committed_then_lost)
    body = {"auction_id": aid, "amount": "1050000.00", "client_id": "lost-1"}
    ack = c1.emit("bid", body, namespace="/live", callback=True)
    assert not ack["ok"] and ack["code"] == "unavailable"
    assert _events(watcher, "bid") == []
    ack = c1.emit("bid", body, namespace="/live", callback=True)
    assert ack["ok"] and ack["amount"] == "1050000.00"
    heard = [(e["amount"], e["participant_no"], e["auto"]) for e in _events(watcher, "bid")]
    assert heard == [("1050000.00", 1, False), ("1100000.00", 2, True)]
    ack = c1.emit("bid", body, namespace="/live", callback=True)  # once more: answered, not announced again
    assert ack["ok"] and _events(watcher, "bid") == []
    ladder = [(b["amount"], b["participant_no"]) for b in m.public.ok("GET", f"/auctions/{aid}/bids")["items"]]
    assert sorted(ladder) == [("1050000.00", 1), ("1100000.00", 2)]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_times_from_the_bid_function_are_utc_on_a_server_kept_in_almaty_time(m, db_url):
    """A Kazakh server's TimeZone is Asia/Almaty: the bid's broadcast and a refusal's state, both from the bid
    function's row (no ORM type converts it), still say UTC, as every other time of the API (SPEC §9)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from tests.conftest import PG_URL
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    admin = create_engine(PG_URL, poolclass=NullPool)
    engine = m.app.extensions["mulik"]["engine"]
    try:
        with admin.begin() as conn:
            db = conn.execute(text("SELECT current_database()")).scalar_one()
            conn.execute(text(f'ALTER DATABASE "{db}" SET timezone = \'Asia/Almaty\''))
        engine.dispose()  # new connections get the database's TimeZone, unless the engine sets its own
        c1, c2, watcher = _client(m, b1), _client(m, b2), _client(m)
        watcher.emit("join", {"auction_id": aid}, namespace="/live")
        watcher.get_received("/live")
        assert c1.emit("bid", {"auction_id": aid, "amount": "1050000.00", "client_id": "tz-1"}, namespace="/live",
                       callback=True)["ok"]
        [heard] = _events(watcher, "bid")
        m.advance(seconds=1.5)
        ack = c2.emit("bid", {"auction_id": aid, "amount": "1250000.00", "client_id": "tz-2"}, namespace="/live",
                      callback=True)
        read = m.public.ok("GET", f"/auctions/{aid}/state")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'ALTER DATABASE "{db}" RESET timezone'))
        admin.dispose()
        engine.dispose()
    assert heard["ends_at"].endswith("Z") and heard["ends_at"] == read["ends_at"], (heard, read)
    assert ack["code"] == "wrong_price" and ack["state"]["ends_at"] == read["ends_at"]
    assert ack["state"]["starts_at"] == read["starts_at"] and read["starts_at"].endswith("Z")
