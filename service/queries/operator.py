"""What the operator's pages show (SPEC §8: the operator runs the platform; issue 13 point 8): every
auction and every lot with filters, page by page; the journal, whole or of one lot, with the state of its
hash chain (the check of `mulik journal verify`, SPEC §7); the accounts with their blocks; the figures —
lots by status, money realized, failures by their article (Art. 84). Operator only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select

from auction import calendar as cal
from auction.auctions import Auction, AuctionStatus
from auction.lots.model import Lot, Status
from auction.money import ZERO
from auction.proceedings import Proceeding

from .. import access
from ..orm import JournalEntry, User
from .platform import verify_journal

PER_PAGE = 25


@dataclass(frozen=True)
class Filters:
    """The filters of a list; None is "any". `date_from`/`date_to` are Kazakhstan days, both included:
    an auction's start, a lot's arrest."""

    status: str | None = None
    region: str | None = None
    category: str | None = None
    round: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _paged(uow, query, page: int, per_page: int = PER_PAGE) -> Page:
    total = uow.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    page = min(max(1, page), max(1, -(-total // per_page)))
    rows = uow.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(rows, total, page, per_page)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=cal.KZ_TZ)


def _lot_filters(query, f: Filters):
    if f.status:
        query = query.where(Lot.status == f.status)
    if f.region:
        query = query.where(Lot.region == f.region)
    if f.category:
        query = query.where(Lot.category == f.category)
    if f.q:
        query = query.where(Lot.title.ilike(f"%{f.q}%"))
    return query


def auctions(uow, actor, f: Filters, page: int = 1) -> Page:
    """Every auction, newest start first, with its lot: (Auction, Lot) rows. Status, round and the start's
    day range are the auction's; region and category its lot's."""
    access.require(actor, "operator")
    query = _lot_filters(select(Auction, Lot).join(Lot, Lot.id == Auction.lot_id), Filters(
        region=f.region, category=f.category, q=f.q))
    if f.status:
        query = query.where(Auction.status == f.status)
    if f.round:
        query = query.where(Auction.round == f.round)
    if f.date_from:
        query = query.where(Auction.starts_at >= _day_start(f.date_from))
    if f.date_to:
        query = query.where(Auction.starts_at < _day_start(f.date_to + timedelta(days=1)))
    return _paged(uow, query.order_by(Auction.starts_at.desc(), Auction.id.desc()), page)


def lots(uow, actor, f: Filters, page: int = 1) -> Page:
    """Every lot, newest first, with its proceeding's number: (Lot, number) rows. The day range is the
    arrest's; the round is the number of auctions the lot has had (0, 1, 2)."""
    access.require(actor, "operator")
    query = _lot_filters(select(Lot, Proceeding.number).join(Proceeding, Proceeding.id == Lot.proceeding_id), f)
    if f.round is not None:
        query = query.where(Lot.auction_count == f.round)
    if f.date_from:
        query = query.where(Lot.arrested_on >= f.date_from)
    if f.date_to:
        query = query.where(Lot.arrested_on <= f.date_to)
    return _paged(uow, query.order_by(Lot.id.desc()), page)


def lot(uow, actor, lot_id: int, page: int = 1) -> dict | None:
    """One lot for the operator: its proceeding, its auctions (oldest first), its journal entries (newest
    first, page by page) and the chain's verification; None if there is none."""
    access.require(actor, "operator")
    x = uow.session.get(Lot, lot_id)
    if x is None:
        return None
    entries, verified = journal(uow, actor, page, lot_id)
    return {"lot": x, "p": uow.session.get(Proceeding, x.proceeding_id),
            "auctions": uow.session.execute(select(Auction).where(Auction.lot_id == lot_id)
                                            .order_by(Auction.id)).scalars().all(),
            "entries": entries, "verified": verified}


def journal(uow, actor, page: int = 1, lot_id: int | None = None) -> tuple[Page, object]:
    """The journal newest first (of one lot, or whole), page by page, and the verification of the whole
    chain: an entry is only as good as every entry before it (auction/journal.py)."""
    access.require(actor, "operator")
    query = select(JournalEntry)
    if lot_id is not None:
        query = query.where(JournalEntry.lot_id == lot_id)
    found = _paged(uow, query.order_by(JournalEntry.id.desc()), page)
    return Page([row[0] for row in found.rows], found.total, found.page, found.per_page), \
        verify_journal(uow, actor)


def users(uow, actor, role: str | None = None, q: str | None = None, blocked: bool = False,
          page: int = 1) -> Page:
    """The accounts, newest first: (User,) rows; by role, by a part of the name or e-mail, the blocked only."""
    access.require(actor, "operator")
    query = select(User)
    if role:
        query = query.where(User.role == role)
    if q:
        query = query.where(or_(User.full_name.ilike(f"%{q}%"), User.email.ilike(f"%{q.lower()}%")))
    if blocked:
        query = query.where(User.blocked_at.is_not(None))
    return _paged(uow, query.order_by(User.id.desc()), page)


@dataclass(frozen=True)
class Figures:
    by_status: dict[str, int]  # lot status -> lots
    lots: int
    by_round: dict[int, tuple[int, Decimal]]  # auction round -> (lots sold, price total), paid in full (Art. 83)
    self_sale: tuple[int, Decimal]  # Art. 74.2: the debtor's own sale, at its contract price
    retention: tuple[int, Decimal]  # Art. 85.1: kept by a collector at the valuation
    coowner: tuple[int, Decimal]  # Art. 60.1: bought by a co-owner at the valuation
    failures: dict[str, int]  # Art. 84 paragraph -> auctions failed on it

    @property
    def realized(self) -> tuple[int, Decimal]:
        parts = [*self.by_round.values(), self.self_sale, self.retention, self.coowner]
        return sum(n for n, _s in parts), sum((s for _n, s in parts), ZERO)


def figures(uow, actor) -> Figures:
    """The platform's figures now: each lot counted once by its status; money realized by the way the lot
    was realized (an auction sold only once paid in full)."""
    access.require(actor, "operator")
    s = uow.session
    by_status = dict(s.execute(select(Lot.status, func.count()).group_by(Lot.status)).all())
    by_round = {r: (n, total or ZERO) for r, n, total in s.execute(
        select(Auction.round, func.count(), func.sum(Auction.final_price)).where(Auction.status == AuctionStatus.SOLD)
        .group_by(Auction.round).order_by(Auction.round)).all()}

    def realized(status: str, price) -> tuple[int, Decimal]:
        n, total = s.execute(select(func.count(), func.sum(price)).where(Lot.status == status)).one()
        return n, total or ZERO

    failures = dict(s.execute(select(Auction.failure_reason, func.count()).where(
        Auction.status == AuctionStatus.FAILED, Auction.failure_reason.is_not(None))
        .group_by(Auction.failure_reason)).all())
    return Figures(by_status=by_status, lots=sum(by_status.values()), by_round=by_round,
                   self_sale=realized(Status.SOLD_BY_DEBTOR, Lot.self_sale_price),
                   retention=realized(Status.RETAINED, Lot.sale_price),
                   coowner=realized(Status.SOLD_TO_COOWNER, Lot.sale_price), failures=failures)
