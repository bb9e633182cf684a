"""The public catalogue (SPEC §8: anyone may browse it): one search for the API and the pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from auction import calendar as cal
from auction.auctions import Auction
from auction.lots.model import Lot
from valuation.model import Valuation

# The orders of the catalogue: the coming auction first (lots with none after), the valuation up or
# down (the starting price, Art. 80.3), the lots recorded last first.
SORTS = ("auction", "price", "price_desc", "newest")
COMING = ("announced", "open")


@dataclass
class Filters:
    """Every given filter must hold. Prices compare with the lot's current valuation (the starting
    price of its auctions, Art. 80.3); auction dates are Kazakhstan dates of an auction's start."""
    q: str | None = None
    status: str | None = None
    category: str | None = None
    region: str | None = None
    proceeding_id: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    auction_from: date | None = None
    auction_to: date | None = None
    sort: str | None = None  # one of SORTS; none: by lot number

    @classmethod
    def of(cls, data: dict) -> "Filters":
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


def _day_start(d: date) -> datetime:
    """Midnight in Almaty of `d`, as UTC."""
    return datetime.combine(d, time(0), tzinfo=cal.KZ_TZ).astimezone(timezone.utc)


def search(session: Session, f: Filters, page: int = 1, per_page: int = 20) -> tuple[list[Lot], int]:
    """The lots that match, by id, one page of them, and how many match in all."""
    query = select(Lot)
    for column, value in ((Lot.status, f.status), (Lot.category, f.category), (Lot.region, f.region),
                          (Lot.proceeding_id, f.proceeding_id)):
        if value:
            query = query.where(column == value)
    if f.q:
        like = f"%{f.q.strip()}%"
        query = query.where(or_(Lot.title.ilike(like), Lot.description.ilike(like)))
    if f.price_min is not None or f.price_max is not None:
        current = select(Valuation.value).where(Valuation.lot_id == Lot.id, Valuation.superseded.is_(False)) \
            .order_by(Valuation.id.desc()).limit(1).scalar_subquery()
        if f.price_min is not None:
            query = query.where(current >= f.price_min)
        if f.price_max is not None:
            query = query.where(current <= f.price_max)
    if f.auction_from or f.auction_to:
        held = select(Auction.id).where(Auction.lot_id == Lot.id)
        if f.auction_from:
            held = held.where(Auction.starts_at >= _day_start(f.auction_from))
        if f.auction_to:
            held = held.where(Auction.starts_at < _day_start(f.auction_to + timedelta(days=1)))
        query = query.where(exists(held))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(*_order(f.sort)).offset((page - 1) * per_page).limit(per_page)) \
        .scalars().all()
    return rows, total


def _order(sort: str | None) -> tuple:
    if sort == "auction":
        coming = select(func.min(Auction.starts_at)).where(Auction.lot_id == Lot.id, Auction.status.in_(COMING)) \
            .scalar_subquery()
        return case((coming.is_(None), 1), else_=0), coming, Lot.id
    if sort in ("price", "price_desc"):
        current = select(Valuation.value).where(Valuation.lot_id == Lot.id, Valuation.superseded.is_(False)) \
            .order_by(Valuation.id.desc()).limit(1).scalar_subquery()
        # lots not yet valued come last either way
        return case((current.is_(None), 1), else_=0), current.desc() if sort == "price_desc" else current, Lot.id
    if sort == "newest":
        return (Lot.id.desc(),)
    return (Lot.id,)


def calendar(session: Session, today: date, days: int = 14) -> list[tuple[date, int]]:
    """The coming `days` (Kazakhstan dates from `today`), each with how many auctions start on it
    (cancelled ones not counted)."""
    starts = session.execute(select(Auction.starts_at).where(
        Auction.starts_at >= _day_start(today), Auction.starts_at < _day_start(today + timedelta(days=days)),
        Auction.status != "cancelled")).scalars()
    counts: dict[date, int] = {}
    for at in starts:
        day = cal.local_date(at)
        counts[day] = counts.get(day, 0) + 1
    return [(today + timedelta(days=i), counts.get(today + timedelta(days=i), 0)) for i in range(days)]
