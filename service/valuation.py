"""The Art. 68 use cases: one handler per command of `valuation.commands`. Each checks access,
loads, calls the lot's valuation step (valuation.model), commits. service/handlers.py is the one entry."""
from __future__ import annotations

from auction.errors import BadRequest, InvalidTransition
from auction.events import DisputeFiled, DisputeResolved
from auction.identity import require_iin_bin
from auction.lots.model import Lot
from auction.money import money
from valuation import commands as c
from valuation.model import FORUMS, OUTCOMES

from . import access, documents, load
from .orm import Dispute
from .uow import UnitOfWork


def appoint_appraiser(uow: UnitOfWork, actor, cmd: c.AppointAppraiser) -> Lot:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    appraiser = load.user_ref(uow, cmd.appraiser, "appraiser")
    iin = require_iin_bin(cmd.appraiser_iin or (appraiser.iin_bin if appraiser else "") or "", "appraiser_iin")
    lot.appoint_appraiser(appraiser_id=appraiser.id if appraiser else None, appraiser_iin=iin, basis=cmd.basis,
                          today=uow.today)
    # Art. 68.2: the resolution is a document; the parties have their copy by the next day.
    documents.appraiser_appointment(uow, lot, appraiser, {"appraiser_name": cmd.appraiser_name, "basis": cmd.basis})
    uow.commit()
    return lot


def file_report(uow: UnitOfWork, actor, cmd: c.FileReport) -> Lot:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    p = load.proceeding(uow, lot.proceeding_id)
    access.require(actor, "appraiser", "bailiff")
    if actor.role == "appraiser" and lot.appraiser_id != actor.id:
        raise access.Forbidden("only the appraiser appointed for this lot files its report", article="68.1",
                               code="not_appointed")
    if actor.role == "bailiff":
        access.own_bailiff(actor, p)
    lot.file_report(value=money(cmd.value), report_no=cmd.report_no, report_date=cmd.report_date,
                    appraiser_id=lot.appraiser_id, appraiser_iin=lot.appraiser_iin, now=uow.now, today=uow.today)
    uow.commit()
    return lot


def sign_agreement(uow: UnitOfWork, actor, cmd: c.SignAgreement) -> Lot:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    p = load.proceeding(uow, lot.proceeding_id)
    signer = access.party_of(actor, p)
    lot.sign_agreement(signer=signer, value=money(cmd.value), required_signers=p.required_agreement_signers(),
                       now=uow.now, today=uow.today)
    uow.commit()
    return lot


def open_dispute(uow: UnitOfWork, actor, cmd: c.OpenDispute) -> Dispute:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    p = load.proceeding(uow, lot.proceeding_id)
    party = access.party_of(actor, p)
    if cmd.forum not in FORUMS:
        raise BadRequest("a party disputes the valuation before the expert council or the court "
                         "(expert_council, court)", article="68.3", code="bad_forum")
    valuation = lot.valuation
    lot.open_dispute()
    uow.flush()
    d = Dispute(lot_id=lot.id, valuation_id=valuation.id, party=party, user_id=actor.id, forum=cmd.forum,
                grounds=cmd.grounds or "", created_at=uow.now)
    uow.add(d)
    uow.flush()
    uow.record(DisputeFiled(lot_id=lot.id, dispute_id=d.id, party=party, forum=cmd.forum))
    uow.commit()
    return d


def resolve_dispute(uow: UnitOfWork, actor, cmd: c.ResolveDispute) -> Dispute:
    d = access.found(uow.find(Dispute, cmd.dispute_id), "dispute", cmd.dispute_id)
    lot = load.lot(uow, d.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    if d.status != "open":
        raise InvalidTransition("this dispute is already resolved", article="68.3", code="resolved")
    if cmd.outcome not in OUTCOMES:
        raise BadRequest("outcome is 'upheld' (report stands) or 'invalid' (new valuation)", article="68.3",
                         code="bad_outcome")
    lot.resolve_dispute(report_invalid=cmd.outcome == "invalid")
    d.status, d.resolved_at = cmd.outcome, uow.now
    # Art. 68.4: the new valuation is paid by the party that disputed.
    uow.record(DisputeResolved(lot_id=lot.id, dispute_id=d.id, outcome=cmd.outcome,
                               paid_by=d.party if cmd.outcome == "invalid" else None,
                               paid_by_article="68.4" if cmd.outcome == "invalid" else None))
    uow.commit()
    return d


HANDLERS = {
    c.AppointAppraiser: appoint_appraiser, c.FileReport: file_report, c.SignAgreement: sign_agreement,
    c.OpenDispute: open_dispute, c.ResolveDispute: resolve_dispute,
}
