"""Start and stop the servers the socket benchmarks measure: `mulik run` (gevent) and the minimal
Node Socket.IO server; run the Node clients; read a process's memory and CPU time."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .common import NODE_DIR, PYTHON, ROOT, python_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after {timeout} s")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def mulik_server(db_url: str, *, redis_url: str | None = None, log: Path | None = None, env: dict | None = None):
    """`python -m web.cli run --no-demo` (it re-executes itself under gevent's monkey-patching); `env`: more
    MULIK_* settings."""
    port = free_port()
    environ = python_env()
    environ.update({"MULIK_DATABASE_URL": db_url, "MULIK_SECRET_KEY": "bench", **(env or {})})
    environ.pop("MULIK_ASYNC_MODE", None)
    if redis_url:
        environ["MULIK_REDIS_URL"] = redis_url
    else:
        environ.pop("MULIK_REDIS_URL", None)
    out = open(log, "a") if log else subprocess.DEVNULL
    proc = subprocess.Popen([PYTHON, "-m", "web.cli", "run", "--no-demo", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_port(port, proc)
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)
        if log:
            out.close()


@contextmanager
def node_server(start_price: str, step: str):
    port = free_port()
    proc = subprocess.Popen(["node", "server.js", str(port), start_price, step], cwd=NODE_DIR,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def node_clients(cfg: dict, timeout: float = 600) -> dict:
    """Run bench/node/clients.js in fan-out mode; its JSON summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cfg, f)
    try:
        proc = subprocess.run(["node", "clients.js", f.name], cwd=NODE_DIR, capture_output=True, text=True,
                              timeout=timeout)
    finally:
        os.unlink(f.name)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"node clients printed no result (exit {proc.returncode}): {proc.stderr[-500:]}")
    result = json.loads(lines[-1])
    if "error" in result:
        raise RuntimeError(f"node clients failed: {result['error'][:500]}")
    return result


@contextmanager
def idle_clients(cfg: dict, timeout: float = 600):
    """Start bench/node/clients.js in idle mode; yields (number connected, finish) once they are up;
    finish() closes them and returns the JSON summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({**cfg, "mode": "idle"}, f)
    proc = subprocess.Popen(["node", "clients.js", f.name], cwd=NODE_DIR, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line or line.startswith("connected") or line.startswith("{"):
                break
        if not line.startswith("connected"):
            raise RuntimeError(f"idle clients failed: {line.strip()[:300]} {proc.stderr.read()[-300:]}")
        connected = int(line.split()[1])

        def finish() -> dict:
            proc.stdin.write("close\n")
            proc.stdin.flush()
            rest = proc.stdout.read()
            proc.wait(timeout=120)
            lines = [ln for ln in rest.splitlines() if ln.startswith("{")]
            return json.loads(lines[-1]) if lines else {}
        yield connected, finish
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.unlink(f.name)
