"""One bidder's wallet used by several applications at the same moment (Art. 80.1, SPEC §2.4, §4):
real threads, each with its own HTTP client and database session, on SQLite and on PostgreSQL.
Exactly as many applications are admitted as the wallet's free money covers; the wallet never
shows less than nothing."""
from __future__ import annotations

import threading

import pytest

from service import deposits

from ..helpers import error
from .test_concurrency import assert_journal_intact, run_together

BOTH = pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                               indirect=True)


def wallet_holding(m, bidder, value: str) -> None:
    """The bidder's deposit for an auction of `value` (5%), kept in the wallet when the auction is cancelled."""
    bailiff, _, lot = m.ordered_lot(value=value)
    auction = m.announce(bailiff, lot["id"])
    app = bidder.ok("POST", f"/auctions/{auction['id']}/applications", {"keep_in_wallet": True})
    bidder.ok("POST", f"/payments/{app['payment']['id']}/dev-pay")
    bailiff.ok("POST", f"/auctions/{auction['id']}/cancellation", {"reason": "court order"})


def apply_in_thread(app, user, auction_id: int, body: dict):
    """Each thread has its own client, as several browser tabs have."""
    r = app.test_client().post(f"/api/v1/auctions/{auction_id}/applications", json=body,
                               headers={"Authorization": f"Bearer {user.token}"})
    return auction_id, r


@pytest.fixture
def wallet_checks_together(db_url, monkeypatch):
    """On PostgreSQL every application, its auction row already locked, reaches the wallet at the same
    moment as the others (the examiners' race: each locked its own auction, none the wallet). On SQLite
    a transaction holds the write lock from its BEGIN, so the applications can only queue; they are
    started together and no more."""
    take = deposits.take_deposit_from_wallet

    def together(*jobs):
        if db_url.startswith("postgresql"):
            at_wallet = threading.Barrier(len(jobs))

            def wait_then_take(*args, **kw):
                at_wallet.wait(timeout=30)
                return take(*args, **kw)

            monkeypatch.setattr(deposits, "take_deposit_from_wallet", wait_then_take)
        try:
            return run_together(*jobs)
        finally:
            monkeypatch.setattr(deposits, "take_deposit_from_wallet", take)
    return together


@BOTH
def test_simultaneous_applications_paid_from_one_wallet_admit_only_as_many_as_it_covers(m, app,
                                                                                      wallet_checks_together):
    bidder = m.user("bidder")
    wallet_holding(m, bidder, "2100000.00")  # 105,000.00 free: two deposits of 50,000.00, and 5,000.00
    assert bidder.ok("GET", "/me/wallet") == {"free": "105000.00"}
    auctions = []
    for _ in range(4):
        bailiff, _, lot = m.ordered_lot(value="1000000.00")
        auctions.append(m.announce(bailiff, lot["id"])["id"])

    answers = wallet_checks_together(*[lambda a=a: apply_in_thread(app, bidder, a, {"from_wallet": True})
                                       for a in auctions])

    admitted = [(a, r) for a, r in answers if r.status_code == 201]
    refused = [(a, r) for a, r in answers if r.status_code != 201]
    assert len(admitted) == 2 and len(refused) == 2, [(r.status_code, r.get_json()) for _, r in answers]
    for _, r in admitted:
        body = r.get_json()
        assert (body["status"], body["deposit_state"], body["payment"]) == ("admitted", "held", None)
    for _, r in refused:
        e = error(r, 422, "wallet_short", "80.1")
        assert "your wallet holds 5000.00 free; the deposit is 50000.00" in e["message"]
    assert bidder.ok("GET", "/me/wallet") == {"free": "5000.00"}
    mine = {x["auction_id"]: x for x in bidder.ok("GET", "/me/applications")["items"] if x["auction_id"] in auctions}
    # the refused applications were not filed at all
    assert sorted(mine) == sorted(a for a, _ in admitted)
    assert {(x["status"], x["deposit_state"]) for x in mine.values()} == {("admitted", "held")}
    balances = m.balances()
    assert balances[f"bidder:{bidder.id}:deposit"] == "105000.00"  # held, not spent: nothing posted twice
    assert_journal_intact(app)

    # one of the refused auctions taken after all: the wallet still cannot cover it, a deposit is requested
    late = refused[0][0]
    body = bidder.ok("POST", f"/auctions/{late}/applications", {})
    assert (body["status"], body["payment"]["amount"]) == ("pending_deposit", "50000.00")
    assert bidder.ok("GET", "/me/wallet") == {"free": "5000.00"}


