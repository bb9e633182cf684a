"""Auctions, applications, bids and acceptances, results, payments (SPEC §2.4–2.6, §4)."""
from __future__ import annotations

from flask import Response, current_app, request

from auction import commands as c
from auction.errors import BadRequest, Forbidden
from service import auctions as auction_service
from service import protocols, signed_documents, signing, trading
from service.access import AccountId
from service.queries import accounts as people
from service.queries import auctions, cases
from service.queries import payments as payment_rows

from ..runner import call, command
from . import responses, schemas, views
from .openapi import Blueprint
from .responses import Viewed

blp = Blueprint("trading", __name__, description="Auctions, bids, payments")
PDF = {"type": "string", "format": "binary"}


def _auction_view(uow, actor, a):
    lot, staff = auctions.case_of(uow, actor, a)
    out = views.auction(a, uow.now, staff=staff)
    out["lot"] = {"id": lot.id, "title": lot.title, "category": lot.category}
    return Viewed("staff" if staff else "public", out)


def _my_no(a, actor):
    app = a.application_of(actor.id) if actor is not None and actor.role == "bidder" else None
    return app.participant_no if app else None


@blp.route("/lots/<int:lot_id>/auctions", methods=["POST"])
@blp.arguments(schemas.AuctionIn)
@blp.answers(201, responses.Auction, "401 403 409 422")
def schedule(data, lot_id):
    """Bailiff announces the auction (≥10 calendar days ahead, Art. 79); round 2 descends to the floor."""
    return command(c.ScheduleAuction, lot_id, data, view=_auction_view)


@blp.route("/auctions", methods=["GET"])
@blp.arguments(schemas.AuctionsQuery, location="query")
@blp.answers(200, responses.AuctionPage)
def list_auctions(q):
    def view(uow, actor, found):
        rows, total = found
        return {"items": [_auction_view(uow, actor, a) for a in rows], "total": total, "page": q["page"],
                "per_page": q["per_page"]}
    return call(auctions.search, q["status"], q["lot_id"], q["page"], q["per_page"], view=view)


@blp.route("/auctions/<int:auction_id>", methods=["GET"])
@blp.answers(200, responses.Auction)
def get_auction(auction_id):
    return call(auctions.auction, auction_id, view=_auction_view)


@blp.route("/auctions/<int:auction_id>/state", methods=["GET"])
@blp.answers(200, responses.State)
def state(auction_id):
    """The live snapshot: price, next price, ends_at, server_time, seq, leader and own number."""
    online = _online(auction_id)  # before the transaction: it may ask Redis

    return call(auctions.auction, auction_id,
                view=lambda uow, actor, a: views.state(a, uow.now, _my_no(a, actor), online=online))


def _online(auction_id: int) -> int:
    """How many participants are in the auction room now, across processes (Art. 84.4)."""
    return len(current_app.extensions["mulik"]["presence"].online(auction_id))


@blp.route("/auctions/<int:auction_id>/bids", methods=["GET"])
@blp.answers(200, responses.Bids)
def bids(auction_id):
    """The bid ladder (participants by number only)."""
    return call(auctions.bids, auction_id, view=lambda uow, actor, rows: {
        "items": [dict(views.bid(b), client_id=None) for b in rows]})


@blp.route("/auctions/<int:auction_id>/applications", methods=["POST"])
@blp.arguments(schemas.ApplicationIn)
@blp.answers(201, responses.Applied, "401 403 409 422")
def apply(data, auction_id):
    """Bidder applies (Art. 80.1) declaring relations (Art. 80.2); pays the 5% deposit next."""
    def view(uow, actor, app):
        pay = payment_rows.deposit_of(uow, actor, app.id)
        return dict(views.application(app), payment=views.payment(pay) if pay else None)
    return command(c.Apply, auction_id, data, view=view)


