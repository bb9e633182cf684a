"""Repeat auction: the price falls by a fixed step at fixed intervals (Art. 80.3, 85.4;
SPEC §2.6, §3).

Art. 80.3, third part: the starting price "қатысушылардың бірі мүлікті жарияланған
бағамен сатып алуға келіскен кезге дейін белгіленген қадаммен төмендетіледі" — is
lowered by the fixed step until a participant agrees to buy at the announced price —
and may not go below a floor. The price is a pure function of time:

    price(now) = max(floor, start - step * ((now - starts_at) // interval))

computed with exact `timedelta` floor division and `Decimal` tiyn, never floats. At a
tick boundary the new price applies (the boundary belongs to the later interval). The
first acceptance at the current price wins; with no acceptance the round fails one
interval after the price reached the floor (Art. 84.2).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ..errors import InvalidTransition, RuleViolation
from ..money import CENT, fmt, money, percent, to_tiyn
from . import Outcome, ensure_open, failed, positive, require_aware, sold

#: Floor of the repeat auction, percent of the valuation, per property category (Art. 80.3):
#: "елу пайыздан төмен болмауға, ал жылжымайтын мүлікке қатысты ... бағалау құнынан
#: жетпіс бес пайызға төмен болмауға тиіс" — not below fifty percent, and for real estate
#: not below seventy-five percent of the valuation. A setting, so that an operator can
#: change it if the authorised reading of "жетпіс бес пайызға төмен" differs (SPEC §2.6).
DEFAULT_FLOOR_PERCENT = {"movable": Decimal(50), "real_estate": Decimal(75)}
#: The law's own limit for movable property (Art. 80.3, "елу пайыздан төмен болмауға"): a floor
#: is a limit, not a suggestion (SPEC §10). For real estate the limit is the operator's setting
#: (default 75%), since the reading of "жетпіс бес пайызға төмен" is the operator's to correct.
LEGAL_FLOOR_PERCENT_MOVABLE = Decimal(50)

#: Default decrement: 5% of the starting price (SPEC §3, per-auction setting).
DEFAULT_STEP_PERCENT = Decimal(5)
#: Default interval between price drops (SPEC §3, per-auction setting).
DEFAULT_INTERVAL = timedelta(minutes=2)


def floor_price(valuation: Decimal, floor_percent: Decimal) -> Decimal:
    """The lowest price of the repeat auction: `floor_percent` of the valuation, half-up
    to the tiyn (Art. 80.3, SPEC §4)."""
    return percent(money(valuation), floor_percent)


def floor_limit(*, real_estate: bool, real_estate_setting: Decimal) -> Decimal:
    """The lowest floor a repeat auction may have, percent of the valuation (Art. 80.3): 50% for
    movable property, the operator's real-estate setting for real estate (SPEC §2.6, §10)."""
    return real_estate_setting if real_estate else LEGAL_FLOOR_PERCENT_MOVABLE


def check_floor_percent(floor_percent: Decimal, *, real_estate: bool, real_estate_setting: Decimal) -> None:
    """Art. 80.3: the bailiff may choose a floor above the limit, never below it."""
    limit = floor_limit(real_estate=real_estate, real_estate_setting=real_estate_setting)
    if floor_percent < limit:
        whose = ("the operator's real-estate setting allows (its reading of Art. 80.3)" if real_estate
                 else "the law allows for movable property")
        raise RuleViolation(f"a floor of {_pct(floor_percent)}% of the valuation is below the {_pct(limit)}% {whose}",
                            article="80.3", code="floor_below_limit",
                            facts={"floor_percent": floor_percent, "limit_percent": limit})


def _pct(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def default_step(start: Decimal) -> Decimal:
    """5% of the starting price, at least one tiyn."""
    return max(CENT, percent(money(start), DEFAULT_STEP_PERCENT))


def _ticks(now: datetime, starts_at: datetime, interval: timedelta) -> int:
    """Whole intervals elapsed since the start (0 before it)."""
    positive(interval, "interval")
    require_aware(now, "now")
    return max(0, (now - starts_at) // interval)


def _validate(start: Decimal, step: Decimal, floor: Decimal) -> None:
    positive(step, "step")
    if floor > start:
        raise ValueError(f"floor {fmt(floor)} is above the starting price {fmt(start)}")


def price_at(now: datetime, *, starts_at: datetime, start: Decimal, step: Decimal,
             interval: timedelta, floor: Decimal) -> Decimal:
    """The announced price at `now`: the start before the opening, never below the floor
    (a drop that would pass the floor stops exactly at it, SPEC §4)."""
    _validate(start, step, floor)
    return max(money(floor), money(start) - money(step) * _ticks(now, starts_at, interval))


def floor_reached_at(*, starts_at: datetime, start: Decimal, step: Decimal,
                     interval: timedelta, floor: Decimal) -> datetime:
    """The first tick at which the price equals the floor: after ceil((start - floor) / step)
    intervals (integer tiyn arithmetic)."""
    _validate(start, step, floor)
    ticks = -(-(to_tiyn(start) - to_tiyn(floor)) // to_tiyn(step))
    return starts_at + interval * ticks


def fails_at(*, starts_at: datetime, start: Decimal, step: Decimal,
             interval: timedelta, floor: Decimal) -> datetime:
    """With no acceptance by this time the round fails (Art. 84.2): one interval at the floor."""
    return floor_reached_at(starts_at=starts_at, start=start, step=step, interval=interval,
                            floor=floor) + interval


def next_tick_at(now: datetime, starts_at: datetime, interval: timedelta) -> datetime:
    """The first tick strictly after `now` (the start itself while the round has not begun)."""
    require_aware(now, "now")
    if now < starts_at:
        return starts_at
    return starts_at + interval * (_ticks(now, starts_at, interval) + 1)


def check_acceptance(*, status: str, now: datetime, starts_at: datetime, start: Decimal,
                     step: Decimal, interval: timedelta, floor: Decimal, price: Decimal,
                     already_accepted: bool) -> None:
    """Refuse an acceptance that may not be stored now; return None when it wins.

    An acceptance names the price the participant saw; it is accepted only while that
    is the current price and nobody has accepted yet (SPEC §3). Codes:
    "auction_not_open", "auction_closed", "already_accepted" (InvalidTransition, 409),
    "price_changed" (RuleViolation, 422, Art. 80.3).
    """
    # Checked first: the first acceptance closes the round at once, and a second one must hear
    # why it lost (Art. 80.3), as it does when the two arrive together.
    if already_accepted:
        raise InvalidTransition("another participant has already accepted the price; the auction is over",
                                article="80.3", code="already_accepted")
    ensure_open(status, now, starts_at)
    end = fails_at(starts_at=starts_at, start=start, step=step, interval=interval, floor=floor)
    if now >= end:
        raise InvalidTransition(f"nobody accepted the floor price {fmt(money(floor))}; the auction failed",
                                article="84.2", code="auction_closed", facts={"floor": money(floor)})
    price = money(price)
    current = price_at(now, starts_at=starts_at, start=start, step=step, interval=interval, floor=floor)
    if price != current:
        raise RuleViolation(f"the price is now {fmt(current)}, not {fmt(price)}; accept the current price",
                            article="80.3", code="price_changed", facts={"price": current})


def close(*, acceptor: object | None, price: Decimal | None) -> Outcome:
    """Sold to the first participant to accept, at the price accepted; otherwise failed
    because nobody accepted down to the floor (Art. 84.2)."""
    if acceptor is None:
        return failed("84.2")
    if price is None:
        raise ValueError("an accepted round has a price")
    return sold(acceptor, money(price))