@BOTH
def test_simultaneous_applications_beyond_the_wallet_wait_for_their_deposit_payment(m, app, wallet_checks_together):
    """Without `from_wallet`, an application the wallet cannot cover waits for its deposit payment
    (SPEC §2.4: the bidder tops the wallet up): the wallet covers exactly two, once each."""
    bidder = m.user("bidder")
    wallet_holding(m, bidder, "2000000.00")  # 100,000.00 free: exactly two deposits
    auctions = []
    for _ in range(4):
        bailiff, _, lot = m.ordered_lot(value="1000000.00")
        auctions.append(m.announce(bailiff, lot["id"])["id"])

    answers = wallet_checks_together(*[lambda a=a: apply_in_thread(app, bidder, a, {}) for a in auctions])

    assert [r.status_code for _, r in answers] == [201] * 4, [r.get_json() for _, r in answers]
    states = sorted((r.get_json()["status"], (r.get_json()["payment"] or {}).get("amount")) for _, r in answers)
    assert states == [("admitted", None)] * 2 + [("pending_deposit", "50000.00")] * 2
    assert bidder.ok("GET", "/me/wallet") == {"free": "0.00"}
    assert_journal_intact(app)


def waiting_on_a_lock(app) -> bool:
    """Some transaction of this test's PostgreSQL database is waiting for a row lock now."""
    from sqlalchemy import text
    with app.extensions["mulik"]["engine"].connect() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND wait_event_type = 'Lock'")).scalar_one() > 0


@BOTH
def test_two_payouts_from_one_wallet_at_the_same_moment_spend_its_money_once(m, app, db_url):
    """The ledger's own check, under the account's lock: two transactions that each take the whole
    balance out of one wallet (a refund paid by two sweepers, say) — one is posted, the other refused.
    On PostgreSQL the second reads the wallet while the first has posted and not yet committed: it
    either waits for the first's lock (then reads what is left) or, were there no lock, reads the
    stale balance and would spend the money again."""
    import time

    from auction import ledger
    from auction.ledger import Overdraft
    from web import uow_for

    bidder = m.user("bidder")
    wallet_holding(m, bidder, "2100000.00")
    account = ledger.deposit_account(bidder.id)
    first_posted, second_checked = threading.Event(), threading.Event()
    postgres = db_url.startswith("postgresql")

    def first():
        with uow_for(app, "test:first") as uow:
            uow.post(ledger.deposit_refunded(bidder.id, "105000.00", "RACE-1"))
            first_posted.set()
            if postgres:
                deadline = time.monotonic() + 60  # a bound against a hung test, not a measured time
                while not (second_checked.is_set() or waiting_on_a_lock(app)):
                    assert time.monotonic() < deadline, "the second transaction neither waited nor went on"
                    time.sleep(0.01)
            uow.commit()
            return "posted"

    def second():
        first_posted.wait(timeout=30)
        with uow_for(app, "test:second") as uow:
            try:
                uow.post(ledger.deposit_refunded(bidder.id, "105000.00", "RACE-2"))
            except Overdraft as refused:
                return refused
            finally:
                second_checked.set()
            uow.commit()
            return "posted"

    answers = run_together(first, second)
    assert answers[0] == "posted"
    refused = answers[1]
    assert isinstance(refused, Overdraft), answers
    assert (refused.account, refused.available, refused.article) == (account, 0, "80.1")
    assert m.balances()[account] == "0.00"
    assert bidder.ok("GET", "/me/wallet") == {"free": "0.00"}
    assert_journal_intact(app)
