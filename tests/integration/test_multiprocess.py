"""Several server processes: two real `mulik run` processes (gevent, websockets) on one
PostgreSQL database share their Socket.IO rooms through the Redis message queue and count
online participants in Redis, so a client sees the same auction whichever process it reached.

The servers keep real time, so the auctions are built beforehand on a fake clock: opened at the
last trading slot before today, one open until an hour from now, one failing (nobody raised,
Art. 84.2) half a minute after both servers answer, while the tests run. The quiet period that makes
this is longer than the API accepts, so the auctions are scheduled through the service, as web.demo
does; the closing auction's end is set only once the servers answer, so a slow start on a loaded
machine cannot end it before its observer joins.
Process A runs the sweeper, process B none: whatever B's clients hear of A's sweeper came
through Redis.
"""
from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from auction import calendar as cal
from auction.clock import FakeClock
from auction.commands import ScheduleAuction

from ..conftest import PG_URL, REDIS_PREFIX, REDIS_URL, _fresh_postgres, clear_redis, require_postgres, require_redis
from ..helpers import Mulik
from ..live_client import EVENT_TIMEOUT, Live, free_port, http

# One xdist worker runs the whole module: its two servers (the `cluster` fixture) are started once.
pytestmark = pytest.mark.xdist_group("multiprocess")

CLOSING_AFTER = timedelta(seconds=30)  # from both servers answering to the failure of the closing auction
# Low enough for the rate-limit tests to reach, high enough for the others (a few bids each); the
# counts are in Redis, shared by both servers.
LIMITS = {"MULIK_BID_RATE_LIMIT": "6/minute", "MULIK_LOGIN_RATE_LIMIT_ACCOUNT": "3/15minutes"}
START_TIMEOUT = 60.0


# ---- the servers ----------------------------------------------------------------------------------
class Server:
    """One `python -m web.cli run` process in its own process group, its output in a file."""

    def __init__(self, name: str, log_dir, **env):
        self.name, self.port = name, free_port()
        self.log_path = log_dir / f"{name}.log"
        environ = {k: v for k, v in os.environ.items() if not k.startswith("MULIK_")}
        environ.update({"MULIK_DATABASE_URL": PG_URL, "MULIK_REDIS_URL": REDIS_URL, "MULIK_REDIS_PREFIX": REDIS_PREFIX,
                        "MULIK_SECRET_KEY": "multiprocess-test-secret", **env})
        with open(self.log_path, "wb") as log:
            command = [sys.executable, "-m", "web.cli", "run", "--no-demo", "--port", str(self.port)]
            self.proc = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_until_serving(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server {self.name} exited with {self.proc.returncode}:\n{self.log()}")
            try:
                status, _ = http("GET", self.port, "/api/v1/lots")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"server {self.name} did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


class RoundRobin:
    """A TCP balancer without sticky sessions: every new connection goes to the next backend."""

    def __init__(self, ports: list[int]):
        self.backends, self.used = itertools.cycle(ports), []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            port = next(self.backends)
            self.used.append(port)
            upstream = socket.create_connection(("127.0.0.1", port))
            self.sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


# ---- the world ----------------------------------------------------------------------------------
def _last_trading_slot_before_today() -> datetime:
    """11:00 Almaty on the last working day before today, as UTC."""
    calendar = cal.WorkingCalendar()
    day = cal.local_date(datetime.now(timezone.utc)) - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=cal.KZ_TZ).astimezone(timezone.utc)


