"""Disqualifying a participant found without the right to take part (Art. 80.2, 80.4 third part, 80.5).

The bailiff of the case (or an operator) names the participant by number, the Art. 80.2 ground and what
was found. The deposit is forfeited to state revenue or to the income of the private bailiff running the
auction now (Art. 80.5); what that does to the auction is decided by `Auction.disqualify`.
"""
from __future__ import annotations

from sqlalchemy import select

from auction import commands as c
from auction import disqualification as dq
from auction.auctions import Application, AuctionStatus
from auction.errors import BadRequest
from auction.events import DepositAlreadyRefunded
from auction.lots.model import Lot
from auction.money import fmt
from auction.proceedings import Proceeding

from . import access, auctions, deposits, load, payment_requests
from .orm import Bid
from .uow import UnitOfWork


def disqualify(uow: UnitOfWork, actor, cmd: c.Disqualify):
    access.require(actor, "bailiff", "operator")
    a = load.auction(uow, cmd.auction_id, lock=True)
    lot = uow.get(Lot, a.lot_id)
    if actor.role == "bailiff":
        access.own_bailiff(actor, uow.get(Proceeding, lot.proceeding_id))
    reason = cmd.reason
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise BadRequest("a disqualification states what was found (reason)", article=dq.ARTICLE,
                         code="reason_required")
    ground = cmd.ground
    dq.ground_text(ground)
    no = cmd.participant_no
    app = next((x for x in a.applications if x.participant_no == no), None) if isinstance(no, int) else None
    best = _best_other_bid(uow, a, app) if app is not None and a.status == AuctionStatus.OPEN else None
    a.disqualify(app, no, now=uow.now, ground=ground, reason=reason, by=actor.role, best_other=best)
    forfeited = deposits.forfeit_deposit(uow, a, app, freed_too=True)
    payment_requests.cancel_pending(uow, application_id=app.id)
    if forfeited < app.deposit:  # refunded before the finding: recovering the rest is for a court
        uow.record(DepositAlreadyRefunded(lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                                          forfeited=fmt(forfeited), deposit=fmt(app.deposit)))
    if a.status == AuctionStatus.FAILED:
        auctions.after_failure(uow, a, lot)
    uow.commit()
    return a


def _best_other_bid(uow, a, app) -> tuple | None:
    """The highest bid of a participant who remains (the lead goes back to it when the leader leaves)."""
    if a.leader_no != app.participant_no:
        return None
    remaining = [x.participant_no for x in a.admitted if x is not app]
    row = uow.session.execute(select(Bid.amount, Bid.participant_no, Application.user_id)
                              .join(Application, Application.id == Bid.application_id)
                              .where(Bid.auction_id == a.id, Bid.participant_no.in_(remaining))
                              .order_by(Bid.amount.desc(), Bid.seq.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1], row[2])
