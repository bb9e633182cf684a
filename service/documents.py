"""Issuing the documents of SPEC §7: each PDF is rendered once from the aggregates, stored,
and its SHA-256 journaled (`document.issued`). Rendering is deterministic, so the stored
bytes are what anyone re-rendering from the same data would get."""
from __future__ import annotations

from sqlalchemy import func, select

from auction import documents as docs
from auction import journal as jr
from auction.auctions import Auction
from auction.events import DocumentIssued
from auction.lots.model import Lot
from auction.money import ZERO, money
from auction.proceedings import Proceeding

from .orm import Bid, Document, JournalEntry, User

PUBLIC_KINDS = {"auction_announcement", "auction_protocol"}  # no personal data on them


def may_read(session, actor, doc: Document) -> bool:
    """Who may download a document: everyone its public kinds; a bidder's application only he, the case's
    bailiff and operators; the case's parties, bailiff and operators the others; the buyer at auction also
    the sale contract that names him; the appraiser the resolution that appointed him (Art. 68.2), even
    after another has replaced him."""
    if doc.kind in PUBLIC_KINDS:
        return True
    if actor is None:
        return False
    from .access import can_see_private
    lot = session.get(Lot, doc.lot_id)
    if doc.kind == "auction_application":  # the bidder's declaration (Art. 80.2): he, the case's bailiff, operators
        p = session.get(Proceeding, lot.proceeding_id)
        return doc.owner_id == actor.id or actor.role == "operator" or (
            actor.role == "bailiff" and p.bailiff_id == actor.id)
    if can_see_private(actor, session.get(Proceeding, lot.proceeding_id)):
        return True
    if doc.kind == "sale_contract" and doc.auction_id is not None:
        return session.get(Auction, doc.auction_id).winner_user_id == actor.id
    if doc.kind == "appraiser_appointment":
        return appointed_by(session, doc.lot_id, doc.id) == actor.id
    return doc.owner_id is not None and doc.owner_id == actor.id  # a bidder's own application


def copies_due_on(kind: str, issued_at):
    """The day by which the parties have their copy, for a document the law sets one for: the appraiser's
    appointment, the day after its issue (Art. 68.2); None for the others."""
    from auction import calendar as cal
    return cal.appointment_copies_due_on(cal.local_date(issued_at)) if kind == "appraiser_appointment" else None


def appointed_by(session, lot_id: int, document_id: int) -> int | None:
    """The appraiser's account an appointment resolution names, as its `document.issued` entry records it."""
    for payload in session.execute(select(JournalEntry.payload).where(
            JournalEntry.lot_id == lot_id, JournalEntry.kind == "document.issued")).scalars():
        if payload.get("document_id") == document_id:
            return payload.get("appraiser_id")
    return None


def _lot_info(lot: Lot, p: Proceeding) -> docs.LotInfo:
    v = lot.valuation
    report = None
    if v is not None:
        report = (docs.ValuationBasis(agreement=True) if v.method == "agreement"
                  else docs.ValuationBasis(report_no=v.report_no, report_date=v.report_date))
    return docs.LotInfo(lot_id=lot.id, title=lot.title, proceeding_no=p.number, valuation=v.value if v else ZERO,
                        description=lot.description, category=lot.category, location=lot.storage_place or None,
                        dwelling=lot.is_dwelling, valuation_report=report, real_estate=_title(lot))


def _title(lot: Lot) -> docs.RealEstateInfo | None:
    """Art. 63.2: the title of real estate, as recorded."""
    return None if lot.cadastral_number is None else docs.RealEstateInfo(
        lot.cadastral_number, lot.address, f"{lot.area:.2f}", lot.title_reg_no, lot.title_reg_date)


def _common(uow, lot: Lot):
    p = uow.get(Proceeding, lot.proceeding_id)
    bailiff = uow.get(User, p.bailiff_id)
    return p, docs.Bailiff(name=bailiff.full_name, private=p.private_bailiff, office=bailiff.office or None), \
        docs.Party(name=p.debtor_name, id_number=p.debtor_iin_bin), _lot_info(lot, p)


