"""Proceedings, lots, inventory, valuation, realization order, self-sale (SPEC §2.1–2.3, 2.7)."""
from __future__ import annotations

from auction import commands as c
from service import access, lifecycle, signing
from service import retention as retention_service
from service.queries import cases
from valuation.commands import AppointAppraiser, FileReport, OpenDispute, ResolveDispute, SignAgreement

from ..runner import call, command
from . import responses, schemas, views
from .openapi import Blueprint
from .responses import Viewed

blp = Blueprint("cases", __name__, description="Proceedings, lots, valuation, realization, self-sale")


def _lot_view(uow, actor, lot, auctions=None):
    party = cases.private(uow, actor, lot)
    if auctions is None:
        auctions = cases.auctions_by_lot(uow, actor, [lot.id])[lot.id]
    return Viewed("party" if party else "public", views.lot(lot, party, uow.today, auctions))


def _party(p) -> Viewed:
    """The proceeding as its people see it (only they act in it)."""
    return Viewed("party", views.proceeding(p, True))


def _proceeding_view(uow, actor, p) -> Viewed:
    """The party view with the proceeding's transfers between bailiffs."""
    rows = cases.transfers(uow, actor, p.id)
    return Viewed("party", views.proceeding(p, True) | {"transfers": [views.transfer(r) for r in rows]})


def _lot_action(kind, lot_id: int, *args):
    """Route body for POST /lots/{id}/...: the command `kind` on the lot (and the object the path names,
    then the loaded data in `args`); the answer is the lot."""
    return command(kind, lot_id, *args,
                   view=lambda uow, actor, r: _lot_view(uow, actor, cases.lot(uow, actor, lot_id)))


# ---- proceedings ---------------------------------------------------------------------------------
@blp.route("/proceedings", methods=["POST"])
@blp.arguments(schemas.ProceedingIn)
@blp.answers(201, responses.Proceeding, "401 403 409 422")
def create_proceeding(data):
    """Bailiff: open a proceeding with its debtor and collectors; each claim's kind decides its queue
    (Art. 111–112), the debtor's number its kind (individual or legal entity, Art. 72)."""
    return command(c.CreateProceeding, data, view=lambda uow, actor, p: _party(p))


@blp.route("/proceedings/<int:pid>", methods=["GET"])
@blp.answers(200, responses.Proceeding)
def get_proceeding(pid):
    def view(uow, actor, p):
        if access.can_see_private(actor, p):
            out = _proceeding_view(uow, actor, p)
        else:
            out = Viewed("public", views.proceeding(p, False))
        out.data["lots"] = cases.lot_ids(uow, actor, pid)
        return out
    return call(cases.proceeding, pid, view=view)


@blp.route("/proceedings/<int:pid>/collectors/<int:cid>/arrears", methods=["POST"])
@blp.arguments(schemas.ArrearsIn)
@blp.answers(200, responses.Proceeding, "401 403 409 422")
def determine_arrears(data, pid, cid):
    """Bailiff: the resolution determining a collector's alimony arrears (Art. 99.1); the history is kept
    and the distribution uses the amount in force when the money is distributed."""
    return command(c.DetermineArrears, pid, cid, data,
                view=lambda uow, actor, p: _party(p))


@blp.route("/proceedings/<int:pid>/collectors/<int:cid>/kind", methods=["POST"])
@blp.arguments(schemas.ClaimKindIn)
@blp.answers(200, responses.Proceeding, "401 403 409 422")
def correct_claim_kind(data, pid, cid):
    """Bailiff (or operator): correct the kind of a collector's claim on the writ or document that shows it,
    with a reason; the Art. 111–112 queue is re-derived and the change kept in the claim's history. Refused
    once proceeds were distributed to the claim (Art. 110)."""
    return command(c.CorrectClaimKind, pid, cid, data,
                view=lambda uow, actor, p: _party(p))


@blp.route("/proceedings/<int:pid>/suspension", methods=["POST"])
@blp.arguments(schemas.Suspension)
@blp.answers(200, responses.Proceeding, "401 403 409 422")
def suspend(data, pid):
    """Suspend (Art. 42; bankruptcy, Art. 74.3): lots paused, live auctions cancelled."""
    return command(c.SuspendProceeding, pid, data,
                view=lambda uow, actor, p: _party(p))


