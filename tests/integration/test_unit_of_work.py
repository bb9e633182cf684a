"""The unit of work's promise (service/uow.py): what an aggregate records is journaled with its change, even when
nothing but the session still knows the aggregate (SQLAlchemy's identity map holds objects weakly)."""
from __future__ import annotations

import gc

from sqlalchemy import func, select

from auction.lots.model import Lot, Status
from service.orm import JournalEntry
from web import uow_for


def _entries(m, lot_id) -> list[str]:
    with uow_for(m.app) as uow:
        return list(uow.session.execute(select(JournalEntry.kind).where(JournalEntry.lot_id == lot_id)
                                        .order_by(JournalEntry.seq)).scalars())


def test_an_aggregate_nobody_holds_still_has_its_events_journaled(m, db_url):
    _, _, lot = m.ordered_lot()
    before = _entries(m, lot["id"])
    with uow_for(m.app) as uow:
        uow.session.get(Lot, lot["id"]).suspend(reason="a court order")  # no reference kept here
        uow.session.flush()  # written: the session no longer holds it strongly
        gc.collect()
        uow.commit()
    after = _entries(m, lot["id"])
    assert after[:len(before)] == before and after[len(before):] == ["lot.status"], after
    with uow_for(m.app) as uow:
        assert uow.session.execute(select(func.count()).select_from(JournalEntry)
                                   .where(JournalEntry.lot_id == lot["id"])).scalar_one() == len(after)
        assert uow.session.get(Lot, lot["id"]).status == Status.SUSPENDED


def test_two_units_of_work_at_once_keep_their_own_aggregates(m, db_url):
    """The listener is one for every session: each unit of work's list holds its own aggregates only."""
    _, _, first = m.ordered_lot()
    _, _, second = m.ordered_lot()
    with uow_for(m.app) as one, uow_for(m.app) as other:
        a = one.session.get(Lot, first["id"])
        one.session.commit()  # SQLite: one transaction at a time in this process
        b = other.session.get(Lot, second["id"])
        assert one._aggregates == [a] and other._aggregates == [b]