def _seed() -> dict:
    """Two open auctions (2-3 admitted, online participants each) on the PostgreSQL test database."""
    from service import auctions
    from service.orm import User as UserRow
    from web import create_app, uow_for

    _fresh_postgres()
    slot = _last_trading_slot_before_today()
    clock = FakeClock(slot - timedelta(days=13))
    app = create_app({"TESTING": True, "DATABASE_URL": PG_URL, "REDIS_URL": None, "CLOCK": clock,
                      "SECRET_KEY": "test", "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False})
    try:
        m = Mulik(app, clock)
        bailiff, _, live_lot = m.ordered_lot()
        _, _, closing_lot = m.ordered_lot(bailiff)
        clock.set(slot - timedelta(days=12))
        now = datetime.now(timezone.utc)
        opened_at = slot + timedelta(seconds=1)

        def schedule(lot_id: int, ends_at: datetime) -> int:
            with uow_for(app, "test") as uow:
                actor = uow.session.get(UserRow, bailiff.id)
                return auctions.schedule_auction(uow, actor, ScheduleAuction(
                    lot_id, starts_at=slot, quiet_seconds=int((ends_at - opened_at).total_seconds()))).id

        live = schedule(live_lot["id"], now + timedelta(hours=1))
        closing = schedule(closing_lot["id"], now + timedelta(hours=1))  # ends once the servers answer
        bidders = {live: [m.bidder_admitted(live) for _ in range(3)],
                   closing: [m.bidder_admitted(closing) for _ in range(2)]}
        spare = m.bidder_admitted(live)  # only the rate-limit tests bid and log in with this one
        clock.set(slot - timedelta(minutes=1))
        for auction_id, people in bidders.items():
            for b in people:
                b.ok("POST", f"/auctions/{auction_id}/presence")
        clock.set(opened_at)
        m.tick()
        for auction_id in bidders:
            assert m.public.ok("GET", f"/auctions/{auction_id}")["status"] == "open"
        return {"live": live, "closing": closing,
                "emails": [b.email for b in bidders[live]], "spare": spare.email}
    finally:
        app.extensions["mulik"]["engine"].dispose()


def _close_soon(auction_id: int) -> datetime:
    """The quiet period of the closing auction runs out CLOSING_AFTER from now (nobody bid in it, so
    its end is still the one its schedule gave: moving it is the same as a shorter quiet period)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    closes_at = datetime.now(timezone.utc) + CLOSING_AFTER
    engine = create_engine(PG_URL, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            moved = conn.execute(text("UPDATE auctions SET ends_at = :at WHERE id = :id AND status = 'open'"
                                      " AND bids_count = 0"), {"at": closes_at, "id": auction_id}).rowcount
        assert moved == 1, "the closing auction is no longer open and unbid"
    finally:
        engine.dispose()
    return closes_at


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require_postgres()
    require_redis()
    clear_redis()
    world = _seed()
    log_dir = tmp_path_factory.mktemp("servers")
    servers = [Server("A", log_dir, **LIMITS), Server("B", log_dir, MULIK_SWEEPER_INTERVAL="0", **LIMITS)]
    watchers: list[Live] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for s in servers:
            s.wait_until_serving(deadline)
        a, b = servers
        world["closes_at"] = _close_soon(world["closing"])
        # an observer on B watches the auction that A's sweeper will fail
        watchers.append(Live(b.port))
        watchers[0].join(world["closing"])
        first = watchers[0].next("state")
        assert first["status"] == "open", f"the closing auction ended before its observer joined ({CLOSING_AFTER})"
        # the bidders of the live auction log in through process A (the password of tests.helpers)
        tokens = []
        for email in world["emails"]:
            status, body = http("POST", a.port, "/api/v1/auth/login", {"email": email, "password": "password123"})
            assert status == 200, body
            tokens.append(body["token"])
        yield {**world, "a": a, "b": b, "tokens": tokens, "closing_watcher": watchers[0]}
    finally:
        for w in watchers:
            w.close()
        for s in servers:
            s.stop()


def _state(port: int, auction_id: int, token: str | None = None) -> dict:
    status, body = http("GET", port, f"/api/v1/auctions/{auction_id}/state", token=token)
    assert status == 200, body
    return body


def _bidder_not_leading(port: int, auction_id: int, tokens: list[str]) -> tuple[str, dict]:
    """A bidder who may raise now (the leader cannot outbid himself) and the state he sees."""
    for token in tokens:
        state = _state(port, auction_id, token)
        if state["leader_no"] != state["my_no"]:
            return token, state
    raise AssertionError("every bidder leads")


def _wait_until_nobody_online(auction_id: int) -> None:
    """The clients of earlier tests have left (their disconnects reach the servers asynchronously)."""
    import redis
    with redis.Redis.from_url(REDIS_URL) as r:
        deadline = time.monotonic() + EVENT_TIMEOUT
        def online() -> int:
            return r.zcount(f"{REDIS_PREFIX}:online:{auction_id}", time.time(), "+inf")
        while online() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert online() == 0, "participants of an earlier test are still online"


# ---- the tests -----------------------------------------------------------------------------------
@pytest.mark.redis
@pytest.mark.postgres
def test_a_bid_posted_to_one_process_reaches_the_clients_of_the_other(cluster):
    a, b, live = cluster["a"], cluster["b"], cluster["live"]
    watcher = Live(b.port)
    try:
        watcher.join(live)
        token, state = _bidder_not_leading(a.port, live, cluster["tokens"])
        status, body = http("POST", a.port, f"/api/v1/auctions/{live}/bids", {"amount": state["next_price"],
                                                                              "client_id": "mp-http-1"}, token)
        assert status == 201, body
        seen = watcher.next("bid", seq=body["bid"]["seq"])
        assert seen == {"auction_id": live, "seq": body["bid"]["seq"], "amount": state["next_price"],
                        "participant_no": state["my_no"], "at": body["bid"]["at"], "ends_at": body["state"]["ends_at"],
                        "next_price": body["state"]["next_price"], "auto": False}
    finally:
        watcher.close()


@pytest.mark.redis
@pytest.mark.postgres
def test_a_bid_sent_over_the_socket_of_one_process_reaches_the_clients_of_the_other(cluster):
    a, b, live = cluster["a"], cluster["b"], cluster["live"]
    watcher = Live(a.port)
    token, state = _bidder_not_leading(b.port, live, cluster["tokens"])
    bidder = Live(b.port, token)
    try:
        watcher.join(live)
        assert bidder.join(live)["my_no"] == state["my_no"]
        ack = bidder.call("bid", {"auction_id": live, "amount": state["next_price"], "client_id": "mp-socket-1"})
        assert ack == {"ok": True, "seq": state["seq"] + 1, "amount": state["next_price"], "client_id": "mp-socket-1"}
        seen = watcher.next("bid", seq=ack["seq"])
        assert (seen["amount"], seen["participant_no"]) == (state["next_price"], state["my_no"])
        assert _state(a.port, live)["price"] == state["next_price"]
    finally:
        bidder.close()
        watcher.close()


@pytest.mark.redis
@pytest.mark.postgres
def test_participants_online_are_counted_across_processes(cluster):
    a, b, live = cluster["a"], cluster["b"], cluster["live"]
    _wait_until_nobody_online(live)
    on_a = Live(a.port, cluster["tokens"][0])
    on_b = Live(b.port, cluster["tokens"][1])
    try:
        assert on_a.join(live)["my_no"] is not None
        assert on_a.next("state")["online"] == 1
        assert on_b.join(live)["my_no"] is not None
        assert on_b.next("state")["online"] == 2  # B counts A's participant
        assert on_a.next("state")["online"] == 2  # A hears B's arrival through Redis
    finally:
        on_a.close()
        on_b.close()


@pytest.mark.redis
@pytest.mark.postgres
def test_a_client_starting_with_long_polling_is_upgraded_to_a_websocket(cluster):
    client = Live(cluster["b"].port, transports=("polling", "websocket"))
    try:
        assert client.sio.transport() == "websocket"
        client.join(cluster["live"])
        assert client.next("state")["status"] == "open"
    finally:
        client.close()


@pytest.mark.redis
@pytest.mark.postgres
def test_websocket_only_clients_need_no_sticky_sessions(cluster):
    a, b, live = cluster["a"], cluster["b"], cluster["live"]
    balancer = RoundRobin([a.port, b.port])
    clients: list[Live] = []
    try:
        for _ in range(2):
            clients.append(Live(balancer.port, transports=("websocket",)))
            assert clients[-1].join(live)["ok"] is True
        assert balancer.used == [a.port, b.port]  # one client on each process
        token, state = _bidder_not_leading(balancer.port, live, cluster["tokens"])
        status, body = http("POST", balancer.port, f"/api/v1/auctions/{live}/bids",
                            {"amount": state["next_price"], "client_id": "mp-balanced-1"}, token)
        assert status == 201, body
        for c in clients:
            assert c.next("bid", seq=body["bid"]["seq"])["amount"] == state["next_price"]
    finally:
        for c in clients:
            c.close()
        balancer.close()


@pytest.mark.redis
@pytest.mark.postgres
def test_the_sweeper_of_one_process_fails_an_auction_before_the_clients_of_the_other(cluster):
    watcher, closing = cluster["closing_watcher"], cluster["closing"]
    wait = (cluster["closes_at"] - datetime.now(timezone.utc)).total_seconds() + EVENT_TIMEOUT
    state = watcher.next("state", timeout=max(wait, EVENT_TIMEOUT), status="failed")
    assert state["auction_id"] == closing and state["leader_no"] is None
    closed = watcher.next("closed")
    assert (closed["auction_id"], closed["outcome"], closed["winner_no"]) == (closing, "failed", None)
    status, auction = http("GET", cluster["b"].port, f"/api/v1/auctions/{closing}")
    assert (status, auction["status"], auction["failure_reason"]) == (200, "failed", "84.2")


@pytest.mark.redis
@pytest.mark.postgres
def test_mulik_run_serves_with_gevent_not_the_development_server(cluster):
    with urllib.request.urlopen(f"http://127.0.0.1:{cluster['a'].port}/api/v1/lots", timeout=10) as r:
        assert r.status == 200 and not r.headers.get("Server", "").startswith("Werkzeug")
    for server in (cluster["a"], cluster["b"]):
        assert "development server" not in server.log()


GEVENT_SNAPSHOTS = """
from gevent import monkey
monkey.patch_all()
import sys, time, gevent
from datetime import datetime, timezone
from sqlalchemy import text
from auction.clock import FakeClock
from tests.helpers import Mulik
from web import create_app
from web.live import snapshot
clock = FakeClock(datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc))
app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///" + sys.argv[1], "REDIS_URL": sys.argv[2],
                  "REDIS_PREFIX": sys.argv[3],
                  "CLOCK": clock, "SECRET_KEY": "t", "SWEEPER_INTERVAL": 0})
