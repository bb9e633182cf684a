"""Live bidding over Socket.IO, namespace `/live` (SPEC §3, §9).

Client -> server: `join {auction_id, last_seq?}`, `bid {auction_id, amount, client_id}`,
`accept {auction_id, price, client_id}`, `leave {auction_id}`.
Server -> client: `state`, `bid`, `price`, `rejected`, `closed`.

Bids and acceptances call the same service as HTTP (service.trading); the database orders
them. Broadcasts are made by `SocketPublisher` after the commit, so a client never sees a bid
that is not stored. A client that missed something sends `last_seq` on (re)join and receives
the missed bids, or a snapshot when a state change is among them.
"""
from __future__ import annotations

from collections import defaultdict

from flask import current_app, request, session
from flask_socketio import Namespace, emit, join_room, leave_room

from auction import commands as c
from auction.errors import DomainError, Unauthorized, Unavailable
from auction.money import fmt
from service.queries import accounts as people
from service.queries import auctions
from service.runner import Caller
from service.uow import Publisher

from .api import views
from .ratelimit import RateLimited
from .runner import call

NAMESPACE = "/live"
# what a `bid` message carries, broadcast or replayed on a rejoin: enough to set the price, the next
# price and the countdown without a snapshot
BID_FIELDS = ("seq", "amount", "participant_no", "at", "ends_at", "next_price", "auto")  # auto: raised by auto-bid
CLOSING = {"auction.closed": "closed", "auction.failed": "failed", "auction.cancelled": "cancelled"}


def room(auction_id: int) -> str:
    return f"auction:{auction_id}"


class SocketPublisher(Publisher):
    """After each commit: `bid` for a stored bid, `state` (and `closed`) for a state change."""

    def __init__(self, socketio, app):
        self.socketio, self.app = socketio, app

    def publish(self, auction_id: int, event: dict) -> None:
        kind = event.get("kind")
        if kind == "bid":
            # times spelt as everywhere else in the API ("...Z"), as the replayed bids of `join` are
            self.socketio.emit("bid", {k: _z(event[k]) if k in ("at", "ends_at") else event[k]
                                       for k in BID_FIELDS
                                       if k in event} | {"auction_id": auction_id},
                               to=room(auction_id), namespace=NAMESPACE)
        elif kind in ("auction.opened", "auction.closed", "auction.failed", "auction.cancelled", "auction.sold",
                      "auction.approved", "application.disqualified"):
            self.socketio.emit("state", snapshot(self.app, auction_id), to=room(auction_id), namespace=NAMESPACE)
            if kind in CLOSING:
                reason, article = event.get("reason"), event.get("article")
                self.socketio.emit("closed", {"auction_id": auction_id, "outcome": CLOSING[kind],
                                              "winner_no": event.get("winner_no"), "price": event.get("price"),
                                              "article": article,
                                              "reason": f"Art. {article}: {reason}" if reason and article else reason},
                                   to=room(auction_id), namespace=NAMESPACE)


def _z(iso: str | None) -> str | None:
    return None if iso is None else iso.replace("+00:00", "Z")


def _ext(app=None):
    return (app or current_app).extensions["mulik"]


def snapshot(app, auction_id: int, my_no: int | None = None, judged=None) -> dict:
    """The full `state` message (SPEC §9). `judged`: the auction as a refused bid's call judged it
    (service/trading.JudgedAuction), which makes it without a read."""
    ext = _ext(app)
    # Presence first: under gevent a Redis call yields, and yielding inside a SQLite transaction
    # (BEGIN IMMEDIATE) freezes the process in SQLite's busy wait of whoever begins next.
    online = len(ext["presence"].online(auction_id))
    if judged is not None:
        return views.state(judged, ext["clock"](), my_no, online=online)

    def state(uow, actor, a):
        if a is None:
            return {"auction_id": auction_id, "status": "unknown"}
        return views.state(a, ext["clock"](), my_no, online=online)
    return call(auctions.live, auction_id, view=state, caller=Caller(), app=app)


