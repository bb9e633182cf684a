"""SCALE: 1, 2 and 4 `mulik run` processes (gevent) behind nginx, one PostgreSQL database, the Redis
message queue (issue 15 point 5; docs/deployment.md "Beyond one machine").

For each number of processes N, the same deployment as docs/deployment.md: N processes on distinct
ports with MULIK_DATABASE_URL (PostgreSQL `bench`) and MULIK_REDIS_URL (a private redis-server, as the
`redis` figure), nginx in front (bench/nginx.py: `ip_hash`, websocket upgrade); every client goes
through nginx, its socket bound to one of 200 loopback addresses in distinct /24 networks, so that
ip_hash spreads the clients over the processes (the spread reached is printed, from /proc/net/tcp).

(a) bids: the 4 admitted bidders of each of 100 auctions open now (bench/common.py seed_open_auctions)
    connect over Socket.IO, join their auction's room and bid for MULIK_BENCH_SECONDS, each sending the
    next price it knows when it does not lead (bench/node/clients.js mode "bids"), at most 48 bids in
    flight over all (PostgreSQL here allows 100 connections, shared; each process's pool takes up to 30).
    Decisions/s (every answer: accepted or refused) and accepted bids/s; the accepted bids are checked
    against the auctions' `seq` in the database. The bid limit (5/s per participant) is raised for it.
(b) fan-out: MULIK_BENCH_SCALE_CLIENTS receivers (5,000) watch one more auction, its bidders bid at
    MULIK_BENCH_SCALE_RATE bids/s (5) over the socket; bid-to-last-receipt latency (bench/fanout.py's
    clients and line).

The machine of docs/performance.md has 2 cores: N processes, nginx, Redis, PostgreSQL and the Node
clients share them, so N > 2 cannot add CPU; the figure shows what the processes cost and whether the
shared parts (Redis, PostgreSQL) hold. Environment: MULIK_BENCH_SECONDS (10), MULIK_BENCH_SCALE_CLIENTS
(5000), MULIK_BENCH_SCALE_RATE (5), MULIK_BENCH_SCALE_AUCTIONS (100), MULIK_BENCH_SCALE_INFLIGHT (48),
MULIK_BENCH_SCALE_PROCESSES ("1,2,4"). Server logs: bench/results/scale-*.log.
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from .common import (
    BENCH_PG_URL,
    busy_share,
    cpu_busy,
    node_ready,
    raise_nofile,
    reset_bench_db,
    say,
    seed_open_auctions,
    skip,
)
from .fanout import config as fanout_config
from .fanout import line as fanout_line
from .nginx import loopback_sources, nginx, nginx_binary, workers
from .redis_fanout import _redis_ok, private_redis
from .servers import cpu_s, mulik_server, node_clients

RESULTS = Path(__file__).resolve().parent / "results"
SOURCES = 200  # loopback source addresses, one /24 network each
BIDDERS = 4  # per auction
IDLE_S = 5.0  # seconds the idle processes are measured


def _settings(n: int) -> dict:
    # every process the same settings, as docs/deployment.md; the bid limit raised: the figure is capacity
    return {"MULIK_BID_RATE_LIMIT": "1000000/second", "MULIK_TRUSTED_PROXIES": "1",
            "MULIK_REDIS_PREFIX": f"bench-scale-{n}"}


# ---- what the database says ----------------------------------------------------------------------------
def _money(tiyn: int) -> str:
    return f"{tiyn // 100}.{tiyn % 100:02d}"


def auction_rows(ids: list[int]) -> dict[int, dict]:
    """Each auction's current price (as a string), seq and leader, from the database."""
    from sqlalchemy import create_engine, text
    engine = create_engine(BENCH_PG_URL)
    with engine.connect() as conn:
        rows = conn.execute(text("select id, current_price, seq, leader_no from auctions where id = any(:ids)"),
                            {"ids": ids}).all()
    engine.dispose()
    return {r[0]: {"start": _money(int(r[1])), "seq": r[2], "leader_no": r[3]} for r in rows}