m = Mulik(app, clock)
bailiff, _, lot = m.ordered_lot()
auction = m.announce(bailiff, lot["id"])

def query():
    with app.extensions["mulik"]["sessions"]() as s:
        return s.execute(text("select count(*) from auctions")).scalar_one()

started = time.monotonic()
jobs = [gevent.spawn(snapshot, app, auction["id"]), gevent.spawn(query)]  # the query begins while the snapshot waits
gevent.joinall(jobs, raise_error=True)
print(jobs[0].value["status"], jobs[1].value, round(time.monotonic() - started, 1))
"""


@pytest.mark.redis
def test_state_snapshots_under_gevent_with_redis_do_not_freeze_a_sqlite_process(tmp_path):
    """Under gevent a Redis call yields; a snapshot must not yield inside its SQLite transaction,
    or the next transaction waits in SQLite's busy loop with the whole process frozen (30 s)."""
    require_redis()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULIK_")}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", GEVENT_SNAPSHOTS, str(tmp_path / "mulik.db"), REDIS_URL,
                           REDIS_PREFIX], cwd=root,
                          env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-3000:]
    status, auctions, seconds = done.stdout.split()
    assert (status, auctions) == ("announced", "1") and float(seconds) < 5, done.stdout


def _post(port: int, path: str, body: dict, token: str | None = None) -> tuple[int, dict, str | None]:
    """(status, body, Retry-After) of a JSON POST."""
    import json
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST", headers=headers,
                                 data=json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r), r.headers.get("Retry-After")
    except urllib.error.HTTPError as e:
        return e.code, json.load(e), e.headers.get("Retry-After")