def _mark(uow, lot_id: int) -> docs.JournalMark:
    """The last entry of the lot's journal chain committed when the document is issued: printed on every page.

    Read without taking the chain's lock, so a document (about 150 ms to lay out) never holds up
    bids being journaled; the `document.issued` entry (the same chain) names the same seq and hash (SPEC §7)."""
    last = uow.session.execute(select(JournalEntry.seq, JournalEntry.hash)
                               .where(JournalEntry.chain == jr.chain_of(lot_id))
                               .order_by(JournalEntry.seq.desc()).limit(1)).first()
    return docs.JournalMark(last.seq, last.hash) if last else docs.JournalMark(0, jr.GENESIS)


def eds_marks(signatures, *, public: bool = False) -> tuple[docs.EdsSignature, ...]:
    """The EDS signatures (service/signing.py rows) as a document prints them; on a public one (an announcement,
    a protocol: anyone downloads it) the signer's IIN/BIN masked, his name and certificate in full."""
    from auction import acts
    from auction.identity import mask
    def number(s) -> str:
        found = s.signer_bin or s.signer_iin
        return (mask(found) if public else found) or ""
    return tuple(docs.EdsSignature(act_kk=acts.act(s.act).kk, act_ru=acts.act(s.act).ru, signer=s.signer_name,
                                   iin_bin=number(s),
                                   signed_at=s.signed_at, serial=s.cert_serial, issuer=s.cert_issuer,
                                   sha256=s.content_sha256)
                 for s in signatures)


def _store(uow, lot: Lot, data, number: str | None = None, auction_id: int | None = None, *, issued_at=None,
           signatures=(), owner_id: int | None = None, **recorded) -> Document:
    """Lay the document of `data` out with the journal mark and the EDS `signatures` it carries (printed, and
    named by its journal entry), store it and journal its SHA-256. Its number is the data's unless given (an
    announcement and a protocol are numbered by their auction)."""
    kind, number, mark = docs.kind_of(data), number or data.number, _mark(uow, lot.id)
    signatures = [s for s in signatures if s is not None]
    pdf = docs.pdf(data, issued_at=issued_at or uow.now, journal=mark,
                   signatures=eds_marks(signatures, public=kind in PUBLIC_KINDS))
    digest = docs.sha256(pdf)
    d = Document(kind=kind, lot_id=lot.id, auction_id=auction_id, number=number, sha256=digest, content=pdf,
                 issued_at=uow.now, owner_id=owner_id)
    uow.session.add(d)
    uow.flush()
    for s in signatures:
        if s.document_id is None:  # signed by the step that issues it: printed here (an act signed after
            s.document_id = d.id   # its issue keeps the document it signed)
    if signatures:
        recorded = {**recorded, "signatures": [s.id for s in signatures]}
    uow.record(DocumentIssued(lot_id=lot.id, auction_id=auction_id, document_id=d.id, document=kind, number=number,
                              sha256=digest, journal_seq=mark.seq, journal_hash=mark.hash, recorded=recorded))
    return d


def auction_application(uow, lot: Lot, a: Auction, app, applicant: User, signature=None) -> Document:
    """Art. 80.1–80.2: the bidder's application as he filed it, with his declaration and his EDS signature."""
    _, bailiff, _, info = _common(uow, lot)
    d = app.declaration or {}
    data = docs.AuctionApplicationData(
        number=f"AA-{a.id}-{app.participant_no}", auction_id=a.id, round=a.round, lot=info, bailiff=bailiff,
        applicant=docs.Party(name=applicant.full_name, id_number=app.iin_bin), is_entity=app.is_entity,
        participant_no=app.participant_no, applied_at=app.created_at, starting_price=a.start_price,
        deposit=app.deposit, starts_at=a.starts_at, spouse=d.get("spouse"),
        close_relatives=tuple(d.get("close_relatives") or ()), employers=tuple(d.get("employers") or ()),
        founded=tuple(d.get("founded") or ()), people=tuple(d.get("people") or ()))
    return _store(uow, lot, data, auction_id=a.id, signatures=[signature], owner_id=applicant.id,
                  participant_no=app.participant_no)


