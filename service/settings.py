"""Platform-wide defaults that an operator sets (SPEC §3 "settings, not constants", §2.6).

They apply to auctions announced after the change: an announced auction keeps the step, quiet
period, interval, floor and cut-off it was announced with (they are on the auction and its
announcement). Every change is journaled with the old and new values and the operator's reason.

    s = settings.load(uow.session)
    settings.change(uow, operator, ChangeSettings(changes={"quiet_minutes": "20"},
                                                  reason="as on the tax-debt auctions"))
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from auction import commands as c
from auction.auctions import DEFAULT_APPLICATION_CUTOFF, DEFAULT_INTERVAL, DEFAULT_QUIET_PERIOD
from auction.bidding import TradingHours, descending
from auction.errors import BadRequest, RuleViolation
from auction.events import MciSet, SettingsChanged
from auction.money import fmt, money

from . import access
from .orm import MciValue, Setting
from .uow import UnitOfWork

_HOURS = TradingHours()


@dataclass(frozen=True)
class Settings:
    """The built-in defaults are the domain's (auction/auctions.py, auction/bidding/)."""
    step_percent: Decimal = descending.DEFAULT_STEP_PERCENT  # default step, % of the starting price (Art. 80.3)
    quiet_minutes: int = DEFAULT_QUIET_PERIOD // timedelta(minutes=1)  # soft close after the last bid (SPEC §3)
    interval_minutes: int = DEFAULT_INTERVAL // timedelta(minutes=1)  # descending price drops (SPEC §3)
    application_cutoff_minutes: int = DEFAULT_APPLICATION_CUTOFF // timedelta(minutes=1)  # before the start
    opens: time = _HOURS.opens  # trading hours, Kazakhstan time (SPEC §3)
    latest_start: time = _HOURS.latest_start  # a round that runs on past the session's end (17:00) goes on
    floor_percent_movable: Decimal = descending.DEFAULT_FLOOR_PERCENT["movable"]  # % of the valuation (Art. 80.3)
    floor_percent_real_estate: Decimal = descending.DEFAULT_FLOOR_PERCENT["real_estate"]

    @property
    def trading_hours(self) -> TradingHours:
        return TradingHours(opens=self.opens, closes=_HOURS.closes, latest_start=self.latest_start)

    def floor_percent(self, real_estate: bool) -> Decimal:
        return self.floor_percent_real_estate if real_estate else self.floor_percent_movable


DEFAULTS = Settings()
NAMES = tuple(f.name for f in fields(Settings))

# name -> (lowest, highest, article): what a value may be
# (None: a platform rule of SPEC §3, no article). The movable floor may not go below the 50% the
# law names; the real-estate one may go down to 25%, the other reading of "жетпіс бес пайызға төмен
# болмауға" (not lowered by 75%) that SPEC §2.6 leaves to the operator.
LIMITS = {
    "step_percent": (Decimal("0.01"), Decimal(50), "80.3"),
    "quiet_minutes": (1, 60, None),
    "interval_minutes": (1, 60, None),
    "application_cutoff_minutes": (0, 24 * 60, "80.1"),
    "floor_percent_movable": (Decimal(50), Decimal(100), "80.3"),
    "floor_percent_real_estate": (Decimal(25), Decimal(100), "80.3"),
}


