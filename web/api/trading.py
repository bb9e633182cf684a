"""Auctions, applications, bids and acceptances, results, payments (SPEC §2.4–2.6, §4)."""
from __future__ import annotations

from flask import Response, current_app, request
from flask_smorest import Blueprint
from sqlalchemy import func, select

from auction.auctions import Auction
from auction.errors import BadRequest, Forbidden, NotFound
from auction.lots.model import Lot
from auction.proceedings import Proceeding
from service import access, auctions, disqualification, documents, load, payments, trading
from service.orm import Bid, Document, Payment

from ..auth import current_user
from . import call, schemas, views

blp = Blueprint("trading", __name__, description="Auctions, bids, payments")


def _auction_view(uow, actor, a):
    lot = uow.get(Lot, a.lot_id)
    staff = actor is not None and (actor.role == "operator" or (
        actor.role == "bailiff" and uow.get(Proceeding, lot.proceeding_id).bailiff_id == actor.id))
    out = views.auction(a, uow.now, staff=staff)
    out["lot"] = {"id": lot.id, "title": lot.title, "category": lot.category}
    return out


def _my_no(a, actor):
    app = a.application_of(actor.id) if actor is not None and actor.role == "bidder" else None
    return app.participant_no if app else None


@blp.route("/lots/<int:lot_id>/auctions", methods=["POST"])
@blp.arguments(schemas.AuctionIn)
@blp.response(201)
def schedule(data, lot_id):
    """Bailiff announces the auction (≥10 calendar days ahead, Art. 79); round 2 descends to the floor."""
    return call(lambda uow, actor: auctions.schedule_auction(uow, actor, lot_id, data), view=_auction_view)


@blp.route("/auctions", methods=["GET"])
@blp.arguments(schemas.AuctionsQuery, location="query")
@blp.response(200)
def list_auctions(q):
    def handler(uow, actor):
        query = select(Auction)
        if q["status"]:
            query = query.where(Auction.status == q["status"])
        if q["lot_id"]:
            query = query.where(Auction.lot_id == q["lot_id"])
        total = uow.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = uow.session.execute(query.order_by(Auction.starts_at, Auction.id)
                                   .offset((q["page"] - 1) * q["per_page"]).limit(q["per_page"])).scalars().all()
        return {"items": [_auction_view(uow, actor, a) for a in rows], "total": total, "page": q["page"],
                "per_page": q["per_page"]}
    return call(handler)


@blp.route("/auctions/<int:auction_id>", methods=["GET"])
@blp.response(200)
def get_auction(auction_id):
    return call(lambda uow, actor: load.auction(uow, auction_id), view=_auction_view)


@blp.route("/auctions/<int:auction_id>/state", methods=["GET"])
@blp.response(200)
def state(auction_id):
    """The live snapshot: price, next price, ends_at, server_time, seq, leader and own number."""
    online = _online(auction_id)  # before the transaction: it may ask Redis

    def handler(uow, actor):
        a = load.auction(uow, auction_id)
        return views.state(a, uow.now, _my_no(a, actor), online=online)
    return call(handler)


def _online(auction_id: int) -> int:
    """How many participants are in the auction room now, across processes (Art. 84.4)."""
    return len(current_app.extensions["mulik"]["presence"].online(auction_id))


@blp.route("/auctions/<int:auction_id>/bids", methods=["GET"])
@blp.response(200)
def bids(auction_id):
    """The bid ladder (participants by number only)."""
    def handler(uow, actor):
        load.auction(uow, auction_id)
        rows = uow.session.execute(select(Bid).where(Bid.auction_id == auction_id).order_by(Bid.seq)).scalars()
        return {"items": [dict(views.bid(b), client_id=None) for b in rows]}
    return call(handler)


@blp.route("/auctions/<int:auction_id>/applications", methods=["POST"])
@blp.arguments(schemas.ApplicationIn)
@blp.response(201)
def apply(data, auction_id):
    """Bidder applies (Art. 80.1) declaring relations (Art. 80.2); pays the 5% deposit next."""
    def view(uow, actor, app):
        from service.orm import Payment
        pay = uow.session.execute(select(Payment).where(Payment.application_id == app.id,
                                                        Payment.kind == "deposit")).scalar_one_or_none()
        return dict(views.application(app), payment=views.payment(pay) if pay else None)
    return call(lambda uow, actor: trading.apply(uow, actor, auction_id, data), view=view)


@blp.route("/auctions/<int:auction_id>/presence", methods=["POST"])
@blp.response(200)
def presence(auction_id):
    """An admitted participant without a live connection reports presence in the room: it counts
    as online (Art. 84.4) for the presence lease (60 s); a client repeats it to stay online."""
    uid, no = call(lambda uow, actor: trading.join(uow, actor, auction_id),
                   view=lambda uow, actor, app: (actor.id, app.participant_no))
    presence = current_app.extensions["mulik"]["presence"]
    presence.report(auction_id, f"http:{uid}", no)
    return {"participant_no": no, "online": True, "online_for_seconds": int(presence.ttl)}