def appraiser_appointment(uow, lot: Lot, appraiser: User | None, data: dict) -> Document:
    """Art. 68.1–68.2: the resolution appointing the appraiser, issued on each (re-)appointment. Its
    `document.issued` entry records the appraiser's account and `copies_due_on`, the day by which the
    parties have their copy (the notifier sends it when it follows that entry)."""
    from auction import calendar as cal
    p, bailiff, debtor, info = _common(uow, lot)
    earlier = uow.session.execute(select(Document.number).where(
        Document.lot_id == lot.id, Document.kind == "appraiser_appointment").order_by(Document.id)).scalars().all()
    copies_due_on = cal.appointment_copies_due_on(uow.today)
    data = docs.AppraiserAppointmentData(
        number=f"AP-{lot.id}-{len(earlier) + 1}", lot=info, bailiff=bailiff, debtor=debtor,
        collectors=tuple(docs.Party(name=c.name, id_number=c.iin_bin) for c in p.collectors),
        appraiser=docs.Party(name=(appraiser.full_name if appraiser else data.get("appraiser_name")) or "",
                             id_number=lot.appraiser_iin),
        appraiser_account=appraiser.email if appraiser else None, basis=data.get("basis") or "bailiff",
        appointed_at=uow.now, copies_due_on=copies_due_on, arrested_on=lot.arrested_on,
        appointment_due_on=lot.valuation_due_on, late=uow.today > lot.valuation_due_on, real_estate=_title(lot),
        supersedes=earlier[-1] if earlier else None)
    return _store(uow, lot, data, appraiser_id=appraiser.id if appraiser else None,
                  appraiser=data.appraiser.name or data.appraiser.id_number, copies_due_on=copies_due_on.isoformat())


def realization_order(uow, lot: Lot, signatures=()) -> Document:
    """Art. 77.1: the bailiff's order, with his EDS signature when he signed it (service/signing.py)."""
    p, bailiff, debtor, info = _common(uow, lot)
    data = docs.RealizationOrderData(
        number=f"RO-{lot.id}", lot=info, bailiff=bailiff, debtor=debtor, ordered_at=uow.now,
        starting_price=lot.value, priority_queue=lot.priority, priority_reason=lot.priority_override_reason,
        priority_article=lot.priority_article,
        priority_ground=lot.priority_override_ground,  # the Art. 72.4 ground's key, named by the document
        collectors=tuple(docs.Party(name=c.name, id_number=c.iin_bin) for c in p.collectors),
        method="commission" if lot.perishable else "auction")
    return _store(uow, lot, data, signatures=signatures)


def self_sale_permission(uow, lot: Lot) -> Document:
    from auction import calendar as cal
    from auction.lots.model import SELF_SALE_MIN_PERCENT
    from auction.money import percent
    p, bailiff, debtor, info = _common(uow, lot)
    data = docs.SelfSalePermissionData(
        number=f"SS-{lot.id}", lot=info, bailiff=bailiff, debtor=debtor, applied_at=uow.now, granted_at=uow.now,
        window_ends_at=cal.end_of_day(lot.self_sale_ends_on), minimum_price=percent(lot.value, SELF_SALE_MIN_PERCENT),
        valuation_report_date=cal.start_of_day(lot.valuation.report_date))
    return _store(uow, lot, data)


