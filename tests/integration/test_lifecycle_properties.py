"""Random lifecycles over the HTTP API keep the money whole (SPEC §4), and distribution
statements of real sales match hand-computed ones (Art. 108, 110–112).

The property test draws a case (collectors, fines, bailiff kind, value), then walks the lot
through one or two auctions with random choices — how many bidders apply and pay, who is
online, how many bids, whether the winner pays, what the collectors answer, a debtor's
self-sale, a release — and after every step checks the ledger, the deposits, the journal
and the distribution rules. Each example runs on a fresh database.
"""
from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from auction.auctions import Application
from auction.claims import CLAIM_KINDS
from auction.clock import FakeClock
from auction.ledger import bailiff_income_account, is_bailiff_income
from auction.lots.model import FINAL
from auction.money import fmt
from service.orm import Distribution, Payment, Posting, Refund
from web import create_app, uow_for

from ..conftest import GENEROUS_LIMITS, PG_URL, START, _fresh_postgres, _fresh_sqlite, require_postgres
from ..helpers import Mulik, assert_journal_intact

CENT = Decimal("0.01")
STEP_DAY = timedelta(days=1)


# ---- a fresh platform per example -------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def backend(request) -> str:
    if request.param == "postgres":
        require_postgres()
    return request.param


@contextmanager
def fresh_platform(backend: str):
    tmp = Path(tempfile.mkdtemp(prefix="mulik-prop-"))
    if backend == "sqlite":
        _fresh_sqlite(tmp / "mulik.db")
        url = f"sqlite:///{tmp / 'mulik.db'}"
    else:
        _fresh_postgres()
        url = PG_URL
    clock = FakeClock(START)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "CLOCK": clock, "SECRET_KEY": "test",
                      "WEBHOOK_SECRET": "test-webhook-secret", "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False,
                      **GENEROUS_LIMITS})
    try:
        yield Mulik(app, clock)
    finally:
        app.extensions["mulik"]["engine"].dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def at_morning(d: date) -> datetime:
    """09:00 in Almaty on day d."""
    return datetime(d.year, d.month, d.day, 4, 0, tzinfo=timezone.utc)


def day(iso: str) -> date:
    return date.fromisoformat(iso)


# ---- the invariants ---------------------------------------------------------------------------------
def check_money(m, wallet_users: set[int]) -> None:
    """Everything SPEC §4 promises about money, read from the database."""
    with uow_for(m.app) as uow:
        s = uow.session
        balances = {a: b for a, b in s.execute(select(Posting.account, func.sum(Posting.amount))
                                               .group_by(Posting.account)).all()}
        txn_sums = s.execute(select(Posting.txn, func.sum(Posting.amount)).group_by(Posting.txn)).all()
        paid_in = s.execute(select(func.sum(Payment.amount)).where(Payment.status == "paid")).scalar_one() or 0
        apps = s.execute(select(Application.user_id, Application.deposit, Application.deposit_state)).all()
        due_refunds = s.execute(select(Refund.user_id, Refund.amount).where(Refund.status == "due")).all()
        entries = assert_journal_intact(s)  # every chain intact and gap-free
        refunded = [Decimal(e.payload["amount"]) for e in entries if e.kind == "deposit.refunded"]
        statements = [d.statement for d in s.execute(select(Distribution)).scalars()]
        fee_lines = sum((Decimal(ln["amount"]) for st_ in statements for ln in st_["lines"]
                         if ln["kind"] == "bailiff_fee"), Decimal(0))

    # every transaction balances, so the whole ledger sums to zero
    assert all(total == 0 for _, total in txn_sums), txn_sums
    assert sum(balances.values(), Decimal(0)) == 0
    # the control account passes everything it receives on at once (Art. 108)
    assert balances.get("control", 0) == 0, balances
    # no money appears or vanishes: paid in minus paid back is what the platform's accounts hold
    held = sum((b for a, b in balances.items() if a != "external"), Decimal(0))
    assert paid_in - sum(refunded, Decimal(0)) == held == -balances.get("external", 0)
    # deposits: each bidder's account covers the deposits held for them; what is not held is
    # on its way back (a due refund) unless the bidder chose to keep it in the wallet
    held_by, due_by = defaultdict(Decimal), defaultdict(Decimal)
    for user_id, deposit, state in apps:
        if state == "held":
            held_by[user_id] += deposit
    for user_id, amount in due_refunds:
        due_by[user_id] += amount
    for user_id in {u for u, _, _ in apps}:
        balance = balances.get(f"bidder:{user_id}:deposit", Decimal(0))
        free = balance - held_by[user_id]
        assert free >= 0, (user_id, balance, held_by[user_id])
        if user_id not in wallet_users:
            assert free == due_by[user_id], (user_id, balance, held_by[user_id], due_by[user_id])
    # forfeited deposits go to state revenue or to the private bailiff's income (Art. 80.5)
    forfeited = sum((d for _, d, st_ in apps if st_ == "forfeited"), Decimal(0))
    income = sum((Decimal(b) for a, b in balances.items() if is_bailiff_income(a)), Decimal(0))
    assert Decimal(balances.get("state_revenue", 0)) + income == forfeited + fee_lines