def _bid_answer(uow, actor, b, auction_id, online):
    a = load.auction(uow, auction_id)
    uow.session.refresh(a)
    return {"bid": views.bid(b), "state": views.state(a, uow.now, _my_no(a, actor), online=online)}


def _attempt(auction_id: int) -> None:
    """Count a bid or acceptance attempt of a logged-in caller on the counter the socket hits too
    (web/ratelimit.py). Before the bid's transaction: a refused flood costs no transaction, and a Redis
    call never yields inside a SQLite transaction (see _online)."""
    ext = current_app.extensions["mulik"]
    with ext["sessions"]() as s:
        actor = current_user(s)
        uid = actor.id if actor is not None else None
    if uid is not None:  # the public is refused by the service (unauthorized)
        ext["limits"].bid_attempt(uid, auction_id)


@blp.route("/auctions/<int:auction_id>/bids", methods=["POST"])
@blp.arguments(schemas.BidIn)
@blp.response(201)
def bid(data, auction_id):
    """Ascending bid of exactly current + step (Art. 80.3); idempotent by client_id."""
    online = _online(auction_id)
    _attempt(auction_id)
    return call(lambda uow, actor: trading.place_bid(uow, actor, auction_id, data["amount"], data["client_id"]),
                view=lambda uow, actor, b: _bid_answer(uow, actor, b, auction_id, online))


@blp.route("/auctions/<int:auction_id>/auto-bid", methods=["GET"])
@blp.response(200)
def my_auto_bid(auction_id):
    """Your own auto-bid ceiling in this auction (null: off)."""
    return call(lambda uow, actor: trading.my_ceiling(uow, actor, auction_id))


@blp.route("/auctions/<int:auction_id>/auto-bid", methods=["PUT"])
@blp.arguments(schemas.AutoBidIn)
@blp.response(200)
def auto_bid(data, auction_id):
    """Set (or clear, with null) the ceiling up to which the server raises for you when outbid."""
    return call(lambda uow, actor: trading.set_ceiling(uow, actor, auction_id, data["ceiling"]))


@blp.route("/auctions/<int:auction_id>/acceptances", methods=["POST"])
@blp.arguments(schemas.AcceptIn)
@blp.response(201)
def accept(data, auction_id):
    """Descending round: accept the current price; the first acceptance wins (Art. 80.3)."""
    online = _online(auction_id)
    _attempt(auction_id)
    return call(lambda uow, actor: trading.accept(uow, actor, auction_id, data["price"], data["client_id"]),
                view=lambda uow, actor, b: _bid_answer(uow, actor, b, auction_id, online))


@blp.route("/auctions/<int:auction_id>/results/approval", methods=["POST"])
@blp.response(200)
def approve(auction_id):
    """Bailiff approves the results; the winner pays the rest within 5 working days (Art. 80.4)."""
    return call(lambda uow, actor: auctions.approve_results(uow, actor, auction_id), view=_auction_view)


@blp.route("/auctions/<int:auction_id>/replay", methods=["GET"])
@blp.response(200)
def replay(auction_id):
    """Recompute the auction's result from its journal entries and compare it with the record (SPEC §7)."""
    from auction.replay import replay as run_replay
    from service.orm import JournalEntry

    def handler(uow, actor):
        load.auction(uow, auction_id)
        entries = uow.session.execute(select(JournalEntry).where(JournalEntry.auction_id == auction_id)
                                      .order_by(JournalEntry.seq)).scalars().all()
        return run_replay(entries).to_dict()
    return call(handler)


@blp.route("/auctions/<int:auction_id>/cancellation", methods=["POST"])
@blp.arguments(schemas.Reason)
@blp.response(200)
def cancel(data, auction_id):
    """Bailiff cancels an announced or live auction (before approval); every deposit is refunded."""
    return call(lambda uow, actor: auctions.cancel_by_bailiff(uow, actor, auction_id, data), view=_auction_view)


@blp.route("/auctions/<int:auction_id>/disqualifications", methods=["POST"])
@blp.arguments(schemas.DisqualificationIn)
@blp.response(201)
def disqualify(data, auction_id):
    """The case's bailiff (or an operator) disqualifies a participant found without the right to take part
    (Art. 80.2): the deposit is not returned (Art. 80.4, third part) and goes to state revenue or to the
    income of the private bailiff running the auction (Art. 80.5). A winner disqualified before paying:
    the auction fails (Art. 84.3) and the retention window opens (Art. 85.1); after the payment: refused
    (Art. 83)."""
    return call(lambda uow, actor: disqualification.disqualify(uow, actor, auction_id, data), view=_auction_view)


