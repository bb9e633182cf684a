"""TWO PROCESSES + REDIS: the latency Redis adds when the bidder is on process A and the receivers
on process B (`MULIK_REDIS_URL`: Flask-SocketIO's message queue), against one process.

Three runs, the same clients (bench/node/clients.js), `receivers` watchers and `rate` bids/s:
1. one process, no Redis;
2. one process with the Redis message queue (every broadcast goes through Redis and back);
3. the bidders on process A, the receivers on process B, both with the Redis message queue.
Redis: a private `redis-server` on a free port (pub/sub channels are shared by every database
of a server, so a shared one would mix these broadcasts with other users' rooms); without the
binary, MULIK_BENCH_REDIS_URL.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .common import (
    BENCH_PG_URL,
    BENCH_REDIS_URL,
    node_ready,
    raise_nofile,
    reset_bench_db,
    say,
    seed_open_auctions,
    skip,
)
from .fanout import config, line
from .servers import free_port, mulik_server, node_clients

RESULTS = Path(__file__).resolve().parent / "results"


@contextmanager
def private_redis():
    if not shutil.which("redis-server"):
        yield BENCH_REDIS_URL
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", tmp], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            import redis
            r = redis.Redis(port=port)
            for _ in range(50):
                try:
                    r.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.1)
            r.close()
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _redis_ok(url: str) -> str | None:
    try:
        import redis
        with redis.Redis.from_url(url, socket_connect_timeout=2) as r:
            r.ping()
        return None
    except Exception as exc:  # report, do not fail
        return f"Redis at {url} unreachable ({exc.__class__.__name__})"


def main(argv=()) -> dict | None:
    receivers = int(os.environ.get("MULIK_BENCH_REDIS_CLIENTS", "200"))
    rate, bids = 10.0, 200
    why = node_ready()
    if why:
        skip("redis", f"the clients are Node (socket.io-client): {why}")
        return None
    raise_nofile()
    RESULTS.mkdir(exist_ok=True)
    res = {}
    with private_redis() as redis_url:
        why = _redis_ok(redis_url)
        if why:
            skip("redis", why)
            return None
        runs = (("one process", None, False), ("one process + Redis queue", redis_url, False),
                ("bidder on A, receivers on B, Redis", redis_url, True))
        for label, queue, two in runs:
            problem = reset_bench_db()
            if problem:
                skip("redis", problem)
                return None
            auction, = seed_open_auctions(BENCH_PG_URL, auctions=1, bidders=8)
            with ExitStack() as stack:
                a_proc, a_url = stack.enter_context(mulik_server(BENCH_PG_URL, redis_url=queue,
                                                                 log=RESULTS / "redis-mulik-a.log"))
                b_proc, b_url = (stack.enter_context(mulik_server(BENCH_PG_URL, redis_url=queue,
                                                                  log=RESULTS / "redis-mulik-b.log"))
                                 if two else (a_proc, a_url))
                cfg = config(auction, a_url, receivers, bids=bids, rate=rate,
                             server_pids=[a_proc.pid, b_proc.pid] if two else [a_proc.pid])
                cfg["receiver_url"] = b_url
                r = node_clients(cfg)
            res[label] = r
            say(line(label, r).replace("[fanout/", "[redis/"))
    base = res["one process"]
    for label in ("one process + Redis queue", "bidder on A, receivers on B, Redis"):
        r = res[label]
        say(f"[redis/added] {label} vs one process: "
            f"first receipt p50 {r['first']['p50'] - base['first']['p50']:+.1f} ms, "
            f"p99 {r['first']['p99'] - base['first']['p99']:+.1f} ms; last receipt p50 "
            f"{r['last']['p50'] - base['last']['p50']:+.1f} ms, p99 {r['last']['p99'] - base['last']['p99']:+.1f} ms")
    return res
