"""The audit journal: an append-only hash chain (SPEC §7).

Every state change, bid, payment and document is an `Entry`; each entry holds the SHA-256
of the previous one, so editing, deleting or reordering a stored entry breaks the chain
and `verify` names the first bad entry. The head hash of a finished auction is printed on
its protocol (SPEC §7, Art. 80, 83).

This module is pure: it computes and checks hashes. Persistence stores entries in a table
with the same fields (`seq` unique and gap-free, appended under a lock) and passes the rows
straight back to `verify`, which reads attributes only.

What the chain alone cannot see: removing entries at the *end* (the shorter chain is
still a valid chain), or rewriting the whole chain from some point on. Keep the head
hash somewhere else (the printed protocol, a separate head record, an export) and pass it
as `expected_head` (or the entry count as `expected_count`) to detect that.

Chains (issue 15): each lot's entries form their own chain, `lot:<id>` (its valuation, orders,
auctions, bids, payments and documents), numbered 1, 2, 3... in it; entries of no lot (accounts,
the calendar, wallets) form the `platform` chain. Unrelated lots then never wait on one head row.
A periodic `journal.anchored` entry of the platform chain lists the heads that moved since the
previous anchor and the SHA-256 of every head (`anchor_digest`): removing a lot's entries from the
end, below an anchored head, is then seen too (`verify_chains`). The platform chain's canonical
form is the original one (no `chain` key), so a journal written before chains still verifies.
The canonical bytes are plain enough that SQL builds them too (the bid's stored function,
service/migrations/versions/b7c8d9e0f1a2_journal_chains.py); tests compare the two.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

GENESIS = "0" * 64  # prev_hash of the first entry
FIRST_SEQ = 1
PLATFORM = "platform"  # the chain of entries that belong to no lot
ANCHORED = "journal.anchored"  # the kind of an anchor entry (platform chain)

EDITED = "hash mismatch (entry edited)"
BROKEN_LINK = "broken link (entry deleted or reordered)"
SEQ_GAP = "sequence gap (entry deleted)"
TRUNCATED = "head mismatch (entries removed at the end, or chain rewritten)"
COUNT_MISMATCH = "count mismatch (entries removed at the end)"
ANCHOR_MISSED = "anchored head missing (entries removed, or chain rewritten, after an anchor named it)"
ANCHOR_DIGEST = "anchor digest mismatch (the anchor does not hash the heads it names)"
HEAD_MISSING = "head record names a chain with no entries (entries removed)"


def chain_of(lot_id: int | None) -> str:
    """The chain an entry of `lot_id` belongs to."""
    return PLATFORM if lot_id is None else f"lot:{lot_id}"


def iso_utc(at: datetime) -> str:
    """The journal's time format: ISO 8601 UTC, microseconds always, 'Z' (also used in payloads)."""
    return _iso_utc(at)


