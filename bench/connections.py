"""CONNECTIONS: idle Socket.IO clients one gevent process (`mulik run`) holds, and memory per
connection (server RSS delta / clients). Each client connects over websocket to /live and joins
an auction room, as a watcher does, then stays idle across an engine.io ping interval (25 s).
"""
from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path

from .common import BENCH_PG_URL, node_ready, raise_nofile, reset_bench_db, say, seed_open_auctions, skip
from .servers import cpu_s, idle_clients, mulik_server, rss_kb

RESULTS = Path(__file__).resolve().parent / "results"
HOLD_S = 30  # longer than the ping interval: the server must answer every client's ping meanwhile


def main(argv=()) -> dict | None:
    want = int(os.environ.get("MULIK_BENCH_IDLE", "10000"))
    why = node_ready()
    if why:
        skip("connections", f"the clients are Node (socket.io-client): {why}")
        return None
    problem = reset_bench_db()
    if problem:
        skip("connections", problem)
        return None
    limit = raise_nofile(want * 2)
    if limit < want + 500:
        say(f"[connections] open-file limit {limit}: trying {limit - 500} clients instead of {want}")
        want = limit - 500
    RESULTS.mkdir(exist_ok=True)
    auction, = seed_open_auctions(BENCH_PG_URL, auctions=1, bidders=2)
    with mulik_server(BENCH_PG_URL, log=RESULTS / "connections-mulik.log") as (proc, url):
        urllib.request.urlopen(f"{url}/api/v1/lots", timeout=30).read()  # warm: first request, pool
        time.sleep(1)
        before, cpu0 = rss_kb(proc.pid), cpu_s(proc.pid)
        t0 = time.perf_counter()
        with idle_clients({"url": url, "auction_id": auction["id"], "clients": want, "join": "--no-join" not in argv,
                           "concurrency": 100}) as (connected, finish):
            took = time.perf_counter() - t0
            after = rss_kb(proc.pid)
            cpu_connect = cpu_s(proc.pid) - cpu0
            time.sleep(HOLD_S)
            held_rss = rss_kb(proc.pid)
            cpu_idle = cpu_s(proc.pid) - cpu0 - cpu_connect
            t1 = time.perf_counter()
            urllib.request.urlopen(f"{url}/api/v1/auctions/{auction['id']}/state", timeout=60).read()
            http_ms = (time.perf_counter() - t1) * 1000
            summary = finish()
        per = (held_rss - before) / max(connected, 1)
        first_error = f", first: {summary['first_error']}" if summary.get("first_error") else ""
        say(f"[connections] {connected:,} of {want:,} clients connected and joined in {took:.0f} s "
            f"({summary.get('connect_errors', '?')} errors{first_error}); "
            f"{summary.get('alive', '?'):,} still connected after {HOLD_S} s idle; "
            f"server RSS {before / 1024:.0f} MiB -> "
            f"{after / 1024:.0f} MiB (connected) -> {held_rss / 1024:.0f} MiB (after {HOLD_S} s): "
            f"{per:.1f} KiB per connection; server CPU {cpu_connect:.1f} s to accept and join, "
            f"{cpu_idle / HOLD_S * 100:.0f}% of a core while idle (pings); GET state meanwhile {http_ms:.0f} ms")
        return {"connected": connected, "alive": summary.get("alive"), "kib_per_connection": per,
                "rss_before_kib": before, "rss_after_kib": held_rss, "connect_s": took}
