"""`mulik run` as `make run` starts it (issue 13 point 9): it says what it is doing, takes its port,
and logs each request it serves."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..live_client import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_mulik_run_serves_on_the_port_given_and_logs_each_request(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULIK_")}
    env["MULIK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.db'}"
    command = [sys.executable, "-m", "web.cli", "run", "--no-demo", "--access-log", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            out.append(line)
            if line.startswith("Mulik on http://127.0.0.1:") or not line:
                break
        assert out[-1].startswith(f"Mulik on http://127.0.0.1:{port}/"), "".join(out)
        assert "Preparing the database (migrations to the head revision) ...\n" in out
        status = None
        while status is None and time.monotonic() < deadline:  # "Mulik on" is said just before it listens
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/lots?per_page=1", timeout=30) as answer:
                    status = answer.status
            except urllib.error.URLError:
                time.sleep(0.2)
        assert status == 200
        logged = server.stdout.readline()  # the request's line (the pipe is closed if the server stops)
        while logged and "GET /api/v1/lots?per_page=1" not in logged:
            logged = server.stdout.readline()
        assert "GET /api/v1/lots?per_page=1 HTTP/1.1" in logged and " 200 " in logged, logged
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()
