"""A proceeding passing to another bailiff (SPEC §10; Order No 211 of 28.02.2026 on distributing writs,
its items on replacing a private bailiff; Art. 25.4 "басқа сот орындаушысына беру"; Art. 123.6 on the
money a private bailiff keeps for collectors on his current account).

The operator records the decision of the justice body or the regional chamber: from then on the new
bailiff acts in the case and the old one is refused (access.own_bailiff). Its lots, its auctions
(announced and running ones go on), the deposits held for them and the money held for its collectors
go with it: they hang on the proceeding, not on the bailiff, so nothing is re-posted in the ledger; the
one journal entry names both bailiffs and what moved, with the amounts. A deposit forfeited later goes
to whoever runs the auction at that moment (deposits.forfeit_deposit, Art. 80.5).
"""
from __future__ import annotations

from sqlalchemy import func, select

from auction import commands as c
from auction import ledger
from auction.auctions import Application, Auction
from auction.errors import BadRequest, Conflict, InvalidTransition, RuleViolation
from auction.events import ProceedingTransferred
from auction.identity import require_iin_bin
from auction.lots.model import FINAL, Lot
from auction.money import ZERO, fmt
from auction.proceedings import Proceeding

from . import access
from .orm import Posting, ProceedingTransfer, User
from .uow import UnitOfWork

ARTICLE = "25.4"  # the writ passed "to another bailiff" (басқа сот орындаушысына)
LIVE = ("announced", "open", "closed")


def _new_bailiff(uow: UnitOfWork, ref) -> User:
    if isinstance(ref, int) and not isinstance(ref, bool):
        user = uow.get(User, ref) if 0 < ref < 2**31 else None
    elif isinstance(ref, str) and ref.strip():
        user = uow.session.execute(select(User).where(User.email == ref.strip().lower())).scalar_one_or_none()
    else:
        raise BadRequest("bailiff is the new bailiff's account id or e-mail", code="unknown_user")
    if user is None:
        raise BadRequest(f"no account {ref!r}", code="unknown_user")
    if user.role != "bailiff":
        raise RuleViolation(f"{user.email} is a {user.role}, not a bailiff: a proceeding passes to a bailiff only",
                            article=ARTICLE, code="not_a_bailiff")
    return user


def transfer_proceeding(uow: UnitOfWork, actor, cmd: c.TransferProceeding) -> Proceeding:
    access.require(actor, "operator")
    p = access.found(uow.session.execute(select(Proceeding).where(Proceeding.id == cmd.proceeding_id)
                                         .with_for_update()).scalar_one_or_none(), "proceeding", cmd.proceeding_id)
    if p.status == "closed":
        raise InvalidTransition("the proceeding has ended: there is nothing left to pass on", article="49",
                                code="invalid_state")
    basis = cmd.basis
    basis = basis.strip() if isinstance(basis, str) else ""
    if not basis:
        raise BadRequest("a transfer states its basis (e.g. the order's number and date)", article=ARTICLE,
                         code="reason_required")
    if not isinstance(cmd.private_bailiff, bool):
        raise BadRequest("private_bailiff: say whether the new bailiff is a private bailiff", code="bad_request")
    new = _new_bailiff(uow, cmd.bailiff)
    if new.id == p.bailiff_id:
        raise Conflict("the proceeding is already run by this bailiff", article=ARTICLE, code="same_bailiff")
    new_iin = require_iin_bin(new.iin_bin or "", "the new bailiff's IIN")
    old = uow.get(User, p.bailiff_id)
    moved = _what_moves(uow, p)
    from_private, to_private = p.private_bailiff, cmd.private_bailiff
    uow.session.add(ProceedingTransfer(proceeding_id=p.id, from_bailiff_id=old.id, from_private=from_private,
                                       to_bailiff_id=new.id, to_private=to_private, basis=basis, moved=moved,
                                       actor_id=actor.id, at=uow.now))
    p.bailiff_id, p.bailiff_iin, p.private_bailiff = new.id, new_iin, to_private
    for a in uow.session.execute(select(Auction).join(Lot, Lot.id == Auction.lot_id).where(
            Lot.proceeding_id == p.id, Auction.status.in_(LIVE))).scalars():
        a.private_bailiff = to_private  # who runs it now (Art. 80.5 follows the proceeding at the forfeiture)
    uow.record(ProceedingTransferred(proceeding_id=p.id, number=p.number, basis=basis,
                                     from_bailiff={"id": old.id, "name": old.full_name, "private": from_private},
                                     to_bailiff={"id": new.id, "name": new.full_name, "private": to_private},
                                     money_article="123.6" if from_private else None, moved=moved))
    uow.commit()
    return p


def _what_moves(uow: UnitOfWork, p: Proceeding) -> dict:
    """The lots not yet realized, the live auctions with the deposits held for them, and the money held
    for the collectors (allotted by a distribution, not yet paid out) — with the amounts."""
    lots = uow.session.execute(select(Lot.id).where(Lot.proceeding_id == p.id, Lot.status.not_in(list(FINAL)))
                               .order_by(Lot.id)).scalars().all()
    live = uow.session.execute(select(Auction.id, Auction.status).join(Lot, Lot.id == Auction.lot_id).where(
        Lot.proceeding_id == p.id, Auction.status.in_(LIVE)).order_by(Auction.id)).all()
    held = uow.session.execute(select(func.count(), func.sum(Application.deposit)).where(
        Application.auction_id.in_([a for a, _ in live] or [-1]), Application.deposit_state == "held")).one()
    accounts = [ledger.collector_account(c.id) for c in p.collectors]
    rows = uow.session.execute(select(Posting.account, func.sum(Posting.amount)).where(
        Posting.account.in_(accounts)).group_by(Posting.account)).all()
    for_collectors = {a: b for a, b in rows if b}
    all_lots = select(Lot.id).where(Lot.proceeding_id == p.id)
    control = uow.session.execute(select(func.sum(Posting.amount)).where(
        Posting.account == ledger.CONTROL, Posting.lot_id.in_(all_lots))).scalar_one() or ZERO
    return {"lots": list(lots), "auctions": [{"id": a, "status": s} for a, s in live],
            "deposits_held": {"count": held[0], "amount": fmt(held[1] or ZERO)},
            "held_for_collectors": {a: fmt(b) for a, b in for_collectors.items()},
            "held_for_collectors_total": fmt(sum(for_collectors.values(), ZERO)),
            "control_account": fmt(control)}