@blp.route("/auctions/<int:auction_id>/applications/act", methods=["POST"])
@blp.arguments(schemas.ApplicationIn)
@blp.answers(200, responses.ActContent, "401 403 409 422")
def application_act(data, auction_id):
    """The application (Art. 80.1) with its Art. 80.2 declaration as the bidder signs it with his EDS: the same
    body as POST /auctions/{id}/applications; sign `content`, then post the application with `cms`."""
    return call(trading.application_act, c.Apply.of(auction_id, data),
                view=lambda uow, actor, content: signing.content_answer("application", content))


@blp.route("/auctions/<int:auction_id>/presence", methods=["POST"])
@blp.answers(200, responses.Presence, "401 403 409 422")
def presence(auction_id):
    """An admitted participant without a live connection reports presence in the room: it counts
    as online (Art. 84.4) for the presence lease (60 s); a client repeats it to stay online."""
    uid, no = command(c.Join, auction_id,
                      view=lambda uow, actor, app: (actor.id, app.participant_no))
    presence = current_app.extensions["mulik"]["presence"]
    presence.report(auction_id, f"http:{uid}", no)
    return {"participant_no": no, "online": True, "online_for_seconds": int(presence.ttl)}


def _bid_answer(uow, actor, b, auction_id, online):
    if isinstance(actor, AccountId):  # the bid on PostgreSQL read and checked the account in its own call:
        actor = people.row(uow, actor.id)  # read now for the participant number, not refused again if blocked since
    a = auctions.auction(uow, actor, auction_id, fresh=True)
    return {"bid": views.bid(b), "state": views.state(a, uow.now, _my_no(a, actor), online=online)}


def _attempt(auction_id: int) -> None:
    """Count a bid or acceptance attempt of a logged-in caller on the counter the socket hits too
    (web/ratelimit.py). Before the bid's transaction: a refused flood costs no transaction, and a Redis
    call never yields inside a SQLite transaction (see _online)."""
    uid = call(people.actor_id)
    if uid is not None:  # the public is refused by the service (unauthorized)
        current_app.extensions["mulik"]["limits"].bid_attempt(uid, auction_id)


@blp.route("/auctions/<int:auction_id>/bids", methods=["POST"])
@blp.arguments(schemas.BidIn)
@blp.answers(201, responses.BidAnswer, "401 403 409 422 429")
def bid(data, auction_id):
    """Ascending bid of exactly current + step (Art. 80.3); idempotent by client_id."""
    online = _online(auction_id)
    _attempt(auction_id)
    return command(c.PlaceBid, auction_id, data,
                view=lambda uow, actor, b: _bid_answer(uow, actor, b, auction_id, online))


@blp.route("/auctions/<int:auction_id>/auto-bid", methods=["GET"])
@blp.answers(200, responses.AutoBid, "401 403")
def my_auto_bid(auction_id):
    """Your own auto-bid ceiling in this auction (null: off)."""
    return call(lambda uow, actor: trading.my_ceiling(uow, actor, auction_id))


@blp.route("/auctions/<int:auction_id>/auto-bid", methods=["PUT"])
@blp.arguments(schemas.AutoBidIn)
@blp.answers(200, responses.AutoBid, "401 403 409 422")
def auto_bid(data, auction_id):
    """Set (or clear, with null) the ceiling up to which the server raises for you when outbid."""
    return command(c.SetCeiling, auction_id, data)


@blp.route("/auctions/<int:auction_id>/acceptances", methods=["POST"])
@blp.arguments(schemas.AcceptIn)
@blp.answers(201, responses.BidAnswer, "401 403 409 422 429")
def accept(data, auction_id):
    """Descending round: accept the current price; the first acceptance wins (Art. 80.3)."""
    online = _online(auction_id)
    _attempt(auction_id)
    return command(c.Accept, auction_id, data,
                view=lambda uow, actor, b: _bid_answer(uow, actor, b, auction_id, online))


