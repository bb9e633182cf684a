"""The one calendar module: working days, legal periods and Kazakhstan local time (SPEC §6).

Every deadline in Mulik is computed here and stored, as an aware UTC datetime, on the object
it governs. Periods count as Kazakhstan's Civil Code counts them: a period starts on the day
after its event; "within N working days of E" ends at the end of the Nth working day after
E's date; "after N working days from E" allows the act from the day after that Nth working
day; "one month" ends on the same date of the later month (its last day when shorter).

A working day is Monday to Friday minus the public holidays of the `holidays` package's
Kazakhstan calendar, plus its decreed weekend working days, corrected by the operator's
override table (the package has no decreed transfers for 2026 and later).
"""
from __future__ import annotations

import calendar as _stdcal
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Mapping
from zoneinfo import ZoneInfo

import holidays

KZ_TZ = ZoneInfo("Asia/Almaty")  # UTC+5 since 1 March 2024; needs the `tzdata` package

# Deadlines of Law No 261-IV "On enforcement proceedings" (WD = working days).
VALUATION_APPOINTMENT_WD = 10  # Art. 68.1: appraiser appointed within 10 WD of arrest
SELF_SALE_MONTHS = 1  # Art. 74.2: debtor's self-sale window, at most one month
SELF_SALE_DWELLING_MONTHS = 3  # Art. 74.2: for a dwelling, three months
ANNOUNCEMENT_MIN_DAYS = 10  # Art. 79: announce at least 10 calendar days before the auction
WINNER_PAYMENT_WD = 5  # Art. 80.4: winner pays within 5 WD after results are approved
REFUND_WD = 5  # Art. 80.1: other participants' deposits refunded within 5 WD
RETENTION_WD = 5  # Art. 85.1: a collector may apply to keep the property within 5 WD
# Art. 85.3: the retaining collector pays his share of expenses and fee (and the excess over his claim);
# the law sets no period: 5 WD, as a winner pays his price (Art. 80.4) — platform decision.
RETENTION_CHARGE_WD = 5
REPEAT_AUCTION_WD = 10  # Art. 80.3, third part: repeat auction appointed after 10 WD from the first
# Art. 44 item 8: a suspension at the collector's written request (Art. 42 item 12) lasts at most 10
# calendar days from the day the application was received, 30 when the parties concluded a mediation agreement.
COLLECTOR_REQUEST_SUSPENSION_DAYS = 10
COLLECTOR_REQUEST_MEDIATION_DAYS = 30
# Art. 68.2: copies of the resolution appointing the appraiser go to the parties "оны шығарған күннен кейінгі
# күннен кешіктірілмей" — not later than the day after the day it was issued: a calendar day, not a working day.
APPOINTMENT_COPIES_DAYS = 1

_WEEKEND = (5, 6)  # Saturday, Sunday


