"""`MULIK_ENV=production mulik run` (the real command, a subprocess): a demo setting stops it before it
serves, with the setting named on stderr and a non-zero exit; with every setting safe it serves, with
HSTS (issue 11 point 2). The same check in-process: tests/unit/test_production_config.py."""
from __future__ import annotations

import os
import subprocess

import pytest

from ..live_client import free_port, mulik_script, serve_once

SAFE = {"MULIK_ENV": "production", "MULIK_SECRET_KEY": "k" * 64, "MULIK_WEBHOOK_SECRET": "w" * 64,
        "MULIK_DEV_PAYMENTS": "false", "MULIK_SESSION_COOKIE_SECURE": "true"}


def _env(tmp_path, **changes) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MULIK_") and k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    env.update(SAFE, MULIK_DATABASE_URL=f"sqlite:///{tmp_path / 'mulik.db'}", MULIK_REDIS_URL="",
               MULIK_SWEEPER_INTERVAL="0", PYTHONUNBUFFERED="1")
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@pytest.mark.parametrize("changes, named", [
    ({"MULIK_SECRET_KEY": None}, "MULIK_SECRET_KEY is not set"),
    ({"MULIK_SECRET_KEY": "change-me"}, "MULIK_SECRET_KEY is a published demo value"),
    ({"MULIK_WEBHOOK_SECRET": None}, "MULIK_WEBHOOK_SECRET is a published demo value"),  # the default
    ({"MULIK_WEBHOOK_SECRET": ""}, "MULIK_WEBHOOK_SECRET is not set"),
    ({"MULIK_DEV_PAYMENTS": None}, "MULIK_DEV_PAYMENTS is on"),
    ({"MULIK_SESSION_COOKIE_SECURE": None}, "MULIK_SESSION_COOKIE_SECURE is not true"),
])
def test_production_refuses_to_start_with_a_demo_setting_and_names_it(tmp_path, changes, named):
    proc = subprocess.run([mulik_script(), "run", "--no-demo", "--port", str(free_port())], cwd=tmp_path,
                          env=_env(tmp_path, **changes), capture_output=True, text=True,
                          timeout=120)  # a bound against a hung start, not a measured time
    assert proc.returncode != 0
    assert "MULIK_ENV=production refuses to start" in proc.stderr and named in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Mulik on http" not in proc.stdout  # it never served
    assert not (tmp_path / "mulik.db").exists()


def test_production_with_every_setting_safe_serves_with_hsts_and_no_demo(tmp_path):
    port = free_port()
    answer, output = serve_once(["run", "--port", str(port)], cwd=tmp_path, env=_env(tmp_path),
                                url=f"http://127.0.0.1:{port}/api/v1/lots", log_path=tmp_path / "server.log")
    status, headers, body = answer
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert b'"items": []' in body or b'"items":[]' in body  # production seeds no demo lots
    assert "Production mode (MULIK_ENV=production)" in output and "development mode" not in output
