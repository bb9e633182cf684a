"""`mulik journal verify` on a real database after a real auction (SPEC §7): an intact
chain is reported OK, an edited or deleted entry is named and the command exits 1."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from auction import journal
from service.orm import JournalEntry, JournalHead
from web import uow_for

MULIK = str(Path(sys.executable).parent / "mulik")


def mulik(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MULIK_DATABASE_URL": db_url}
    return subprocess.run([MULIK, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def sold_lot(m):
    """A lot sold at its first auction over the API, the loser's deposit refunded."""
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "a1"})
    b2.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1100000.00", "client_id": "b1"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    pay = next(x for x in b2.ok("GET", "/me/payments")["items"] if x["kind"] == "winner")
    b2.ok("POST", f"/payments/{pay['id']}/dev-pay")
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SOLD"
    return auction


def _rows(m):
    with uow_for(m.app) as uow:
        return uow.session.execute(select(JournalEntry.chain, JournalEntry.seq, JournalEntry.kind, JournalEntry.hash)
                                   .order_by(JournalEntry.id)).all()


def _bid_entry(m, auction_id: int, amount: str) -> tuple[str, int]:
    with uow_for(m.app) as uow:
        rows = uow.session.execute(select(JournalEntry).where(
            JournalEntry.kind == "bid.accepted", JournalEntry.auction_id == auction_id)).scalars().all()
        return next((r.chain, r.seq) for r in rows if r.payload["amount"] == amount)


def test_journal_verify_reports_intact_chains_after_a_real_sale(m, db_url, sold_lot):
    rows = _rows(m)
    chains: dict[str, list[int]] = {}
    for chain, seq, _, _ in rows:
        chains.setdefault(chain, []).append(seq)
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in chains.values())  # gap-free in each chain
    lot_chain = f"lot:{sold_lot['lot_id']}"
    lot_kinds = {kind for chain, _, kind, _ in rows if chain == lot_chain}
    assert {"bid.accepted", "auction.closed", "auction.sold", "distribution.made"} <= lot_kinds
    platform = [h for chain, _, _, h in rows if chain == "platform"]
    assert "deposit.refunded" in {kind for chain, _, kind, _ in rows if chain == "platform"}  # a wallet's, no lot's
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == (f"journal OK: {len(rows)} entries in {len(chains)} chains, 0 anchors, "
                                f"platform head {platform[-1] if platform else None}")


def test_journal_verify_names_an_entry_whose_payload_was_edited_in_the_database(m, db_url, sold_lot):
    chain, seq = _bid_entry(m, sold_lot["id"], "1100000.00")
    with uow_for(m.app) as uow:
        where = (JournalEntry.chain == chain, JournalEntry.seq == seq)
        entry = uow.session.execute(select(JournalEntry).where(*where)).scalar_one()
        forged = dict(entry.payload, amount="1000001.00")  # the winning bid made to look lower
        uow.session.execute(update(JournalEntry).where(*where).values(payload=forged))
        uow.session.commit()
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"journal BROKEN in chain {chain} at seq {seq}: hash mismatch (entry edited) (" in r.stdout


def test_journal_verify_notices_an_entry_deleted_from_the_middle(m, db_url, sold_lot):
    chain, seq = _bid_entry(m, sold_lot["id"], "1050000.00")
    with uow_for(m.app) as uow:
        last = uow.session.execute(select(func.max(JournalEntry.seq)).where(JournalEntry.chain == chain)).scalar_one()
        assert seq < last
        uow.session.execute(delete(JournalEntry).where(JournalEntry.chain == chain, JournalEntry.seq == seq))
        uow.session.commit()
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"journal BROKEN in chain {chain} at seq {seq + 1}: broken link (entry deleted or reordered)" in r.stdout


def _cut_lot_chain(m, chain: str, keep: int, *, forge_head: bool) -> None:
    """Delete the chain's entries after `keep`; `forge_head`: rewrite its head record to match, as one who
    also has write access to the heads would."""
    with uow_for(m.app) as uow:
        s = uow.session
        s.execute(delete(JournalEntry).where(JournalEntry.chain == chain, JournalEntry.seq > keep))
        if forge_head:
            digest = s.execute(select(JournalEntry.hash).where(JournalEntry.chain == chain,
                                                               JournalEntry.seq == keep)).scalar_one()
            s.execute(update(JournalHead).where(JournalHead.chain == chain).values(seq=keep, hash=digest))
        s.commit()


def test_journal_verify_notices_a_lot_chain_cut_at_its_end_by_its_head_record(m, db_url, sold_lot):
    chain = f"lot:{sold_lot['lot_id']}"
    keep = len([r for r in _rows(m) if r[0] == chain]) - 2
    _cut_lot_chain(m, chain, keep, forge_head=False)
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"journal BROKEN in chain {chain} at seq {keep + 1}: count mismatch (entries removed at the end)" \
        in r.stdout


def test_an_anchor_names_every_moved_head_and_catches_a_cut_whose_head_was_forged(m, db_url, sold_lot):
    chain = f"lot:{sold_lot['lot_id']}"
    entries = [r for r in _rows(m) if r[0] == chain]
    r = mulik(db_url, "journal", "anchor")
    assert r.returncode == 0, r.stdout + r.stderr
    with uow_for(m.app) as uow:
        anchor_chain, payload = uow.session.execute(select(JournalEntry.chain, JournalEntry.payload).where(
            JournalEntry.kind == "journal.anchored")).one()
        heads = {c: (seq, h) for c, seq, h in uow.session.execute(
            select(JournalHead.chain, JournalHead.seq, JournalHead.hash).where(JournalHead.chain != "platform"))}
    assert anchor_chain == "platform" and [chain, len(entries), entries[-1][3]] in payload["heads"]
    assert payload["digest"] == journal.anchor_digest(heads) and payload["chains"] == len(heads)
    assert mulik(db_url, "journal", "anchor").stdout.strip() == "journal anchor: no chain moved since the last anchor"
    verified = mulik(db_url, "journal", "verify")
    assert verified.returncode == 0 and " 1 anchors, " in verified.stdout, verified.stdout
    _cut_lot_chain(m, chain, len(entries) - 2, forge_head=True)  # the chain alone and its head now agree
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"journal BROKEN in chain {chain} at seq {len(entries)}: anchored head missing" in r.stdout


def test_journal_verify_on_an_empty_database_is_ok(db_url):
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "journal OK: 0 entries in 0 chains, 0 anchors, platform head None"