@blp.route("/auctions/<int:auction_id>/results/approval", methods=["POST"])
@blp.arguments(schemas.ApprovalIn)
@blp.answers(200, responses.Auction, "401 403 409 422")
def approve(data, auction_id):
    """Bailiff approves the results; the winner pays the rest within 5 working days (Art. 80.4). Where the
    platform asks it (MULIK_EDS_SIGNED_ACTS), with his EDS signature (`cms`) of the approval's act, and only
    once the closing protocol is signed."""
    return command(c.ApproveResults, auction_id, data, view=_auction_view)


@blp.route("/auctions/<int:auction_id>/results/approval/act", methods=["GET"])
@blp.answers(200, responses.ActContent, "401 403 409 422")
def approval_act(auction_id):
    """The approval of the results (Art. 80.4) as the bailiff signs it with his EDS: the auction's result as
    the closing protocol states it; sign `content`, then post the approval with `cms`."""
    return call(auction_service.results_approval_act, c.ApproveResults(auction_id),
                view=lambda uow, actor, content: signing.content_answer("results_approval", content))


@blp.route("/auctions/<int:auction_id>/replay", methods=["GET"])
@blp.answers(200, responses.Replay)
def replay(auction_id):
    """Recompute the auction's result from its journal entries and compare it with the record (SPEC §7)."""
    return call(auctions.replay, auction_id, view=lambda uow, actor, result: result.to_dict())


@blp.route("/auctions/<int:auction_id>/cancellation", methods=["POST"])
@blp.arguments(schemas.Reason)
@blp.answers(200, responses.Auction, "401 403 409 422")
def cancel(data, auction_id):
    """Bailiff cancels an announced or live auction (before approval); every deposit is refunded."""
    return command(c.CancelAuction, auction_id, data, view=_auction_view)


@blp.route("/auctions/<int:auction_id>/disqualifications", methods=["POST"])
@blp.arguments(schemas.DisqualificationIn)
@blp.answers(201, responses.Auction, "401 403 409 422")
def disqualify(data, auction_id):
    """The case's bailiff (or an operator) disqualifies a participant found without the right to take part
    (Art. 80.2): the deposit is not returned (Art. 80.4, third part) and goes to state revenue or to the
    income of the private bailiff running the auction (Art. 80.5). A winner disqualified before paying:
    the auction fails (Art. 84.3) and the retention window opens (Art. 85.1); after the payment: refused
    (Art. 83)."""
    return command(c.Disqualify, auction_id, data, view=_auction_view)


@blp.route("/payments", methods=["GET"])
@blp.arguments(schemas.PaymentsQuery, location="query")
@blp.answers(200, responses.Payments, "401 403")
def list_payments(q):
    """Operator: payments to match against bank-statement lines (filter status, reference)."""
    return call(payment_rows.search, q["status"], q["reference"], q["page"], q["per_page"],
                view=lambda uow, actor, rows: {"items": [views.payment(p) for p in rows]})


@blp.route("/auctions/<int:auction_id>/protocol.pdf", methods=["GET"])
@blp.answers(200, PDF, content_type="application/pdf", description="the PDF")
def protocol(auction_id):
    """The auction protocol (participants by number, bids, result, journal chain head at the close).

    Issued when the bailiff approves the results; for a failed or cancelled auction, on the first
    request. Either way its SHA-256 is journaled and the stored bytes are served."""
    return _pdf(call(protocols.protocol, auction_id), f"auction-{auction_id}-protocol.pdf")


