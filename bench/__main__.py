"""`make bench` = `python -m bench all`: the figures of docs/performance.md. Prints, asserts nothing.

    python -m bench [micro|ingest|fanout|connections|redis|scale|all] [--profile]

- micro: sequential and racing bids, the lot catalogue, the calendar (SQLite and PostgreSQL);
- ingest: bid decisions/s on one hot auction, 32 bidders, durable PostgreSQL, vs pgbench;
- fanout: 1,000 Socket.IO clients in one room, 20 bids/s, bid-to-receipt latency, vs Node;
- connections: idle Socket.IO connections one gevent process holds, memory per connection;
- redis: bidder on process A, receivers on process B (Redis message queue) vs one process;
- scale: 1, 2, 4 processes behind nginx (ip_hash, websockets): bids/s over 100 auctions, fan-out to 5,000.

A figure whose tool (pgbench, Node, PostgreSQL, Redis, nginx) is missing is skipped with the reason.
Environment: MULIK_BENCH_POSTGRES_URL (database `bench`, created and emptied), MULIK_BENCH_REDIS_URL
(used only when redis-server is not installed), MULIK_BENCH_SECONDS (ingest and scale figures, 10),
MULIK_BENCH_PROCS (ingest bidder processes, 2), MULIK_BENCH_CLIENTS (fan-out receivers, 1000),
MULIK_BENCH_IDLE (idle connections, 10000), MULIK_BENCH_REDIS_CLIENTS (redis receivers, 200),
MULIK_BENCH_SWITCH_INTERVAL (an experiment: the GIL switch interval of the ingest bidders, seconds),
MULIK_BENCH_SCALE_* (scale: CLIENTS 5000, RATE 5, AUCTIONS 100, INFLIGHT 48, PROCESSES "1,2,4"; bench/scale.py).
The run ends with one line `RESULT ingest_ratio=… accepted_ratio=… fanout_p99_ratio=… kib_per_conn=…`
(ours ÷ the reference of the same run). Results: docs/performance.md; server logs of the socket benchmarks:
bench/results/ (not committed).
"""
from __future__ import annotations

import sys
import time
import traceback

from .common import print_machine, say

NAMES = ("micro", "ingest", "fanout", "connections", "redis", "scale")


def _run(name: str, argv):
    import importlib
    module = importlib.import_module(f"bench.{'redis_fanout' if name == 'redis' else name}")
    t0 = time.perf_counter()
    result = None
    try:
        result = module.main(argv)
    except Exception:  # one benchmark's failure does not stop the others: print it
        say(f"[{name}] FAILED:\n{traceback.format_exc()}")
    say(f"[{name}] took {time.perf_counter() - t0:.0f} s")
    return result


def _ratio(ours, reference) -> str:
    return f"{ours / reference:.2f}" if ours is not None and reference else "n/a"


def result_line(results: dict) -> str:
    """The run's one summary line (issue 15): ours / the reference of the same run, same work; n/a where a part
    was skipped. ingest: decisions/s and accepted bids/s against PostgreSQL alone doing place_bid's work
    (bench/ingest.py SAME_WORK_SQL: pgbench calling the platform's own mulik_place_bid), on one hot auction and
    (many_) across 100; fan-out: last-receipt p99 against Node; memory per idle connection."""
    ingest = results.get("ingest") or {}
    ours, same = ingest.get("ours"), ingest.get("same-work")
    many, many_same = ingest.get("many-ours"), ingest.get("many-same-work")
    fanout = results.get("fanout") or {}
    mulik, node = fanout.get("mulik"), fanout.get("node")
    connections = results.get("connections") or {}
    kib = connections.get("kib_per_connection")
    return ("RESULT "
            f"ingest_ratio={_ratio(ours and ours['rate'], same and same['rate'])} "
            f"accepted_ratio={_ratio(ours and ours['accepted_rate'], same and same['accepted_rate'])} "
            f"many_accepted_ratio={_ratio(many and many['accepted_rate'], many_same and many_same['accepted_rate'])} "
            f"fanout_p99_ratio={_ratio(mulik and mulik['last']['p99'], node and node['last']['p99'])} "
            f"kib_per_conn={f'{kib:.1f}' if kib is not None else 'n/a'}")


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or ["all"]
    if "all" in names:
        names = list(NAMES)
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        print(__doc__)
        return 2
    print_machine()
    results = {name: _run(name, argv) for name in names}
    say(result_line(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