def _iso_utc(at: datetime) -> str:
    """ISO 8601 UTC with microseconds and 'Z': "2026-03-02T05:00:00.000000Z".

    A naive value is read as UTC: SPEC §6 stores UTC, and some databases (SQLite)
    return stored datetimes without their zone.
    """
    if at.tzinfo is not None:
        at = at.astimezone(timezone.utc)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_json(value: Any, where: str = "payload") -> None:
    """Only str/int/bool/None/list/dict(str keys): floats and Decimals hash unstably."""
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_json(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be strings, got {key!r}")
            _check_json(item, f"{where}.{key}")
        return
    raise TypeError(
        f"{where}: {type(value).__name__} is not allowed in a journal payload "
        "(use str for money via money.fmt and for times via ISO 8601)"
    )


def canonical(seq: int, at: datetime, kind: str, actor: str | None, lot_id: int | None,
              auction_id: int | None, article: str | None, payload: dict,
              prev_hash: str, chain: str = PLATFORM) -> bytes:
    """The exact bytes that are hashed: sorted-key compact JSON, UTF-8, non-ASCII kept; `seq` is
    the entry's number in its chain, named by `chain` except in the platform chain."""
    doc = {
        "seq": seq, "at": _iso_utc(at), "kind": kind, "actor": actor, "lot_id": lot_id,
        "auction_id": auction_id, "article": article, "payload": payload,
        "prev_hash": prev_hash,
    }
    if chain != PLATFORM:
        doc["chain"] = chain
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def compute_hash(prev_hash: str, *, seq: int, at: datetime, kind: str, actor: str | None,
                 lot_id: int | None, auction_id: int | None, article: str | None,
                 payload: dict, chain: str = PLATFORM) -> str:
    """SHA-256 (hex) of the canonical form of an entry."""
    data = canonical(seq, at, kind, actor, lot_id, auction_id, article, payload, prev_hash, chain)
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime  # aware UTC
    kind: str  # "lot.valued", "bid.accepted", "payment.received", "document.issued", ...
    actor: str | None  # "user:3", "system:sweeper"
    lot_id: int | None
    auction_id: int | None
    article: str | None  # "80.3"
    payload: dict = field(hash=False)
    prev_hash: str
    hash: str
    chain: str = PLATFORM

    def as_dict(self) -> dict:
        """JSON form for the API (times ISO 8601 UTC, SPEC §9)."""
        return {
            "chain": self.chain,
            "seq": self.seq, "at": _iso_utc(self.at), "kind": self.kind, "actor": self.actor,
            "lot_id": self.lot_id, "auction_id": self.auction_id, "article": self.article,
            "payload": self.payload, "prev_hash": self.prev_hash, "hash": self.hash,
        }


def make_entry(prev: Entry | str | None, *, seq: int, at: datetime, kind: str,
               actor: str | None = None, lot_id: int | None = None,
               auction_id: int | None = None, article: str | None = None,
               payload: dict | None = None, chain: str = PLATFORM) -> Entry:
    """The next entry after `prev` (an entry, its hash, or None for the first entry).

    The payload is copied (tuples become lists) so the stored entry is exactly what was
    hashed. Raises ValueError / TypeError on a naive time, a wrong sequence number or a
    payload that is not plain JSON.
    """
    if at.tzinfo is None:
        raise ValueError("journal time must be an aware UTC datetime")
    if not kind:
        raise ValueError("journal entry needs a kind")
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise TypeError("seq must be an int")
    payload = {} if payload is None else payload
    if not isinstance(payload, dict):
        raise TypeError("payload must be a dict")
    _check_json(payload)
    payload = json.loads(json.dumps(payload, ensure_ascii=False))
    if prev is None:
        prev_hash = GENESIS
        if seq != FIRST_SEQ:
            raise ValueError(f"the first journal entry has seq {FIRST_SEQ}, not {seq}")
    elif isinstance(prev, str):
        prev_hash = prev
    else:
        prev_hash = prev.hash
        if seq != prev.seq + 1:
            raise ValueError(f"journal seq must follow {prev.seq}, got {seq}")
    at = at.astimezone(timezone.utc)
    fields = dict(seq=seq, at=at, kind=kind, actor=actor, lot_id=lot_id,
                  auction_id=auction_id, article=article, payload=payload)
    return Entry(**fields, prev_hash=prev_hash, hash=compute_hash(prev_hash, **fields, chain=chain), chain=chain)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # entries found good (all of them when ok)
    first_bad_seq: int | None
    problem: str | None
    head: str | None = None  # hash of the last good entry

    def __bool__(self) -> bool:
        return self.ok


def entry_hash(entry: Any) -> str:
    """Recompute the hash of any entry-like object (an `Entry` or an ORM row)."""
    return compute_hash(entry.prev_hash, seq=entry.seq, at=entry.at, kind=entry.kind,
                        actor=entry.actor, lot_id=entry.lot_id, auction_id=entry.auction_id,
                        article=entry.article, payload=entry.payload,
                        chain=getattr(entry, "chain", None) or PLATFORM)


def verify(entries: Iterable[Any], *, expected_head: str | None = None,
           expected_count: int | None = None, start_seq: int = FIRST_SEQ,
           start_prev_hash: str = GENESIS) -> VerifyResult:
    """Check a chain given in seq order; stops at the first bad entry.

    Each entry must hash to its `hash` (else it was edited), link to the previous entry's
    hash (else one was deleted, inserted or moved) and carry the next seq (else one was
    deleted and the rest re-hashed). Entries removed at the end are only detected with
    `expected_head` (the head hash kept elsewhere) or `expected_count`. `start_seq` and
    `start_prev_hash` verify a segment that starts after a known entry.
    """
    checked = 0
    prev_hash, next_seq = start_prev_hash, start_seq
    for entry in entries:
        if entry_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, EDITED, _head(checked, prev_hash))
        if entry.prev_hash != prev_hash:
            return VerifyResult(False, checked, entry.seq, BROKEN_LINK, _head(checked, prev_hash))
        if entry.seq != next_seq:
            return VerifyResult(False, checked, entry.seq, SEQ_GAP, _head(checked, prev_hash))
        checked += 1
        prev_hash, next_seq = entry.hash, entry.seq + 1
    head = _head(checked, prev_hash)
    if expected_count is not None and checked != expected_count:
        return VerifyResult(False, checked, next_seq, COUNT_MISMATCH, head)
    if expected_head is not None and prev_hash != expected_head:
        return VerifyResult(False, checked, next_seq, TRUNCATED, head)
    return VerifyResult(True, checked, None, None, head)


