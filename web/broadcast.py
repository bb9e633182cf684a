"""One frame per broadcast (issue 15 point 4): a room's message encoded and framed once, queued on every socket.

python-socketio's `Manager.emit` encodes the Socket.IO packet once per emit, but then, per recipient, looks
the engine.io socket up, checks its ping timeout, queues the packet and logs it (`engineio.Socket.send`:
a logger call per recipient even with logging off), and the socket's writer frames it again
(geventwebsocket: the text to UTF-8, a header, the two joined), ~30 µs per recipient in a profile of
1,000 receivers. Here an emit without a callback makes ONE `Broadcast` packet: the engine.io text encoded
once, its websocket frame built once (on its first write); the same object goes on each recipient socket's
own queue. The socket's writer greenlet takes packets from that queue in order, so a broadcast goes out
after whatever the socket had queued before (its own answers, the bids before) and before what it queues
after: the order per socket is the order of the emits, as with the stock manager. Under gevent the writer
writes the ready frame (web/sockets.py); a polling client gets the same text in its payload.

Binary data (a header packet and its attachments) is queued the same way, encoded per write (`Binary`). An emit
with a callback (an ack id per recipient) takes python-socketio's own path; so do the engine.io sockets' own
packets (ping, close, noop, acknowledgements).
"""
from __future__ import annotations

import socketio
from engineio import packet as eio_packet
from socketio import packet as sio_packet

from .sockets import Text, engineio_time, lighten


class Broadcast(eio_packet.Packet):
    """An engine.io MESSAGE packet whose encoding is fixed at construction: the same text for every socket,
    on either transport (the polling payload joins the texts; `b64` only matters for binary packets)."""

    def __init__(self, encoded: str):
        super().__init__(eio_packet.MESSAGE, encoded)
        self.encode_cache = Text(f"{eio_packet.MESSAGE}{encoded}")

    def encode(self, b64=False):
        return self.encode_cache


class Binary(eio_packet.Packet):
    """A binary engine.io packet shared by sockets of both transports: encoded per write, never cached (engine.io's
    cache would hand the websocket's bytes to a polling payload, which wants base64 text: a TypeError there,
    which python-socketio's own manager meets when one room has both)."""

    def encode(self, b64=False):
        self.encode_cache = None
        return super().encode(b64)


class OneFrameManager(socketio.Manager):
    """The in-process client manager (one server process): rooms as python-socketio keeps them, emits as above."""

    def set_server(self, server):
        super().set_server(server)
        lighten(server.eio)  # under gevent: ready frames written, lighter sockets (web/sockets.py)

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        room = to or room
        if callback is not None or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs)
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        if isinstance(encoded, list):  # binary: a header packet and its attachments
            self.deliver([Binary(eio_packet.MESSAGE, p) for p in encoded], namespace, room, skip_sid)
        else:
            self.deliver([Broadcast(encoded)], namespace, room, skip_sid)

    def deliver(self, pkts: list[eio_packet.Packet], namespace: str, room, skip_sid=None) -> int:
        """Put `pkts` on the queue of every socket of `room` but `skip_sid` (a sid or a list); to how many."""
        skip = skip_sid if isinstance(skip_sid, list) else () if skip_sid is None else (skip_sid,)
        eio = self.server.eio
        sockets, now, timeout, sent = eio.sockets, engineio_time(), eio.ping_timeout, 0
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            s = sockets.get(eio_sid)
            if s is None or s.closed:
                # python-socketio's own way: engine.io forgets a socket closed meanwhile (its disconnect takes it
                # out of the rooms); Flask-SocketIO's test client, whose sockets engine.io does not hold, receives
                for pkt in pkts:
                    self.server._send_eio_packet(eio_sid, pkt)
                continue
            if s.last_ping and now - s.last_ping > timeout:
                s.send(pkts[0])  # a client silent past its ping timeout: engine.io's own send closes it
                continue
            for pkt in pkts:
                s.queue.put(pkt)
            sent += 1
        return sent


class OneFrameRedisManager(socketio.RedisManager, OneFrameManager):
    """Several processes (MULIK_REDIS_URL): python-socketio's Redis manager, each process delivering to its own
    sockets as above. In this order PubSubManager's local delivery (`super().emit` in `_handle_emit`, and the
    `ignore_queue` emit) resolves to `OneFrameManager.emit`, then `socketio.Manager` for the fallbacks."""


def client_manager(redis_url: str | None = None, channel: str = "socketio") -> socketio.Manager:
    """The manager `socketio.init_app(client_manager=...)` is given: in-process, or over Redis."""
    return OneFrameRedisManager(redis_url, channel=channel) if redis_url else OneFrameManager()