# ---- where the connections went --------------------------------------------------------------------------
def established(ports: list[int]) -> dict[int, int]:
    """Established TCP connections whose local port is one of `ports` (the servers' side), /proc/net/tcp."""
    wanted = {f"{p:04X}": p for p in ports}
    counts = dict.fromkeys(ports, 0)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for ln in lines:
            f = ln.split(None, 4)
            if len(f) > 3 and f[3] == "01":
                port = wanted.get(f[1].rsplit(":", 1)[1])
                if port is not None:
                    counts[port] += 1
    return counts


class Spread:
    """Samples established() every 2 s while the clients run; keeps the largest total seen."""

    def __init__(self, ports: list[int]):
        self.ports, self.best, self._stop = ports, dict.fromkeys(ports, 0), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(2.0):
            now = established(self.ports)
            if sum(now.values()) > sum(self.best.values()):
                self.best = now

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def text(self) -> str:
        return "/".join(str(self.best[p]) for p in self.ports)


class Cpu:
    """CPU seconds of the servers and of nginx, and the machine's busy share, over a block."""

    def __init__(self, servers: list[int], balancer: int):
        self.servers, self.balancer = servers, [balancer, *workers(balancer)]

    def _read(self, pids):
        total = 0.0
        for pid in pids:
            try:
                total += cpu_s(pid)
            except OSError:
                pass
        return total

    def __enter__(self):
        self.t0, self.busy0 = time.monotonic(), cpu_busy()
        self.s0, self.n0 = self._read(self.servers), self._read(self.balancer)
        return self

    def __exit__(self, *exc):
        wall = time.monotonic() - self.t0
        self.busy = busy_share(self.busy0, cpu_busy())
        self.server_share = (self._read(self.servers) - self.s0) / wall
        self.nginx_share = (self._read(self.balancer) - self.n0) / wall

    def text(self) -> str:
        return (f"servers {self.server_share * 100:.0f}% of a core, nginx {self.nginx_share * 100:.0f}%, "
                f"machine busy {self.busy * 100:.0f}% of {os.cpu_count()} cores (connecting included)")


# ---- the two figures --------------------------------------------------------------------------------------
def run_bids(auctions: list[dict], url: str, *, tag: str, seconds: float, inflight: int, pids: list[int],
             ports: list[int], balancer: int) -> dict:
    """The bids figure; `tag` prefixes the client ids (distinct per run: a repeated one is answered, not decided)."""
    ids = [a["id"] for a in auctions]
    before = auction_rows(ids)
    cfg = {"mode": "bids", "url": url, "seconds": seconds, "inflight": inflight, "concurrency": 50, "tag": tag,
           "local_addresses": loopback_sources(SOURCES), "server_pids": pids, "clk_tck": os.sysconf("SC_CLK_TCK"),
           "auctions": [{"id": a["id"], "step": a["step"], **before[a["id"]],
                         "bidders": [{"token": b["token"], "participant_no": b["participant_no"]}
                                     for b in a["bidders"]]} for a in auctions]}
    with Spread(ports) as spread, Cpu(pids, balancer) as cpu:
        r = node_clients(cfg)
    after = auction_rows(ids)
    r["db_accepted"] = sum(after[i]["seq"] - before[i]["seq"] for i in ids)  # = accepted + accepted_late
    r["rate"], r["accepted_rate"] = r["decisions"] / r["elapsed"], r["accepted"] / r["elapsed"]
    r["spread"], r["cpu"] = spread.text(), cpu.text()
    r["cpu_ms"] = r["server_cpu_s"] * 1000 / max(r["decisions"], 1) if r.get("server_cpu_s") is not None else None
    return r


