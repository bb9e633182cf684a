"""Every way a lot can leave the auction stage, end to end over HTTP and the sweeper.

The first auction is announced on Tuesday 1 December 2026 for Monday 14 December, 11:00
Almaty time (16 December, Independence Day, is a holiday). Counted from that Monday:
- the collectors' retention window (Art. 85.1, 5 working days) ends on Tuesday 22 December;
- the repeat auction may be appointed from Wednesday 30 December (Art. 85.2: after 10
  working days from the first auction), and is then announced for Monday 11 January 2027.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ..helpers import error

ALMATY = ZoneInfo("Asia/Almaty")
FIRST_AUCTION_ON = date(2026, 12, 14)
RETENTION_1_ENDS_ON = date(2026, 12, 22)
REPEAT_AUCTION_FROM = date(2026, 12, 30)
SECOND_AUCTION_AT = "2027-01-11T06:00:00Z"  # 11:00 Almaty
VALUE = "1000000.00"


# ---- small readers ------------------------------------------------------------------------------
def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """`hour:minute` Almaty time on `day`, as the aware UTC instant the clock takes."""
    return datetime.combine(day, time(hour, minute), tzinfo=ALMATY).astimezone(timezone.utc)


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def collector(m, *, kind: str = "other", claim: str = "3000000.00", name: str = "Collector"):
    """A collector account and its entry in a new proceeding."""
    user = m.user("collector")
    return user, {"name": name, "iin_bin": user.iin_bin, "kind": kind, "claim": claim, "user": user.id}


def lot_path(user, lot_id: int) -> list[tuple[str, str | None]]:
    """The lot's journaled status changes: (new status, article)."""
    items = user.ok("GET", f"/lots/{lot_id}/journal")["items"]
    return [(e["payload"]["to"], e["article"]) for e in items if e["kind"] == "lot.status"]


def journaled(user, lot_id: int, kind: str) -> list[dict]:
    return [e for e in user.ok("GET", f"/lots/{lot_id}/journal")["items"] if e["kind"] == kind]


def collectors_of(bailiff, proceeding_id: int) -> list[dict]:
    return bailiff.ok("GET", f"/proceedings/{proceeding_id}")["collectors"]


def payments_of(user, kind: str) -> list[dict]:
    return [p for p in user.ok("GET", "/me/payments")["items"] if p["kind"] == kind]


def deposit(balances: dict, bidder) -> str:
    return balances.get(f"bidder:{bidder.id}:deposit", "0.00")


def assert_ledger_balances_to_zero(balances: dict) -> None:
    assert sum(Decimal(v) for v in balances.values()) == 0, balances


PATH_TO_AUCTION_1 = [("VALUATION", "68.1"), ("VALUED", "68"), ("REALIZATION_ORDERED", "77.1"), ("AUCTION_1", "79")]


# ---- walks ---------------------------------------------------------------------------------------
def first_auction_with_a_winner(m, bailiff, lot):
    """Two participants, the second one raises once; the auction closes with him as the winner."""
    auction = m.announce(bailiff, lot["id"])
    loser, winner = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [loser, winner])
    winner.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "w-1"})
    m.advance(minutes=10)
    m.tick()
    return auction, loser, winner


def first_auction_failed_and_refused(m, *, category="movable", collectors=1):
    """First auction with no applications (Art. 84.1), every collector refuses (Art. 85.2):
    the lot waits in FAILED_1, and the clock stands at 09:00 on the first day of the repeat auction."""
    entries = [collector(m, name=f"Collector {i}") for i in range(collectors)]
    bailiff, p, lot = m.ordered_lot(value=VALUE, category=category,
                                    proceeding={"collectors": [e for _, e in entries]})
    first = m.announce(bailiff, lot["id"])
    m.open_auction(first, [])
    for user, _ in entries:
        user.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "FAILED_1"
    m.clock.set(at(REPEAT_AUCTION_FROM))
    return bailiff, p, lot, [u for u, _ in entries]