def _head(checked: int, prev_hash: str) -> str | None:
    return prev_hash if checked else None


# ---- chains and anchors (issue 15) ----------------------------------------------------------------------
def anchor_digest(heads: dict[str, tuple[int, str]]) -> str:
    """SHA-256 (hex) of every head: a line `chain seq hash\\n` per chain, sorted by chain, UTF-8."""
    lines = "".join(f"{chain} {seq} {digest}\n" for chain, (seq, digest) in sorted(heads.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def anchor_payload(moved: dict[str, tuple[int, str]], every: dict[str, tuple[int, str]]) -> dict:
    """The payload of a `journal.anchored` entry: the heads that moved since the previous anchor, how
    many chains there are, and the digest of every head (`every` includes `moved`)."""
    return {"heads": [[chain, seq, digest] for chain, (seq, digest) in sorted(moved.items())],
            "chains": len(every), "digest": anchor_digest(every)}


@dataclass(frozen=True)
class JournalCheck:
    """The whole journal checked: every chain, its head record and the anchors."""

    ok: bool
    checked: int  # entries found good
    chains: int  # chains with entries checked
    anchors: int  # anchor entries whose heads were all found
    chain: str | None = None  # where the first problem is
    first_bad_seq: int | None = None
    problem: str | None = None
    head: str | None = None  # the platform chain's head

    def __bool__(self) -> bool:
        return self.ok


def verify_chains(platform: Iterable[Any], lots: Iterable[tuple[str, Iterable[Any]]], *,
                  heads: dict[str, tuple[int, str]] | None = None) -> JournalCheck:
    """Check the platform chain, then each lot chain (`(chain, entries in seq order)`), each against its
    head record in `heads` (`chain -> (seq, hash)`; None: not checked), and every head an anchor names:
    the entry at that seq must still have that hash. Stops at the first problem."""
    claims: dict[str, dict[int, str]] = {}
    accumulated: dict[str, tuple[int, str]] = {}
    anchors, bad = 0, []

    def tap_platform(entries):
        nonlocal anchors
        for e in entries:
            if e.kind == ANCHORED and not bad:
                named = {row[0]: (row[1], row[2]) for row in e.payload.get("heads", [])}
                accumulated.update(named)
                if (e.payload.get("digest") != anchor_digest(accumulated)
                        or e.payload.get("chains") != len(accumulated)):
                    bad.append((PLATFORM, e.seq, ANCHOR_DIGEST))
                for chain, (seq, digest) in named.items():
                    claims.setdefault(chain, {})[seq] = digest
                anchors += 1
            yield e

    def tap(entries, wanted, found):
        for e in entries:
            if e.seq in wanted:
                found[e.seq] = e.hash
            yield e

    checked = count = 0
    head_of_platform = None
    seen: set[str] = set()
    for chain, entries in [(PLATFORM, None), *lots]:
        wanted = claims.get(chain, {})
        found: dict[int, str] = {}
        stream = tap_platform(platform) if chain == PLATFORM else tap(entries, wanted, found)
        expected = heads.get(chain) if heads is not None else None
        result = verify(stream, expected_head=expected[1] if expected else None,
                        expected_count=expected[0] if expected else None)
        count += 1 if result.checked or not result.ok else 0
        seen.add(chain)
        checked += result.checked
        if not result.ok:
            return JournalCheck(False, checked, count, anchors, chain, result.first_bad_seq, result.problem)
        if bad:
            return JournalCheck(False, checked, count, anchors, *bad[0])
        if chain == PLATFORM:
            head_of_platform = result.head
            continue
        if heads is not None and expected is None and result.checked:
            return JournalCheck(False, checked, count, anchors, chain, None, TRUNCATED)
        for seq, digest in sorted(wanted.items()):
            if found.get(seq) != digest:
                return JournalCheck(False, checked, count, anchors, chain, seq, ANCHOR_MISSED)
    for chain in sorted(set(claims) - seen):
        return JournalCheck(False, checked, count, anchors, chain, min(claims[chain]), ANCHOR_MISSED)
    if heads is not None:
        for chain in sorted(set(heads) - seen):
            if heads[chain][0] > 0:
                return JournalCheck(False, checked, count, anchors, chain, 1, HEAD_MISSING)
    return JournalCheck(True, checked, count, anchors, head=head_of_platform)
