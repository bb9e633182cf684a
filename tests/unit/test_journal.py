"""The audit journal is a hash chain that exposes edits, deletions and reordering (SPEC §7)."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest

from auction import journal
from auction.journal import GENESIS, Entry, canonical, compute_hash, make_entry, verify

T0 = datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)
# sha256 of the hand-written canonical JSON of the Kazakh entry below: it must never change,
# or every stored journal would stop verifying
KAZAKH_HASH = "cb6bf821d0c0ec72a36c06fcf1a1f206a92bede44822d80a5b07343b868b2bdc"


def make_chain(n: int = 5) -> list[Entry]:
    entries: list[Entry] = []
    prev = None
    for seq in range(1, n + 1):
        prev = make_entry(prev, seq=seq, at=T0 + timedelta(seconds=seq), kind="bid.accepted",
                          actor=f"user:{seq}", lot_id=7, auction_id=3, article="80.3",
                          payload={"amount": f"{1000000 + seq * 50000}.00", "participant_no": seq % 2 + 1})
        entries.append(prev)
    return entries


def edited(entry: Entry, **changes) -> Entry:
    """What a direct UPDATE of the stored row would leave: new values, the old hash."""
    return dataclasses.replace(entry, **changes)


def rehashed(entry: Entry, prev_hash: str | None = None, **changes) -> Entry:
    """What a careful forger would store: new values and a recomputed hash."""
    e = dataclasses.replace(entry, **changes)
    prev_hash = e.prev_hash if prev_hash is None else prev_hash
    return dataclasses.replace(e, prev_hash=prev_hash, hash=journal.entry_hash(
        dataclasses.replace(e, prev_hash=prev_hash)))


def test_a_chain_of_five_entries_verifies():
    chain = make_chain()
    result = verify(chain)
    assert result == journal.VerifyResult(True, 5, None, None, chain[-1].hash)
    assert result.ok and bool(result)
    assert chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:]))


def test_an_empty_chain_verifies():
    assert verify([]).ok
    assert verify([]).checked == 0


def test_editing_a_payload_is_detected_at_that_entry():
    chain = make_chain()
    chain[2] = edited(chain[2], payload={"amount": "1.00", "participant_no": 1})
    result = verify(chain)
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.checked == 2
    assert "edited" in result.problem
    assert result.head == chain[1].hash


@pytest.mark.parametrize("field, value", [
    ("at", T0 + timedelta(hours=1)), ("kind", "bid.rejected"), ("actor", "user:99"),
    ("lot_id", 8), ("auction_id", 4), ("article", "84.2"), ("seq", 33),
])
def test_editing_any_field_is_detected(field, value):
    chain = make_chain()
    chain[2] = edited(chain[2], **{field: value})
    result = verify(chain)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, value if field == "seq" else 3, journal.EDITED)


def test_deleting_an_entry_is_detected():
    chain = make_chain()
    del chain[2]
    result = verify(chain)
    assert not result.ok
    assert result.first_bad_seq == 4
    assert "deleted" in result.problem


def test_deleting_an_entry_and_relinking_the_rest_shows_a_sequence_gap():
    chain = make_chain()
    del chain[2]
    chain[2] = rehashed(chain[2], prev_hash=chain[1].hash)
    chain[3] = rehashed(chain[3], prev_hash=chain[2].hash)
    result = verify(chain)
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, journal.SEQ_GAP)


def test_reordering_entries_is_detected():
    chain = make_chain()
    chain[2], chain[3] = chain[3], chain[2]
    result = verify(chain)
    assert not result.ok
    assert result.first_bad_seq == 4
    assert "reordered" in result.problem


def test_swapping_sequence_numbers_is_detected_even_when_rehashed():
    chain = make_chain()
    third, fourth = chain[2], chain[3]
    chain[2] = rehashed(fourth, seq=3)
    chain[3] = rehashed(third, seq=4)
    result = verify(chain)
    assert not result.ok
    assert result.first_bad_seq == 3
    assert result.problem == journal.BROKEN_LINK


def test_truncation_is_detected_only_against_the_expected_head():
    chain = make_chain()
    head = chain[-1].hash
    truncated = chain[:3]
    assert verify(truncated).ok  # the chain alone cannot know its tail is missing
    result = verify(truncated, expected_head=head)
    assert (result.ok, result.checked, result.first_bad_seq) == (False, 3, 4)
    assert "removed at the end" in result.problem
    assert verify(chain, expected_head=head).ok
    assert not verify(truncated, expected_count=5).ok
    assert verify(chain, expected_count=5).ok


def test_a_segment_verifies_from_a_known_entry():
    chain = make_chain()
    assert verify(chain[2:], start_seq=3, start_prev_hash=chain[1].hash).ok
    assert not verify(chain[2:]).ok


def test_orm_like_rows_verify_directly_with_naive_utc_times():
    rows = [SimpleNamespace(**{**dataclasses.asdict(e), "at": e.at.replace(tzinfo=None)})
            for e in make_chain()]  # SQLite hands back naive UTC datetimes
    assert verify(rows).ok
    rows[1].payload = {**rows[1].payload, "amount": "9.00"}
    assert verify(rows).first_bad_seq == 2


def test_the_hash_is_deterministic_and_depends_on_the_payload():
    fields = dict(seq=1, at=T0, kind="lot.valued", actor="user:3", lot_id=7, auction_id=None,
                  article="68", payload={"value": "8500000.00", "method": "appraisal"})
    h1 = compute_hash(GENESIS, **fields)
    h2 = compute_hash(GENESIS, **{**fields, "payload": {"method": "appraisal", "value": "8500000.00"}})
    h3 = compute_hash(GENESIS, **{**fields, "payload": {"value": "8500000.01", "method": "appraisal"}})
    assert h1 == h2  # key order does not matter
    assert h1 != h3
    assert len(h1) == 64 and int(h1, 16) >= 0
    assert make_entry(None, **fields).hash == h1
    # the same instant in another zone hashes the same
    almaty = timezone(timedelta(hours=5))
    assert compute_hash(GENESIS, **{**fields, "at": T0.astimezone(almaty)}) == h1


def test_canonical_form_is_compact_sorted_utf8_json_with_z_times():
    data = canonical(1, T0, "lot.valued", None, 7, None, None, {"b": 1, "a": [True, None]}, GENESIS)
    assert data == ('{"actor":null,"article":null,"at":"2026-03-02T05:00:00.000000Z",'
                    '"auction_id":null,"kind":"lot.valued","lot_id":7,'
                    '"payload":{"a":[true,null],"b":1},"prev_hash":"' + GENESIS + '","seq":1}').encode()


def test_kazakh_text_in_a_payload_is_hashed_stably():
    payload = {"reason": "Сатып алушылардың ешқайсысы қадамды қолдамады", "debtor": "Әлиев Ғ. Ө."}
    entry = make_entry(None, seq=1, at=T0, kind="auction.failed", actor="system:sweeper",
                       lot_id=7, auction_id=3, article="84.2", payload=payload)
    assert "Сатып алушылардың".encode("utf-8") in canonical(
        1, T0, "auction.failed", "system:sweeper", 7, 3, "84.2", payload, GENESIS)
    assert entry.hash == compute_hash(GENESIS, seq=1, at=T0, kind="auction.failed",
                                      actor="system:sweeper", lot_id=7, auction_id=3,
                                      article="84.2", payload=dict(payload))
    assert entry.hash == KAZAKH_HASH


def test_make_entry_checks_its_inputs():
    with pytest.raises(ValueError, match="aware"):
        make_entry(None, seq=1, at=T0.replace(tzinfo=None), kind="x")
    with pytest.raises(ValueError, match="first"):
        make_entry(None, seq=2, at=T0, kind="x")
    first = make_entry(None, seq=1, at=T0, kind="x")
    with pytest.raises(ValueError, match="follow"):
        make_entry(first, seq=3, at=T0, kind="x")
    for bad in (1.5, Decimal("1.00"), T0, {1: "a"}):
        with pytest.raises(TypeError):
            make_entry(first, seq=2, at=T0, kind="x", payload={"v": bad})
    assert make_entry(first.hash, seq=2, at=T0, kind="x").prev_hash == first.hash


def test_entries_are_immutable_and_own_their_payload():
    payload = {"items": ("a", "b")}
    entry = make_entry(None, seq=1, at=T0, kind="x", payload=payload)
    payload["items"] = ()
    assert entry.payload == {"items": ["a", "b"]}
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.kind = "y"  # type: ignore[misc]
    assert entry.as_dict()["at"] == "2026-03-02T05:00:00.000000Z"
    assert verify([entry]).ok


# ---- chains and anchors (issue 15) ---------------------------------------------------------------------
def lot_chain(lot_id: int, n: int) -> list[Entry]:
    prev, out = None, []
    for seq in range(1, n + 1):
        prev = make_entry(prev, seq=seq, at=T0 + timedelta(seconds=seq), kind="lot.status", lot_id=lot_id,
                          payload={"n": seq}, chain=journal.chain_of(lot_id))
        out.append(prev)
    return out


def platform_with_anchor(*lots: list[Entry]) -> list[Entry]:
    first = make_entry(None, seq=1, at=T0, kind="user.registered", payload={"id": 1})
    heads = {c[-1].chain: (c[-1].seq, c[-1].hash) for c in lots}
    anchor = make_entry(first, seq=2, at=T0 + timedelta(minutes=5), kind=journal.ANCHORED,
                        payload=journal.anchor_payload(heads, heads))
    return [first, anchor]


def heads_of(*chains: list[Entry]) -> dict:
    return {c[-1].chain: (c[-1].seq, c[-1].hash) for c in chains if c}


def test_a_lot_chains_hash_names_its_chain_and_the_platform_chain_keeps_the_original_form():
    lot = lot_chain(7, 1)[0]
    assert b'"chain":"lot:7"' in canonical(lot.seq, lot.at, lot.kind, None, 7, None, None, {"n": 1}, GENESIS,
                                           "lot:7")
    plain = make_entry(None, seq=1, at=T0, kind="user.registered", payload={})
    assert b'"chain"' not in canonical(1, T0, "user.registered", None, None, None, None, {}, GENESIS)
    assert plain.hash == compute_hash(GENESIS, seq=1, at=T0, kind="user.registered", actor=None, lot_id=None,
                                      auction_id=None, article=None, payload={})
    moved = dataclasses.replace(lot, chain="lot:8")  # an entry moved to another lot's chain
    assert journal.entry_hash(moved) != lot.hash


def test_every_chain_verifies_on_its_own_with_its_head_and_the_anchor_holds():
    a, b = lot_chain(1, 3), lot_chain(2, 2)
    platform = platform_with_anchor(a, b)
    result = journal.verify_chains(platform, [("lot:1", a), ("lot:2", b)], heads=heads_of(platform, a, b))
    assert (result.ok, result.checked, result.chains, result.anchors) == (True, 7, 3, 1)


def test_a_lot_chain_cut_below_its_anchored_head_is_found_even_with_its_head_forged():
    a, b = lot_chain(1, 3), lot_chain(2, 2)
    platform = platform_with_anchor(a, b)
    cut = a[:2]
    forged_heads = heads_of(platform, cut, b)  # the head record rewritten to the shorter chain
    result = journal.verify_chains(platform, [("lot:1", cut), ("lot:2", b)], heads=forged_heads)
    assert (result.ok, result.chain, result.first_bad_seq, result.problem) == (False, "lot:1", 3,
                                                                                journal.ANCHOR_MISSED)
    gone = journal.verify_chains(platform, [("lot:2", b)], heads=heads_of(platform, b))  # the whole chain deleted
    assert (gone.ok, gone.chain, gone.problem) == (False, "lot:1", journal.ANCHOR_MISSED)


def test_a_cut_after_the_last_anchor_is_found_by_the_head_record_and_a_lost_chain_by_its_head():
    a, b = lot_chain(1, 3), lot_chain(2, 2)
    platform = platform_with_anchor(a, b)
    longer = lot_chain(1, 5)[:4]  # the same chain grown past the anchor, then cut back from 5 to 4
    heads = {**heads_of(platform, b), "lot:1": (5, "f" * 64)}
    cut = journal.verify_chains(platform, [("lot:1", longer), ("lot:2", b)], heads=heads)
    assert (cut.ok, cut.chain, cut.problem) == (False, "lot:1", journal.COUNT_MISMATCH)
    only_a = platform_with_anchor(a)
    lost = journal.verify_chains(only_a, [("lot:1", a)], heads={**heads_of(only_a, a), "lot:3": (2, "e" * 64)})
    assert (lost.ok, lost.chain, lost.problem) == (False, "lot:3", journal.HEAD_MISSING)


def test_an_anchor_whose_digest_does_not_hash_its_heads_is_found():
    a = lot_chain(1, 2)
    first = make_entry(None, seq=1, at=T0, kind="user.registered", payload={})
    payload = {**journal.anchor_payload(heads_of(a), heads_of(a)), "digest": "0" * 64}
    bad = make_entry(first, seq=2, at=T0, kind=journal.ANCHORED, payload=payload)
    result = journal.verify_chains([first, bad], [("lot:1", a)])
    assert (result.ok, result.chain, result.first_bad_seq, result.problem) == (False, "platform", 2,
                                                                                journal.ANCHOR_DIGEST)