# ---- 1. the first auction fails for each reason of Art. 84, a collector keeps the lot ---------------
def test_a_single_application_fails_the_auction_and_a_collector_keeps_the_lot_paying_the_excess(m):
    keeper, keeper_entry = collector(m, kind="alimony", claim="400000.00", name="Alimony claimant")
    other, other_entry = collector(m, kind="other", claim="300000.00", name="Bank")
    bailiff, p, lot = m.ordered_lot(value=VALUE, proceeding={"collectors": [keeper_entry, other_entry]})
    auction = m.announce(bailiff, lot["id"])
    only = m.bidder_admitted(auction["id"])
    m.open_auction(auction, [only])

    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["failure_reason"]) == ("failed", "84.1")
    failed = journaled(bailiff, lot["id"], "auction.failed")
    assert [(e["article"], e["payload"]["admitted"]) for e in failed] == [("84.1", 1)]
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "RETENTION_1"
    assert got["deadlines"]["retention_ends_on"] == RETENTION_1_ENDS_ON.isoformat()
    assert got["deadlines"]["repeat_auction_from"] == REPEAT_AUCTION_FROM.isoformat()
    assert deposit(m.balances(), only) == "50000.00"  # freed, paid back by the next sweep
    m.tick()
    assert deposit(m.balances(), only) == "0.00"

    other.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"  # the first queue has not answered
    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})

    # Art. 85.3: the keeper pays the value above his claim (no expenses, no private fee here) before
    # the lot is his; until then it stays in the retention window
    keeper_id, other_id = (c["id"] for c in collectors_of(bailiff, p["id"]))
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    [requested] = journaled(bailiff, lot["id"], "retention.charge_requested")
    assert (requested["article"], requested["payload"]["set_off"], requested["payload"]["excess"],
            requested["payload"]["total"]) == ("85.3", "400000.00", "600000.00", "600000.00")
    [excess] = payments_of(keeper, "retention_charge")
    assert (excess["amount"], excess["status"], excess["lot_id"]) == ("600000.00", "pending", lot["id"])
    error(bailiff.get(f"/lots/{lot['id']}/distribution"), 404, "not_found")

    keeper.ok("POST", f"/payments/{excess['id']}/dev-pay")
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert (got["status"], got["retained_by_collector_id"], got["sale_price"]) == ("RETAINED", keeper_id, VALUE)
    assert lot_path(bailiff, lot["id"]) == PATH_TO_AUCTION_1 + [("RETENTION_1", "85.1"), ("RETAINED", "85.1")]
    [settled] = journaled(bailiff, lot["id"], "retention.settled")
    assert (settled["payload"]["set_off"], settled["payload"]["excess"]) == ("400000.00", "600000.00")
    [statement] = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"]
    assert statement["recovered"] == statement["total"] == "600000.00"
    assert [(x["kind"], x["collector_id"], x["amount"]) for x in statement["lines"]] == [
        ("collector", other_id, "300000.00"), ("debtor", None, "300000.00")]
    assert [(c["paid"], c["outstanding"]) for c in collectors_of(bailiff, p["id"])] == [
        ("400000.00", "0.00"), ("300000.00", "0.00")]
    bal = m.balances()
    assert bal["control"] == "0.00"
    assert (bal[f"collector:{other_id}"], bal["debtor_refund"]) == ("300000.00", "300000.00")
    assert_ledger_balances_to_zero(bal)