def check_statement(statement: dict, collectors: list[dict], fines: Decimal) -> None:
    """A distribution statement obeys Art. 108.1, 110–112 whatever the amounts."""
    lines = statement["lines"]
    recovered = Decimal(statement["recovered"])
    assert sum(Decimal(ln["amount"]) for ln in lines) == recovered == Decimal(statement["total"])
    assert all(Decimal(ln["amount"]) >= 0 for ln in lines)
    # A retaining collector's own shares of the expenses and his writ's fee (Art. 85.3) come first and
    # are his payment for them; the rest is distributed in the order of Art. 108.1.
    shares = [ln for ln in lines if ln["article"].startswith("85.3")]
    assert lines[:len(shares)] == shares and {ln["kind"] for ln in shares} <= {"bailiff_fee", "expenses"}
    lines = lines[len(shares):]
    recovered -= sum((Decimal(ln["amount"]) for ln in shares), Decimal(0))
    order = ["fine", "bailiff_fee", "expenses", "collector", "debtor"]
    kinds = [ln["kind"] for ln in lines]
    assert kinds == sorted(kinds, key=order.index)
    by_kind = defaultdict(list)
    for ln in lines:
        by_kind[ln["kind"]].append(ln)
    left = recovered
    if fines:
        assert Decimal(by_kind["fine"][0]["amount"]) == min(left, fines)
        left -= min(left, fines)
    costs = by_kind["bailiff_fee"] + by_kind["expenses"]
    left -= sum((Decimal(c["amount"]) for c in costs), Decimal(0))
    collector_lines = by_kind["collector"]
    queue_of = {c["id"]: c["queue"] for c in collectors}
    assert [ln["queue"] for ln in collector_lines] == sorted(ln["queue"] for ln in collector_lines)
    for queue in sorted({ln["queue"] for ln in collector_lines}):
        members = [ln for ln in collector_lines if ln["queue"] == queue]
        assert all(queue_of[ln["collector_id"]] == queue for ln in members)
        dues = [Decimal(ln["due"]) for ln in members]
        paid = [Decimal(ln["amount"]) for ln in members]
        if left >= sum(dues):
            assert paid == dues  # a queue that can be paid in full is paid in full
        else:  # pro rata, each share within one tiyn of its exact part, the lot spent
            assert sum(paid) == left
            for due, share in zip(dues, paid):
                assert abs(share - left * due / sum(dues)) < CENT
        left -= sum(paid)
    debtor = sum((Decimal(ln["amount"]) for ln in by_kind["debtor"]), Decimal(0))
    assert debtor == left
    if debtor:
        assert all(ln["amount"] == ln["due"] for ln in collector_lines)  # the debtor is paid last


# ---- the random walk ----------------------------------------------------------------------------------
likely = st.sampled_from([True, True, True, False])
money_st = st.integers(min_value=10_000_000, max_value=200_000_000).map(lambda t: Decimal(t) / 100)