def _pdf(content: bytes, name: str) -> Response:
    return Response(content, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"})


@blp.route("/lots/<int:lot_id>/documents", methods=["GET"])
@blp.answers(200, responses.Documents)
def lot_documents(lot_id):
    """Documents issued for the lot with their SHA-256 (the public sees announcements and protocols, an
    appraiser the resolutions appointing him)."""
    def item(r, due, marks, seen):  # due: the parties' copies of the appraiser's appointment (Art. 68.2)
        return {"id": r.id, "kind": r.kind, "number": r.number, "sha256": r.sha256,
                "issued_at": views.t(r.issued_at), "auction_id": r.auction_id,
                "url": f"/api/v1/documents/{r.id}.pdf", **({"copies_due_on": due.isoformat()} if due else {}),
                "signatures": [views.act_signature(s, seen) for s in marks]}

    def view(uow, actor, rows):
        seen = cases.private(uow, actor, cases.lot(uow, actor, lot_id))
        return {"items": [item(r, due, marks, seen) for r, due, marks in rows]}
    return call(cases.documents, lot_id, view=view)


@blp.route("/documents/<int:document_id>/act", methods=["GET"])
@blp.answers(200, responses.ActContent, "401 403 404 409 422")
def document_act(document_id):
    """An issued document as one of its signers signs it with his EDS (the auction protocol: the case's
    bailiff; an auction's sale contract: the buyer, then the bailiff): its id, kind, number and the SHA-256 of
    its PDF. Sign `content`, then post the CMS to POST /documents/{id}/signatures."""
    return call(signed_documents.document_act, document_id,
                view=lambda uow, actor, act: signing.content_answer(*act))


@blp.route("/documents/<int:document_id>/signatures", methods=["POST"])
@blp.arguments(schemas.DocumentSignatureIn)
@blp.answers(201, responses.DocumentSigned, "401 403 404 409 422")
def document_signature(data, document_id):
    """Sign an issued document with the EDS (the CMS over GET /documents/{id}/act): the signature is verified
    and stored, and the platform issues the signed copy, the same document with every signature printed."""
    def view(uow, actor, signed):
        signature, copy = signed
        return {"signature": {"act": signature.act, "signer": signature.signer_name,
                              "iin_bin": signature.signer_bin or signature.signer_iin,
                              "signed_at": views.t(signature.signed_at), "serial": signature.cert_serial},
                "document": {"id": copy.id, "url": f"/api/v1/documents/{copy.id}.pdf"}}
    return command(c.SignDocument, document_id, data, view=view)


@blp.route("/documents/<int:document_id>.pdf", methods=["GET"])
@blp.answers(200, PDF, content_type="application/pdf", description="the PDF", refusals="401 403")
def document_pdf(document_id):
    return _pdf(call(cases.document, document_id, view=lambda uow, actor, doc: doc.content),
                f"document-{document_id}.pdf")


# ---- payments (SPEC §4) -----------------------------------------------------------------------------
@blp.route("/payments/webhook", methods=["POST"])
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": schemas.WebhookIn}}},
         parameters=[{"in": "header", "name": "X-Mulik-Signature", "required": True, "schema": {"type": "string"},
                      "description": "HMAC-SHA256 of the body with the webhook secret, hex"}])
@blp.answers(200, responses.Payment, "401 404 409 422")
def webhook():
    """Payment provider notification: HMAC-SHA256 of the body in X-Mulik-Signature; idempotency_key."""
    body = request.get_data()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("the body is a JSON object", code="bad_request")
    secret = current_app.config["WEBHOOK_SECRET"]
    notice = c.PaymentNotice(secret=secret, body=body, signature=request.headers.get("X-Mulik-Signature"),
                             **{k: data.get(k) for k in ("reference", "amount", "idempotency_key")})
    return command(notice, view=lambda uow, actor, p: views.payment(p))


@blp.route("/payments/<int:payment_id>/confirm", methods=["POST"])
@blp.arguments(schemas.Confirm)
@blp.answers(200, responses.Payment, "401 403 409 422")
def confirm(data, payment_id):
    """Operator confirms a bank-statement line by hand."""
    return command(c.ConfirmPayment, payment_id, data,
                view=lambda uow, actor, p: views.payment(p))


@blp.route("/payments/<int:payment_id>/dev-pay", methods=["POST"])
@blp.answers(200, responses.Payment, "401 403 409 422")
def dev_pay(payment_id):
    """Development provider: pay in one click (only when DEV_PAYMENTS is on)."""
    if not current_app.config["DEV_PAYMENTS"]:
        raise Forbidden("the development payment provider is off", code="dev_payments_off")
    return command(c.DevPay, payment_id,
                view=lambda uow, actor, p: views.payment(p))