@pytest.mark.redis
@pytest.mark.postgres
def test_bid_attempts_are_counted_once_across_processes_and_paths(cluster):
    """6 attempts a minute per participant per auction: 2 HTTP on A, 2 HTTP on B, 1 socket on each; the
    seventh, to either process by either path, is refused."""
    a, b, live = cluster["a"], cluster["b"], cluster["live"]
    status, body, _ = _post(a.port, "/api/v1/auth/login", {"email": cluster["spare"], "password": "password123"})
    assert status == 200, body
    token = body["token"]
    on_a, on_b = Live(a.port, token), Live(b.port, token)
    try:
        def http_bid(port, n):  # a price the auction refuses: counted, changes nothing
            return _post(port, f"/api/v1/auctions/{live}/bids", {"amount": "1.00", "client_id": f"mp-rl-{n}"}, token)

        def socket_bid(client, n):
            return client.call("bid", {"auction_id": live, "amount": "1.00", "client_id": f"mp-rl-{n}"})
        answers = [http_bid(a.port, 1)[0], http_bid(b.port, 2)[0], socket_bid(on_a, 3)["code"],
                   http_bid(a.port, 4)[0], http_bid(b.port, 5)[0], socket_bid(on_b, 6)["code"]]
        assert answers == [422, 422, "wrong_price", 422, 422, "wrong_price"]
        status, body, retry_after = http_bid(a.port, 7)
        assert (status, body["error"]["code"]) == (429, "rate_limited") and 1 <= int(retry_after) <= 60, body
        refused = socket_bid(on_b, 8)
        assert refused["code"] == "rate_limited" and 1 <= refused["retry_after"] <= 60
        assert http_bid(b.port, 9)[0] == 429
    finally:
        on_a.close()
        on_b.close()


@pytest.mark.redis
@pytest.mark.postgres
def test_failed_logins_are_counted_across_processes(cluster):
    a, b, email = cluster["a"], cluster["b"], cluster["spare"]
    statuses = [_post(port, "/api/v1/auth/login", {"email": email, "password": "wrong-password"})[0]
                for port in (a.port, b.port, a.port)]
    assert statuses == [401, 401, 401]
    status, body, retry_after = _post(b.port, "/api/v1/auth/login", {"email": email, "password": "password123"})
    assert (status, body["error"]["code"]) == (429, "rate_limited") and 1 <= int(retry_after) <= 15 * 60, body