@blp.route("/payments", methods=["GET"])
@blp.arguments(schemas.PaymentsQuery, location="query")
@blp.response(200)
def list_payments(q):
    """Operator: payments to match against bank-statement lines (filter status, reference)."""
    def handler(uow, actor):
        access.require(actor, "operator")
        query = select(Payment).order_by(Payment.id)
        if q["status"]:
            query = query.where(Payment.status == q["status"])
        if q["reference"]:
            query = query.where(Payment.reference == q["reference"])
        rows = uow.session.execute(query.offset((q["page"] - 1) * q["per_page"]).limit(q["per_page"])).scalars()
        return {"items": [views.payment(p) for p in rows]}
    return call(handler)


@blp.route("/auctions/<int:auction_id>/protocol.pdf", methods=["GET"])
def protocol(auction_id):
    """The auction protocol (participants by number, bids, result, journal chain head at the close).

    Issued when the bailiff approves the results; for a failed or cancelled auction, on the first
    request. Either way its SHA-256 is journaled and the stored bytes are served."""
    def handler(uow, actor):
        a = load.auction(uow, auction_id)
        if a.status in ("announced", "open"):
            raise NotFound("the protocol exists once the auction has ended", code="not_ready")
        doc = uow.session.execute(select(Document).where(Document.auction_id == a.id,
                                                         Document.kind == "auction_protocol")).scalar_one_or_none()
        if doc is None:
            doc = documents.auction_protocol(uow, uow.get(Lot, a.lot_id), a)
            uow.commit()
        return doc.content
    return _pdf(call(handler), f"auction-{auction_id}-protocol.pdf")


def _pdf(content: bytes, name: str) -> Response:
    return Response(content, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"})


@blp.route("/lots/<int:lot_id>/documents", methods=["GET"])
@blp.response(200)
def lot_documents(lot_id):
    """Documents issued for the lot with their SHA-256 (the public sees announcements and protocols, an
    appraiser the resolutions appointing him)."""
    def handler(uow, actor):
        lot = access.found(uow.get(Lot, lot_id), "lot", lot_id)
        private = access.can_see_private(actor, uow.get(Proceeding, lot.proceeding_id))
        rows = uow.session.execute(select(Document.id, Document.kind, Document.number, Document.sha256,
                                          Document.issued_at, Document.auction_id)
                                   .where(Document.lot_id == lot_id).order_by(Document.id)).all()
        def item(r):
            due = documents.copies_due_on(r.kind, r.issued_at)  # Art. 68.2: the appraiser's appointment
            return {"id": r.id, "kind": r.kind, "number": r.number, "sha256": r.sha256,
                    "issued_at": views.t(r.issued_at), "auction_id": r.auction_id,
                    "url": f"/api/v1/documents/{r.id}.pdf", **({"copies_due_on": due.isoformat()} if due else {})}
        return {"items": [item(r)
                          for r in rows if private or r.kind in documents.PUBLIC_KINDS
                          or (r.kind == "appraiser_appointment" and actor is not None  # Art. 68.2: his own
                              and documents.appointed_by(uow.session, lot_id, r.id) == actor.id)]}
    return call(handler)


@blp.route("/documents/<int:document_id>.pdf", methods=["GET"])
def document_pdf(document_id):
    def handler(uow, actor):
        doc = access.found(uow.get(Document, document_id), "document", document_id)
        if not documents.may_read(uow.session, actor, doc):
            access.require(actor)
            raise Forbidden("this document is visible to the parties and the bailiff", code="forbidden")
        return doc.content
    return _pdf(call(handler), f"document-{document_id}.pdf")


# ---- payments (SPEC §4) -----------------------------------------------------------------------------
@blp.route("/payments/webhook", methods=["POST"])
@blp.response(200)
def webhook():
    """Payment provider notification: HMAC-SHA256 of the body in X-Mulik-Signature; idempotency_key."""
    body = request.get_data()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("the body is a JSON object", code="bad_request")
    secret = current_app.config["WEBHOOK_SECRET"]
    return call(lambda uow, actor: payments.webhook(uow, secret=secret, body=body,
                                                    signature=request.headers.get("X-Mulik-Signature"), data=data),
                view=lambda uow, actor, p: views.payment(p))


@blp.route("/payments/<int:payment_id>/confirm", methods=["POST"])
@blp.arguments(schemas.Confirm)
@blp.response(200)
def confirm(data, payment_id):
    """Operator confirms a bank-statement line by hand."""
    data = {k: (str(v) if k == "amount" and v is not None else v) for k, v in data.items() if v is not None}
    return call(lambda uow, actor: payments.confirm(uow, actor, payment_id, data),
                view=lambda uow, actor, p: views.payment(p))


@blp.route("/payments/<int:payment_id>/dev-pay", methods=["POST"])
@blp.response(200)
def dev_pay(payment_id):
    """Development provider: pay in one click (only when DEV_PAYMENTS is on)."""
    if not current_app.config["DEV_PAYMENTS"]:
        raise Forbidden("the development payment provider is off", code="dev_payments_off")
    return call(lambda uow, actor: payments.dev_pay(uow, actor, payment_id), view=lambda uow, actor, p: views.payment(p))