def test_nobody_raising_within_the_quiet_period_fails_the_auction_and_a_collector_keeps_the_lot(m):
    keeper, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(value=VALUE, proceeding={"collectors": [entry]})
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    state = m.public.ok("GET", f"/auctions/{auction['id']}/state")
    assert (state["status"], state["online"]) == ("open", 2)
    ends_at = utc(state["ends_at"])
    assert ends_at == utc(auction["starts_at"]) + timedelta(minutes=10, seconds=1)

    m.clock.set(ends_at - timedelta(seconds=1))
    m.tick()
    assert m.public.ok("GET", f"/auctions/{auction['id']}")["status"] == "open"
    m.clock.set(ends_at)
    m.tick()
    a = m.public.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["failure_reason"], a["winner_no"]) == ("failed", "84.2", None)
    e = error(b1.post(f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "late"}), 409,
              "auction_closed")
    assert "failed" in e["message"]
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"

    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    assert lot_path(bailiff, lot["id"])[-2:] == [("RETENTION_1", "85.1"), ("RETAINED", "85.1")]
    assert [e["article"] for e in journaled(bailiff, lot["id"], "auction.failed")] == ["84.2"]
    # the valuation is set off against the claim: nothing to pay in, nothing to distribute
    [c] = collectors_of(bailiff, p["id"])
    assert (c["paid"], c["outstanding"]) == (VALUE, "2000000.00")
    assert payments_of(keeper, "retention_charge") == []
    m.tick()
    bal = m.balances()
    assert (deposit(bal, b1), deposit(bal, b2)) == ("0.00", "0.00")
    assert_ledger_balances_to_zero(bal)


def test_only_one_participant_online_at_the_opening_fails_the_auction_and_a_collector_keeps_the_lot(m):
    keeper, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(value=VALUE, proceeding={"collectors": [entry]})
    auction = m.announce(bailiff, lot["id"])
    online, offline = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [online, offline], online=[online])

    a = m.public.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["failure_reason"], a["participants"]) == ("failed", "84.4", 2)
    [failed] = journaled(bailiff, lot["id"], "auction.failed")
    assert (failed["article"], failed["payload"]["online"]) == ("84.4", 1)
    e = error(online.post(f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "x"}), 409,
              "auction_closed")
    assert "failed" in e["message"]

    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    assert lot_path(bailiff, lot["id"]) == PATH_TO_AUCTION_1 + [("RETENTION_1", "85.1"), ("RETAINED", "85.1")]
    # neither deposit is forfeited: being offline is no breach (Art. 80.4 forfeits the winner's only)
    m.tick()
    bal = m.balances()
    assert (deposit(bal, online), deposit(bal, offline)) == ("0.00", "0.00")
    assert "state_revenue" not in bal
    assert_ledger_balances_to_zero(bal)


@pytest.mark.parametrize("private, revenue", [(False, "state_revenue"), (True, "bailiff:{id}:income")],
                         ids=["state-bailiff", "private-bailiff"])
def test_a_winner_who_does_not_pay_in_5_working_days_forfeits_the_deposit_and_a_collector_keeps_the_lot(
        m, private, revenue):
    keeper, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(value=VALUE, proceeding={"collectors": [entry], "private": private})
    revenue = revenue.format(id=bailiff.id)  # the private bailiff's own income account (Art. 80.5)
    auction, loser, winner = first_auction_with_a_winner(m, bailiff, lot)
    a = bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    payment_due_on = date(2026, 12, 22)  # Art. 80.4: 5 working days after the approval on 14 December
    assert a["payment_due_on"] == payment_due_on.isoformat()
    [due] = payments_of(winner, "winner")
    assert (due["amount"], due["status"]) == ("1000000.00", "pending")  # 1,050,000 minus the 50,000 deposit

    m.clock.set(at(payment_due_on, 23, 30))  # the last day to pay: still allowed
    m.tick()
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "closed"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "AUCTION_1"

    m.clock.set(at(payment_due_on + timedelta(days=1)))
    m.tick()
    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["failure_reason"]) == ("failed", "84.3")
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "RETENTION_1"
    assert got["deadlines"]["retention_ends_on"] == "2026-12-30"  # 5 working days from the default
    [forfeit] = journaled(bailiff, lot["id"], "deposit.forfeited")
    assert (forfeit["article"], forfeit["payload"]["amount"], forfeit["payload"]["to"]) == ("80.5", "50000.00", revenue)
    # too late: the payment request was cancelled and the money is refused
    assert payments_of(winner, "winner")[0]["status"] == "cancelled"
    error(winner.post(f"/payments/{due['id']}/dev-pay"), 409, "not_pending")

    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    if private:
        # Art. 85.3: the keeper first pays his writ's fee on the 1,000,000.00 set off against it: the writ
        # of 3,000,000.00 is in the 15% band, 450,000.00 in full, 1/3 of it for this third (Art. 118.2)
        [charge] = payments_of(keeper, "retention_charge")
        assert (charge["amount"], charge["status"]) == ("150000.00", "pending")
        assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
        keeper.ok("POST", f"/payments/{charge['id']}/dev-pay")
    assert lot_path(bailiff, lot["id"])[-2:] == [("RETENTION_1", "85.1"), ("RETAINED", "85.1")]
    assert [e["article"] for e in journaled(bailiff, lot["id"], "auction.failed")] == ["84.3"]
    # the fee he bore is now owed to him by the debtor ("later recovered from the debtor", Art. 85.3)
    [c] = collectors_of(bailiff, p["id"])
    assert (c["claim"], c["paid"]) == (("3150000.00" if private else "3000000.00"), "1000000.00")
    m.tick()
    bal = m.balances()
    assert (deposit(bal, winner), deposit(bal, loser)) == ("0.00", "0.00")
    assert bal[revenue] == ("200000.00" if private else "50000.00")  # the forfeited deposit (and the fee)
    assert [a for a in bal if a == "state_revenue" or a.endswith(":income")] == [revenue]
    assert_ledger_balances_to_zero(bal)


