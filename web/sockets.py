"""engine.io's sockets under gevent, lighter: ready frames written, a writer and pings without timers, a small queue.

Installed on the server's engine.io (`lighten`) by the client manager (web/broadcast.py) when it serves under
gevent with gevent-websocket (`mulik run`); other modes keep engine.io's own. Measured per idle connection
and per broadcast recipient in docs/performance.md ("One frame per broadcast"):
- `FramedWebSocket` writes a broadcast's websocket frame, built once (`Text`), as it is;
- `_websocket_handler`: once on websocket, a packet queued for the socket is written at once by whoever queues it
  (`DirectWriter`), a greenlet started only when the kernel's send buffer is full; engine.io's own keeps a writer
  greenlet per connection waiting on the queue (~6 KiB of an idle connection: its frame stack, its saved C
  stack, the greenlet), and switches to it for every packet;
- `_timed_ping`: a ping waits on a libev timer, not in a greenlet of its own;
- `SocketQueue`: a socket's send queue in ~0.3 KiB instead of gevent's JoinableQueue (~3.7 KiB).

engine.io's socket handler is replaced, so python-engineio is pinned (pyproject.toml): the copy below follows
its version 4.15.1 line by line, but for the writer.
"""
from __future__ import annotations

import time

from engineio import packet as eio_packet


def engineio_time() -> float:
    """The time engine.io keeps its sockets' `last_ping` in (`time.time()`, engineio/socket.py compares it so): the
    transport's ping bookkeeping, never a time of the platform's rules, which comes from its one clock
    (auction/clock.py). Every read of it in the web layer is here, so that the two cannot be mixed up."""
    return time.time()


class Text(str):
    """An engine.io packet's text, with its websocket text frame (header + UTF-8) built once."""

    __slots__ = ("_frame",)

    def frame(self) -> bytes:
        try:
            return self._frame
        except AttributeError:
            from geventwebsocket.websocket import Header, WebSocket
            payload = str.encode(self, "utf-8")
            self._frame = bytes(Header.encode_header(True, WebSocket.OPCODE_TEXT, b"", len(payload), 0)) + payload
            return self._frame


def lighten(eio) -> None:
    """This engine.io server's driver table (a copy, not engine.io's own) with the websocket wrapper and the
    sockets' queue below, under gevent with gevent-websocket."""
    if eio.async_mode != "gevent":
        return  # threading (tests, `flask run`): simple-websocket frames each text itself; the packet is shared
    from engineio.async_drivers import gevent as driver
    if driver.SimpleWebSocketWSGI is not None:
        return  # gevent without gevent-websocket
    eio._async = {**eio._async, "websocket": _framed_websocket(driver.WebSocketWSGI), "queue": SocketQueue}


def _framed_websocket(base):
    from geventwebsocket.exceptions import WebSocketError
    from geventwebsocket.websocket import MSG_ALREADY_CLOSED, MSG_SOCKET_DEAD

    class FramedWebSocket(base):
        """engine.io's gevent-websocket wrapper; a `Text` is written as its ready frame. A failed write raises
        as geventwebsocket's own send does. Serving an engine.io socket, it runs `_websocket_handler` in place of
        engine.io's."""

        def __init__(self, handler, server):
            super().__init__(handler, server)
            sock = getattr(handler, "__self__", None)  # the engine.io socket whose `_websocket_handler` this runs
            if sock is not None and isinstance(sock.queue, SocketQueue):
                self.app = _websocket_handler(sock)
                sock.schedule_ping = _timed_ping(sock)

        def send(self, message):
            if type(message) is not Text:
                return super().send(message)
            ws = self._sock
            if ws.closed:
                raise WebSocketError(MSG_ALREADY_CLOSED)
            try:
                ws.raw_write(message.frame())
            except OSError:
                raise WebSocketError(MSG_SOCKET_DEAD) from None
    return FramedWebSocket


def frame_of(pkt) -> bytes:
    """An engine.io packet's websocket frame: a broadcast's built once (`Text`), any other's built here, as
    geventwebsocket's `send` builds it (text for a str, binary for bytes)."""
    from geventwebsocket.websocket import Header, WebSocket
    encoded = pkt.encode()
    if type(encoded) is Text:
        return encoded.frame()
    if isinstance(encoded, str):
        payload, opcode = encoded.encode("utf-8"), WebSocket.OPCODE_TEXT
    else:
        payload, opcode = bytes(encoded), WebSocket.OPCODE_BINARY
    return bytes(Header.encode_header(True, opcode, b"", len(payload), 0)) + payload


