"""What each person sees in the cabinet (SPEC §8): a bidder his applications, payments and the
auctions he won; a debtor, a collector and an appraiser the lots of their cases with their documents;
an operator the payments to confirm, the calendar, the accounts, the proceedings he may pass to another
bailiff and the platform's defaults."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import defer

from auction.auctions import Application, Auction
from auction.lots.model import Lot, Status
from auction.proceedings import Collector, Proceeding

from .. import settings
from ..documents import copies_due_on, may_read
from ..orm import Document, Payment, RetentionRequest, User
from . import accounts, payments, platform


def page(uow, actor) -> dict:
    """Everything the cabinet page shows for the caller, by his role."""
    s = uow.session
    rows = s.execute(select(Application, Auction, Lot).join(Auction, Auction.id == Application.auction_id)
                     .join(Lot, Lot.id == Auction.lot_id).where(Application.user_id == actor.id)
                     .order_by(Application.id.desc())).all()
    pays = s.execute(select(Payment).where(Payment.user_id == actor.id).order_by(Payment.id.desc())).scalars().all()
    won = [(a, x) for app, a, x in rows if a.winner_no is not None and a.winner_no == app.participant_no]
    won_documents: dict[int, list[Document]] = {}
    if won:
        for d in s.execute(select(Document).where(Document.auction_id.in_([a.id for a, _lot in won]),
                                                  Document.kind.in_(("auction_protocol", "sale_contract")))
                           .order_by(Document.id)).scalars():
            won_documents.setdefault(d.auction_id, []).append(d)
    role, operator = actor.role, actor.role == "operator"
    roles = {"debtor_lots": debtor_lots(uow, actor) if role == "debtor" else [],
             "collector_lots": collector_lots(uow, actor) if role == "collector" else [],
             "pending": payments.pending(uow, actor) if operator else [],
             "overrides": platform.overrides(uow, actor) if operator else [],
             "accounts": accounts.latest(uow, actor) if operator else [],
             "open_proceedings": open_proceedings(uow, actor) if operator else [],
             "bailiffs": accounts.of_role(uow, actor, "bailiff") if operator else [],
             "platform": settings.as_dict(settings.load(s)) if operator else {},
             "appraised": appraiser_lots(uow, actor) if role == "appraiser" else [],
             "notes": accounts.notifications(uow, actor)}
    lot_ids = {x.id for x, *_rest in roles["debtor_lots"]} | {x.id for x, *_rest in roles["collector_lots"]} \
        | {x.id for x in roles["appraised"]}
    return {"rows": rows, "payments": pays, "won": won, "won_documents": won_documents,
            "lot_documents": lot_documents(uow, actor, lot_ids), **roles}


def debtor_lots(uow, actor) -> list[tuple[Lot, Proceeding, Payment | None]]:
    """The debtor's lots with their proceeding and the self-sale payment, if any (Art. 74.2)."""
    s = uow.session
    rows = s.execute(select(Lot, Proceeding).join(Proceeding, Proceeding.id == Lot.proceeding_id)
                     .where(Proceeding.debtor_user_id == actor.id).order_by(Lot.id)).all()
    pays = {p.lot_id: p for p in s.execute(select(Payment).where(
        Payment.kind == "self_sale", Payment.lot_id.in_([x.id for x, _p in rows]))).scalars()} if rows else {}
    return [(x, p, pays.get(x.id)) for x, p in rows]


def collector_lots(uow, actor) -> list[tuple[Lot, Collector, RetentionRequest | None]]:
    """The collector's lots with his claim and his answer in the lot's retention round (Art. 85.1)."""
    s = uow.session
    rows = s.execute(select(Lot, Collector).join(Collector, Collector.proceeding_id == Lot.proceeding_id)
                     .where(Collector.user_id == actor.id).order_by(Lot.id)).all()
    answers = {(r.lot_id, r.collector_id, r.round): r for r in s.execute(select(RetentionRequest).where(
        RetentionRequest.collector_id.in_({c.id for _x, c in rows}))).scalars()} if rows else {}
    out = []
    for x, c in rows:
        round_no = 1 if x.status == Status.RETENTION_1 else 2
        out.append((x, c, answers.get((x.id, c.id, round_no))))
    return out


def appraiser_lots(uow, actor) -> list[Lot]:
    return uow.session.execute(select(Lot).where(Lot.appraiser_id == actor.id).order_by(Lot.id)).scalars().all()


def lot_documents(uow, actor, lot_ids) -> dict[int, list[tuple[Document, date | None]]]:
    """The documents of the person's lots he may read (`may_read`), each with the day its copy is due to
    the parties where the law sets one (Art. 68.2: the appraiser's appointment, by the next day)."""
    if not lot_ids:
        return {}
    out: dict[int, list] = {}
    s = uow.session
    for d in s.execute(select(Document).options(defer(Document.content)).where(Document.lot_id.in_(lot_ids))
                       .order_by(Document.id)).scalars():
        if may_read(s, actor, d):
            out.setdefault(d.lot_id, []).append((d, copies_due_on(d.kind, d.issued_at)))
    return out


def open_proceedings(uow, actor) -> list[tuple[Proceeding, User]]:
    """The proceedings not ended, with their bailiff: what an operator may pass to another bailiff."""
    return uow.session.execute(select(Proceeding, User).join(User, User.id == Proceeding.bailiff_id)
                               .where(Proceeding.status != "closed").order_by(Proceeding.id.desc()).limit(200)).all()