@blp.route("/proceedings/<int:pid>/resumption", methods=["POST"])
@blp.answers(200, responses.Proceeding, "401 403 409 422")
def resume(pid):
    return command(c.ResumeProceeding, pid,
                view=lambda uow, actor, p: _party(p))


@blp.route("/proceedings/<int:pid>/release", methods=["POST"])
@blp.arguments(schemas.Reason)
@blp.answers(200, responses.Proceeding, "401 403 409 422")
def release(data, pid):
    """Debt, fee and expenses paid in full: lots released, auctions cancelled, deposits refunded."""
    return command(c.ReleaseProceeding, pid, data,
                view=lambda uow, actor, p: _party(p))


@blp.route("/proceedings/<int:pid>/transfer", methods=["POST"])
@blp.arguments(schemas.TransferIn)
@blp.answers(200, responses.Proceeding, "401 403 409 422")
def transfer(data, pid):
    """Operator: the proceeding passes to another bailiff (Order No 211 of 28.02.2026; Art. 25.4, 123.6) with its
    lots, auctions, deposits and money; from then on only the new bailiff acts in it."""
    return command(c.TransferProceeding, pid, data,
                view=lambda uow, actor, p: _proceeding_view(uow, actor, p))


@blp.route("/proceedings/<int:pid>/lots", methods=["POST"])
@blp.arguments(schemas.LotIn)
@blp.answers(201, responses.Lot, "401 403 409 422")
def create_lot(data, pid):
    """Bailiff: record an arrested lot and its inventory (Art. 61–67)."""
    return command(c.CreateLot, pid, data, view=_lot_view)


# ---- catalogue -------------------------------------------------------------------------------------
@blp.route("/lots", methods=["GET"])
@blp.arguments(schemas.LotsQuery, location="query")
@blp.answers(200, responses.LotPage)
def list_lots(q):
    """The public catalogue: filters q (title, description), status, category, region, proceeding_id,
    price_min / price_max (the current valuation), auction_from / auction_to (an auction's start
    date, Kazakhstan time); sort (auction: the coming auction first; price, price_desc; newest); paging."""
    def view(uow, actor, found):  # three queries in all (lots, their proceedings, auctions), not three per lot
        rows, total, auctions = found
        return {"items": [_lot_view(uow, actor, x, auctions[x.id]) for x in rows], "total": total,
                "page": q["page"], "per_page": q["per_page"]}
    return call(lambda uow, actor: cases.catalogue(uow, actor, q, q["page"], q["per_page"], cases=True), view=view)


@blp.route("/lots/<int:lot_id>", methods=["GET"])
@blp.answers(200, responses.Lot)
def get_lot(lot_id):
    return call(cases.lot, lot_id, view=_lot_view)


@blp.route("/lots/<int:lot_id>/journal", methods=["GET"])
@blp.answers(200, responses.Journal)
def lot_journal(lot_id):
    """The lot's journal entries with their chain hashes (personal details only for the case)."""
    return call(cases.journal, lot_id, view=lambda uow, actor, found: {
        "items": [views.journal_entry(e, found[0]) for e in found[1]]})


@blp.route("/lots/<int:lot_id>/distribution", methods=["GET"])
@blp.answers(200, responses.Distributions, "401 403")
def distribution(lot_id):
    """Distribution statement(s) of the lot's proceeds (Art. 108, 110–112)."""
    return call(cases.distribution, lot_id, view=lambda uow, actor, rows: {
        "lot_id": lot_id, "statements": [dict(r.statement, fee_rate=r.fee_rate, mci=views.m(r.mci),
                                              mci_year=r.mci_year, at=views.t(r.created_at)) for r in rows]})


# ---- valuation (Art. 68) ------------------------------------------------------------------------------
@blp.route("/lots/<int:lot_id>/valuation/appointment", methods=["POST"])
@blp.arguments(schemas.Appointment)
@blp.answers(200, responses.Lot, "401 403 409 422")
def appoint(data, lot_id):
    """Bailiff appoints the appraiser (Art. 68.1: within 10 working days of the arrest)."""
    return _lot_action(AppointAppraiser, lot_id, data)


@blp.route("/lots/<int:lot_id>/valuation/report", methods=["POST"])
@blp.arguments(schemas.Report)
@blp.answers(200, responses.Lot, "401 403 409 422")
def report(data, lot_id):
    """The appointed appraiser (or the bailiff) files the valuation report."""
    return _lot_action(FileReport, lot_id, data)