# ---- 2. every collector refuses, the repeat (descending) auction sells ------------------------------
@pytest.mark.parametrize("category, floor", [("movable", "500000.00"), ("real_estate", "750000.00")])
def test_after_the_retention_window_lapses_the_descending_repeat_auction_sells_at_the_accepted_price(
        m, category, floor):
    late, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(value=VALUE, category=category, proceeding={"collectors": [entry]})
    first = m.announce(bailiff, lot["id"])
    m.open_auction(first, [])
    assert m.public.ok("GET", f"/auctions/{first['id']}")["failure_reason"] == "84.1"

    m.clock.set(at(RETENTION_1_ENDS_ON, 23, 30))  # the window's last day: nothing lapses yet
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    m.clock.set(at(RETENTION_1_ENDS_ON + timedelta(days=1)))
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "FAILED_1"
    assert lot_path(bailiff, lot["id"])[-2:] == [("RETENTION_1", "85.1"), ("FAILED_1", "85.2")]
    error(late.post(f"/lots/{lot['id']}/retention", {"decision": "retain"}), 409, "invalid_state", "85.1")

    m.clock.set(at(REPEAT_AUCTION_FROM - timedelta(days=1)))
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": SECOND_AUCTION_AT}), 422, "too_early", "80.3")
    assert REPEAT_AUCTION_FROM.isoformat() in e["message"]
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "FAILED_1"

    m.clock.set(at(REPEAT_AUCTION_FROM))
    second = m.announce(bailiff, lot["id"])
    assert second["starts_at"] == SECOND_AUCTION_AT
    assert (second["round"], second["kind"], second["status"]) == (2, "descending", "announced")
    assert (second["start_price"], second["floor"], second["step"], second["deposit"]) == (
        VALUE, floor, "50000.00", "50000.00")
    assert second["interval_seconds"] == 120
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "AUCTION_2"
    buyer, other = m.bidder_admitted(second["id"]), m.bidder_admitted(second["id"])
    m.open_auction(second, [buyer, other])
    opened = utc(SECOND_AUCTION_AT) + timedelta(seconds=1)

    def price_at(offset: timedelta) -> str:
        m.clock.set(opened + offset)
        return m.public.ok("GET", f"/auctions/{second['id']}/state")["price"]

    assert price_at(timedelta(0)) == VALUE
    assert price_at(timedelta(minutes=1, seconds=59)) == VALUE
    assert price_at(timedelta(minutes=2)) == "950000.00"
    assert price_at(timedelta(minutes=5)) == "900000.00"
    # the participant who still sees the previous price is told the current one
    e = error(other.post(f"/auctions/{second['id']}/acceptances", {"price": "950000.00", "client_id": "o-1"}), 422,
              "price_changed", "80.3")
    assert "900000.00" in e["message"]
    r = buyer.ok("POST", f"/auctions/{second['id']}/acceptances", {"price": "900000.00", "client_id": "b-1"})
    assert (r["bid"]["amount"], r["bid"]["kind"], r["state"]["status"]) == ("900000.00", "accept", "closed")
    # a resent acceptance returns the first answer; a second participant's acceptance is refused
    again = buyer.ok("POST", f"/auctions/{second['id']}/acceptances", {"price": "900000.00", "client_id": "b-1"})
    assert again["bid"] == r["bid"]
    error(other.post(f"/auctions/{second['id']}/acceptances", {"price": "900000.00", "client_id": "o-2"}), 409,
          "already_accepted", "80.3")
    assert [(b["amount"], b["kind"]) for b in m.public.ok("GET", f"/auctions/{second['id']}/bids")["items"]] == [
        ("900000.00", "accept")]

    a = bailiff.ok("POST", f"/auctions/{second['id']}/results/approval")
    assert (a["status"], a["final_price"], a["winner_no"]) == ("closed", "900000.00", r["bid"]["participant_no"])
    [due] = payments_of(buyer, "winner")
    assert due["amount"] == "850000.00"
    buyer.ok("POST", f"/payments/{due['id']}/dev-pay")

    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert (got["status"], got["sale_price"], got["auction_count"]) == ("SOLD", "900000.00", 2)
    assert [(x["round"], x["status"]) for x in got["auctions"]] == [(1, "failed"), (2, "sold")]
    assert lot_path(bailiff, lot["id"]) == PATH_TO_AUCTION_1 + [
        ("RETENTION_1", "85.1"), ("FAILED_1", "85.2"), ("AUCTION_2", "79"), ("SOLD", "83")]
    [statement] = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"]
    [c] = collectors_of(bailiff, p["id"])
    assert statement["recovered"] == "900000.00"
    assert [(x["kind"], x["collector_id"], x["amount"]) for x in statement["lines"]] == [
        ("collector", c["id"], "900000.00")]
    m.tick()
    bal = m.balances()
    assert (deposit(bal, buyer), deposit(bal, other)) == ("0.00", "0.00")
    assert (bal["control"], bal[f"collector:{c['id']}"]) == ("0.00", "900000.00")
    assert_ledger_balances_to_zero(bal)


