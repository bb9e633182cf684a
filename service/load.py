"""Loading the aggregates a use case works on: a lot, an auction, a proceeding, a user named in a
request. A use case that changes one loads it with `lock=True` (SELECT ... FOR UPDATE on PostgreSQL),
so two transactions changing it one after the other see each other's result. What is not there is
a 404 naming it (`access.found`). An auction is locked FOR NO KEY UPDATE, the lock its UPDATE takes: it
serialises every change of the auction (each takes it), but not a transaction that only inserts a row
referring to it (a notification, a document: its foreign key check holds FOR KEY SHARE until its commit),
which FOR UPDATE would make every bid wait for (migration d2e3f4a5b6c7, the bid function likewise).

The bottom of the service floor: it imports the ORM mapping and nothing of the use cases.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from auction.auctions import Auction, AuctionStatus
from auction.errors import BadRequest
from auction.lots.model import Lot
from auction.proceedings import Proceeding

from . import access
from .orm import User
from .uow import UnitOfWork

ANNOUNCED_OR_LIVE = (AuctionStatus.ANNOUNCED, AuctionStatus.OPEN, AuctionStatus.CLOSED)


def lot(uow: UnitOfWork, lot_id: int, *, lock: bool = False) -> Lot:
    return access.found(uow.find(Lot, lot_id, lock=lock), "lot", lot_id)


def auction(uow: UnitOfWork, auction_id: int, *, lock: bool = False, applications: bool = True) -> Auction:
    q = select(Auction).where(Auction.id == auction_id)
    if lock:
        q = q.with_for_update(key_share=True)  # FOR NO KEY UPDATE on PostgreSQL (see above)
    if not applications:  # loaded on first use only
        q = q.options(lazyload(Auction.applications))
    return access.found(uow.session.execute(q).scalar_one_or_none(), "auction", auction_id)


def live_auction(uow: UnitOfWork, lot_id: int) -> Auction | None:
    """The lot's auction that is announced, open or closed awaiting approval or payment, if any."""
    return uow.session.execute(select(Auction).where(
        Auction.lot_id == lot_id, Auction.status.in_(ANNOUNCED_OR_LIVE))).scalar_one_or_none()


def proceeding(uow: UnitOfWork, pid: int, *, lock: bool = False) -> Proceeding:
    # lock: a change of the proceeding's status races the sweeper (Art. 44 item 8)
    return access.found(uow.find(Proceeding, pid, lock=lock), "proceeding", pid)


def user_ref(uow: UnitOfWork, ref, role: str) -> User | None:
    """A user given by id or e-mail, who must hold `role`."""
    if ref in (None, ""):
        return None
    if isinstance(ref, int) and not isinstance(ref, bool):
        user = uow.find(User, ref) if 0 < ref < 2**31 else None  # no id beyond an INTEGER column exists
    else:
        user = uow.user_by_email(str(ref))
    if user is None or user.role != role:
        raise BadRequest(f"no {role} account {ref!r}", code="unknown_user")
    return user
