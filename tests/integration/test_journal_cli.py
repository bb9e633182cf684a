"""`mulik journal verify` on a real database after a real auction (SPEC §7): an intact
chain is reported OK, an edited or deleted entry is named and the command exits 1."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from service.orm import JournalEntry
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
        return uow.session.execute(select(JournalEntry.seq, JournalEntry.kind, JournalEntry.hash)
                                   .order_by(JournalEntry.seq)).all()


def _bid_entry_seq(m, auction_id: int, amount: str) -> int:
    with uow_for(m.app) as uow:
        rows = uow.session.execute(select(JournalEntry).where(
            JournalEntry.kind == "bid.accepted", JournalEntry.auction_id == auction_id)).scalars().all()
        return next(r.seq for r in rows if r.payload["amount"] == amount)


def test_journal_verify_reports_an_intact_chain_after_a_real_sale(m, db_url, sold_lot):
    rows = _rows(m)
    assert [seq for seq, _, _ in rows] == list(range(1, len(rows) + 1))
    assert {"bid.accepted", "auction.closed", "auction.sold", "distribution.made", "deposit.refunded"} <= {
        kind for _, kind, _ in rows}
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == f"journal OK: {len(rows)} entries, head {rows[-1][2]}"


def test_journal_verify_names_an_entry_whose_payload_was_edited_in_the_database(m, db_url, sold_lot):
    seq = _bid_entry_seq(m, sold_lot["id"], "1100000.00")
    with uow_for(m.app) as uow:
        entry = uow.session.execute(select(JournalEntry).where(JournalEntry.seq == seq)).scalar_one()
        forged = dict(entry.payload, amount="1000001.00")  # the winning bid made to look lower
        uow.session.execute(update(JournalEntry).where(JournalEntry.seq == seq).values(payload=forged))
        uow.session.commit()
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"journal BROKEN at seq {seq}: hash mismatch (entry edited) ({seq - 1} good entries before it)" \
        in r.stdout


def test_journal_verify_notices_an_entry_deleted_from_the_middle(m, db_url, sold_lot):
    seq = _bid_entry_seq(m, sold_lot["id"], "1050000.00")
    with uow_for(m.app) as uow:
        last = uow.session.execute(select(func.max(JournalEntry.seq))).scalar_one()
        assert seq < last
        uow.session.execute(delete(JournalEntry).where(JournalEntry.seq == seq))
        uow.session.commit()
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"journal BROKEN at seq {seq + 1}: broken link (entry deleted or reordered)" in r.stdout


def test_journal_verify_on_an_empty_database_is_ok(db_url):
    r = mulik(db_url, "journal", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "journal OK: 0 entries, head None"
