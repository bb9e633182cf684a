"""One frame per broadcast (web/broadcast.py) seen by real clients of real gevent server processes.

Each server is the app of `web.create_app` served as `mulik run` serves it (gevent, gevent-websocket,
tests/broadcast_server.py), with a `/probe` namespace that broadcasts on demand; the clients are
python-socketio clients in this process, on websockets and one on long-polling. A broadcast is one packet
put on every socket's own queue: each client receives every message, in the order the server emitted it,
after what engine.io had queued on its socket before, and never one it was skipped for. With Redis, two
processes share the room: a client of one receives what the other broadcasts.
"""
from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import REDIS_PREFIX, REDIS_URL, clear_redis, require_redis
from ..live_client import EVENT_TIMEOUT, free_port, in_wire_order

ROOT = Path(__file__).resolve().parents[2]
ROOM = "auction:1"


class Server:
    """One gevent server process (tests/broadcast_server.py) in its own process group."""

    def __init__(self, tmp_path, name: str, redis_url: str | None = None):
        self.port, self.log_path = free_port(), tmp_path / f"{name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MULIK_")} | {"PYTHONPATH": str(ROOT)}
        args = [str(self.port), f"sqlite:///{tmp_path / f'{name}.db'}"]
        args += [redis_url, f"{REDIS_PREFIX}-broadcast"] if redis_url else []
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-P", "-m", "gevent.monkey", "--module",
                                          "tests.broadcast_server", *args], cwd=ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60  # a bound against a hung start, not a measured time
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"server {name} did not start:\n{self.log_path.read_text()[-3000:]}")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


class Probe:
    """A python-socketio client of `/probe` that records every event it receives, in order."""

    def __init__(self, port: int, transport: str | None = "websocket"):
        import socketio
        self.sio = socketio.Client(reconnection=False)
        in_wire_order(self.sio)  # the order the frames came, not the order the client's threads ran in
        self.events: queue.Queue = queue.Queue()
        for name in ("bid", "direct", "blob", "after"):
            self.sio.on(name, lambda data, name=name: self.events.put((name, data)), namespace="/probe")
        # None: long-polling first, then the upgrade to websocket, as a browser connects
        self.sio.connect(f"http://127.0.0.1:{port}", namespaces=["/probe"],
                         transports=[transport] if transport else None, wait_timeout=EVENT_TIMEOUT)
        self.joined = self.call("join", {"room": ROOM})

    def call(self, event: str, data: dict):
        return self.sio.call(event, data, namespace="/probe", timeout=EVENT_TIMEOUT)

    def take(self, count: int) -> list[tuple[str, dict]]:
        """The next `count` events, in the order they arrived."""
        out = []
        try:
            while len(out) < count:
                out.append(self.events.get(timeout=EVENT_TIMEOUT))
        except queue.Empty:
            pytest.fail(f"{count} events expected, {len(out)} received: {out[-5:]}")
        return out

    def nothing_more(self, settle: float = 0.5) -> list:
        try:
            return [self.events.get(timeout=settle)]
        except queue.Empty:
            return []

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()


@pytest.fixture
def servers(tmp_path, monkeypatch):
    # python-engineio's client refuses a polling answer of more than 16 packets, and a burst queues more on a
    # polling socket between two of its requests (the server sends them all in one answer, as it should)
    monkeypatch.setattr("engineio.payload.Payload.max_decode_packets", 1000)
    started: list[Server] = []
    clients: list[Probe] = []

    class Servers:
        @staticmethod
        def start(name: str = "A", redis_url: str | None = None) -> Server:
            started.append(Server(tmp_path, name, redis_url))
            return started[-1]

        @staticmethod
        def client(server: Server, transport: str | None = "websocket") -> Probe:
            clients.append(Probe(server.port, transport))
            return clients[-1]

    yield Servers
    for c in clients:
        c.close()
    for s in started:
        s.stop()


def subscribed(channel: str, processes: int) -> None:
    """Wait until `processes` servers listen on `channel` (each subscribes on its first connection)."""
    import redis
    deadline = time.monotonic() + EVENT_TIMEOUT
    with redis.Redis.from_url(REDIS_URL) as r:
        while dict(r.pubsub_numsub(channel)).get(channel.encode(), 0) < processes:
            if time.monotonic() > deadline:
                pytest.fail(f"fewer than {processes} servers subscribed to {channel}")
            time.sleep(0.05)


class SlowReader:
    """A raw websocket client of `/probe` with a receive buffer of 4 KiB that joins the room, then reads nothing
    until told: the server's writes to it fill the kernel's buffers and stop."""

    def __init__(self, port: int):
        import json

        import websocket
        self.json = json
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
                                              timeout=EVENT_TIMEOUT,
                                              sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),))
        assert self.ws.recv().startswith("0")  # engine.io's open packet
        self.ws.send("40/probe,")
        assert self.ws.recv().startswith("40/probe,")
        self.ws.send('42/probe,0["join",{"room":"%s"}]' % ROOM)
        assert self.json.loads(self.ws.recv().removeprefix("43/probe,0"))[0]["writer"] == "DirectWriter"

    def events(self, count: int) -> list[tuple[str, dict]]:
        out = []
        while len(out) < count:
            text = self.ws.recv()
            if text == "2":  # engine.io's ping
                self.ws.send("3")
            elif text.startswith("42/probe,"):
                name, data = self.json.loads(text.removeprefix("42/probe,"))
                out.append((name, data))
        return out

    def close(self) -> None:
        self.ws.close()


