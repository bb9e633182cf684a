"""What each person sees in the cabinet (SPEC §8): a bidder his applications, payments and the
auctions he won; a debtor, a collector and an appraiser the lots of their cases with their documents;
an operator the payments to confirm, the calendar, the accounts, the proceedings he may pass to another
bailiff and the platform's defaults."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import defer

from auction import calendar as cal
from auction.auctions import Application, Auction
from auction.lots.model import Lot, Status
from auction.proceedings import Collector, Proceeding

from .. import access, retention, settings, signed_documents
from ..documents import copies_due_on, may_read
from ..orm import ActSignature, Distribution, Document, Payment, RetentionRequest, User
from . import accounts, cases, payments, platform

RETENTION = (Status.RETENTION_1, Status.RETENTION_2)


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
    won_rows = [d for docs in won_documents.values() for d in docs]
    won_signatures = cases.signatures_of(uow, won_rows)  # the protocol's and the contract's EDS signatures
    signable = signed_documents.signable(uow, actor, won_rows)  # the sale contract, by the buyer (Art. 83)
    signed, application_documents = applications_signed(uow, actor, [a.id for _app, a, _lot in rows])
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
    quotes = {x.id: retention_charge_of(uow, x, c) for x, c, answer in roles["collector_lots"]
              if x.status in RETENTION and answer is None and uow.today <= x.retention_ends_on}
    shown_documents = lot_documents(uow, actor, lot_ids)
    signatures = cases.signatures_of(uow, [d for docs in shown_documents.values() for d, _due in docs])
    return {"rows": rows, "payments": pays, "won": won, "won_documents": won_documents, "signed": signed,
            "lot_signatures": signatures,
            "won_signatures": won_signatures, "signable": signable,
            "application_documents": application_documents,
            "lot_documents": shown_documents, "retention_quotes": quotes,
            "distributions": debtor_distributions(uow, actor, roles["debtor_lots"]),
            "todo": todo(uow, actor, pays, roles, quotes), **roles}


def applications_signed(uow, actor, auction_ids: list[int]) -> tuple[dict[int, ActSignature], dict[int, Document]]:
    """The caller's applications for these auctions: the EDS signature of each signed one (issue 14 point 2), and
    the application document the platform issued for each (Art. 80.1–80.2, kind auction_application), by auction."""
    if not auction_ids:
        return {}, {}
    s = uow.session
    signed = {x.auction_id: x for x in s.execute(select(ActSignature).where(
        ActSignature.user_id == actor.id, ActSignature.act == "application",
        ActSignature.auction_id.in_(auction_ids)).order_by(ActSignature.id)).scalars()}
    documents = {d.auction_id: d for d in s.execute(
        select(Document).options(defer(Document.content)).where(
            Document.owner_id == actor.id, Document.kind == "auction_application",
            Document.auction_id.in_(auction_ids)).order_by(Document.id)).scalars()}
    return signed, documents


def todo(uow, actor, pays, roles, quotes) -> list[dict]:
    """What needs the person's action, the nearest deadline first (the cabinet shows it first): each
    payment awaited from him (a deposit, the winner's balance, a retention charge) with its deadline, each
    retention offer not yet answered with the amount he would pay (Art. 85.1, 85.3), and a debtor's open
    self-sale window with its last day (Art. 74.2)."""
    s, items = uow.session, []
    pending = [p for p in pays if p.status == "pending"]
    auctions = {a.id: a for a in s.execute(select(Auction).where(Auction.id.in_(
        {p.auction_id for p in pending if p.auction_id}))).scalars()} if pending else {}
    lot_ids = {p.lot_id for p in pending if p.lot_id} | {a.lot_id for a in auctions.values()}
    lots = {x.id: x for x in s.execute(select(Lot).where(Lot.id.in_(lot_ids))).scalars()} if lot_ids else {}
    for p in pending:
        a = auctions.get(p.auction_id)
        closes = a.applications_close_at if a is not None and p.kind == "deposit" else None
        items.append({"kind": "payment", "payment": p, "lot": lots.get(p.lot_id or (a.lot_id if a else None)),
                      "due": p.due_on or (cal.local_date(closes) if closes else None), "closes_at": closes})
    for x, c, answer in roles["collector_lots"]:
        if x.id in quotes:
            items.append({"kind": "retention", "lot": x, "due": x.retention_ends_on, "charge": quotes[x.id]})
    for x, p, pay in roles["debtor_lots"]:
        if x.self_sale_status == "open" and x.self_sale_ends_on and uow.today <= x.self_sale_ends_on:
            items.append({"kind": "self_sale", "lot": x, "due": x.self_sale_ends_on})
    return sorted(items, key=lambda i: (i["due"] is None, i["due"] or date.max))


def retention_charge_of(uow, lot: Lot, collector: Collector) -> dict:
    """What the collector pays in to keep the failed lot if he is chosen (Art. 85.3): the figures
    service/retention.py charges (the value above what the case owes him, his share of the expenses and
    of the private bailiff's fee), as of today."""
    return retention.retention_charge(uow, lot, uow.get(Proceeding, lot.proceeding_id), collector)


def retention_quote(uow, actor, lot_id: int) -> tuple[Lot, dict]:
    """The retention offer to the caller (a collector of the lot's case) with the amount he would pay
    (Art. 85.3), for the page that asks him to confirm; 404 / 403 / 409 like the answer itself."""
    x = access.found(uow.get(Lot, lot_id), "lot", lot_id)
    p = uow.get(Proceeding, x.proceeding_id)
    access.require(actor, "collector")
    collector = access.collector_of(actor, p)
    if collector is None:
        raise access.Forbidden("you are not a collector of this proceeding", article="85.1", code="not_a_party")
    retention.window_open(uow, x)
    return x, retention.retention_charge(uow, x, p, collector)


def debtor_distributions(uow, actor, debtor_lots) -> dict[int, dict]:
    """For each of the debtor's lots whose proceeds were distributed: the statements (the lines of
    Art. 108, 110–112 by queue and collector, as in the distribution statement), the collectors' names,
    and what each collector of the case is still owed (claim less what was paid)."""
    ids = [x.id for x, _p, _pay in debtor_lots]
    if not ids:
        return {}
    rows: dict[int, list[Distribution]] = {}
    for d in uow.session.execute(select(Distribution).where(Distribution.lot_id.in_(ids))
                                 .order_by(Distribution.id)).scalars():
        rows.setdefault(d.lot_id, []).append(d)
    out = {}
    for x, p, _pay in debtor_lots:
        if x.id in rows:
            out[x.id] = {"statements": rows[x.id], "names": {c.id: c.name for c in p.collectors},
                         "owed": sorted(p.collectors, key=lambda c: (c.queue, c.order))}
    return out


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
