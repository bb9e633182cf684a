"""A real Mulik server process for the broadcast tests (tests/integration/test_broadcast.py), as `mulik run` serves:
`python -P -m gevent.monkey --module tests.broadcast_server PORT DATABASE_URL [REDIS_URL REDIS_PREFIX]`.

The app of `web.create_app` (its client manager, web/broadcast.py) under gevent and gevent-websocket, served
by web/cli.py's own `_serve_gevent`, with a namespace `/probe` the tests drive:
- `join {room}` -> joins it; the answer names this process's client manager, websocket wrapper and the caller's
  socket's writer (`DirectWriter` on websocket, none on long-polling);
- `burst {room, n, skip_self, pad}` -> without yielding, n times: a `direct {i}` packet put on the caller's socket
  by engine.io itself (as an acknowledgement is), then `bid {seq: i}` broadcast to the room (with `pad`
  characters more, to fill a slow reader's buffers);
- `writing {room}` -> how many sockets of the room have a writer greenlet at work now;
- `binary {room}` -> a broadcast with bytes in it; `closing {room}` -> the caller's socket is closed by the
  server, then a broadcast to the room.
"""
from __future__ import annotations

import sys

from flask import request
from flask_socketio import Namespace, join_room
from socketio import packet as sio_packet


def probe(socketio):
    server = socketio.server

    class Probe(Namespace):
        def on_join(self, data):
            join_room(data["room"])
            writer = getattr(self._socket().queue, "_writer", None)
            return {"sid": request.sid, "manager": type(server.manager).__name__,
                    "websocket": server.eio._async["websocket"].__name__,
                    "writer": type(writer).__name__ if writer is not None else None}

        def _socket(self):
            return server.eio.sockets[server.manager.eio_sid_from_sid(request.sid, "/probe")]

        def on_writing(self, data):
            busy = 0
            for _, eio_sid in server.manager.get_participants("/probe", data["room"]):
                writer = getattr(server.eio.sockets[eio_sid].queue, "_writer", None)
                busy += writer is not None and writer.task is not None and not writer.task.dead
            return {"writing": busy}

        def on_burst(self, data):
            eio_sid = server.manager.eio_sid_from_sid(request.sid, "/probe")
            skip = request.sid if data.get("skip_self") else None
            pad = {"pad": "x" * data["pad"]} if data.get("pad") else {}
            for i in range(data["n"]):
                server._send_packet(eio_sid, server.packet_class(sio_packet.EVENT, namespace="/probe",
                                                                 data=["direct", {"i": i}]))
                socketio.emit("bid", {"seq": i, **pad}, to=data["room"], namespace="/probe", skip_sid=skip)
            return {"ok": True}

        def on_binary(self, data):
            socketio.emit("blob", {"bytes": b"\x00\x01mulik"}, to=data["room"], namespace="/probe")
            return {"ok": True}

        def on_closing(self, data):
            server.eio.sockets[server.manager.eio_sid_from_sid(request.sid, "/probe")].close(wait=False)
            socketio.emit("after", {"ok": True}, to=data["room"], namespace="/probe")

    return Probe("/probe")


def main(port: int, database_url: str, redis_url: str | None = None, prefix: str = "mulik") -> None:
    from web import create_app, socketio
    from web.cli import _serve_gevent
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "REDIS_PREFIX": prefix,
                      "SECRET_KEY": "broadcast-test", "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False})
    socketio.on_namespace(probe(socketio))
    _serve_gevent(app, "127.0.0.1", port)


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