class Walk:
    """One lot driven through its life by random choices, checked after every step."""

    def __init__(self, m: Mulik, data):
        self.m, self.data = m, data
        self.wallet_users: set[int] = set()
        self.bidders = []
        draw = data.draw
        self.private = draw(st.booleans(), label="private bailiff")
        self.fines = draw(st.sampled_from([Decimal(0), Decimal("5000.00"), Decimal("12345.67")]), label="fines")
        self.expenses = draw(st.sampled_from([Decimal(0), Decimal("20000.00")]), label="expenses")
        self.value = draw(money_st, label="value")
        self.debtor = m.user("debtor")
        n = draw(st.integers(1, 3), label="collectors")
        self.collector_users = [m.user("collector") for _ in range(n)]
        specs = [{"name": f"Collector {i}", "iin_bin": u.iin_bin, "user": u.id,
                  "kind": draw(st.sampled_from(sorted(CLAIM_KINDS)), label="claim kind"),
                  "claim": fmt(draw(money_st, label="claim"))}
                 for i, u in enumerate(self.collector_users)]
        self.bailiff, self.proceeding, self.lot = m.ordered_lot(
            value=fmt(self.value), proceeding={"debtor": self.debtor, "collectors": specs, "private": self.private,
                                               "fines": fmt(self.fines), "expenses": fmt(self.expenses)})
        self.collectors = self.proceeding["collectors"]
        self.self_sale = draw(st.sampled_from([None] * 4 + ["announced", "open", "closed", "unpaid"]),
                              label="self-sale")
        self.release_at = draw(st.sampled_from([None] * 6 + ["announced", "open", "retention", "round 2"]),
                               label="release")
        self.self_sale_payment = None
        self.check()

    # ---- reading -----------------------------------------------------------------------------
    def lot_now(self) -> dict:
        return self.bailiff.ok("GET", f"/lots/{self.lot['id']}")

    def auction_now(self, auction_id: int) -> dict:
        return self.bailiff.ok("GET", f"/auctions/{auction_id}")

    def status(self) -> str:
        return self.lot_now()["status"]

    def forfeits(self) -> str:
        """Where this case's forfeits go (Art. 80.5): state revenue, or its private bailiff's own income."""
        account = bailiff_income_account(self.bailiff.id) if self.private else "state_revenue"
        return self.m.balances().get(account, "0.00")

    def check(self) -> None:
        check_money(self.m, self.wallet_users)
        lot = self.lot_now()
        if lot["status"] in ("SOLD", "SOLD_BY_DEBTOR", "RETAINED"):
            r = self.bailiff.get(f"/lots/{self.lot['id']}/distribution")
            if r.status_code == 200:
                for statement in r.get_json()["statements"]:
                    check_statement(statement, self.collectors, self.fines)

    # ---- events that may interrupt the auction ----------------------------------------------------
    def maybe_interrupt(self, phase: str, auction: dict | None) -> bool:
        """Self-sale or release at this phase; True when the lot's life ended here."""
        if self.self_sale == phase and self.status() in ("REALIZATION_ORDERED", "AUCTION_1"):
            self.debtor.ok("POST", f"/lots/{self.lot['id']}/self-sale", {})
            self.bailiff.ok("POST", f"/lots/{self.lot['id']}/self-sale/grant")
            price = self.data.draw(st.integers(75, 100), label="self-sale %") * self.value / 100
            price = price.quantize(CENT, rounding=ROUND_CEILING)  # never below the 75% minimum
            pay = self.debtor.ok("POST", f"/lots/{self.lot['id']}/self-sale/contract",
                                 {"price": fmt(price), "buyer": "A Buyer"})["payment"]
            self.check()
            if phase != "unpaid":
                self.debtor.ok("POST", f"/payments/{pay['id']}/dev-pay")
                assert self.status() == "SOLD_BY_DEBTOR"
                if auction is not None:
                    assert self.auction_now(auction["id"])["status"] == "cancelled"
                statements = self.bailiff.ok("GET", f"/lots/{self.lot['id']}/distribution")["statements"]
                assert [s["recovered"] for s in statements] == [fmt(price)]
                self.check()
                return True
            self.self_sale_payment = pay
        if self.release_at == phase and self.status() not in FINAL:
            self.bailiff.ok("POST", f"/proceedings/{self.proceeding['id']}/release", {"reason": "debt paid"})
            assert self.status() == "RELEASED"
            if auction is not None:
                assert self.auction_now(auction["id"])["status"] == "cancelled"
            self.check()
            return True
        return False

    # ---- one auction ------------------------------------------------------------------------------
    def applicants(self, auction: dict) -> list:
        """0–4 bidders apply (some reuse an earlier bidder's wallet); some pay the deposit."""
        draw = self.data.draw
        chosen = []
        for _ in range(draw(st.sampled_from([2, 3, 4, 0, 1]), label="bidders")):
            reuse = [b for b in self.bidders if b not in chosen]
            if reuse and draw(st.booleans(), label="returning bidder"):
                b = draw(st.sampled_from(reuse), label="who returns")
            else:
                b = self.m.user("bidder")
                self.bidders.append(b)
            chosen.append(b)
            keep = draw(st.booleans(), label="keep in wallet")
            if keep:
                self.wallet_users.add(b.id)
            app = b.ok("POST", f"/auctions/{auction['id']}/applications", {"keep_in_wallet": keep})
            if app["payment"] and draw(likely, label="pays deposit"):
                b.ok("POST", f"/payments/{app['payment']['id']}/dev-pay")
            self.check()
        return [b for b in chosen if self._admitted(auction, b)]

    def _admitted(self, auction, b) -> bool:
        mine = [a for a in b.ok("GET", "/me/applications")["items"] if a["auction_id"] == auction["id"]]
        return bool(mine) and mine[0]["status"] == "admitted"

    def open(self, auction: dict, admitted: list) -> list:
        online = [b for b in admitted if self.data.draw(likely, label="online")]
        self.m.open_auction(auction, admitted, online=online)
        a = self.auction_now(auction["id"])
        event(f"round {a['round']} opening: {a['status']} {a['failure_reason'] or ''}")
        if len(admitted) < 2:
            assert (a["status"], a["failure_reason"]) == ("failed", "84.1")
        elif len(online) < 2:
            assert (a["status"], a["failure_reason"]) == ("failed", "84.4")
        else:
            assert a["status"] == "open"
        self.check()
        return online

    def bid(self, auction: dict, online: list):
        """Ascending round: n bids by alternating participants; returns (winner, price) or None."""
        n = self.data.draw(st.integers(0, 5), label="bids")
        price, step, leader = Decimal(auction["start_price"]), Decimal(auction["step"]), None
        for k in range(n):
            b = self.data.draw(st.sampled_from([x for x in online if x is not leader]), label="bidder")
            price += step
            b.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": fmt(price), "client_id": f"b{k}"})
            leader = b
            self.m.advance(minutes=1)
            self.check()
        if self.maybe_interrupt("open", auction):
            return "ended"
        self.m.advance(minutes=11)
        self.m.tick()
        a = self.auction_now(auction["id"])
        if leader is None:
            assert (a["status"], a["failure_reason"]) == ("failed", "84.2")
            self.check()
            return None
        assert a["status"] == "closed" and a["final_price"] == fmt(price)
        self.check()
        return leader, price

    def accept(self, auction: dict, online: list):
        """Descending round: someone accepts after k price ticks, or nobody does."""
        a = self.auction_now(auction["id"])
        ticks_to_floor = int(((Decimal(a["start_price"]) - Decimal(a["floor"])) / Decimal(a["step"]))
                             .to_integral_value(rounding=ROUND_CEILING))
        k = self.data.draw(st.one_of(st.none(), st.integers(0, ticks_to_floor)), label="accept at tick")
        if k is None:
            self.m.clock.set(datetime.fromisoformat(a["ends_at"].replace("Z", "+00:00")))
            self.m.tick()
            a = self.auction_now(auction["id"])
            assert (a["status"], a["failure_reason"]) == ("failed", "84.2")
            self.check()
            return None
        self.m.advance(seconds=a["interval_seconds"] * k)
        b = self.data.draw(st.sampled_from(online), label="acceptor")
        state = b.ok("GET", f"/auctions/{auction['id']}/state")
        expected = max(Decimal(a["floor"]), Decimal(a["start_price"]) - Decimal(a["step"]) * k)
        assert state["price"] == fmt(expected)
        b.ok("POST", f"/auctions/{auction['id']}/acceptances", {"price": state["price"], "client_id": "acc"})
        a = self.auction_now(auction["id"])
        assert a["status"] == "closed" and a["final_price"] == fmt(expected)
        self.check()
        return b, expected

    def settle(self, auction: dict, winner, price: Decimal) -> bool:
        """Approval, then the winner pays (sold) or lets the deadline pass (Art. 84.3)."""
        if self.maybe_interrupt("closed", auction):
            return True
        a = self.bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
        self.check()
        pay = next(p for p in winner.ok("GET", "/me/payments")["items"]
                   if p["kind"] == "winner" and p["auction_id"] == auction["id"])
        assert Decimal(pay["amount"]) == price - Decimal(auction["deposit"])
        if self.data.draw(st.booleans(), label="winner pays"):
            winner.ok("POST", f"/payments/{pay['id']}/dev-pay")
            assert self.status() == "SOLD"
            statements = self.bailiff.ok("GET", f"/lots/{self.lot['id']}/distribution")["statements"]
            assert [s["recovered"] for s in statements] == [fmt(price)]
            self.check()
            return True
        forfeits_before = self.forfeits()
        self.m.clock.set(at_morning(day(a["payment_due_on"]) + STEP_DAY))
        self.m.tick()
        a = self.auction_now(auction["id"])
        assert (a["status"], a["failure_reason"]) == ("failed", "84.3")
        forfeits = self.forfeits()
        assert Decimal(forfeits) - Decimal(forfeits_before) == Decimal(auction["deposit"])
        self.check()
        return False

    def retention(self, round_no: int) -> None:
        """Each collector keeps, refuses or stays silent; the earliest queue keeps (Art. 85)."""
        lot = self.lot_now()
        assert lot["status"] == f"RETENTION_{round_no}"
        answers = [self.data.draw(st.sampled_from(["refuse", "refuse", "silent", "retain"]), label="collector answers")
                   for _ in self.collector_users]
        for user, answer in zip(self.collector_users, answers):
            if answer != "silent":
                user.ok("POST", f"/lots/{self.lot['id']}/retention", {"decision": answer})
                self.check()
        if "silent" in answers:
            self.m.clock.set(at_morning(day(lot["deadlines"]["retention_ends_on"]) + STEP_DAY))
            self.m.tick()
        keepers = [c for c, a in zip(self.collectors, answers) if a == "retain"]
        lot = self.lot_now()
        if not keepers:
            assert lot["status"] == ("FAILED_1" if round_no == 1 else "WITHDRAWN")
            self.check()
            return
        # the earliest queue keeps (ties: the earlier application = list order); each chosen one pays his
        # Art. 85.3 charge (shares of expenses and fee, the excess over his claim) or lets it lapse
        for chosen in sorted(keepers, key=lambda c: c["queue"]):
            user = self.collector_users[self.collectors.index(chosen)]
            owed = [p for p in user.ok("GET", "/me/payments")["items"]
                    if p["kind"] == "retention_charge" and p["status"] == "pending"]
            excess = self.value - min(self.value, Decimal(chosen["outstanding"]))
            if not owed:  # nothing to pay: his at once
                assert excess == 0
                break
            assert Decimal(owed[0]["amount"]) >= excess and self.lot_now()["status"] == f"RETENTION_{round_no}"
            if self.data.draw(st.booleans(), label="charge paid"):
                user.ok("POST", f"/payments/{owed[0]['id']}/dev-pay")
                statements = self.bailiff.ok("GET", f"/lots/{self.lot['id']}/distribution")["statements"]
                assert [s["recovered"] for s in statements] == [owed[0]["amount"]]
                break
            self.m.clock.set(at_morning(day(owed[0]["due_on"]) + STEP_DAY))
            self.m.tick()
            self.check()
        lot = self.lot_now()
        if lot["status"] != "RETAINED":  # every chosen one let his charge lapse
            assert lot["status"] == ("FAILED_1" if round_no == 1 else "WITHDRAWN")
            self.check()
            return
        assert lot["retained_by_collector_id"] == chosen["id"]
        self.check()

    def auction(self, round_no: int) -> None:
        phase = "announced" if round_no == 1 else "round 2"
        if round_no == 2:
            lot = self.lot_now()
            self.m.clock.set(max(self.m.clock(), at_morning(day(lot["deadlines"]["repeat_auction_from"]))))
            self.m.tick()  # the background sweeper runs whenever time passes
            self.check()
        auction = self.m.announce(self.bailiff, self.lot["id"])
        assert auction["round"] == round_no
        self.check()
        admitted = self.applicants(auction)
        if self.maybe_interrupt(phase, auction):
            return
        online = self.open(auction, admitted)
        if self.auction_now(auction["id"])["status"] == "open":
            outcome = self.bid(auction, online) if round_no == 1 else self.accept(auction, online)
            if outcome == "ended":
                return
            if outcome is not None and self.settle(auction, *outcome):
                return
        if self.maybe_interrupt("retention", None):
            return
        self.retention(round_no)

    def run(self) -> None:
        if self.maybe_interrupt("unpaid", None):
            return
        self.auction(1)
        if self.status() == "FAILED_1":
            self.auction(2)

    def finish(self) -> None:
        """Every lot ends in a final state; a month later every freed deposit has gone back."""
        final = self.status()
        assert final in FINAL
        event(f"lot ends {final}")
        event(f"auctions: {self.lot_now()['auction_count']}")
        if self.self_sale_payment is not None:  # realized another way: the buyer can no longer pay
            before = self.m.balances()
            r = self.debtor.post(f"/payments/{self.self_sale_payment['id']}/dev-pay")
            assert r.status_code in (409, 422), r.get_json()
            assert self.m.balances() == before
        self.m.advance(days=45)
        self.m.tick()
        self.m.tick()
        check_money(self.m, self.wallet_users)
        balances = self.m.balances()
        assert {a: b for a, b in balances.items() if a.startswith("bidder:") and b != "0.00"} == {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_random_lifecycles_never_create_or_lose_money(backend, data):
    with fresh_platform(backend) as m:
        walk = Walk(m, data)
        walk.run()
        walk.finish()


# ---- hand-computed distribution statements of real sales --------------------------------------------
KIND_IN_QUEUE = {1: "alimony", 2: "authors_remuneration", 3: "pledge_secured", 4: "taxes_budget", 5: "other"}

def sell(m, *, value: str, step: str, collectors: list[tuple[int, str]], fines="0.00", expenses="0.00"):
    """A lot valued `value` sold at value + step at its first auction (state bailiff)."""
    specs = [{"name": f"Collector {i}", "iin_bin": m.user("collector").iin_bin, "kind": KIND_IN_QUEUE[q],
              "claim": claim}
             for i, (q, claim) in enumerate(collectors)]
    bailiff, p, lot = m.ordered_lot(value=value, proceeding={"collectors": specs, "fines": fines,
                                                             "expenses": expenses})
    auction = m.announce(bailiff, lot["id"], step=step)
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    price = fmt(Decimal(value) + Decimal(step))
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": price, "client_id": "only"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    pay = next(x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner")
    b1.ok("POST", f"/payments/{pay['id']}/dev-pay")
    statements = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"]
    assert len(statements) == 1 and statements[0]["recovered"] == price
    ids = [c["id"] for c in p["collectors"]]
    lines = [(ln["kind"], ids.index(ln["collector_id"]) if ln["collector_id"] else None, ln["amount"])
             for ln in statements[0]["lines"]]
    return lines, ids, m.balances()


