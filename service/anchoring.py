"""Journal anchors (issue 15 point 3; SPEC §7): every lot has its own chain, so a platform-wide entry now and
then binds them together. A `journal.anchored` entry of the platform chain names each lot chain's head that
moved since the previous anchor, and the SHA-256 of every head (auction/journal.anchor_payload); `mulik journal
verify` then finds a lot's entries removed from the end below an anchored head, which one chain alone cannot
show. Written by `mulik tick` and the server's sweeper loop when `JOURNAL_ANCHOR_SECONDS` have passed since the
last anchor, and by `mulik journal anchor` at once.

Reads the heads without locking them (a head read is a committed entry, and entries are never changed), so
an anchor never holds up a bid; what it names is kept in `journal_cursors` under the reader `anchor`.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from auction import journal as jr
from auction.events import JournalAnchored

from .orm import JournalCursor, JournalEntry, JournalHead, Lease
from .uow import UnitOfWork

READER = "anchor"


def anchor(uow: UnitOfWork, actor=None, every: timedelta | None = None) -> dict | None:
    """Write an anchor entry when a lot chain's head moved since the last one (and, with `every`, the last one
    is at least that old); its payload, or None when none was due."""
    s = uow.session
    lease = s.execute(select(Lease).where(Lease.name == READER).with_for_update()).scalar_one_or_none()
    if lease is None:  # one anchoring at a time: a second waits here, then finds nothing moved
        s.add(Lease(name=READER, value=0))
        s.flush()
        lease = s.execute(select(Lease).where(Lease.name == READER).with_for_update()).scalar_one()
    if every is not None:
        last = s.execute(select(func.max(JournalEntry.at)).where(JournalEntry.chain == jr.PLATFORM,
                                                                 JournalEntry.kind == jr.ANCHORED)).scalar_one()
        if last is not None and uow.now - _aware(last) < every:
            return None
    heads = {c: (seq, digest) for c, seq, digest in s.execute(
        select(JournalHead.chain, JournalHead.seq, JournalHead.hash).where(JournalHead.chain != jr.PLATFORM,
                                                                           JournalHead.seq > 0))}
    cursors = {c: row for c, row in ((r.chain, r) for r in s.execute(
        select(JournalCursor).where(JournalCursor.reader == READER)).scalars())}
    moved = {c: head for c, head in heads.items() if c not in cursors or cursors[c].seq != head[0]}
    if not moved:
        return None
    for chain, (seq, _) in moved.items():
        if chain in cursors:
            cursors[chain].seq = seq
        else:
            s.add(JournalCursor(reader=READER, chain=chain, seq=seq))
    payload = jr.anchor_payload(moved, heads)
    uow.record(JournalAnchored(heads=payload["heads"], chains=payload["chains"], digest=payload["digest"]))
    lease.value += 1
    uow.commit()
    return payload


def _aware(at):
    from datetime import timezone
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)