# ---- 3. nobody accepts down to the floor, a collector keeps the lot -------------------------------
def test_a_repeat_auction_nobody_accepts_fails_one_interval_after_the_floor_and_a_collector_keeps_the_lot(m):
    bailiff, p, lot, [keeper] = first_auction_failed_and_refused(m)
    second = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(second["id"]), m.bidder_admitted(second["id"])
    m.open_auction(second, [b1, b2])
    opened = utc(second["starts_at"]) + timedelta(seconds=1)
    # (1,000,000 - 500,000) / 50,000 = 10 drops of 2 minutes: the floor at 20 minutes, failure at 22
    assert utc(m.public.ok("GET", f"/auctions/{second['id']}")["ends_at"]) == opened + timedelta(minutes=22)

    m.clock.set(opened + timedelta(minutes=19, seconds=59))
    assert m.public.ok("GET", f"/auctions/{second['id']}/state")["price"] == "550000.00"
    m.clock.set(opened + timedelta(minutes=20))
    assert m.public.ok("GET", f"/auctions/{second['id']}/state")["price"] == "500000.00"
    m.clock.set(opened + timedelta(minutes=21, seconds=59))
    m.tick()
    state = m.public.ok("GET", f"/auctions/{second['id']}/state")
    assert (state["status"], state["price"]) == ("open", "500000.00")  # never below the floor

    m.clock.set(opened + timedelta(minutes=22))
    m.tick()
    a = m.public.ok("GET", f"/auctions/{second['id']}")
    assert (a["status"], a["failure_reason"], a["winner_no"]) == ("failed", "84.2", None)
    e = error(b1.post(f"/auctions/{second['id']}/acceptances", {"price": "500000.00", "client_id": "late"}), 409,
              "auction_closed")
    assert "failed" in e["message"]
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "RETENTION_2"
    assert got["deadlines"]["retention_ends_on"] == "2027-01-18"  # 5 working days from Monday 11 January

    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    assert lot_path(bailiff, lot["id"]) == PATH_TO_AUCTION_1 + [
        ("RETENTION_1", "85.1"), ("FAILED_1", "85.2"), ("AUCTION_2", "79"), ("RETENTION_2", "85.1"),
        ("RETAINED", "85.1")]
    assert [e["article"] for e in journaled(bailiff, lot["id"], "auction.failed")] == ["84.1", "84.2"]
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    [c] = collectors_of(bailiff, p["id"])
    assert (got["retained_by_collector_id"], got["sale_price"]) == (c["id"], VALUE)  # at the valuation, not the floor
    assert (c["paid"], c["outstanding"]) == (VALUE, "2000000.00")
    m.tick()
    bal = m.balances()
    assert (deposit(bal, b1), deposit(bal, b2)) == ("0.00", "0.00")
    assert_ledger_balances_to_zero(bal)


