"""`make bench` = `python -m bench all`: the figures of docs/performance.md. Prints, asserts nothing.

    python -m bench [micro|ingest|fanout|connections|redis|all] [--profile]

- micro: sequential and racing bids, the lot catalogue, the calendar (SQLite and PostgreSQL);
- ingest: bid decisions/s on one hot auction, 32 bidders, durable PostgreSQL, vs pgbench;
- fanout: 1,000 Socket.IO clients in one room, 20 bids/s, bid-to-receipt latency, vs Node;
- connections: idle Socket.IO connections one gevent process holds, memory per connection;
- redis: bidder on process A, receivers on process B (Redis message queue) vs one process.

A figure whose tool (pgbench, Node, PostgreSQL, Redis) is missing is skipped with the reason.
Environment: MULIK_BENCH_POSTGRES_URL (database `bench`, created and emptied), MULIK_BENCH_REDIS_URL
(used only when redis-server is not installed), MULIK_BENCH_SECONDS (ingest duration, 10),
MULIK_BENCH_PROCS (ingest bidder processes, 2), MULIK_BENCH_CLIENTS (fan-out receivers, 1000),
MULIK_BENCH_IDLE (idle connections, 10000), MULIK_BENCH_REDIS_CLIENTS (redis receivers, 200),
MULIK_BENCH_SWITCH_INTERVAL (an experiment: the GIL switch interval of the ingest bidders, seconds).
Results: docs/performance.md; server logs of the socket benchmarks: bench/results/ (not committed).
"""
from __future__ import annotations

import sys
import time
import traceback

from .common import print_machine, say

NAMES = ("micro", "ingest", "fanout", "connections", "redis")


def _run(name: str, argv) -> None:
    import importlib
    module = importlib.import_module(f"bench.{'redis_fanout' if name == 'redis' else name}")
    t0 = time.perf_counter()
    try:
        module.main(argv)
    except Exception:  # one benchmark's failure does not stop the others: print it
        say(f"[{name}] FAILED:\n{traceback.format_exc()}")
    say(f"[{name}] took {time.perf_counter() - t0:.0f} s")


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or ["all"]
    if "all" in names:
        names = list(NAMES)
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        print(__doc__)
        return 2
    print_machine()
    for name in names:
        _run(name, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
