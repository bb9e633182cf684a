"""Reads about auctions: the list, one auction with its lot, the bid ladder, the bids a rejoining
client missed, the room's first picture, the journal replayed (SPEC §7, §9)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from auction.auctions import Auction, AuctionStatus
from auction.lots.model import Lot
from auction.proceedings import Proceeding

from .. import access
from ..orm import Bid, JournalEntry


def find(uow, actor, auction_id: int) -> Auction | None:
    return uow.get(Auction, auction_id)


def auction(uow, actor, auction_id: int, *, fresh: bool = False) -> Auction:
    """The auction, or NotFound. `fresh`: read again from the database (a bid's conditional UPDATE
    changed its row behind the loaded object)."""
    a = access.found(uow.get(Auction, auction_id), "auction", auction_id)
    if fresh:
        uow.session.refresh(a)
    return a


def case_of(uow, actor, a: Auction) -> tuple[Lot, bool]:
    """The auction's lot, and whether the caller is its staff (an operator, the case's bailiff), who
    sees the applications."""
    lot = uow.get(Lot, a.lot_id)
    staff = actor is not None and (actor.role == "operator" or (
        actor.role == "bailiff" and uow.get(Proceeding, lot.proceeding_id).bailiff_id == actor.id))
    return lot, staff


def search(uow, actor, status: str | None, lot_id: int | None, page: int, per_page: int) -> tuple[list[Auction], int]:
    """One page of the auctions, by start, and how many match in all."""
    query = select(Auction)
    if status:
        query = query.where(Auction.status == status)
    if lot_id:
        query = query.where(Auction.lot_id == lot_id)
    total = uow.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(Auction.starts_at, Auction.id)
                               .offset((page - 1) * per_page).limit(per_page)).scalars().all()
    return rows, total


def bids(uow, actor, auction_id: int) -> list[Bid]:
    """The auction's bid ladder, in order (NotFound for an auction that does not exist)."""
    auction(uow, actor, auction_id)
    return ladder(uow, actor, auction_id)


def ladder(uow, actor, auction_id: int) -> list[Bid]:
    return uow.session.execute(select(Bid).where(Bid.auction_id == auction_id).order_by(Bid.seq)).scalars().all()


def live(uow, actor, auction_id: int) -> Auction | None:
    """The auction's row alone, its applications left unread (loaded on first use): what the room's live
    picture (SPEC §9 `state`) needs when the online count comes from presence. A watcher joining a room, or
    a state broadcast, reads one row, not every application."""
    return uow.session.execute(select(Auction).where(Auction.id == auction_id)
                               .options(lazyload(Auction.applications))).scalar_one_or_none()


def bids_after(uow, actor, auction_id: int, last_seq: int | None) -> tuple[Auction | None, list[Bid] | None]:
    """The auction and its bids after `last_seq` (what a client rejoining the room missed); no bids read
    (None) when the client gave no position."""
    a = live(uow, actor, auction_id)
    if a is None or last_seq is None:
        return a, None
    return a, uow.session.execute(select(Bid).where(Bid.auction_id == auction_id, Bid.seq > last_seq)
                                  .order_by(Bid.seq)).scalars().all()


def room(uow, actor, auction_id: int) -> tuple[Auction, Lot, list[Bid]] | None:
    """What the auction room shows at once: the auction, its lot and the ladder (None: no such auction)."""
    a = uow.get(Auction, auction_id)
    if a is None:
        return None
    return a, uow.get(Lot, a.lot_id), ladder(uow, actor, auction_id)


def replay(uow, actor, auction_id: int):
    """The auction's result recomputed from its journal entries, to compare with the record (SPEC §7)."""
    from auction.replay import replay as run_replay
    auction(uow, actor, auction_id)
    return run_replay(uow.session.execute(select(JournalEntry).where(JournalEntry.auction_id == auction_id)
                                          .order_by(JournalEntry.seq)).scalars().all())


def open_descending(uow, actor) -> list[Auction]:
    """The descending rounds open now: their price falls at each step (SPEC §3)."""
    return uow.session.execute(select(Auction).where(Auction.status == "open", Auction.round == 2)).scalars().all()


def open_ascending(uow, actor) -> list[Auction]:
    return uow.session.execute(select(Auction).where(Auction.status == AuctionStatus.OPEN,
                                                     Auction.round == 1)).scalars().all()