# ---- 4. the repeat auction fails and every collector refuses: enforcement on the lot ends ----------
def test_when_every_collector_refuses_after_the_repeat_auction_the_lot_is_withdrawn_and_never_auctioned_again(m):
    bailiff, p, lot, collectors = first_auction_failed_and_refused(m, collectors=2)
    second = m.announce(bailiff, lot["id"])
    only = m.bidder_admitted(second["id"])
    m.open_auction(second, [only])
    assert m.public.ok("GET", f"/auctions/{second['id']}")["failure_reason"] == "84.1"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_2"

    first_to_answer, last_to_answer = collectors
    first_to_answer.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_2"
    error(first_to_answer.post(f"/lots/{lot['id']}/retention", {"decision": "retain"}), 409, "duplicate", "85.1")
    last_to_answer.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})

    got = m.public.ok("GET", f"/lots/{lot['id']}")
    assert (got["status"], got["auction_count"], got["sale_price"]) == ("WITHDRAWN", 2, None)
    assert lot_path(bailiff, lot["id"])[-3:] == [("AUCTION_2", "79"), ("RETENTION_2", "85.1"), ("WITHDRAWN", "85.4")]
    assert len(journaled(bailiff, lot["id"], "retention.refuse")) == 4  # two collectors, two windows

    m.advance(days=30)
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 422,
              "no_third_auction", "85.4")
    assert "never auctioned more than twice" in e["message"]
    error(last_to_answer.post(f"/lots/{lot['id']}/retention", {"decision": "retain"}), 409, "invalid_state", "85.1")
    assert [x["round"] for x in m.public.ok("GET", f"/auctions?lot_id={lot['id']}")["items"]] == [1, 2]
    m.tick()
    bal = m.balances()
    assert deposit(bal, only) == "0.00"
    assert_ledger_balances_to_zero(bal)


