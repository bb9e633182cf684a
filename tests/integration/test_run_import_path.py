"""`mulik run` started from a directory that holds modules named like the application's: the real
application answers, and nothing of that directory is imported (issue 11)."""
from __future__ import annotations

import json
import os

import pytest

from ..live_client import free_port, serve_once

HOSTILE = """
import pathlib
pathlib.Path(__file__).with_suffix(".imported").write_text("imported")
print("HOSTILE {name} IMPORTED", flush=True)
raise SystemExit("the {name} of the current directory was imported")
"""




@pytest.mark.parametrize("async_mode", ["gevent", "threading"])
def test_mulik_run_from_a_directory_with_a_hostile_web_py_serves_the_real_application(tmp_path, async_mode):
    cwd = tmp_path / "downloads"
    cwd.mkdir()
    for name in ("web", "auction", "service", "gevent"):
        (cwd / f"{name}.py").write_text(HOSTILE.format(name=f"{name}.py"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH", "MULIK_ENV")}
    env.update(MULIK_DATABASE_URL=f"sqlite:///{tmp_path / 'mulik.db'}", MULIK_SECRET_KEY="cwd-test",
               MULIK_REDIS_URL="", MULIK_ASYNC_MODE=async_mode, PYTHONUNBUFFERED="1")
    (_status, _headers, body), output = serve_once(
        ["run", "--no-demo", "--port", str(port)], cwd=cwd, env=env,
        url=f"http://127.0.0.1:{port}/api/v1/openapi.json", log_path=tmp_path / "server.log")
    spec = json.loads(body)
    assert spec["info"]["title"] == "Mulik"
    assert "/api/v1/auctions/{auction_id}/applications" in spec["paths"]
    assert "HOSTILE" not in output
    # not production: it says it is a demo (issue 11 point 2; production: test_production_mode.py)
    assert "development mode" in output and "dev payments on" in output and "not for production" in output
    assert sorted(p.name for p in cwd.iterdir() if p.suffix == ".imported") == []
