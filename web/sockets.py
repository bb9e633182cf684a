"""engine.io's sockets under gevent, lighter: ready frames written, a writer and pings without timers, a small queue.

Installed on the server's engine.io (`lighten`) by the client manager (web/broadcast.py) when it serves under
gevent with gevent-websocket (`mulik run`); other modes keep engine.io's own. Measured per idle connection
and per broadcast recipient in docs/performance.md ("One frame per broadcast"):
- `FramedWebSocket` writes a broadcast's websocket frame, built once (`Text`), as it is;
- `_websocket_poll`: the websocket writer waits on its queue without a timer;
- `_timed_ping`: a ping waits on a libev timer, not in a greenlet of its own;
- `SocketQueue`: a socket's send queue in ~0.3 KiB instead of gevent's JoinableQueue (~3.7 KiB).
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
        as geventwebsocket's own send does: the socket's writer then stops and engine.io closes the socket."""

        def __init__(self, handler, server):
            super().__init__(handler, server)
            sock = getattr(handler, "__self__", None)  # the engine.io socket whose `_websocket_handler` this runs
            if sock is not None and "poll" not in vars(sock):
                sock.poll = _websocket_poll(sock)
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


def _websocket_poll(sock):
    """engine.io's `Socket.poll` for a socket upgraded to websocket: the writer waits for its next packet without a
    timeout, then takes whatever else is queued. engine.io's own waits with one (ping interval + timeout), a timer
    started and cancelled at every wake-up, ~20,000 a second for 1,000 receivers at 20 bids/s; a websocket needs
    none: its reader times out on the socket itself, and every way out (the reader's end, a ping timeout, a
    close) puts None on the queue, which ends the writer. Before the upgrade (long-polling, or an upgrade that
    failed) the stock poll, whose timeout closes a polling client that stopped asking."""
    stock, q = sock.poll, sock.queue

    def poll():
        if not sock.upgraded:
            return stock()
        pkt = q.get()
        q.task_done()
        if pkt is None:
            return []
        packets = [pkt]
        while q.qsize():
            pkt = q.get_nowait()
            q.task_done()
            if pkt is None:
                q.put(None)  # for the next poll: the writer sends what it has, then ends
                break
            packets.append(pkt)
        return packets
    return poll


def _timed_ping(sock):
    """engine.io's `Socket.schedule_ping` on a libev timer of the socket's own. engine.io starts a greenlet per
    ping that sleeps the ping interval (25 s), so every idle connection holds one, its stack saved on the heap
    (~4.5 KiB with the greenlet). The timer's callback runs in gevent's hub, where nothing may block: it does
    what `_send_ping` does after its sleep, which never closes the socket (`last_ping` is fresh when `send`
    checks it), and putting on the socket's queue does not block."""
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
    JoinableQueue's three deques and its events ~3.7 KiB, per connection). Its consumers take turns (a polling
    request, then the websocket writer); a waiter woken with the queue empty again waits again."""

    __slots__ = ("_items", "_head", "_ready", "_unfinished", "_done")

    def __init__(self):
        from gevent.event import Event
        self._items: list = []
        self._head = 0
        self._ready = Event()
        self._unfinished = 0
        self._done = None  # an Event, made by the first join

    def qsize(self) -> int:
        return len(self._items) - self._head

    def put(self, item, block=True, timeout=None) -> None:
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
        if self._unfinished <= 0:
            return True
        if self._done is None:
            from gevent.event import Event
            self._done = Event()
        self._done.clear()
        return self._done.wait(timeout)
