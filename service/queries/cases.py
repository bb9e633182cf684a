"""Reads about cases: proceedings, the lots of the catalogue, a lot's page, its journal, distribution
statements, documents and photos (SPEC §2, §7, §8)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import defer

from auction.auctions import Auction
from auction.lots.model import Lot
from auction.proceedings import Proceeding

from .. import access
from .. import catalogue as catalogue_search
from .. import documents as docs
from ..orm import ActSignature, Distribution, Document, JournalEntry, Photo, ProceedingTransfer, User, Watch


def lot(uow, actor, lot_id: int) -> Lot:
    return access.found(uow.get(Lot, lot_id), "lot", lot_id)


def private(uow, actor, x: Lot) -> bool:
    """Whether the caller sees the lot's personal data: the case's people (service/access.py) and the
    lot's appraiser."""
    return access.can_see_private(actor, uow.get(Proceeding, x.proceeding_id)) or (
        actor is not None and actor.role == "appraiser" and x.appraiser_id == actor.id)


def auctions_by_lot(uow, actor, lot_ids) -> dict[int, list[Auction]]:
    """The auctions of each lot, oldest first."""
    ids = list(lot_ids)
    by_lot: dict[int, list[Auction]] = {i: [] for i in ids}
    if ids:
        for a in uow.session.execute(select(Auction).where(Auction.lot_id.in_(ids)).order_by(Auction.id)).scalars():
            by_lot[a.lot_id].append(a)
    return by_lot


def catalogue(uow, actor, filters: dict, page: int, per_page: int, *, cases: bool = False):
    """One page of the public catalogue (service/catalogue.py), how many lots match in all, and each lot's
    auctions; `cases`: the lots' proceedings loaded too, for their views (three queries in all)."""
    lots, total = catalogue_search.search(uow.session, catalogue_search.Filters.of(filters), page, per_page)
    if cases and lots:
        uow.session.execute(
            select(Proceeding).where(Proceeding.id.in_({x.proceeding_id for x in lots}))).scalars().all()
    return lots, total, auctions_by_lot(uow, actor, [x.id for x in lots])


def auction_calendar(uow, actor, today: date, days: int = 14) -> list[tuple[date, int]]:
    """The coming days, each with how many auctions start on it (the catalogue's calendar)."""
    return catalogue_search.calendar(uow.session, today, days)


def proceeding(uow, actor, pid: int) -> Proceeding:
    return access.found(uow.get(Proceeding, pid), "proceeding", pid)


def transfers(uow, actor, pid: int) -> list[ProceedingTransfer]:
    """The proceeding's passes from one bailiff to another (Art. 123.6), oldest first."""
    return uow.session.execute(select(ProceedingTransfer).where(ProceedingTransfer.proceeding_id == pid)
                               .order_by(ProceedingTransfer.id)).scalars().all()


def lot_ids(uow, actor, pid: int) -> list[int]:
    return list(uow.session.execute(select(Lot.id).where(Lot.proceeding_id == pid)).scalars())


def journal(uow, actor, lot_id: int) -> tuple[bool, list[JournalEntry]]:
    """The lot's journal entries, and whether the caller sees their personal details (the case's people)."""
    x = lot(uow, actor, lot_id)
    seen = access.can_see_private(actor, uow.get(Proceeding, x.proceeding_id))
    return seen, uow.session.execute(select(JournalEntry).where(JournalEntry.lot_id == lot_id)
                                     .order_by(JournalEntry.seq)).scalars().all()


def distribution(uow, actor, lot_id: int) -> list[Distribution]:
    """The distribution statements of the lot's proceeds (Art. 108, 110–112): the case's people only."""
    x = lot(uow, actor, lot_id)
    if not access.can_see_private(actor, uow.get(Proceeding, x.proceeding_id)):
        access.require(actor)
        raise access.Forbidden("the distribution is visible to the parties and the bailiff", code="forbidden")
    rows = uow.session.execute(select(Distribution).where(Distribution.lot_id == lot_id)
                               .order_by(Distribution.id)).scalars().all()
    if not rows:
        raise access.NotFound("no distribution yet: the lot's proceeds have not been received", code="not_found")
    return rows


