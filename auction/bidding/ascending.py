"""First auction: the price rises by a fixed step (Art. 80.3, 84; SPEC §2.4, §3).

Art. 80.3: "Электрондық аукцион ... бағалау құнынан белгіленген қадаммен мүліктің
құнын көтерумен басталады" — the auction starts by raising the valuation by the fixed
step. Hence at the opening the current price is the starting price (the valuation) and
the first valid bid is start + step; a round in which nobody raises fails (Art. 84.2).

Decisions:
- A bid names its exact price, `current + step`; any other amount is refused with the
  current price, so two simultaneous clicks give one winner and one clear answer.
- The leader may not outbid himself ("already_leading"): a raise must answer another
  participant (Art. 84.2 speaks of participants supporting the step), and a leader's
  second click would only make him pay more.
- Soft close: bids are taken while `now < ends_at`; each accepted bid moves `ends_at`
  to `last_bid_at + quiet_period`. Before any bid, `ends_at` is `starts_at +
  quiet_period` (`first_deadline`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ..errors import InvalidTransition, RuleViolation
from ..money import fmt, money
from . import Outcome, ensure_open, failed, positive, sold

__all__ = ["Outcome", "next_price", "check_bid", "soft_close_end", "first_deadline", "close"]

DEFAULT_QUIET_PERIOD = timedelta(minutes=10)


def next_price(current: Decimal, step: Decimal) -> Decimal:
    """The only price a bid may offer now: exactly the current price plus one step (Art. 80.3)."""
    positive(step, "step")
    return money(current) + money(step)


def check_bid(*, status: str, now: datetime, starts_at: datetime, ends_at: datetime | None,
              current: Decimal, step: Decimal, amount: Decimal, bidder_is_leader: bool) -> None:
    """Refuse a bid that the rules do not allow now; return None when it may be stored.

    Codes: "auction_not_open", "auction_closed" (InvalidTransition, 409),
    "already_leading", "wrong_price" (RuleViolation, 422, Art. 80.3).
    """
    ensure_open(status, now, starts_at)
    if ends_at is not None and now >= ends_at:
        raise InvalidTransition(f"bidding ended at {ends_at.isoformat()} (quiet period after the last bid "
                                f"passed); no bid is accepted at or after that instant", article="80.3",
                                code="auction_closed", facts={"ended_at": ends_at})
    amount = money(amount)
    if bidder_is_leader:
        raise RuleViolation(f"you already hold the highest bid, {fmt(current)}; "
                            f"wait for another participant to raise", article="80.3", code="already_leading",
                            facts={"price": current})
    expected = next_price(current, step)
    if amount != expected:
        raise RuleViolation(f"a bid must be exactly the current price plus one step: {fmt(expected)}; "
                            f"the price is now {fmt(current)}", article="80.3", code="wrong_price",
                            facts={"next_bid": expected, "price": current})


def soft_close_end(last_bid_at: datetime, quiet_period: timedelta) -> datetime:
    """The round's end after a bid at `last_bid_at` (soft close, SPEC §3)."""
    positive(quiet_period, "quiet_period")
    return last_bid_at + quiet_period


def first_deadline(starts_at: datetime, quiet_period: timedelta) -> datetime:
    """If nobody raises the price by this time the auction fails (Art. 84.2)."""
    positive(quiet_period, "quiet_period")
    return starts_at + quiet_period


def close(*, bids_count: int, leader: object | None, price: Decimal | None) -> Outcome:
    """The outcome at `ends_at`: sold to the last participant to raise (SPEC §2.4), or
    failed because nobody raised the price by the step (Art. 84.2)."""
    if bids_count == 0:
        return failed("84.2")
    if price is None:
        raise ValueError("a round with bids has a price")
    return sold(leader, money(price))