class LiveNamespace(Namespace):
    def __init__(self, namespace, app):
        super().__init__(namespace)
        self.app = app
        self.users: dict[str, int | None] = {}  # sid -> user id (None = observer)
        self.joined: dict[str, dict[int, int | None]] = defaultdict(dict)  # sid -> auction -> participant_no
        self._renewer = None

    # ---- connection -------------------------------------------------------------------------
    def on_connect(self, auth=None):
        """The session cookie, `auth: {token}` or `Authorization: Bearer`; anyone else is an observer."""
        token = (auth or {}).get("token") if isinstance(auth, dict) else None
        header = request.headers.get("Authorization", "")
        if not token and header.startswith("Bearer "):
            token = header[7:].strip()
        uid = None
        if token:
            uid = call(people.token_owner, token, caller=Caller())
            if uid is None:
                return False  # a wrong token is refused, not silently downgraded
        elif session.get("uid"):
            uid = session["uid"]
        self.users[request.sid] = uid

    def on_disconnect(self, *args):
        sid = request.sid
        for auction_id in list(self.joined.get(sid, {})):
            self._leave(sid, auction_id)
        self.joined.pop(sid, None)
        self.users.pop(sid, None)

    def _call(self, fn, *args, view=None):
        """A use case for the person this connection logged in as (the one runner)."""
        return call(fn, *args, view=view, caller=Caller(user_id=self.users.get(request.sid)))

    # ---- rooms ----------------------------------------------------------------------------------
    def on_join(self, data):
        auction_id, last_seq = _int(data, "auction_id"), (data or {}).get("last_seq")
        if auction_id is None:
            return self._reject(data, "bad_request", "join needs auction_id")
        my_no = None
        if self.users.get(request.sid) is not None:  # an observer has no account to be a participant with
            try:
                # an admitted participant: presence recorded (Art. 84.4)
                my_no = self._call(c.Join, auction_id, view=lambda uow, actor, app: app.participant_no)
            except DomainError:
                pass  # non-participants watch read-only
        # in the room before the first picture is read: a bid committed meanwhile is broadcast to this socket too
        join_room(room(auction_id))
        presence = _ext()["presence"]
        if my_no is not None:
            presence.add(auction_id, request.sid, my_no)
            self._renewing()
        first = self._first_picture(auction_id, last_seq, my_no)
        if first is None:
            leave_room(room(auction_id))
            return self._reject(data, "not_found", f"auction {auction_id} not found")
        self.joined[request.sid][auction_id] = my_no
        kind, payload = first
        if kind == "state":
            emit("state", payload)
        else:
            for b in payload:
                emit("bid", b)
        if my_no is not None:  # the others see the online count change
            emit("state", snapshot(current_app, auction_id), to=room(auction_id), include_self=False)
        # a rejoin with last_seq gets only the missed bids, not a snapshot: the ack carries the count
        return {"ok": True, "my_no": my_no, "online": len(presence.online(auction_id))}

    def _first_picture(self, auction_id: int, last_seq, my_no) -> tuple[str, dict | list[dict]] | None:
        """What a joining client is sent first, in one read: exactly the bids after `last_seq` ("bids"), or the
        snapshot ("state") when a state change was missed or the client gave no position; None: no such
        auction."""
        if not isinstance(last_seq, int) or isinstance(last_seq, bool) or last_seq < 0:
            last_seq = None
        online = len(_ext()["presence"].online(auction_id))  # before the transaction (see `snapshot`)

        def picture(uow, actor, found):
            a, bids = found
            if a is None:
                return None
            if bids is not None and [b.seq for b in bids] == list(range(last_seq + 1, a.seq + 1)):
                return "bids", [views.bid_event(a, b) for b in bids]
            return "state", views.state(a, _ext()["clock"](), my_no, online=online)
        return call(auctions.bids_after, auction_id, last_seq, view=picture, caller=Caller())

    def on_leave(self, data):
        auction_id = _int(data, "auction_id")
        if auction_id is not None:
            self._leave(request.sid, auction_id)
            leave_room(room(auction_id))
        return {"ok": True}

    def _leave(self, sid, auction_id):
        my_no = self.joined.get(sid, {}).pop(auction_id, None)
        if my_no is not None:
            _ext(self.app)["presence"].remove(auction_id, sid, my_no)
            # the others see the online count change
            self.socketio.emit("state", snapshot(self.app, auction_id), to=room(auction_id), namespace=NAMESPACE)

    def _renewing(self) -> None:
        """Start, once per process, the task that renews this process's presence leases."""
        if self._renewer is None and _ext(self.app)["presence"].renews:
            self._renewer = self.socketio.start_background_task(self._renew_forever)

    def _renew_forever(self) -> None:
        presence = _ext(self.app)["presence"]
        while True:
            self.socketio.sleep(presence.ttl / 3)
            try:
                presence.renew([(aid, sid, no) for sid, rooms in list(self.joined.items())
                                for aid, no in list(rooms.items()) if no is not None])
            except Exception:  # keep renewing; a Redis outage is logged and retried
                self.app.logger.exception("presence renewal failed")

    # ---- bids -----------------------------------------------------------------------------------
    def on_bid(self, data):
        return self._trade(data, "amount", c.PlaceBid)

    def on_accept(self, data):
        return self._trade(data, "price", c.Accept)

    def _trade(self, data, field, kind):
        auction_id, client_id = _int(data, "auction_id"), (data or {}).get("client_id")
        if auction_id is None or not isinstance((data or {}).get(field), str):
            return self._reject(data, "bad_request", f"needs auction_id and {field} as a string like \"1250000.00\"")
        uid = self.users.get(request.sid)
        if uid is None:
            return self._reject(data, Unauthorized.code, "log in to bid", auction_id)
        try:
            # the counter the HTTP routes hit too (web/ratelimit.py), per participant per auction
            _ext()["limits"].bid_attempt(uid, auction_id)
        except RateLimited as exc:
            return self._reject(data, exc.code, exc.message, auction_id, retry_after=exc.retry_after)
        try:
            return self._call(kind(auction_id, data[field], client_id), view=lambda uow, actor, b: {
                "ok": True, "seq": b.seq, "amount": fmt(b.amount), "client_id": b.client_id})
        except DomainError as exc:
            return self._reject(data, exc.code, exc.message, auction_id, exc.article,
                                judged=getattr(exc, "judged", None))

    def _reject(self, data, code, message, auction_id=None, article=None, judged=None, **extra):
        body = {"client_id": (data or {}).get("client_id") if isinstance(data, dict) else None, "code": code,
                "message": message, "article": article,
                "state": snapshot(current_app, auction_id, self.joined.get(request.sid, {}).get(auction_id), judged)
                if auction_id is not None and code != Unavailable.code else None,  # no state without the database
                **extra}
        emit("rejected", body)
        return {"ok": False, **body}