class DirectWriter:
    """A websocket's writer without a greenlet of its own while it has nothing to write.

    `put(pkt)` writes the packet's frame at once with a non-blocking send, in the caller (a broadcast, a handler's
    answer, the ping timer in gevent's hub: none of them blocks). When the kernel takes only part of it (the
    client reads slower than we write), the rest and every later packet wait in `backlog`, written in order by
    a greenlet started for them that ends when the backlog is empty. A packet put while that greenlet works goes
    behind the backlog, so the order on the wire is the order of the puts, and two frames never interleave:
    a non-blocking send does not yield. None (engine.io's end of the writer) and a failed write end it as
    engine.io's writer ends: the websocket closed, nothing written after."""

    __slots__ = ("ws", "sock", "backlog", "task", "ended")

    def __init__(self, ws):
        self.ws = ws  # engine.io's wrapper (FramedWebSocket); ws._sock is geventwebsocket's WebSocket
        self.sock = ws._sock.handler.socket  # the connection's gevent socket (its `_sock`: the OS socket)
        self.backlog = None  # a deque while a writer greenlet is at work
        self.task = None
        self.ended = False

    def put(self, pkt) -> None:
        if self.ended:
            return
        if self.backlog is not None:
            self.backlog.append(pkt)
            return
        if pkt is not None and not self.ws._sock.closed:
            frame = frame_of(pkt)
            try:
                sent = self.sock._sock.send(frame)
            except OSError:  # EAGAIN: the buffer is full; a dead socket fails again in the writer, which ends
                sent = 0
            if sent == len(frame):
                return
            pkt = frame[sent:]
        from collections import deque

        import gevent
        self.backlog = deque((pkt,))
        self.task = gevent.spawn(self._drain)

    def _drain(self) -> None:
        from engineio import packet as eio_packet
        backlog = self.backlog
        try:
            while backlog:
                item = backlog.popleft()
                if item is None or self.ws._sock.closed:
                    break
                self.sock.sendall(frame_of(item) if isinstance(item, eio_packet.Packet) else item)
            else:
                self.backlog = None  # all written: the next packet is written at once again
                return
        except Exception:  # engine.io's writer: any failure to write ends it
            pass
        self.ended = True
        self.backlog = None
        self.ws.close()

    def join(self, timeout=None) -> bool:
        """Until what was put is written (engine.io's `queue.join()` when it closes a socket)."""
        task = self.task
        if task is not None and not task.dead:
            task.join(timeout)
            return task.dead
        return True

    def pending(self) -> int:
        return len(self.backlog) if self.backlog is not None else 0


def _websocket_handler(sock):
    """engine.io's `Socket._websocket_handler` (python-engineio 4.15.1) with a `DirectWriter` for its writer
    greenlet: the upgrade's probe and the reading loop as there; once the socket is on websocket, its queue
    hands every packet to the writer, those queued during the upgrade first."""
    from engineio import exceptions
    from engineio import packet as pk
    server = sock.server

    def handler(ws):
        def websocket_wait():
            data = ws.wait()
            if data and len(data) > server.max_http_buffer_size:
                raise ValueError("packet is too large")
            return data

        for attr in ("_sock", "socket"):  # as engine.io: a socket timeout matching the ping interval and timeout
            if hasattr(ws, attr) and hasattr(getattr(ws, attr), "settimeout"):
                getattr(ws, attr).settimeout(server.ping_interval + server.ping_timeout)
        if sock.connected:  # an upgrade from long-polling
            sock.upgrading = True  # hold packet sends during the upgrade
            pkt = websocket_wait()
            decoded = pk.Packet(encoded_packet=pkt)
            if decoded.packet_type != pk.PING or decoded.data != "probe":
                server.logger.info("%s: Failed websocket upgrade, no PING packet", sock.sid)
                sock.upgrading = False
                return []
            ws.send(pk.Packet(pk.PONG, data="probe").encode())
            sock.queue.put(pk.Packet(pk.NOOP))  # end poll
            pkt = websocket_wait()
            decoded = pk.Packet(encoded_packet=pkt)
            if decoded.packet_type != pk.UPGRADE:
                sock.upgraded = False
                server.logger.info("%s: Failed websocket upgrade, expected UPGRADE packet, received %s instead.",
                                   sock.sid, pkt)
                sock.upgrading = False
                return []
            sock.upgraded = True
            sock.upgrading = False
        else:
            sock.connected = True
            sock.upgraded = True
        writer = DirectWriter(ws)
        sock.queue.attach(writer)
        server.logger.info("%s: Upgrade to websocket successful", sock.sid)
        while True:
            p = None
            try:
                p = websocket_wait()
            except Exception as e:
                if not sock.closed:
                    server.logger.info('%s: Unexpected error "%s", closing connection', sock.sid, str(e))
                break
            if p is None:  # connection closed by client
                break
            pkt = pk.Packet(encoded_packet=p)
            try:
                sock.receive(pkt)
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                server.logger.info("Receive error -- socket is closed")
                break
            except Exception:
                server.logger.exception("Unknown receive error")
                break
        sock.queue.put(None)  # the writer's end: what it holds is written, then the websocket closed
        writer.join()
        sock.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
        return []
    return handler


