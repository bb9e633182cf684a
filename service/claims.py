"""Correcting the kind of a collector's claim (Art. 111–112: the queue follows from the kind).

Claims recorded before kinds existed got the kind "other" (queue 5) where their typed queue could not
tell it (migration e1a2b3c4d5e6), so an alimony claim may sit in the fifth queue. The bailiff of the
case — or an operator — corrects the kind on the writ or document that shows it, with a reason; the
queue is re-derived, the change journaled and kept in the claim's history (claim_changes).
"""
from __future__ import annotations

from auction import commands
from auction.events import ClaimKindCorrected
from auction.proceedings import Proceeding

from . import access, load
from .runner import actor_label
from .uow import UnitOfWork


def correct_kind(uow: UnitOfWork, actor, cmd: commands.CorrectClaimKind) -> Proceeding:
    access.require(actor, "bailiff", "operator")
    p = load.proceeding(uow, cmd.proceeding_id, lock=True)
    if actor.role == "bailiff":
        access.own_bailiff(actor, p)
    p.ensure_active()
    c = access.found(next((x for x in p.collectors if x.id == cmd.collector_id), None), "collector",
                     cmd.collector_id)
    old_queue, old_article, old_fee = c.queue, c.queue_article, c.fee_category
    change = c.correct_kind(kind=cmd.kind, basis=cmd.basis, reason=cmd.reason, at=uow.now, by=actor_label(actor))
    uow.flush()
    uow.record(ClaimKindCorrected(article=c.queue_article, proceeding_id=p.id, collector_id=c.id,
                                  old_kind=change.old_kind, new_kind=change.new_kind, old_queue=old_queue,
                                  new_queue=c.queue, old_article=old_article, new_article=c.queue_article,
                                  old_fee_category=old_fee, new_fee_category=c.fee_category, basis=change.basis,
                                  reason=change.reason, by_role=actor.role))
    uow.commit()
    return p