@blp.route("/lots/<int:lot_id>/valuation/agreement", methods=["POST"])
@blp.arguments(schemas.Agreement)
@blp.answers(200, responses.Lot, "401 403 409 422")
def agreement(data, lot_id):
    """A party signs the agreed value (Art. 68.5); it is the valuation once every party signed."""
    return _lot_action(SignAgreement, lot_id, data)


@blp.route("/lots/<int:lot_id>/valuation/disputes", methods=["POST"])
@blp.arguments(schemas.DisputeIn)
@blp.answers(201, responses.Dispute, "401 403 409 422")
def dispute(data, lot_id):
    """A party disputes the valuation (Art. 68.3)."""
    return command(OpenDispute, lot_id, data,
                view=lambda uow, actor, d: {"id": d.id, "lot_id": d.lot_id, "status": d.status, "forum": d.forum})


@blp.route("/valuation/disputes/<int:dispute_id>/resolution", methods=["POST"])
@blp.arguments(schemas.Resolution)
@blp.answers(200, responses.DisputeResolved, "401 403 409 422")
def resolve(data, dispute_id):
    """Bailiff records the expert council's or court's conclusion (Art. 68.3); a new valuation is paid
    by the party that disputed (68.4)."""
    return command(ResolveDispute, dispute_id, data,
                view=lambda uow, actor, d: {"id": d.id, "lot_id": d.lot_id, "status": d.status})


@blp.route("/lots/<int:lot_id>/preemption/declined", methods=["POST"])
@blp.answers(200, responses.Lot, "401 403 409 422")
def preemption_declined(lot_id):
    """Bailiff records that every co-owner declined the pre-emption offer (Art. 60)."""
    return _lot_action(c.DeclinePreemption, lot_id)


@blp.route("/lots/<int:lot_id>/coowners/<int:coowner_id>/notification", methods=["POST"])
@blp.arguments(schemas.CoOwnerNotified)
@blp.answers(200, responses.Lot, "401 403 409 422")
def coowner_notified(data, lot_id, coowner_id):
    """Bailiff records the day a co-owner was notified; the pre-emption end follows (Art. 60.2)."""
    return _lot_action(c.RecordCoOwnerNotified, lot_id, coowner_id, data)


@blp.route("/lots/<int:lot_id>/coowners/<int:coowner_id>/decision", methods=["POST"])
@blp.arguments(schemas.CoOwnerDecision)
@blp.answers(200, responses.Lot, "401 403 409 422")
def coowner_decision(data, lot_id, coowner_id):
    """Bailiff records a co-owner's refusal or purchase of the share at the specialist's value (Art. 60.1)."""
    return _lot_action(c.RecordCoOwnerDecision, lot_id, coowner_id, data)


# ---- realization (Art. 72, 77) -------------------------------------------------------------------------
@blp.route("/lots/<int:lot_id>/realization-order", methods=["POST"])
@blp.arguments(schemas.RealizationOrder)
@blp.answers(200, responses.Lot, "401 403 409 422")
def realization_order(data, lot_id):
    """Bailiff orders realization (Art. 77.1) in the Art. 72 queue, or before an earlier queue on an
    Art. 72.4 ground (pledged; the writ would not be satisfied; the time limits would be extended)."""
    return _lot_action(c.OrderRealization, lot_id, data)


@blp.route("/lots/<int:lot_id>/realization-order/act", methods=["POST"])
@blp.arguments(schemas.RealizationOrder)
@blp.answers(200, responses.ActContent, "401 403 409 422")
def realization_order_act(data, lot_id):
    """The realization order (Art. 77.1) as the bailiff signs it with his EDS: the same body as POST
    /lots/{id}/realization-order; sign `content`, then post the order with `cms`."""
    return call(lifecycle.realization_order_act, c.OrderRealization.of(lot_id, data),
                view=lambda uow, actor, content: signing.content_answer("realization_order", content))


@blp.route("/lots/<int:lot_id>/not-realizable", methods=["POST"])
@blp.arguments(schemas.Reason)
@blp.answers(200, responses.Lot, "401 403 409 422")
def not_realizable(data, lot_id):
    return _lot_action(c.DeclareNotRealizable, lot_id, data)


