"""nginx in front of several `mulik run` processes (docs/deployment.md): Debian's package, a config
generated into a temporary directory, nginx run as its own process (`-p dir -c conf -g 'daemon off;'`),
no system file touched.

The upstream is sticky by client address (`ip_hash`), as a deployment with long-polling clients needs.
ip_hash keys an IPv4 client by its first three octets, so clients that must spread over the processes
come from different /24 networks of the loopback: `loopback_sources()` gives 127.0.k.1 addresses
(Linux routes all of 127.0.0.0/8 to `lo`), and the Node clients bind their sockets to them.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .servers import _stop, free_port, wait_port

CONFIG = """\
worker_processes {workers};
worker_rlimit_nofile {nofile};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections {connections};
}}

http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;

    upstream mulik {{
        ip_hash;                                # sticky by client address (its first three octets)
{servers}
    }}

    map $http_upgrade $connection_upgrade {{    # websocket upgrade; plain requests keep "close"
        default upgrade;
        ''      close;
    }}

    server {{
        listen {listen};

        location / {{
            proxy_pass http://mulik;
            proxy_http_version 1.1;             # websockets need HTTP/1.1 to the upstream
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;                # live messages are not held back
            proxy_read_timeout 120s;            # above Engine.IO's 25 s ping interval
        }}
    }}
}}
"""


def config(upstreams: list[str], listen: str, prefix: str, *, connections: int = 16384) -> str:
    """The nginx.conf the benchmark runs: `upstreams` as host:port, nginx listening on `listen`."""
    servers = "\n".join(f"        server {u};" for u in upstreams)
    return CONFIG.format(workers="auto", nofile=connections * 2 + 100, connections=connections, prefix=prefix,
                         servers=servers, listen=listen)


def nginx_binary() -> tuple[str | None, str]:
    """nginx's path, installing Debian's package when it is missing and we may (root, apt-get); else (None, why)."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "nginx is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "nginx is not installed (Debian: apt-get install -y nginx, as root)"
    out = subprocess.run(["apt-get", "install", "-y", "nginx"], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        return None, f"apt-get install -y nginx failed: {(out.stderr or out.stdout).strip()[-300:]}"
    return found, ""


def loopback_sources(n: int) -> list[str]:
    """n source addresses in n different /24 networks of the loopback (127.0.1.1, 127.0.2.1, ...)."""
    return [f"127.{k // 250}.{k % 250 + 1}.1" for k in range(n)]


def workers(master_pid: int) -> list[int]:
    """The worker processes of an nginx master (its children)."""
    try:
        return [int(x) for x in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]
    except OSError:
        return []


@contextmanager
def nginx(exe: str, upstreams: list[str]):
    """nginx balancing over `upstreams`; yields (process, its URL, the config text)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mulik-nginx-") as prefix:
        text = config(upstreams, f"127.0.0.1:{port}", prefix)
        conf = Path(prefix) / "nginx.conf"
        conf.write_text(text)
        test = subprocess.run([exe, "-t", "-p", prefix, "-e", f"{prefix}/error.log", "-c", str(conf)],
                              capture_output=True, text=True, timeout=30)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t refused the generated config: {test.stderr.strip()[-400:]}")
        proc = subprocess.Popen([exe, "-p", prefix, "-e", f"{prefix}/error.log", "-c", str(conf),
                                 "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(port, proc)
            yield proc, f"http://127.0.0.1:{port}", text
        finally:
            _stop(proc)
