"""Who is in which auction room now (Art. 84.4): the presence registry the opening asks (through the
unit of work's `online`) and the live layer keeps (web/live.py adds and removes connections). In one
process by default; in Redis, shared by every process, when there is a Redis (service/bootstrap.py)."""
from __future__ import annotations

import threading
from collections import defaultdict

from auction.clock import wall_seconds


class Presence:
    """Who is in which auction room now, as participant numbers (Art. 84.4, SPEC §3: a participant
    is online while a live connection of theirs has joined the room).

    `add` registers a live connection (keyed by its socket id) until `remove` (leave or
    disconnect). `report` registers a client that reports its presence over HTTP
    (`http:<user id>`); it counts for `ttl` seconds. In-process by default; `RedisPresence`
    shares it across server processes."""

    TTL = 60.0
    renews = False  # whether live connections need `renew` (a crashed process leaves no trace in-process)

    def __init__(self, ttl: float = TTL, wall=wall_seconds):
        # The leases run on the machine's wall clock, not on the platform clock: they measure
        # whether a connection is alive, not legal time.
        self.ttl, self.wall = ttl, wall
        self._rooms: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)  # auction -> key -> (no, until)
        self._lock = threading.Lock()

    def add(self, auction_id: int, key: str, participant_no: int) -> None:
        with self._lock:
            self._rooms[auction_id][key] = (participant_no, float("inf"))

    def report(self, auction_id: int, key: str, participant_no: int) -> None:
        with self._lock:
            self._rooms[auction_id][key] = (participant_no, self.wall() + self.ttl)

    def renew(self, entries: list[tuple[int, str, int]]) -> None:
        """Extend the leases of this process's live connections: (auction_id, key, participant_no)."""

    def remove(self, auction_id: int, key: str, participant_no: int) -> None:
        with self._lock:
            self._rooms[auction_id].pop(key, None)

    def online(self, auction_id: int) -> set[int]:
        now = self.wall()
        with self._lock:
            return {no for no, until in self._rooms[auction_id].values() if until > now}


class RedisPresence(Presence):
    """Presence in Redis, shared by every process: a sorted set per auction, member
    `<participant_no>:<key>`, score = the end of its lease (Unix time). Each process renews the
    leases of its live connections every `ttl / 3` seconds, so the connections of a process that
    crashed stop counting within `ttl` seconds."""

    renews = True

    MAX_CONNECTIONS = 50  # per process; a call beyond them waits for one (up to WAIT seconds)
    WAIT = 10.0

    def __init__(self, url: str, ttl: float = Presence.TTL, wall=wall_seconds, prefix: str = "mulik",
                 max_connections: int = MAX_CONNECTIONS):
        import redis
        super().__init__(ttl, wall)
        # redis-py's default pool raises MaxConnectionsError past 100 connections: 400 participants leaving
        # one gevent process at once lost some of their removals (docs/performance.md section 5). This pool
        # makes a call wait for a free connection instead (gevent's queue once the process is patched).
        self.r = redis.Redis(connection_pool=redis.BlockingConnectionPool.from_url(
            url, max_connections=max_connections, timeout=self.WAIT))
        self.prefix = prefix

    def _key(self, auction_id: int) -> str:
        return f"{self.prefix}:online:{auction_id}"

    def add(self, auction_id, key, participant_no):
        self.renew([(auction_id, key, participant_no)])

    def report(self, auction_id, key, participant_no):
        self.renew([(auction_id, key, participant_no)])

    def renew(self, entries):
        if not entries:
            return
        now = self.wall()
        pipe = self.r.pipeline(transaction=False)
        for auction_id, key, no in entries:
            pipe.zadd(self._key(auction_id), {f"{no}:{key}": now + self.ttl})
        for auction_id in {e[0] for e in entries}:  # expired leases go; an idle room's set expires
            pipe.zremrangebyscore(self._key(auction_id), "-inf", now)
            pipe.expire(self._key(auction_id), int(self.ttl * 2))
        pipe.execute()

    def remove(self, auction_id, key, participant_no):
        self.r.zrem(self._key(auction_id), f"{participant_no}:{key}")

    def online(self, auction_id):
        members = self.r.zrangebyscore(self._key(auction_id), self.wall(), "+inf")
        return {int(m.split(b":", 1)[0]) for m in members}
