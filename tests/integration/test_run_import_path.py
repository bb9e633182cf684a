"""`mulik run` started from a directory that holds modules named like the application's: the real
application answers, and nothing of that directory is imported (issue 11)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HOSTILE = """
import pathlib
pathlib.Path(__file__).with_suffix(".imported").write_text("imported")
print("HOSTILE {name} IMPORTED", flush=True)
raise SystemExit("the {name} of the current directory was imported")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mulik() -> str:
    script = Path(sys.executable).parent / "mulik"
    if not script.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    return str(script)


@pytest.mark.parametrize("async_mode", ["gevent", "threading"])
def test_mulik_run_from_a_directory_with_a_hostile_web_py_serves_the_real_application(tmp_path, async_mode):
    cwd = tmp_path / "downloads"
    cwd.mkdir()
    for name in ("web", "auction", "service", "gevent"):
        (cwd / f"{name}.py").write_text(HOSTILE.format(name=f"{name}.py"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH", "MULIK_ENV")}
    env.update(MULIK_DATABASE_URL=f"sqlite:///{tmp_path / 'mulik.db'}", MULIK_SECRET_KEY="cwd-test",
               MULIK_REDIS_URL="", MULIK_ASYNC_MODE=async_mode, PYTHONUNBUFFERED="1")
    log_path = tmp_path / "server.log"
    with open(log_path, "w+") as log:
        proc = subprocess.Popen([_mulik(), "run", "--no-demo", "--port", str(port)], cwd=cwd, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            spec, deadline = None, time.monotonic() + 60  # a bound against a hung start, not a measured time
            while spec is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5) as r:
                        spec = json.load(r)
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        pytest.fail(f"`mulik run` did not answer:\n{log.read()[-3000:]}")
                    time.sleep(0.2)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.seek(0)
        output = log.read()
    assert spec["info"]["title"] == "Mulik"
    assert "/api/v1/auctions/{auction_id}/applications" in spec["paths"]
    assert "HOSTILE" not in output
    # not production: it says it is a demo (issue 11 point 2; production: test_production_mode.py)
    assert "development mode" in output and "dev payments on" in output and "not for production" in output
    assert sorted(p.name for p in cwd.iterdir() if p.suffix == ".imported") == []
