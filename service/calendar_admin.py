"""The operator keeps the working-day calendar true (SPEC §6): the government decrees day
transfers each year, and the `holidays` package does not know them in advance."""
from __future__ import annotations

from auction import commands as c
from auction.events import CalendarOverrideRemoved, CalendarOverrideSet

from . import access
from .orm import CalendarOverride
from .uow import UnitOfWork


def set_override(uow: UnitOfWork, actor, cmd: c.SetCalendarDay) -> CalendarOverride:
    """Make the day a working day or a day off, with a note (e.g. the decree)."""
    access.require(actor, "operator")
    day = cmd.day
    row = uow.get(CalendarOverride, day)
    if row is None:
        row = CalendarOverride(day=day, working=cmd.working, note=cmd.note)
        uow.session.add(row)
    row.working, row.note = cmd.working, cmd.note
    uow.record(CalendarOverrideSet(day=day.isoformat(), working=cmd.working, note=row.note))
    uow.commit()
    return row


def remove_override(uow: UnitOfWork, actor, cmd: c.RemoveCalendarDay) -> None:
    access.require(actor, "operator")
    day = cmd.day
    row = uow.get(CalendarOverride, day)
    if row is not None:
        uow.session.delete(row)
    uow.record(CalendarOverrideRemoved(day=day.isoformat()))
    uow.commit()
