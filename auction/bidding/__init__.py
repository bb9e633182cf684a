"""Live bidding rules, as pure functions of the state and an injected time (SPEC §3).

`ascending` is the first auction (Art. 80.3, 84), `descending` the repeat auction
(Art. 80.3 third part, 85.4). This module holds what both share: the outcome of a round,
the open/closed check and the trading hours. Nothing here reads the clock, touches a
database or imports Flask: callers pass aware UTC datetimes and stored values.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..errors import InvalidTransition, RuleViolation
from ..failures import GROUNDS

KZ_TZ = ZoneInfo("Asia/Almaty")

@dataclass(frozen=True)
class Outcome:
    """How a round ended: sold to `winner` at `price`, or failed for an Art. 84 `reason`."""

    sold: bool
    price: Decimal | None
    winner: object | None
    reason: str | None
    message: str


def sold(winner: object, price: Decimal) -> Outcome:
    if winner is None:
        raise ValueError("a sold round has a winner")
    return Outcome(True, price, winner, None, f"sold at {price:.2f}")


def failed(reason: str) -> Outcome:
    """A failed round; `reason` is an Art. 84 paragraph, "84.1" to "84.4"."""
    return Outcome(False, None, None, reason, f"Art. {reason}: the auction failed: {GROUNDS[reason].said}")


def opening_failure(*, participants: int, online: int) -> Outcome | None:
    """At the opening moment: fail for fewer than two admitted participants (Art. 84.1)
    or fewer than two of them online (Art. 84.4); None when the round may run."""
    if participants < 2:
        return failed("84.1")
    if online < 2:
        return failed("84.4")
    return None


def require_aware(when: datetime, name: str = "time") -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got naive {when!r}")
    return when


def ensure_open(status: str, now: datetime, starts_at: datetime) -> None:
    """Bids and acceptances are taken only in an `open` auction after its start.

    Raises InvalidTransition (a RuleViolation, HTTP 409) with code "auction_not_open" or
    "auction_closed".
    """
    require_aware(now, "now")
    if status == "announced" or (status == "open" and now < starts_at):
        raise InvalidTransition(f"the auction has not opened yet; it opens at {starts_at.isoformat()}",
                                article="80.3", code="auction_not_open", facts={"opens_at": starts_at})
    if status != "open":
        raise InvalidTransition(f"the auction is {status}; bidding is over", article="80.3", code="auction_closed",
                                facts={"auction_status": status})


# --------------------------------------------------------------------------- trading hours

@dataclass(frozen=True)
class TradingHours:
    """Trading session in Kazakhstan time (SPEC §3; settings, not constants)."""

    opens: time = time(10)
    closes: time = time(17)
    latest_start: time = time(15)

    def __post_init__(self) -> None:
        if not self.opens <= self.latest_start < self.closes:
            raise ValueError("trading hours need opens <= latest_start < closes")


def local(when: datetime) -> datetime:
    """`when` in Kazakhstan time (Asia/Almaty)."""
    return require_aware(when).astimezone(KZ_TZ)


def check_start_time(starts_at_utc: datetime, hours: TradingHours,
                     is_working_day: Callable[[date], bool]) -> None:
    """An auction starts on a working day between `opens` and `latest_start` (inclusive),
    Kazakhstan time. Raises RuleViolation code "outside_trading_hours"."""
    start = local(require_aware(starts_at_utc, "starts_at"))
    if not is_working_day(start.date()):
        raise RuleViolation(f"{start:%Y-%m-%d} is not a working day in Kazakhstan; "
                            f"auctions run on working days", code="outside_trading_hours", facts={"day": start.date()})
    if not hours.opens <= start.time() <= hours.latest_start:
        raise RuleViolation(
            f"an auction starts between {hours.opens:%H:%M} and {hours.latest_start:%H:%M} Kazakhstan time, "
            f"not at {start:%H:%M}", code="outside_trading_hours",
            facts={"opens": hours.opens, "latest_start": hours.latest_start})


def session_closes_at(starts_at_utc: datetime, hours: TradingHours) -> datetime:
    """The end of the trading session of the auction's day, as an aware UTC datetime."""
    day = local(starts_at_utc).date()
    return datetime.combine(day, hours.closes, tzinfo=KZ_TZ).astimezone(timezone.utc)


def positive(value: Decimal | timedelta, name: str) -> None:
    if value <= type(value)(0):
        raise ValueError(f"{name} must be positive")
