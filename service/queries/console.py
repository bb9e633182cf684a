"""What the bailiff's console shows (SPEC §8): his own proceedings and lots, the auctions of his lots,
and one lot with everything its next step needs. A proceeding or lot of another bailiff is not found."""
from __future__ import annotations

from sqlalchemy import select

from auction.auctions import Auction
from auction.lots.model import Lot, Status
from auction.proceedings import Proceeding

from .. import settings, signed_documents
from ..orm import Dispute, Distribution, Document
from . import accounts, cases


def dashboard(uow, actor) -> tuple[list[Proceeding], list[Lot], list[Auction]]:
    s = uow.session
    proceedings = s.execute(select(Proceeding).where(Proceeding.bailiff_id == actor.id)
                            .order_by(Proceeding.id.desc())).scalars().all()
    lots = s.execute(select(Lot).where(Lot.proceeding_id.in_([p.id for p in proceedings]))
                     .order_by(Lot.id)).scalars().all() if proceedings else []
    auctions = s.execute(select(Auction).where(Auction.lot_id.in_([x.id for x in lots]))
                         .order_by(Auction.id)).scalars().all() if lots else []
    return proceedings, lots, auctions


def own_proceeding(uow, actor, pid: int) -> Proceeding | None:
    """The proceeding if the caller is its bailiff; None otherwise (not found, for him)."""
    p = uow.get(Proceeding, pid)
    return p if p is not None and p.bailiff_id == actor.id else None


def own_lot(uow, actor, lot_id: int) -> Lot | None:
    x = uow.get(Lot, lot_id)
    return x if x is not None and own_proceeding(uow, actor, x.proceeding_id) is not None else None


def proceeding(uow, actor, pid: int) -> tuple[Proceeding, list[Lot]] | None:
    p = own_proceeding(uow, actor, pid)
    if p is None:
        return None
    return p, uow.session.execute(select(Lot).where(Lot.proceeding_id == pid).order_by(Lot.id)).scalars().all()


def lot(uow, actor, lot_id: int) -> dict | None:
    """One lot of the bailiff's with its proceeding, auctions, documents, the appraisers to appoint, the
    dates an auction may be announced on (the working calendar with the operator's changes), the
    platform's defaults, open disputes and distribution statements; each document's EDS signatures and the
    documents the bailiff may sign now (service/signed_documents.py)."""
    x = own_lot(uow, actor, lot_id)
    if x is None:
        return None
    s = uow.session
    documents = s.execute(select(Document.id, Document.kind, Document.number, Document.sha256, Document.issued_at,
                                 Document.auction_id, Document.lot_id)
                          .where(Document.lot_id == lot_id).order_by(Document.id)).all()
    return {
        "lot": x, "p": uow.get(Proceeding, x.proceeding_id),
        "auctions": s.execute(select(Auction).where(Auction.lot_id == lot_id).order_by(Auction.id)).scalars().all(),
        "documents": documents, "signatures": cases.signatures_of(uow, documents),
        "signable": signed_documents.signable(uow, actor, documents),
        "appraisers": accounts.of_role(uow, actor, "appraiser"),
        "dates": uow.calendar.auction_dates(uow.today, not_before=x.repeat_auction_from
                                            if x.status == Status.FAILED_1 else None),
        "defaults": settings.load(s),
        "disputes": s.execute(select(Dispute).where(Dispute.lot_id == lot_id, Dispute.status == "open")
                              .order_by(Dispute.id)).scalars().all(),
        "statements": s.execute(select(Distribution).where(Distribution.lot_id == lot_id)
                                .order_by(Distribution.id)).scalars().all(),
    }


def awaiting_approval(uow, actor, lot_id: int) -> list[int]:
    """The bailiff's closed auctions of the lot whose results wait for his approval (Art. 80.4)."""
    if own_lot(uow, actor, lot_id) is None:
        return []
    return list(uow.session.execute(select(Auction.id).where(Auction.lot_id == lot_id, Auction.status == "closed",
                                                             Auction.payment_due_on.is_(None))
                                    .order_by(Auction.id)).scalars())