@lru_cache(maxsize=None)
def _kz_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, decreed weekend working days) of one year, built once per process."""
    kz = holidays.country_holidays("KZ", years=year)
    days_off = frozenset(d for d in kz if d.year == year)
    workdays = frozenset(d for d in kz.weekend_workdays if d.year == year)
    return days_off, workdays


def _require_date(d: date) -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}; use local_date() first")
    return d


class WorkingCalendar:
    """Kazakhstan working days with an operator override table.

    `overrides` maps a date to True (a working day, e.g. a decreed working Saturday) or
    False (a day off, e.g. a decreed transfer); an override wins over the `holidays`
    calendar and over weekends.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self._overrides: dict[date, bool] = {
            _require_date(d): bool(working) for d, working in (overrides or {}).items()
        }

    def is_working_day(self, d: date) -> bool:
        override = self._overrides.get(_require_date(d))
        if override is not None:
            return override
        days_off, workdays = _kz_year(d.year)
        if d in workdays:
            return True
        return d not in days_off and d.weekday() not in _WEEKEND

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        d = _require_date(d) + timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The Nth working day after `d` (the period starts the day after its event), n >= 1."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def deadline_within(self, event: date, n: int) -> date:
        """Last allowed date of "within N working days of E": the Nth working day after E.

        Used for Art. 68.1 (valuation appointment, 10 WD), Art. 80.4 (winner payment, 5 WD),
        Art. 80.1 (deposit refunds, 5 WD) and Art. 85.1 (retention applications, 5 WD).
        Store it with `end_of_day`.
        """
        return self.add_working_days(event, n)

    def earliest_after(self, event: date, n: int) -> date:
        """First allowed date of "after N working days from E": the calendar day after the
        Nth working day after E.

        Used for Art. 80.3 (third part): the repeat auction is appointed after 10 WD from the first.
        """
        return self.add_working_days(event, n) + timedelta(days=1)

    @staticmethod
    def add_months(d: date, months: int) -> date:
        """The same date `months` later; the month's last day when that month is shorter.

        Art. 74.2: the self-sale window is one month, three months for a dwelling
        (31 January + 1 month = 28/29 February).
        """
        year, month0 = divmod(_require_date(d).year * 12 + d.month - 1 + months, 12)
        last_day = _stdcal.monthrange(year, month0 + 1)[1]
        return date(year, month0 + 1, min(d.day, last_day))

    def auction_dates(self, announced_on: date, not_before: date | None = None, count: int = 15) -> list[date]:
        """The first `count` working days an auction announced on `announced_on` may be held on:
        at least 10 calendar days later (Art. 79) and not before `not_before` (a repeat auction
        only after 10 working days from the first, Art. 80.3)."""
        day = _require_date(announced_on) + timedelta(days=ANNOUNCEMENT_MIN_DAYS)
        if not_before is not None and not_before > day:
            day = not_before
        out = []
        while len(out) < count:
            if self.is_working_day(day):
                out.append(day)
            day += timedelta(days=1)
        return out

    @staticmethod
    def latest_announcement_date(auction_date: date) -> date:
        """Art. 79: the announcement is published at least 10 calendar days before the
        auction, i.e. no later than the auction date minus 10 days."""
        return _require_date(auction_date) - timedelta(days=ANNOUNCEMENT_MIN_DAYS)


def collector_request_suspension_ends_on(application_on: date, mediation_agreement: bool) -> date:
    """Last day of a suspension at the collector's request (Art. 44 item 8): "not more than 10
    calendar days from the day the application was received" (30 with a mediation agreement). The
    period starts the day after the application, so it ends on its 10th (30th) calendar day."""
    days = COLLECTOR_REQUEST_MEDIATION_DAYS if mediation_agreement else COLLECTOR_REQUEST_SUSPENSION_DAYS
    return _require_date(application_on) + timedelta(days=days)


def appointment_copies_due_on(issued_on: date) -> date:
    """Art. 68.2: the last day on which copies of the appraiser's appointment reach the parties — the calendar
    day after the day the resolution was issued (the law says "day", not "working day")."""
    return _require_date(issued_on) + timedelta(days=APPOINTMENT_COPIES_DAYS)


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("expected an aware datetime (Mulik stores UTC)")
    return at


def local_time(at: datetime) -> datetime:
    """An aware datetime shown in Kazakhstan time (Asia/Almaty)."""
    return _require_aware(at).astimezone(KZ_TZ)


def local_date(at: datetime) -> date:
    """The Kazakhstan calendar date of an aware (UTC) instant."""
    return local_time(at).date()


def start_of_day(d: date) -> datetime:
    """00:00 of local day `d` in Kazakhstan, as an aware UTC datetime."""
    return datetime.combine(_require_date(d), time.min, tzinfo=KZ_TZ).astimezone(timezone.utc)


def end_of_day(d: date) -> datetime:
    """The last instant (23:59:59.999999) of local day `d` in Kazakhstan, as an aware UTC
    datetime — the form in which every deadline is stored (SPEC §6)."""
    return datetime.combine(_require_date(d), time.max, tzinfo=KZ_TZ).astimezone(timezone.utc)