def bids(n: int) -> list[tuple[str, dict]]:
    return [("bid", {"seq": i}) for i in range(n)]


def test_every_client_receives_every_broadcast_in_the_order_emitted_on_websocket_polling_or_upgraded(servers):
    server = servers.start()
    bidder = servers.client(server)
    watchers = [servers.client(server) for _ in range(2)] + [servers.client(server, "polling"),
                                                             servers.client(server, None)]
    # the room's messages go through the one-frame manager, written as ready frames (web/broadcast.py)
    assert bidder.joined["manager"] == "OneFrameManager"
    assert bidder.joined["websocket"] == "FramedWebSocket"
    assert bidder.call("burst", {"room": ROOM, "n": 200}) == {"ok": True}
    for w in watchers:
        assert w.take(200) == bids(200)
        assert w.nothing_more() == []


def test_a_broadcast_never_overtakes_what_the_socket_had_queued_before(servers):
    server = servers.start()
    bidder, watcher = servers.client(server), servers.client(server)
    bidder.call("burst", {"room": ROOM, "n": 100})
    # each `direct` was queued on the bidder's socket by engine.io just before the `bid` broadcast
    assert bidder.take(200) == [e for i in range(100) for e in (("direct", {"i": i}), ("bid", {"seq": i}))]
    assert watcher.take(100) == bids(100)


def test_a_client_that_stops_reading_holds_nobody_up_and_gets_every_broadcast_in_order_later(servers):
    """On websocket a broadcast is written at once by the broadcaster (web/sockets.py `DirectWriter`); to a client
    whose buffers are full the rest waits in order for a writer greenlet of its own, which ends once written."""
    server = servers.start()
    bidder, watcher = servers.client(server), servers.client(server)
    assert watcher.joined["writer"] == "DirectWriter"
    slow = SlowReader(server.port)
    try:
        assert bidder.call("writing", {"room": ROOM}) == {"writing": 0}  # idle sockets: no writer greenlet
        n, pad = 200, 50_000  # 10 MB to each socket: more than the kernel's buffers of a connection hold (4 MiB)
        assert bidder.call("burst", {"room": ROOM, "n": n, "pad": pad, "skip_self": True}) == {"ok": True}
        assert [(name, d["seq"]) for name, d in watcher.take(n)] == [("bid", i) for i in range(n)]
        assert bidder.call("writing", {"room": ROOM}) == {"writing": 1}  # the slow reader's backlog, at work
        got = slow.events(n)
        assert [(name, d["seq"], len(d["pad"])) for name, d in got] == [("bid", i, pad) for i in range(n)]
        assert bidder.call("writing", {"room": ROOM}) == {"writing": 0}
        bidder.call("burst", {"room": ROOM, "n": 3, "skip_self": True})  # written at once again
        assert slow.events(3) == bids(3) and watcher.take(3) == bids(3)
    finally:
        slow.close()


def test_the_skipped_socket_gets_none_of_the_broadcast_and_the_others_all(servers):
    server = servers.start()
    bidder, watcher = servers.client(server), servers.client(server, "polling")
    bidder.call("burst", {"room": ROOM, "n": 20, "skip_self": True})
    assert bidder.take(20) == [("direct", {"i": i}) for i in range(20)]
    assert bidder.nothing_more() == []
    assert watcher.take(20) == bids(20)


def test_binary_data_and_a_socket_closed_by_the_server_take_their_own_path(servers):
    server = servers.start()
    leaving, watchers = servers.client(server), [servers.client(server), servers.client(server, "polling")]
    leaving.call("binary", {"room": ROOM})
    for c in (leaving, *watchers):
        assert c.take(1) == [("blob", {"bytes": b"\x00\x01mulik"})]
    leaving.sio.emit("closing", {"room": ROOM}, namespace="/probe")
    for w in watchers:
        assert w.take(1) == [("after", {"ok": True})]
    assert leaving.nothing_more() == []
    # the server goes on broadcasting to the sockets still open
    watchers[0].call("burst", {"room": ROOM, "n": 10})
    assert watchers[1].take(10) == bids(10)


@pytest.mark.redis
def test_over_redis_a_client_of_the_other_process_receives_the_broadcasts_in_order(servers):
    require_redis()
    clear_redis()
    a, b = servers.start("A", REDIS_URL), servers.start("B", REDIS_URL)
    bidder, near = servers.client(a), servers.client(a)
    far = [servers.client(b), servers.client(b, "polling")]
    assert far[0].joined["manager"] == "OneFrameRedisManager"
    subscribed(f"{REDIS_PREFIX}-broadcast:socketio", 2)
    bidder.call("burst", {"room": ROOM, "n": 100, "skip_self": True})
    for c in (near, *far):
        assert c.take(100) == bids(100)
    assert bidder.take(100) == [("direct", {"i": i}) for i in range(100)]
    assert bidder.nothing_more() == []
