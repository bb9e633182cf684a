"""Auto-bid (platform addition, SPEC §3): a participant sets a ceiling; whenever outbid, the
server raises by one step on the participant's behalf up to the ceiling. Each raise is an
ordinary bid through `trading.place_bid` (ordered in the database, journaled, broadcast)."""
from __future__ import annotations

from sqlalchemy import select

from auction.auctions import Application, Auction, AuctionStatus
from auction.errors import DomainError, InvalidTransition, RuleViolation
from auction.money import fmt, money

from . import access, trading
from .orm import User
from .uow import UnitOfWork

MAX_RAISES = 10_000  # a guard: two ceilings far apart still end, each raise being one step


def set_ceiling(uow: UnitOfWork, actor, auction_id: int, ceiling) -> dict:
    access.require(actor, "bidder")
    a = trading._auction(uow, auction_id, lock=True)
    app = trading._participant(a, actor)
    if a.round != 1:
        raise InvalidTransition("auto-bid exists in the ascending round only", article="80.3", code="wrong_round")
    if a.status not in (AuctionStatus.ANNOUNCED, AuctionStatus.OPEN):
        raise InvalidTransition(f"the auction is {a.status}", code="invalid_state")
    value = None if ceiling in (None, "") else money(ceiling)
    if value is not None and value < a.current_price + a.step:
        raise RuleViolation(f"the ceiling {fmt(value)} is below the next valid bid {fmt(a.current_price + a.step)}",
                            article="80.3", code="ceiling_too_low")
    app.auto_bid_ceiling = value
    uow.journal("autobid.set", None, lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                ceiling=fmt(value) if value is not None else None)
    uow.commit()
    if value is not None and a.status == AuctionStatus.OPEN and a.leader_no not in (None, app.participant_no):
        answer(uow, auction_id)
    return {"participant_no": app.participant_no, "ceiling": fmt(value) if value is not None else None}


def my_ceiling(uow: UnitOfWork, actor, auction_id: int) -> dict:
    """The participant's own ceiling (None: auto-bid off); others' ceilings are never shown."""
    access.require(actor, "bidder")
    app = trading._participant(trading._auction(uow, auction_id), actor)
    return {"participant_no": app.participant_no,
            "ceiling": fmt(app.auto_bid_ceiling) if app.auto_bid_ceiling is not None else None}


def answer(uow: UnitOfWork, auction_id: int) -> int:
    """Raise for the auto-bidders who are outbid, until none can; returns the number of raises."""
    if uow.session.execute(select(Application.id).where(
            Application.auction_id == auction_id, Application.status == "admitted",
            Application.auto_bid_ceiling.is_not(None)).limit(1)).first() is None:
        return 0  # nobody has a ceiling: skip loading the auction with every application after each bid
    raises = 0
    while raises < MAX_RAISES:
        a = uow.session.execute(select(Auction).where(Auction.id == auction_id)
                                .execution_options(populate_existing=True)).scalar_one()
        if a.status != AuctionStatus.OPEN or a.leader_no is None:
            break
        next_price = a.current_price + a.step
        able = [x for x in a.admitted if x.auto_bid_ceiling is not None and x.auto_bid_ceiling >= next_price
                and x.participant_no != a.leader_no]
        if not able:
            break
        pick = max(able, key=lambda x: (x.auto_bid_ceiling, -x.participant_no))
        user = uow.get(User, pick.user_id)
        try:
            trading.place_bid(uow, user, auction_id, next_price, f"auto-{auction_id}-{a.seq + 1}", kind="auto")
        except DomainError:  # a manual bid won the race: look again at the new price
            uow.session.rollback()
            continue
        raises += 1
    return raises
