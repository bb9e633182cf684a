"""Real clients of a real server: HTTP over urllib, the `/live` namespace over python-socketio."""
from __future__ import annotations

import json
import os
import queue
import socket
import time
import urllib.error
import urllib.request

import pytest

EVENT_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, port: int, path: str, body: dict | None = None, token: str | None = None):
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, json.load(e)


def in_wire_order(sio) -> None:
    """Hand each received message to the client's handlers in the reader's thread, in the order it came off the
    wire: python-engineio's client starts a thread per message (`run_async=True`), so under load two handlers can
    run, and record, in the other order, and a test of the server's order would see the client's scheduling."""
    eio = sio.eio
    trigger = eio._trigger_event

    def in_order(event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return trigger(event, *args, **kwargs)
    eio._trigger_event = in_order


class Live:
    """A python-socketio client of the `/live` namespace that records every event it receives (in wire order)."""

    EVENTS = ("state", "bid", "price", "closed", "rejected")

    def __init__(self, port: int, token: str | None = None, transports=("websocket",)):
        import socketio
        self.sio = socketio.Client(reconnection=False)
        in_wire_order(self.sio)
        self.events: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, dict]] = []
        for name in self.EVENTS:
            self.sio.on(name, self._recorder(name), namespace="/live")
        self.sio.connect(f"http://127.0.0.1:{port}", namespaces=["/live"], transports=list(transports),
                         auth={"token": token} if token else None, wait_timeout=EVENT_TIMEOUT)

    def _recorder(self, name):
        return lambda data: self.events.put((name, data))

    def join(self, auction_id: int, last_seq: int | None = None) -> dict:
        body = {"auction_id": auction_id} | ({"last_seq": last_seq} if last_seq is not None else {})
        return self.sio.call("join", body, namespace="/live", timeout=EVENT_TIMEOUT)

    def call(self, event: str, data: dict) -> dict:
        return self.sio.call(event, data, namespace="/live", timeout=EVENT_TIMEOUT)

    def next(self, name: str, timeout: float = EVENT_TIMEOUT, **match) -> dict:
        """The next `name` event whose fields equal `match`; fails with everything seen meanwhile."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                kind, data = self.events.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append((kind, data))
            if kind == name and all(data.get(k) == v for k, v in match.items()):
                return data
        pytest.fail(f"no {name} {match} within {timeout:.0f} s; received {self.seen}")

    def received(self, settle: float = 0.3) -> list[tuple[str, dict]]:
        """Every event not yet taken, once nothing new has arrived for `settle` seconds."""
        out = []
        while True:
            try:
                out.append(self.events.get(timeout=settle))
            except queue.Empty:
                self.seen += out
                return out

    def close(self) -> None:
        self.sio.disconnect()

    def drop(self) -> None:
        """The connection drops (the TCP socket closes without a goodbye), as when a laptop lid
        closes; the client then notices it is disconnected."""
        eio = self.sio.eio
        if eio.state == "connected" and eio.ws is not None:
            # shutdown() wakes the client's read loop blocked in recv(); a bare close() would not
            # (Linux), and the client would only notice with the next packet from the server
            try:
                eio.ws.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            eio.ws.shutdown()
            deadline = time.monotonic() + EVENT_TIMEOUT
            while self.sio.connected and time.monotonic() < deadline:
                time.sleep(0.01)
        if self.sio.connected:
            self.sio.disconnect()
        if getattr(eio, "ws", None) is not None:  # a connection the server dropped first (killed) is closed too
            eio.ws.shutdown()




def mulik_script() -> str:
    """The installed `mulik` console script of this interpreter's environment."""
    import sys
    from pathlib import Path
    script = Path(sys.executable).parent / "mulik"
    if not script.exists():
        reason = f"the console script is not installed next to {sys.executable} (make .venv/.installed)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs it: {reason}")
        pytest.skip(reason)
    return str(script)


def serve_once(args: list[str], *, cwd, env: dict, url: str, log_path) -> tuple[tuple, str]:
    """Start `mulik <args>` in `cwd`, wait until `url` answers, stop it: ((status, headers, body), output)."""
    import subprocess
    with open(log_path, "w+") as log:
        proc = subprocess.Popen([mulik_script(), *args], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            answer, deadline = None, time.monotonic() + 60  # a bound against a hung start, not a measured time
            while answer is None:
                try:
                    with urllib.request.urlopen(url, timeout=5) as r:
                        answer = (r.status, dict(r.headers), r.read())
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        pytest.fail(f"`mulik {' '.join(args)}` did not answer:\n{log.read()[-3000:]}")
                    time.sleep(0.2)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.seek(0)
        return answer, log.read()
