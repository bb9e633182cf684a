"""What a person follows: the lots he watches (told when their auction is announced) and the
notifications he is sent (service/notifier.py makes them; he marks them read)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from auction.lots.model import Lot

from . import access
from .orm import Notification, Watch


@dataclass(frozen=True)
class ToggleWatch:
    lot_id: int


def toggle_watch(uow, actor, cmd: ToggleWatch) -> bool:
    """Follow the lot, or stop following it; True when the person now watches it."""
    access.require(actor)
    access.found(uow.get(Lot, cmd.lot_id), "lot", cmd.lot_id)
    row = uow.session.execute(select(Watch).where(Watch.user_id == actor.id, Watch.lot_id == cmd.lot_id)) \
        .scalar_one_or_none()
    if row is None:
        uow.session.add(Watch(user_id=actor.id, lot_id=cmd.lot_id, created_at=uow.now))
    else:
        uow.session.delete(row)
    uow.commit()
    return row is None


def mark_notifications_read(uow, actor) -> None:
    """Every notification of the person not read yet is read now."""
    access.require(actor)
    for n in uow.session.execute(select(Notification).where(Notification.user_id == actor.id,
                                                            Notification.read_at.is_(None))).scalars():
        n.read_at = uow.now
    uow.commit()
