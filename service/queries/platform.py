"""Reads about the platform: its defaults (SPEC §3), the monthly calculation index (Art. 118.1), the
working calendar with the operator's changes (SPEC §6), the journal's chain."""
from __future__ import annotations

from sqlalchemy import select

from auction import calendar as cal

from .. import settings as platform_settings
from ..orm import CalendarOverride, JournalEntry, JournalHead


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
    """The journal checked (auction/journal.verify_chains): the platform chain with its anchors, then every lot's
    chain, each against its head record: `mulik journal verify` and `mulik documents verify`. One chain's entries
    are read at a time."""
    from auction.journal import PLATFORM, verify_chains
    heads = {c: (s, h) for c, s, h in session.execute(select(JournalHead.chain, JournalHead.seq, JournalHead.hash))}
    chains = session.execute(select(JournalEntry.chain).where(JournalEntry.chain != PLATFORM).distinct()).scalars()

    def entries(chain):
        return session.execute(select(JournalEntry).where(JournalEntry.chain == chain)
                               .order_by(JournalEntry.seq)).scalars()
    lots = sorted(set(chains), key=lambda c: int(c.split(":")[1]) if c.startswith("lot:") else 0)
    return verify_chains(entries(PLATFORM), ((c, entries(c)) for c in lots), heads=heads)