@blp.route("/lots/<int:lot_id>/withdrawal", methods=["POST"])
@blp.arguments(schemas.Exclusion)
@blp.answers(200, responses.Lot, "401 403 409 422")
def withdrawal(data, lot_id):
    """Exclude movable property from the inventory on the specialist's conclusion (Art. 66.4)."""
    return _lot_action(c.WithdrawLot, lot_id, data)


# ---- self-sale (Art. 74.2) --------------------------------------------------------------------------------
@blp.route("/lots/<int:lot_id>/self-sale", methods=["POST"])
@blp.arguments(schemas.SelfSaleIn)
@blp.answers(201, responses.Lot, "401 403 409 422")
def self_sale(data, lot_id):
    """Debtor's written application to sell the lot himself (Art. 74.2), optionally with the price he
    expects (not below 75% of the valuation); the bailiff grants or refuses it."""
    return _lot_action(c.ApplySelfSale, lot_id, data)


@blp.route("/lots/<int:lot_id>/self-sale/grant", methods=["POST"])
@blp.answers(200, responses.Lot, "401 403 409 422")
def self_sale_grant(lot_id):
    """Bailiff grants the self-sale: the window runs from today (1 month, a dwelling 3 months, once per
    proceeding); a dwelling's announced auction is cancelled and its deposits refunded (Art. 74.2)."""
    return _lot_action(c.GrantSelfSale, lot_id)


@blp.route("/lots/<int:lot_id>/self-sale/refusal", methods=["POST"])
@blp.arguments(schemas.SelfSaleRefusal)
@blp.answers(200, responses.Lot, "401 403 409 422")
def self_sale_refusal(data, lot_id):
    """Bailiff refuses the application on a ground of Art. 74.2 that holds, with its reasons."""
    return _lot_action(c.RefuseSelfSale, lot_id, data)


@blp.route("/lots/<int:lot_id>/encumbrances", methods=["POST"])
@blp.arguments(schemas.EncumbranceIn)
@blp.answers(201, responses.Lot, "401 403 409 422")
def encumbrance(data, lot_id):
    """Bailiff records an encumbrance on the lot: another writ's arrest or a court's claim security (Art. 74.2)."""
    return _lot_action(c.RecordEncumbrance, lot_id, data)


@blp.route("/lots/<int:lot_id>/viewing", methods=["PUT"])
@blp.arguments(schemas.ViewingIn)
@blp.answers(200, responses.Lot, "401 403 404 422")
def viewing(data, lot_id):
    """Bailiff writes how and when the property can be seen (shown on the public lot page); empty: none given."""
    return _lot_action(c.DescribeViewing, lot_id, data)


@blp.route("/lots/<int:lot_id>/self-sale/contract", methods=["POST"])
@blp.arguments(schemas.SelfSaleContract)
@blp.answers(201, responses.SelfSaleContracted, "401 403 409 422")
def self_sale_contract(data, lot_id):
    """Record the buyer's contract (price ≥ 75% of the valuation); the buyer then pays the full price."""
    return command(c.RecordSelfSaleContract, lot_id, data,
                view=lambda uow, actor, p: {"payment": views.payment(p),
                                            "lot": _lot_view(uow, actor, cases.lot(uow, actor, lot_id))})


@blp.route("/lots/<int:lot_id>/retention", methods=["POST"])
@blp.arguments(schemas.RetentionIn)
@blp.answers(200, responses.Lot, "401 403 409 422")
def retention(data, lot_id):
    """A collector keeps (or refuses) the unsold lot at its valuation (Art. 85.1, 5 working days)."""
    return _lot_action(c.AnswerRetention, lot_id, data)


@blp.route("/lots/<int:lot_id>/retention/act", methods=["POST"])
@blp.arguments(schemas.RetentionIn)
@blp.answers(200, responses.ActContent, "400 401 403 409 422")
def retention_act(data, lot_id):
    """The collector's application to keep the lot at its valuation (Art. 85.1) as he signs it with his EDS:
    the same body as POST /lots/{id}/retention (decision retain); sign `content`, then post it with `cms`."""
    return call(retention_service.retention_act, c.AnswerRetention.of(lot_id, data),
                view=lambda uow, actor, content: signing.content_answer("retention_application", content))