def documents(uow, actor, lot_id: int) -> list[tuple[object, date | None, list]]:
    """The lot's documents the caller may see (the public: announcements and protocols; an appraiser:
    the resolutions appointing him, Art. 68.2), each with the day its copy is due where the law sets one, and
    its EDS signatures."""
    x = lot(uow, actor, lot_id)
    p = uow.get(Proceeding, x.proceeding_id)
    seen = access.can_see_private(actor, p)
    official = actor is not None and (actor.role == "operator" or (actor.role == "bailiff"
                                                                   and p.bailiff_id == actor.id))
    rows = uow.session.execute(select(Document.id, Document.kind, Document.number, Document.sha256,
                                      Document.issued_at, Document.auction_id, Document.owner_id)
                               .where(Document.lot_id == lot_id).order_by(Document.id)).all()

    def readable(r) -> bool:
        if r.kind == "auction_application":  # a bidder's declaration (Art. 80.2): his, and the officials'
            return official or (actor is not None and r.owner_id == actor.id)
        return (seen or r.kind in docs.PUBLIC_KINDS
                or (r.kind == "appraiser_appointment" and actor is not None  # Art. 68.2: his own
                    and docs.appointed_by(uow.session, lot_id, r.id) == actor.id))
    shown = [r for r in rows if readable(r)]
    return [(r, docs.copies_due_on(r.kind, r.issued_at), marks) for r, marks in
            zip(shown, _signatures(uow, lot_id, [r.id for r in shown]))]


def signatures_of(uow, rows) -> dict[int, list[ActSignature]]:
    """The EDS signatures of each document of `rows` (with id and lot_id, of any lots), by document id."""
    by_lot: dict[int, list[int]] = {}
    for r in rows:
        by_lot.setdefault(r.lot_id, []).append(r.id)
    return {i: marks for lot_id, ids in by_lot.items() for i, marks in zip(ids, _signatures(uow, lot_id, ids))}


def _signatures(uow, lot_id: int, ids: list[int]) -> list[list[ActSignature]]:
    """Each document's EDS signatures: those it prints (named by its `document.issued` entry) and those given
    to it after its issue (its act signed, auction/acts.py `document=True`), oldest first."""
    if not ids:
        return []
    printed: dict[int, set[int]] = {}
    for payload in uow.session.execute(select(JournalEntry.payload).where(
            JournalEntry.lot_id == lot_id, JournalEntry.kind == "document.issued")).scalars():
        if payload.get("signatures"):
            printed[payload["document_id"]] = set(payload["signatures"])
    wanted = set().union(*printed.values()) if printed else set()
    rows = uow.session.execute(select(ActSignature).where(ActSignature.lot_id == lot_id).where(
        ActSignature.document_id.in_(ids) | ActSignature.id.in_(wanted or {0})).order_by(ActSignature.id)).scalars()
    rows = list(rows)
    return [[s for s in rows if s.document_id == i or s.id in printed.get(i, ())] for i in ids]


def document(uow, actor, document_id: int) -> Document:
    """A stored document for a caller who may read it (`service.documents.may_read`): 404, 401 or 403 otherwise."""
    doc = access.found(uow.get(Document, document_id), "document", document_id)
    if not docs.may_read(uow.session, actor, doc):
        access.require(actor)
        raise access.Forbidden("this document is visible to the parties and the bailiff", code="forbidden")
    return doc


def photo(uow, actor, photo_id: int) -> Photo | None:
    return uow.get(Photo, photo_id)


def lot_page(uow, actor, lot_id: int, timeline_kinds) -> dict | None:
    """What the public lot page shows (None: no such lot): its auctions, the documents the caller may
    read, the public timeline (entries of `timeline_kinds`), the accepted bids for the price charts,
    the caller's applications, whether he watches the lot, the case's bailiff (his name and office
    contact are public; SPEC §8 hides the debtor's) and whether the caller sees the case's private data."""
    x = uow.get(Lot, lot_id)
    if x is None:
        return None
    auctions = uow.session.execute(select(Auction).where(Auction.lot_id == lot_id).order_by(Auction.id)).scalars().all()
    readable = [d for d in uow.session.execute(select(Document).options(defer(Document.content))
                                               .where(Document.lot_id == lot_id).order_by(Document.id)).scalars()
                if docs.may_read(uow.session, actor, d)]
    timeline = uow.session.execute(select(JournalEntry).where(JournalEntry.lot_id == lot_id,
                                                              JournalEntry.kind.in_(list(timeline_kinds)))
                                   .order_by(JournalEntry.seq)).scalars().all()
    bid_entries = uow.session.execute(select(JournalEntry).where(JournalEntry.lot_id == lot_id,
                                                                 JournalEntry.kind == "bid.accepted")
                                      .order_by(JournalEntry.seq)).scalars().all()
    applications = {a.id: y for a in auctions for y in a.applications if actor and y.user_id == actor.id}
    watching = actor is not None and uow.session.execute(select(Watch.id).where(
        Watch.user_id == actor.id, Watch.lot_id == lot_id)).first() is not None
    p = uow.get(Proceeding, x.proceeding_id)
    return {"lot": x, "auctions": auctions, "documents": readable, "timeline": timeline, "bid_entries": bid_entries,
            "applications": applications, "watching": watching, "bailiff": uow.get(User, p.bailiff_id),
            "private": private(uow, actor, x)}
