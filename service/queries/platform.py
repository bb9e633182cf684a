"""Reads about the platform: its defaults (SPEC §3), the monthly calculation index (Art. 118.1), the
working calendar with the operator's changes (SPEC §6), the journal's chain."""
from __future__ import annotations

from sqlalchemy import select

from auction import calendar as cal

from .. import settings as platform_settings
from ..orm import CalendarOverride, JournalEntry


def settings(uow, actor) -> platform_settings.Settings:
    return platform_settings.load(uow.session)


def mci(uow, actor) -> list:
    return platform_settings.mci_values(uow.session)


def overrides(uow, actor) -> list[CalendarOverride]:
    return uow.session.execute(select(CalendarOverride).order_by(CalendarOverride.day)).scalars().all()


def calendar(uow, actor) -> cal.WorkingCalendar:
    return uow.calendar


def verify_journal(uow, actor):
    """Every journal entry's hash and link checked, in order (auction/journal.py)."""
    return journal_chain(uow.session)


def journal_chain(session):
    """The journal's chain checked (auction/journal.verify): `mulik journal verify` and `mulik documents verify`."""
    from auction.journal import verify
    return verify(session.execute(select(JournalEntry).order_by(JournalEntry.seq)).scalars())
