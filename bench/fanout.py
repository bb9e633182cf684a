"""FAN-OUT: 1,000 Socket.IO clients in one auction room, 20 bids/s, bid-to-receipt latency.

Our server: `mulik run` (gevent, PostgreSQL `bench`), an auction open now with 8 admitted
bidders. The bidders send `bid` over their sockets in turn (8 bidders: 2.5 bids/s each, under the
5/s rate limit); every bid is stored, journaled and committed before its broadcast. The same
Node clients then drive the minimal Node Socket.IO server (bench/node/server.js), which checks the
price in memory and broadcasts the same payload. Latency is measured in the one client process:
from sending the bid to its acknowledgement, to its first receipt and to its last receipt.
"""
from __future__ import annotations

import os
from pathlib import Path

from .common import BENCH_PG_URL, node_ready, raise_nofile, reset_bench_db, say, seed_open_auctions, skip
from .servers import mulik_server, node_clients, node_server, rss_kb

RESULTS = Path(__file__).resolve().parent / "results"


def line(label: str, r: dict) -> str:
    f, la, a = r["first"], r["last"], r["ack"]
    text = (f"{r['receivers']} receivers (connected in {r['connect_s']:.1f} s), {r['bids_accepted']} bids at "
            f"{r['rate']:.1f}/s ({r['refused']} refused); of {r['measured']} measured: "
            f"ack p50 {a['p50']:.1f} / p99 {a['p99']:.1f} ms; "
            f"first receipt p50 {f['p50']:.1f} / p99 {f['p99']:.1f} ms; "
            f"last receipt p50 {la['p50']:.1f} / p99 {la['p99']:.1f} ms (max {la['max']:.1f})")
    if r["incomplete"] or r["lost"]:
        text += f"; {r['incomplete']} bids missed by some receivers, {r['lost']} by all"
    if r.get("server_cpu_s") is not None:
        text += (f"; server CPU {r['server_cpu_s'] * 1000 / max(r['bids_sent'], 1):.1f} ms per bid "
                 f"({r['server_cpu_s'] / r['bidding_s'] * 100:.0f}% of a core while bidding)")
    return f"[fanout/{label}] {text}"


def config(auction: dict, url: str, receivers: int, bidders: int = 8, bids: int = 300, rate: float = 20,
           server_pids=()) -> dict:
    return {"mode": "fanout", "server_pids": list(server_pids), "clk_tck": os.sysconf("SC_CLK_TCK"),
            "receiver_url": url, "bidder_url": url, "auction_id": auction["id"],
            "start_price": auction["start"], "step": auction["step"], "receivers": receivers, "rate": rate,
            "bids": bids, "warmup": 20, "concurrency": 50,
            "bidders": [{"token": b["token"], "participant_no": b["participant_no"]}
                        for b in auction["bidders"][:bidders]]}


def main(argv=()) -> dict | None:
    receivers = int(os.environ.get("MULIK_BENCH_CLIENTS", "1000"))
    why = node_ready()
    if why:
        skip("fanout", f"the clients are Node (socket.io-client): {why}")
        return None
    problem = reset_bench_db()
    if problem:
        skip("fanout", problem)
        return None
    raise_nofile()
    RESULTS.mkdir(exist_ok=True)
    auction, = seed_open_auctions(BENCH_PG_URL, auctions=1, bidders=8)
    res = {}
    with mulik_server(BENCH_PG_URL, log=RESULTS / "fanout-mulik.log") as (proc, url):
        r = node_clients(config(auction, url, receivers, server_pids=[proc.pid]))
        res["mulik"] = r
        say(line("mulik", r) + f"; server RSS {rss_kb(proc.pid) / 1024:.0f} MiB")
    with node_server(auction["start"], auction["step"]) as (proc, url):
        r = node_clients(config(auction, url, receivers, server_pids=[proc.pid]))
        res["node"] = r
        say(line("node", r) + f"; server RSS {rss_kb(proc.pid) / 1024:.0f} MiB")
    m, n = res["mulik"], res["node"]
    say(f"[fanout/ratio] mulik / node, p99: first receipt {m['first']['p99'] / n['first']['p99']:.2f}x, "
        f"last receipt {m['last']['p99'] / n['last']['p99']:.2f}x; "
        f"p50: first {m['first']['p50'] / n['first']['p50']:.2f}x, "
        f"last {m['last']['p50'] / n['last']['p50']:.2f}x")
    return res