def auction_announcement(uow, lot: Lot, a: Auction) -> Document:
    _, bailiff, _, info = _common(uow, lot)
    data = docs.AuctionAnnouncementData(
        auction_id=a.id, lot=info, round=a.round, announced_at=a.announced_at,
        applications_close_at=a.applications_close_at, starts_at=a.starts_at, starting_price=a.start_price,
        step=a.step, deposit=a.deposit, bailiff=bailiff, floor=a.floor,
        step_interval_minutes=a.interval_s // 60 if a.round == 2 else None,
        quiet_period_minutes=a.quiet_s // 60 if a.round == 1 else None)
    return _store(uow, lot, data, f"AN-{a.id}", a.id)


def close_head(uow, a: Auction) -> str:
    """The journal hash of the auction's last entry when it ended (its close, failure or cancellation)."""
    return uow.session.execute(select(JournalEntry.hash).where(
        JournalEntry.auction_id == a.id,
        JournalEntry.kind.in_(["auction.closed", "auction.failed", "auction.cancelled"]))
        .order_by(JournalEntry.seq.desc()).limit(1)).scalar_one()


def bid_count(uow, a: Auction) -> int:
    return uow.session.execute(select(func.count()).select_from(Bid).where(Bid.auction_id == a.id)).scalar_one()


def auction_protocol(uow, lot: Lot, a: Auction, signatures=(), **recorded) -> Document:
    """Printed with the journal hash of the auction's last entry when it ended (SPEC §7), and every EDS
    signature of the auction's protocol and of the approval of its results (auction/acts.py)."""
    _, bailiff, _, info = _common(uow, lot)
    bids = uow.session.execute(select(Bid).where(Bid.auction_id == a.id).order_by(Bid.seq)).scalars().all()
    failed = a.failure_reason is not None or a.status == "cancelled"
    data = docs.AuctionProtocolData(
        auction_id=a.id, lot=info, round=a.round, starts_at=a.starts_at, ended_at=a.closed_at,
        starting_price=a.start_price, step=a.step,
        participants=tuple(docs.ProtocolParticipant(no=x.participant_no, online=x.last_seen_at is not None)
                           for x in a.applications if x.status in ("admitted", "disqualified")),
        bids=tuple(docs.ProtocolBid(seq=b.seq, amount=b.amount, participant_no=b.participant_no, at=b.at)
                   for b in bids),
        chain_head=close_head(uow, a), bailiff=bailiff, winner_no=None if failed else a.winner_no,
        final_price=None if failed else a.final_price,
        failure_reason=a.failure_reason or ("84.2" if a.status == "cancelled" else None),
        cancelled=a.status == "cancelled", floor=a.floor,
        approved_at=a.approved_at)
    given = [s for s in signatures if s is not None]
    printed = [s for s in _signatures_of(uow, auction_id=a.id, acts=("auction_protocol", "results_approval"))
               if s.id not in {g.id for g in given}]
    return _store(uow, lot, data, f"PR-{a.id}", a.id, issued_at=a.closed_at or uow.now,
                  signatures=sorted([*printed, *given], key=lambda s: s.id), **recorded)


def _signatures_of(uow, *, auction_id: int, acts: tuple[str, ...]) -> list:
    from .orm import ActSignature
    return list(uow.session.execute(select(ActSignature).where(ActSignature.auction_id == auction_id,
                                                                ActSignature.act.in_(acts))
                                    .order_by(ActSignature.id)).scalars())


def _sale_contract_data(uow, lot: Lot, *, buyer: docs.Party, price, deposit, auction_id: int | None, concluded_at,
                        number: str | None = None) -> docs.SaleContractData:
    _, bailiff, debtor, info = _common(uow, lot)
    return docs.SaleContractData(number=number or f"SC-{lot.id}", lot=info, bailiff=bailiff, debtor=debtor,
                                 buyer=buyer, price=price, paid=price, concluded_at=concluded_at,
                                 auction_id=auction_id, deposit_credited=deposit,
                                 encumbrances_lifted=tuple(_encumbrance(e) for e in lot.encumbrances
                                                           if e.lifted_on is not None),
                                 encumbrances_kept=tuple(_encumbrance(e) for e in lot.encumbrances
                                                         if e.lifted_on is None))


def sale_contract(uow, lot: Lot, *, buyer: docs.Party, price, deposit=ZERO, auction_id: int | None = None) -> Document:
    data = _sale_contract_data(uow, lot, buyer=buyer, price=price, deposit=deposit, auction_id=auction_id,
                               concluded_at=uow.now)
    return _store(uow, lot, data, auction_id=auction_id)


def auction_sale_contract(uow, lot: Lot, a: Auction, original: Document, signatures, **recorded) -> Document:
    """The Art. 83 contract of an auction's sale rebuilt from the same data as `original` (concluded when it
    was issued: the buyer, the final price, his deposit credited), with the EDS `signatures` printed."""
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    buyer = uow.get(User, a.winner_user_id)
    data = _sale_contract_data(uow, lot, buyer=docs.Party(name=buyer.full_name, id_number=buyer.iin_bin),
                               price=a.final_price, deposit=winner.deposit, auction_id=a.id,
                               concluded_at=original.issued_at, number=original.number)
    return _store(uow, lot, data, original.number, a.id, issued_at=original.issued_at, signatures=signatures,
                  **recorded)


def _encumbrance(e) -> docs.EncumbranceInfo:
    """Art. 74.2: an encumbrance as facts; the contract names its basis in Kazakh and Russian."""
    return docs.EncumbranceInfo(basis=e.basis, document_no=e.document_no, document_date=e.document_date,
                                issuer=e.issuer, this_proceeding=e.this_proceeding)


def retention_act(uow, lot: Lot, collector, charge: dict) -> Document:
    """Art. 85: the lot is the collector's; printed with his EDS signature of his application to keep it (made
    when he applied, printed now: after everyone answered, the window's end, or his Art. 85.3 charge paid)."""
    _, bailiff, debtor, info = _common(uow, lot)
    data = docs.RetentionActData(number=f"RA-{lot.id}", lot=info, bailiff=bailiff, debtor=debtor,
                                 collector=docs.Party(name=collector.name, id_number=collector.iin_bin),
                                 collector_queue=collector.queue, retained_at=uow.now,
                                 owed_to_collector=money(charge["owed"]), difference_paid=money(charge["excess"]),
                                 expenses_share=money(charge["expenses_share"]), fee_share=money(charge["fee_share"]))
    return _store(uow, lot, data, signatures=[_retention_signature(uow, lot, collector)])


def _retention_signature(uow, lot: Lot, collector):
    """The collector's signature of the application he made in the window that chose him (his latest)."""
    from .orm import ActSignature, RetentionRequest
    applied = uow.session.execute(select(RetentionRequest.at).where(
        RetentionRequest.lot_id == lot.id, RetentionRequest.collector_id == collector.id,
        RetentionRequest.decision == "retain").order_by(RetentionRequest.id.desc()).limit(1)).scalar_one_or_none()
    if applied is None or collector.user_id is None:
        return None
    return uow.session.execute(select(ActSignature).where(
        ActSignature.lot_id == lot.id, ActSignature.act == "retention_application",
        ActSignature.user_id == collector.user_id, ActSignature.document_id.is_(None),
        ActSignature.signed_at >= applied).order_by(ActSignature.id.desc()).limit(1)).scalar_one_or_none()


def distribution_statement(uow, lot: Lot, statement, source: str, auction: Auction | None = None) -> Document:
    """`source`: a key of auction/documents/after_sale.SOURCES; the lines by their kind (the document names
    each in Kazakh and Russian), the collectors and the debtor by name, the others by the document."""
    p, bailiff, debtor, info = _common(uow, lot)
    names = {c.id: c.name for c in p.collectors}
    lines = tuple(docs.DistributionLine(kind=ln.kind,
                                        recipient=names.get(ln.collector_id) if ln.kind == "collector"
                                        else p.debtor_name if ln.kind == "debtor" else None,
                                        amount=ln.amount, article=ln.article, queue=ln.queue)
                  for ln in statement.lines)
    count = len(uow.session.execute(select(Document.id).where(Document.lot_id == lot.id,
                                                              Document.kind == "distribution_statement")).all())
    data = docs.DistributionStatementData(number=f"DS-{lot.id}-{count + 1}", lot=info, bailiff=bailiff, debtor=debtor,
                                          recovered=statement.recovered, distributed_at=uow.now, lines=lines,
                                          source=source, auction_id=auction.id if auction else None,
                                          auction_round=auction.round if auction else None)
    return _store(uow, lot, data)