def bids_line(n: int, r: dict) -> str:
    lat = r["latency"]
    others = ", ".join(f"{k} {v}" for k, v in sorted(r["codes"].items()))
    return (f"[scale/bids N={n}] {r['bidders']} bidders over {r['auctions']} auctions through nginx "
            f"(connected in {r['connect_s']:.1f} s, per process {r['spread']}"
            + (f", {r['connect_errors']} failed: {r['first_error']}" if r["connect_errors"] else "") +
            f"), {r['elapsed']:.1f} s: {r['rate']:,.0f} decisions/s, accepted {r['accepted']:,} = "
            f"{r['accepted_rate']:,.0f}/s, refused {r['refused']:,}" + (f" ({others})" if others else "") +
            f"; {r['late']} answered after the window ({r['accepted_late']} accepted, the last "
            f"{r['drained_s'] - r['elapsed']:.1f} s after); database: {r['db_accepted']:,} bids accepted"
            f"; answer p50 {lat['p50']:.1f} / p99 {lat['p99']:.1f} ms"
            + (f"; server CPU {r['cpu_ms']:.1f} ms per decision" if r["cpu_ms"] is not None else "")
            + f"; {r['cpu']}")


def run_fanout(auction: dict, url: str, *, tag: str, receivers: int, rate: float, seconds: float, pids: list[int],
               ports: list[int], balancer: int) -> dict:
    now = auction_rows([auction["id"]])[auction["id"]]
    bids = max(int(seconds * rate), 20)
    cfg = fanout_config({**auction, "start": now["start"]}, url, receivers, bids=bids, rate=rate, server_pids=pids)
    cfg.update({"local_addresses": loopback_sources(SOURCES), "warmup": min(20, bids // 4), "tag": tag})
    with Spread(ports) as spread, Cpu(pids, balancer) as cpu:
        r = node_clients(cfg, timeout=900)
    r["spread"], r["cpu"] = spread.text(), cpu.text()
    return r


# ---- the benchmark --------------------------------------------------------------------------------------
def _knobs() -> dict:
    e = os.environ.get
    return {"seconds": float(e("MULIK_BENCH_SECONDS", "10")), "receivers": int(e("MULIK_BENCH_SCALE_CLIENTS", "5000")),
            "rate": float(e("MULIK_BENCH_SCALE_RATE", "5")), "auctions": int(e("MULIK_BENCH_SCALE_AUCTIONS", "100")),
            "inflight": int(e("MULIK_BENCH_SCALE_INFLIGHT", "48")),
            "processes": [int(x) for x in e("MULIK_BENCH_SCALE_PROCESSES", "1,2,4").split(",") if x.strip()]}


def server_errors(logs: dict[Path, int]) -> str:
    """The exceptions the servers logged since the given offsets of their logs, by kind (the last line of
    each traceback), e.g. `OperationalError: ... too many clients already`."""
    kinds = Counter()
    for log, offset in logs.items():
        with open(log, errors="replace") as f:
            f.seek(offset)
            for ln in f:
                m = re.match(r"^([\w.]+(?:Error|Exception)): (.*)", ln)
                if m:
                    kinds[f"{m.group(1).rsplit('.', 1)[-1]}: {m.group(2).split(': ')[-1][:60]}"] += 1
    return "; ".join(f"{v} x {k}" for k, v in kinds.most_common(4)) or "none"


def one_deployment(n: int, exe: str, redis_url: str, auctions: list[dict], watched: dict, k: dict) -> dict:
    """N processes and nginx up; the bids figure, then the fan-out figure; everything stopped."""
    logs = {RESULTS / f"scale-{n}-{i + 1}.log": 0 for i in range(n)}
    for log in logs:
        logs[log] = log.stat().st_size if log.exists() else 0
    with ExitStack() as stack:
        servers = [stack.enter_context(mulik_server(BENCH_PG_URL, redis_url=redis_url, env=_settings(n),
                                                    log=log)) for log in logs]
        pids = [p.pid for p, _ in servers]
        ports = [int(u.rsplit(":", 1)[1]) for _, u in servers]
        balancer, url, _ = stack.enter_context(nginx(exe, [u.removeprefix("http://") for _, u in servers]))
        common = {"pids": pids, "ports": ports, "balancer": balancer.pid}
        with Cpu(pids, balancer.pid) as idle:  # what N processes cost doing nothing: sweepers, presence renewal
            time.sleep(IDLE_S)
        say(f"[scale N={n}] {n} processes on ports {', '.join(map(str, ports))} behind nginx at {url}; idle, "
            f"they use {idle.server_share * 100:.0f}% of a core ({IDLE_S:.0f} s); load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        b = run_bids(auctions, url, tag=f"n{n}b", seconds=k["seconds"], inflight=k["inflight"], **common)
        say(bids_line(n, b))
        f = run_fanout(watched, url, tag=f"n{n}f", receivers=k["receivers"], rate=k["rate"], seconds=k["seconds"],
                       **common)
        say(fanout_text(n, f))
    say(f"[scale N={n}] exception lines in the servers' logs (bench/results/scale-{n}-*.log): {server_errors(logs)}")
    return {"bids": b, "fanout": f}


def fanout_text(n: int, r: dict) -> str:
    failed = f"; {r['connect_errors']} receivers failed to connect: {r['first_error']}" if r["connect_errors"] else ""
    where = f"; receivers per process {r['spread']}; {r['cpu']}{failed}"
    if r["last"]["p50"] is None or r["first"]["p50"] is None:  # fanout.line needs a complete receipt
        return (f"[scale/fanout N={n}] {r['receivers']} receivers, {r['bids_accepted']} bids accepted of "
                f"{r['bids_sent']}: no measured bid reached every receiver ({r['incomplete']} partly, {r['lost']} "
                f"by none)" + where)
    return fanout_line(f"N={n}", r).replace("[fanout/", "[scale/fanout ") + where


def summary(res: dict, k: dict) -> None:
    base = res[min(res)]["bids"] if res else None
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    say(f"[scale] summary ({os.cpu_count()} cores shared by the N processes, nginx, Redis, PostgreSQL and the "
        f"clients; load average now {load}):")
    say("[scale]   N | decisions/s | accepted/s | x first N | fan-out receivers | last receipt p50 / p99 ms")
    for n, r in sorted(res.items()):
        b, f = r["bids"], r["fanout"]
        say(f"[scale]   {n} | {b['rate']:11,.0f} | {b['accepted_rate']:10,.0f} | "
            f"{b['rate'] / base['rate']:9.2f} | {f['receivers']:,} of {k['receivers']:,} at {f['rate']:.1f} bids/s | "
            f"{_ms(f['last']['p50'])} / {_ms(f['last']['p99'])}")


def _ms(value) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def main(argv=()) -> dict | None:
    k = _knobs()
    exe, why = nginx_binary()
    if not exe:
        skip("scale", why)
        return None
    why = node_ready()
    if why:
        skip("scale", f"the clients are Node (socket.io-client): {why}")
        return None
    problem = reset_bench_db()
    if problem:
        skip("scale", problem)
        return None
    limit = raise_nofile(max(20000, k["receivers"] + 2000))
    if limit < k["receivers"] + 1000:
        say(f"[scale] open-file limit {limit}: receivers cut from {k['receivers']:,} to {limit - 1000:,}")
        k["receivers"] = limit - 1000
    RESULTS.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    *auctions, watched = seed_open_auctions(BENCH_PG_URL, auctions=k["auctions"] + 1, bidders=BIDDERS)
    say(f"[scale] seeded {k['auctions'] + 1} auctions open now, {BIDDERS} admitted bidders each "
        f"({time.perf_counter() - t0:.0f} s); {SOURCES} client source addresses 127.0.k.1")
    res = {}
    with private_redis() as redis_url:
        why = _redis_ok(redis_url)
        if why:
            skip("scale", why)
            return None
        for n in k["processes"]:
            try:
                res[n] = one_deployment(n, exe, redis_url, auctions, watched, k)
            except Exception as exc:  # one N's failure does not hide the others' figures
                say(f"[scale N={n}] FAILED: {exc.__class__.__name__}: {str(exc)[:500]}")
    summary(res, k)
    return res