def _timed_ping(sock):
    """engine.io's `Socket.schedule_ping` on a libev timer of the socket's own. engine.io starts a greenlet per
    ping that sleeps the ping interval (25 s), so every idle connection holds one, its stack saved on the heap
    (~4.5 KiB with the greenlet). The timer's callback runs in gevent's hub, where nothing may block: it does
    what `_send_ping` does after its sleep, which never closes the socket (`last_ping` is fresh when `send`
    checks it), and putting on the socket's queue does not block (on websocket: a non-blocking send, or a greenlet
    started for the backlog)."""
    import gevent
    timer = gevent.get_hub().loop.timer(sock.server.ping_interval)
    ping = eio_packet.Packet(eio_packet.PING)

    def send_ping():
        if not sock.closing and not sock.closed:
            sock.last_ping = engineio_time()
            sock.queue.put(ping)

    def schedule_ping():
        if sock.last_ping:  # a pong: the next ping one interval from now (engine.io's rule)
            sock.last_ping = None
            timer.start(send_ping)
    return schedule_ping


class SocketQueue:
    """An engine.io socket's send queue under gevent: what engine.io calls of gevent's JoinableQueue (put, get with
    a timeout or none, get_nowait, qsize, task_done, join), unbounded, in a list and an event (~0.3 KiB; the
    JoinableQueue's three deques and its events ~3.7 KiB, per connection). Long-polling requests take from it in
    turn (a waiter woken with the queue empty again waits again); once the socket is on websocket, `attach`
    hands it to a `DirectWriter` and the queue holds nothing."""

    __slots__ = ("_items", "_head", "_ready", "_unfinished", "_done", "_writer")

    def __init__(self):
        from gevent.event import Event
        self._items: list = []
        self._head = 0
        self._ready = Event()
        self._unfinished = 0
        self._done = None  # an Event, made by the first join
        self._writer = None  # once on websocket: its DirectWriter takes every packet

    def attach(self, writer: DirectWriter) -> None:
        """From now on each packet goes to `writer`; those still queued (sent during an upgrade) first."""
        waiting = self._items[self._head:]
        self._items, self._head, self._writer = [], 0, writer
        for item in waiting:
            self.task_done()
            writer.put(item)

    def qsize(self) -> int:
        if self._writer is not None:
            return self._writer.pending()
        return len(self._items) - self._head

    def put(self, item, block=True, timeout=None) -> None:
        if self._writer is not None:
            self._writer.put(item)
            return
        self._items.append(item)
        self._unfinished += 1
        self._ready.set()

    def get(self, block=True, timeout=None):
        from gevent.queue import Empty
        while not self.qsize():
            if not block:
                raise Empty
            self._ready.clear()
            if not self._ready.wait(timeout):
                raise Empty
        item = self._items[self._head]
        self._head += 1
        if self._head == len(self._items):  # emptied: the list's storage is freed
            self._items.clear()
            self._head = 0
        elif self._head > 64 and self._head * 2 > len(self._items):  # a long backlog: drop the taken part
            del self._items[:self._head]
            self._head = 0
        return item

    def get_nowait(self):
        return self.get(block=False)

    def task_done(self) -> None:
        self._unfinished -= 1
        if self._unfinished <= 0 and self._done is not None:
            self._done.set()

    def join(self, timeout=None) -> bool:
        if self._writer is not None:
            return self._writer.join(timeout)
        if self._unfinished <= 0:
            return True
        if self._done is None:
            from gevent.event import Event
            self._done = Event()
        self._done.clear()
        return self._done.wait(timeout)