# ---- 5. the debt is paid before the sale -------------------------------------------------------------
def test_when_the_debt_is_paid_the_lots_are_released_the_auction_cancelled_and_deposits_refunded(m):
    _, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(value=VALUE, proceeding={"collectors": [entry]})
    waiting = m.lot(bailiff, p["id"])  # arrested, not yet valued
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    unpaid = m.user("bidder")
    unpaid.ok("POST", f"/auctions/{auction['id']}/applications")
    bal = m.balances()
    assert (deposit(bal, b1), deposit(bal, b2)) == ("50000.00", "50000.00")

    m.advance(days=3)
    released = bailiff.ok("POST", f"/proceedings/{p['id']}/release", {"reason": "debt, fee and expenses paid"})
    assert released["status"] == "closed"
    assert [(c["claim"], c["outstanding"]) for c in released["collectors"]] == [("3000000.00", "0.00")]
    for lot_id in (lot["id"], waiting["id"]):
        assert m.public.ok("GET", f"/lots/{lot_id}")["status"] == "RELEASED"
        assert lot_path(bailiff, lot_id)[-1] == ("RELEASED", "47")
    a = m.public.ok("GET", f"/auctions/{auction['id']}")
    assert a["status"] == "cancelled"
    [cancelled] = journaled(bailiff, lot["id"], "auction.cancelled")
    assert cancelled["article"] == "47"
    [pending] = payments_of(unpaid, "deposit")
    assert pending["status"] == "cancelled"
    error(unpaid.post(f"/payments/{pending['id']}/dev-pay"), 409, "not_pending")
    error(m.user("bidder").post(f"/auctions/{auction['id']}/applications"), 409, "applications_closed", "80.1")
    error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 409, "invalid_state")

    m.tick()  # the sweeper pays the freed deposits back
    bal = m.balances()
    assert (deposit(bal, b1), deposit(bal, b2), deposit(bal, unpaid)) == ("0.00", "0.00", "0.00")
    assert {x["deposit_state"] for x in b1.ok("GET", "/me/applications")["items"]} == {"freed"}
    # opening time passes: nothing is opened for a cancelled auction
    m.clock.set(utc(auction["starts_at"]) + timedelta(minutes=1))
    assert m.tick() == {}
    assert m.public.ok("GET", f"/auctions/{auction['id']}")["status"] == "cancelled"
    assert_ledger_balances_to_zero(m.balances())


# ---- 6. bids are idempotent by client id -------------------------------------------------------------
def test_resending_a_bid_with_the_same_client_id_returns_the_first_answer_and_makes_no_second_bid(m):
    bailiff, p, lot = m.ordered_lot(value=VALUE)
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    url = f"/auctions/{auction['id']}/bids"

    first = b1.ok("POST", url, {"amount": "1050000.00", "client_id": "b1-0001"})
    m.advance(seconds=5)
    again = b1.ok("POST", url, {"amount": "1050000.00", "client_id": "b1-0001"})
    assert again["bid"] == first["bid"]
    assert (again["state"]["price"], again["state"]["seq"]) == ("1050000.00", first["state"]["seq"])
    # the same id with another amount is still the same bid, not a second one
    assert b1.ok("POST", url, {"amount": "1100000.00", "client_id": "b1-0001"})["bid"] == first["bid"]
    b2.ok("POST", url, {"amount": "1100000.00", "client_id": "b2-0001"})
    # a retry arriving after being outbid is answered, not refused as a stale price
    late_retry = b1.ok("POST", url, {"amount": "1050000.00", "client_id": "b1-0001"})
    assert late_retry["bid"] == first["bid"] and late_retry["state"]["price"] == "1100000.00"
    # another participant's id is not a retry of theirs: it is refused, not answered with their bid
    error(b2.post(url, {"amount": "1150000.00", "client_id": "b1-0001"}), 409, "client_id_taken")

    bids = m.public.ok("GET", f"/auctions/{auction['id']}/bids")["items"]
    assert [(b["amount"], b["participant_no"]) for b in bids] == [("1050000.00", 1), ("1100000.00", 2)]
    assert len(journaled(bailiff, lot["id"], "bid.accepted")) == 2

    m.advance(minutes=11)
    m.tick()
    a = m.public.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["final_price"], a["winner_no"]) == ("closed", "1100000.00", 2)
    after_close = b1.ok("POST", url, {"amount": "1050000.00", "client_id": "b1-0001"})
    assert after_close["bid"] == first["bid"]
    assert len(m.public.ok("GET", f"/auctions/{auction['id']}/bids")["items"]) == 2