@pytest.mark.parametrize("case", [
    pytest.param(dict(value="500000.00", step="100000.00", collectors=[(5, "600000.00"), (5, "300000.00")],
                      expect=[("collector", 0, "400000.00"), ("collector", 1, "200000.00")]),
                 id="two queue-5 claims share 600,000 two to one"),
    pytest.param(dict(value="100000.00", step="0.01", collectors=[(5, "200000.00"), (5, "100000.00")],
                      expect=[("collector", 0, "66666.67"), ("collector", 1, "33333.34")]),
                 id="the odd tiyn goes to the largest remainder, here the later claim"),
    pytest.param(dict(value="150000.00", step="50000.00",
                      collectors=[(5, "100000.00"), (5, "100000.00"), (5, "100000.00")],
                      expect=[("collector", 0, "66666.67"), ("collector", 1, "66666.67"),
                              ("collector", 2, "66666.66")]),
                 id="equal remainders: the earlier claims get the tiyns"),
    pytest.param(dict(value="500000.00", step="100000.00", fines="10000.00", expenses="20000.00",
                      collectors=[(5, "600000.00"), (1, "100000.00"), (5, "300000.00")],
                      expect=[("fine", None, "10000.00"), ("expenses", None, "20000.00"),
                              ("collector", 1, "100000.00"), ("collector", 0, "313333.33"),
                              ("collector", 2, "156666.67")]),
                 id="fines, expenses and queue 1 first, then queue 5 pro rata"),
    pytest.param(dict(value="500000.00", step="100000.00", fines="5000.00", collectors=[(4, "300000.00")],
                      expect=[("fine", None, "5000.00"), ("collector", 0, "300000.00"),
                              ("debtor", None, "295000.00")]),
                 id="what remains goes back to the debtor"),
])
def test_distribution_statement_of_a_real_sale_matches_the_hand_computed_one(m, case):
    lines, ids, balances = sell(m, value=case["value"], step=case["step"], collectors=case["collectors"],
                                fines=case.get("fines", "0.00"), expenses=case.get("expenses", "0.00"))
    assert lines == case["expect"]
    for kind, who, amount in case["expect"]:
        account = {"fine": "fines", "expenses": "expenses", "debtor": "debtor_refund"}.get(kind)
        assert balances[account or f"collector:{ids[who]}"] == amount
    assert balances["control"] == "0.00"
    assert sum(Decimal(v) for v in balances.values()) == 0