class Ticker:
    """Broadcasts the falling price of every open descending auction at each step (SPEC §3).

    The price is a pure function of server time; this only announces each new tick once. With
    several processes a Redis `SET NX` per (auction, tick) lets exactly one of them announce it."""

    def __init__(self, app, socketio):
        self.app, self.socketio = app, socketio
        self.sent: dict[int, int] = {}
        self.redis = None
        if app.config["REDIS_URL"]:
            import redis
            self.redis = redis.Redis.from_url(app.config["REDIS_URL"])

    def emit_due(self) -> int:
        from auction.bidding import descending
        ext = _ext(self.app)
        now = ext["clock"]()
        sent, due = 0, []

        def ticks(uow, actor, live):
            for a in live:
                tick = (now - a.opened_at) // a.interval
                if self.sent.get(a.id, -1) >= tick:
                    continue
                self.sent[a.id] = tick
                due.append((a.id, tick, {
                    "auction_id": a.id, "tick": tick, "price": fmt(a.price_at(now)), "seq": a.seq,
                    "next_tick_at": views.t(descending.next_tick_at(now, a.opened_at, a.interval)),
                    "server_time": views.t(now)}))
        call(auctions.open_descending, view=ticks, caller=Caller(), app=self.app)
        for auction_id, tick, message in due:  # Redis after the transaction (see snapshot)
            if self.redis is not None and not self.redis.set(f"mulik:tick:{auction_id}:{tick}", 1, nx=True, ex=3600):
                continue  # another process announced this tick
            self.socketio.emit("price", message, to=room(auction_id), namespace=NAMESPACE)
            sent += 1
        return sent

    def run(self, period: float = 0.25) -> None:
        while True:
            self.socketio.sleep(period)
            try:
                self.emit_due()
            except Exception:  # keep ticking; the error is logged with its trace
                self.app.logger.exception("price ticker failed")


def _int(data, key):
    value = (data or {}).get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31 else None


def init_live(app, socketio) -> None:
    ext = _ext(app)
    ext["publisher"] = SocketPublisher(socketio, app)  # the presence registry comes from service/bootstrap.py
    socketio.on_namespace(LiveNamespace(NAMESPACE, app))
    ext["ticker"] = Ticker(app, socketio)
    if not app.config["TESTING"]:
        socketio.start_background_task(ext["ticker"].run)
