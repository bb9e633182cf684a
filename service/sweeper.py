"""The sweeper (SPEC §6): performs every transition that is due — opening and closing auctions,
failing unpaid sales, expiring retention and self-sale windows, paying out refunds, resuming
proceedings whose suspension at the collector's request has run its Art. 44 item 8 period.

Safe to run in several processes at once: each due item is first claimed with a lease (a
conditional update of its `lease_until` column, committed on its own), then handled in a
transaction that locks the row and checks again that the item is still due. Running it
twice does nothing the second time.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from sqlalchemy import or_, select, update

from auction.auctions import Auction, AuctionStatus
from auction.errors import DomainError
from auction.lots.model import Lot, Status
from auction.proceedings import Proceeding

from . import auctions, deposits, lifecycle, retention
from .orm import Payment, Refund
from .uow import UnitOfWork

log = logging.getLogger("mulik.sweeper")
LEASE = timedelta(seconds=60)


def _claim(uow_factory, table, ident) -> bool:
    """Take the lease on one row; False when another sweeper holds it."""
    with uow_factory() as uow:
        res = uow.session.execute(update(table).where(
            table.id == ident, or_(table.lease_until.is_(None), table.lease_until < uow.now))
            .values(lease_until=uow.now + LEASE).execution_options(synchronize_session=False))
        uow.session.commit()
        return res.rowcount == 1


def _release(uow, obj) -> None:
    obj.lease_until = None


def _run(uow_factory, table, ids, act: Callable, counts: dict, name: str) -> None:
    for ident in ids:
        if not _claim(uow_factory, table, ident):
            continue
        with uow_factory() as uow:
            try:
                # an auction as service/load.auction locks it: FOR NO KEY UPDATE, not held up by inserts referring
                # to it (the notifier's)
                obj = uow.session.execute(select(table).where(table.id == ident)
                                          .with_for_update(key_share=table is Auction)).scalar_one()
                if act(uow, obj):
                    counts[name] = counts.get(name, 0) + 1
                _release(uow, obj)
                uow.commit()
            except DomainError as exc:  # an item the rules refuse now is logged, not retried in a loop
                uow.rollback()
                log.warning("sweeper: %s %s: %s", name, ident, exc)


def sweep(uow_factory: Callable[[], UnitOfWork]) -> dict:
    counts: dict[str, int] = {}
    with uow_factory() as uow:
        now, today = uow.now, uow.today
        s = uow.session
        to_open = s.execute(select(Auction.id).where(Auction.status == AuctionStatus.ANNOUNCED,
                                                     Auction.starts_at <= now)).scalars().all()
        to_close = s.execute(select(Auction.id).where(Auction.status == AuctionStatus.OPEN,
                                                      Auction.ends_at <= now)).scalars().all()
        unpaid = s.execute(select(Auction.id).where(Auction.status == AuctionStatus.CLOSED,
                                                    Auction.payment_due_on < today)).scalars().all()
        retentions = s.execute(select(Lot.id).where(Lot.status.in_([Status.RETENTION_1, Status.RETENTION_2]),
                                                    (Lot.retention_ends_on < today)
                                                    | Lot.retention_charge.is_not(None))).scalars().all()
        self_sales = s.execute(select(Lot.id).where(Lot.self_sale_status.in_(["open", "contracted"]),
                                                    Lot.self_sale_ends_on < today)).scalars().all()
        refunds = s.execute(select(Refund.id).where(Refund.status == "due", Refund.pay_from <= today)).scalars().all()
        suspensions = s.execute(select(Proceeding.id).where(Proceeding.status == "suspended",
                                                            Proceeding.suspension_ends_on < today)).scalars().all()
    # Who is in the rooms of the auctions due to open (Art. 84.4), asked outside any transaction:
    # the live layer may ask Redis, and a process must not wait on the network holding a lock.
    online = uow_factory().online
    online_now = {aid: frozenset(online(aid)) for aid in to_open} if online is not None else None

    def open_(uow, a):
        if a.status != AuctionStatus.ANNOUNCED or a.starts_at > uow.now:
            return False
        uow.actor = "system:sweeper"
        if online_now is not None:
            uow.online = online_now.__getitem__
        auctions.open_auction(uow, a)
        return True

    def close_(uow, a):
        if not a.close_due(uow.now):
            return False
        uow.actor = "system:sweeper"
        auctions.close_auction(uow, a)
        return True

    def default_(uow, a):
        if a.status != AuctionStatus.CLOSED or a.payment_due_on is None or a.payment_due_on >= uow.today:
            return False
        pending = uow.session.execute(select(Payment).where(Payment.auction_id == a.id, Payment.kind == "winner",
                                                            Payment.status == "pending")).scalar_one_or_none()
        if pending is None:
            return False
        uow.actor = "system:sweeper"
        auctions.winner_defaulted(uow, a)
        return True

    def retention_(uow, lot):
        if lot.status not in (Status.RETENTION_1, Status.RETENTION_2):
            return False
        uow.actor = "system:sweeper"
        if lot.retention_charge is not None:  # the chosen collector's Art. 85.3 charge is awaited
            return retention.retention_charge_lapsed(uow, lot)
        if lot.retention_ends_on >= uow.today:
            return False
        retention.decide_retention(uow, lot)
        return True

    def self_sale_(uow, lot):
        uow.actor = "system:sweeper"
        return lifecycle.self_sale_window_ran_out(uow, lot)

    def refund_(uow, r):
        if r.status != "due" or r.pay_from > uow.today:
            return False
        uow.actor = "system:sweeper"
        deposits.pay_refund(uow, r)
        return True

    def resume_(uow, p):
        uow.actor = "system:sweeper"
        return lifecycle.resume_when_period_ran_out(uow, p)

    _run(uow_factory, Proceeding, suspensions, resume_, counts, "proceedings_resumed")
    _run(uow_factory, Auction, to_open, open_, counts, "auctions_opened")
    _run(uow_factory, Auction, to_close, close_, counts, "auctions_closed")
    _run(uow_factory, Auction, unpaid, default_, counts, "winners_defaulted")
    _run(uow_factory, Lot, retentions, retention_, counts, "retentions_decided")
    _run(uow_factory, Lot, self_sales, self_sale_, counts, "self_sales_lapsed")
    _run(uow_factory, Refund, refunds, refund_, counts, "refunds_paid")
    return counts