def text(value) -> str:
    """A value as stored and shown: "5", "7.5", "10", "10:00"."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def parse(name: str, raw: str):
    """One value typed by a person; BadRequest / RuleViolation naming the field and the rule."""
    kind = type(getattr(DEFAULTS, name))
    raw = str(raw).strip()
    try:
        if kind is time:
            hours, minutes = raw.split(":")
            value = time(int(hours), int(minutes))
        elif kind is int:
            value = int(raw)
        else:
            value = Decimal(raw)
            if not value.is_finite() or value != value.quantize(Decimal("0.01")):
                raise ValueError
    except (ValueError, InvalidOperation):
        form = {time: "HH:MM", int: "a whole number"}.get(kind, "a number with at most 2 decimals")
        raise BadRequest(f"{name}: {raw!r} is not {form}", code="bad_setting") from None
    if name in LIMITS:
        low, high, article = LIMITS[name]
        if not low <= value <= high:
            rule = "" if article else " (platform rule, SPEC §3)"
            raise RuleViolation(f"{name} must be between {text(low)} and {text(high)}, not {text(value)}{rule}",
                                article=article, code="bad_setting")
    return value


def load(session) -> Settings:
    stored = {s.name: s.value for s in session.query(Setting).all()}
    return replace(DEFAULTS, **{n: parse(n, v) for n, v in stored.items() if n in NAMES})


def change(uow: UnitOfWork, actor, cmd: c.ChangeSettings) -> Settings:
    """Operator: change some defaults (the others keep their value). All or nothing."""
    access.require(actor, "operator")
    data, reason = dict(cmd.changes), cmd.reason
    unknown = sorted(set(data) - set(NAMES))
    if unknown:
        raise BadRequest(f"unknown settings: {', '.join(unknown)}; known: {', '.join(NAMES)}", code="bad_setting")
    if not reason or not reason.strip():
        raise BadRequest("say why the settings change (it is journaled)", code="reason_required")
    old = load(uow.session)
    new = replace(old, **{n: parse(n, v) for n, v in data.items()})
    try:
        new.trading_hours
    except ValueError:
        raise RuleViolation(f"trading hours need opens ≤ latest start < {text(_HOURS.closes)} (the session's end, "
                            f"SPEC §3), not {text(new.opens)} and {text(new.latest_start)}",
                            code="bad_setting") from None
    changed = {n: [text(getattr(old, n)), text(getattr(new, n))] for n in NAMES
               if getattr(old, n) != getattr(new, n)}
    for name, (_, value) in changed.items():
        row = uow.get(Setting, name)
        if row is None:
            uow.session.add(Setting(name=name, value=value))
        else:
            row.value = value
    if changed:
        uow.record(SettingsChanged(changes=changed, reason=reason.strip()))
    uow.commit()
    return new


def as_dict(s: Settings) -> dict[str, str]:
    return {k: text(v) for k, v in asdict(s).items()}


# ---- the monthly calculation index per year (Art. 118.1: the fee cap is 10,000 MCI) ---------------------
# The values the migration e1a2b3c4d5e6 seeds (the budget laws of those years); later years: the operator.
MCI_SEED = {2025: Decimal("3932"), 2026: Decimal("4325")}


def mci_for(session, day: date) -> tuple[int, Decimal]:
    """(year, value) of the MCI in force on ``day``: that year's, or, before the operator has entered
    the new year's value, the latest earlier one (stored with each distribution, so it shows)."""
    row = session.execute(select(MciValue).where(MciValue.year <= day.year).order_by(MciValue.year.desc())
                          ).scalars().first()
    if row is None:
        raise RuleViolation(f"no monthly calculation index is recorded for {day.year} or before: the operator "
                            "enters it (PUT /settings/mci/{year})", article="118", code="no_mci")
    return row.year, row.value


def mci_values(session) -> list[MciValue]:
    return list(session.execute(select(MciValue).order_by(MciValue.year)).scalars())


def set_mci(uow: UnitOfWork, actor, cmd: c.SetMci) -> MciValue:
    """Operator: the MCI of a year as the budget law set it; journaled with the old value and the reason."""
    access.require(actor, "operator")
    year = cmd.year
    if not 2000 <= year <= uow.today.year + 1:
        raise BadRequest(f"the MCI is entered for a year from 2000 to next year ({uow.today.year + 1}), not {year}",
                         code="bad_year")
    value = money(cmd.value)
    if value <= 0:
        raise BadRequest("the MCI is a positive amount", code="bad_setting")
    row = uow.get(MciValue, year)
    old = None if row is None else row.value
    if row is None:
        row = MciValue(year=year, value=value, reason=cmd.reason.strip(), changed_at=uow.now)
        uow.session.add(row)
    else:
        row.value, row.reason, row.changed_at = value, cmd.reason.strip(), uow.now
    uow.record(MciSet(year=year, old=None if old is None else fmt(old), new=fmt(value), reason=row.reason))
    uow.commit()
    return row
