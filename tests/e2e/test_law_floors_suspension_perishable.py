"""Issue 10, "the law decides": the Art. 80.3 floors are limits, the repeat auction waits for the
collectors' refusal (Art. 85.2) and for 10 working days (Art. 80.3); a suspension at the collector's
request leaves announced and running auctions alone (Art. 42, last part) and ends by itself after
10 or 30 calendar days (Art. 44 item 8); perishable goods go to commission sale straight from the
arrest (Art. 77.2). Over HTTP and the sweeper, on SQLite and PostgreSQL; every refusal names its
rule and changes nothing.

The clock starts on Tuesday 1 December 2026, 09:00 Almaty (see test_scenario_auction_paths.py for
the dates of the first auction, its retention window and the repeat auction).
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from ..helpers import error
from .test_api_contract import assert_unchanged, snapshot
from .test_console_pages import log_in, post
from .test_pages import text
from .test_scenario_auction_paths import (
    REPEAT_AUCTION_FROM,
    RETENTION_1_ENDS_ON,
    SECOND_AUCTION_AT,
    at,
    collector,
    first_auction_failed_and_refused,
    lot_path,
)


def schedule(bailiff, lot_id: int, **extra):
    return bailiff.post(f"/lots/{lot_id}/auctions", {"starts_at": SECOND_AUCTION_AT, **extra})


# ---- (4) the Art. 80.3 floors are limits ---------------------------------------------------------------
def test_a_repeat_auction_below_half_the_valuation_of_movable_property_is_refused_and_nothing_changes(m):
    bailiff, p, lot, _ = first_auction_failed_and_refused(m)
    before = snapshot(m)
    e = error(schedule(bailiff, lot["id"], floor_percent="40"), 422, "floor_below_limit", "80.3")
    assert e["message"] == ("Art. 80.3: a floor of 40% of the valuation is below the 50% the law allows for "
                            "movable property")
    error(schedule(bailiff, lot["id"], floor_percent="49.99"), 422, "floor_below_limit", "80.3")
    assert_unchanged(m, before)
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "FAILED_1"

    second = schedule(bailiff, lot["id"], floor_percent="50").get_json()
    assert (second["round"], second["floor"]) == (2, "500000.00")


def test_a_bailiff_may_choose_a_floor_above_the_limit_and_the_operator_default_is_not_the_limit(m):
    m.operator.ok("PUT", "/settings", {"floor_percent_movable": "60", "reason": "ministry letter No 12"})
    bailiff, p, lot, _ = first_auction_failed_and_refused(m)
    second = schedule(bailiff, lot["id"], floor_percent="55").get_json()  # below the setting, above the law's 50%
    assert second["floor"] == "550000.00"
    bailiff.ok("POST", f"/auctions/{second['id']}/cancellation", {"reason": "court order"})
    again = schedule(bailiff, lot["id"]).get_json()  # nothing given: the operator's default
    assert again["floor"] == "600000.00"


def test_real_estate_cannot_go_below_the_operators_real_estate_setting(m):
    bailiff, p, lot, _ = first_auction_failed_and_refused(m, category="real_estate")
    before = snapshot(m)
    e = error(schedule(bailiff, lot["id"], floor_percent="60"), 422, "floor_below_limit", "80.3")
    assert "a floor of 60% of the valuation is below the 75% the operator's real-estate setting allows" in e["message"]
    assert_unchanged(m, before)
    m.operator.ok("PUT", "/settings", {"floor_percent_real_estate": "25", "reason": "the literal reading"})
    second = schedule(bailiff, lot["id"], floor_percent="60").get_json()
    assert second["floor"] == "600000.00"


def test_a_floor_given_for_the_first_auction_is_refused_since_it_only_rises(m):
    bailiff, p, lot = m.ordered_lot()
    before = snapshot(m)
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12), "floor_percent": "50"}),
              422, "floor_in_first_auction", "80.3")
    assert "the first auction has no floor" in e["message"]
    assert_unchanged(m, before)
    first = m.announce(bailiff, lot["id"])
    assert (first["round"], first["floor"]) == (1, None)


def test_the_repeat_auction_waits_for_the_collectors_retention_window_citing_85_2(m):
    keeper, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(proceeding={"collectors": [entry]})
    m.open_auction(m.announce(bailiff, lot["id"]), [])
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    m.clock.set(at(RETENTION_1_ENDS_ON, 17))
    before = snapshot(m)
    e = error(schedule(bailiff, lot["id"]), 422, "retention_open", "85.2")
    assert RETENTION_1_ENDS_ON.isoformat() in e["message"] and "every collector has refused" in e["message"]
    assert_unchanged(m, before)
    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})
    m.clock.set(at(REPEAT_AUCTION_FROM - timedelta(days=1)))
    error(schedule(bailiff, lot["id"]), 422, "too_early", "80.3")  # Art. 80.3, third part
    m.clock.set(at(REPEAT_AUCTION_FROM))
    assert schedule(bailiff, lot["id"]).get_json()["round"] == 2


def test_the_console_shows_the_floor_limit_and_refuses_a_floor_below_it(client, m):
    bailiff, p, lot, _ = first_auction_failed_and_refused(m)
    log_in(client, bailiff)
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Floor, % of the valuation (empty: 50%; never below 50%, Art. 80.3)" in shown
    assert "after 10 working days from the first (Art. 80.3)" in shown
    before = snapshot(m)
    post(client, f"/console/lots/{lot['id']}", action="schedule", day="2027-01-11", time="11:00", floor_percent="45")
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Art. 80.3: a floor of 45% of the valuation is below the 50% the law allows for movable property" in shown
    assert_unchanged(m, before)
    post(client, f"/console/lots/{lot['id']}", action="schedule", day="2027-01-11", time="11:00", floor_percent="70")
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "AUCTION_2"
    assert m.public.ok("GET", f"/auctions/{view['auctions'][-1]['id']}")["floor"] == "700000.00"


def test_the_console_says_the_real_estate_floor_is_the_operators_reading(client, m):
    bailiff, p, lot, _ = first_auction_failed_and_refused(m, category="real_estate")
    log_in(client, bailiff)
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "never below 75%, Art. 80.3" in shown and "an interpretation that the operator may correct" in shown
    assert lot_path(bailiff, lot["id"])[-1] == ("FAILED_1", "85.2")


# ---- (8) a suspension at the collector's request (Art. 42 item 12, last part; Art. 44 item 8) ---------------
def proceeding_journal(m, kind: str) -> list[tuple[str | None, dict]]:
    """(article, payload) of the proceeding-level journal entries of one kind (they belong to no lot)."""
    from sqlalchemy import select

    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(m.app) as uow:
        rows = uow.session.execute(select(JournalEntry).where(JournalEntry.kind == kind)
                                   .order_by(JournalEntry.seq)).scalars().all()
        return [(e.article, e.payload) for e in rows]


def suspend(bailiff, pid: int, **extra):
    return bailiff.post(f"/proceedings/{pid}/suspension", {"reason": "the collector asks", "at_collector_request": True,
                                                           **extra})


@pytest.mark.parametrize("stage", ["announced", "open", "closed"])
def test_an_auction_announced_or_running_goes_on_through_a_suspension_at_the_collectors_request_and_sells(m, stage):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    waiting = m.lot(bailiff, p["id"])  # a lot with no auction: it is suspended
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    if stage == "announced":
        assert suspend(bailiff, p["id"], mediation_agreement=True).status_code == 200  # until 31 December
    m.open_auction(auction, [b1, b2])
    if stage == "open":
        assert suspend(bailiff, p["id"], mediation_agreement=True).status_code == 200  # until 31 December
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "x1"})
    m.advance(minutes=11)
    m.tick()
    assert m.public.ok("GET", f"/auctions/{auction['id']}")["status"] == "closed"
    if stage == "closed":
        assert suspend(bailiff, p["id"], mediation_agreement=True).status_code == 200  # until 31 December
    view = bailiff.ok("GET", f"/proceedings/{p['id']}")
    assert view["status"] == "suspended" and view["suspension"]["at_collector_request"] is True
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "AUCTION_1"  # not suspended while its auction runs
    assert bailiff.ok("GET", f"/lots/{waiting['id']}")["status"] == "SUSPENDED"
    [(article, payload)] = proceeding_journal(m, "proceeding.suspended")
    assert article == "42" and payload["auctions_going_on"] == [auction["id"]]

    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    pay = [x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"][0]
    b1.ok("POST", f"/payments/{pay['id']}/dev-pay")
    assert m.public.ok("GET", f"/auctions/{auction['id']}")["status"] == "sold"
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert (got["status"], got["sale_price"]) == ("SOLD", "1050000.00")  # the result stands
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["status"] == "suspended"


def test_any_other_suspension_still_cancels_a_running_auction(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    bailiff.ok("POST", f"/proceedings/{p['id']}/suspension", {"reason": "court order"})
    assert m.public.ok("GET", f"/auctions/{auction['id']}")["status"] == "cancelled"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SUSPENDED"
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["suspension_ends_on"] is None  # no Art. 44 item 8 period


def test_a_first_auction_failing_during_the_suspension_opens_the_retention_window_and_the_period_ends_by_itself(m):
    keeper, entry = collector(m)
    bailiff, p, lot = m.ordered_lot(proceeding={"collectors": [entry]})
    auction = m.announce(bailiff, lot["id"])  # Mon 14 December, 11:00
    m.clock.set(at(RETENTION_1_ENDS_ON - timedelta(days=12)))  # Thu 10 December
    view = suspend(bailiff, p["id"]).get_json()
    assert view["suspension_ends_on"] == "2026-12-20"  # 10 calendar days from the application (Art. 44 item 8)
    assert view["suspension"] == {"at_collector_request": True, "application_on": "2026-12-10",
                                  "mediation_agreement": False, "ends_on": "2026-12-20"}
    m.open_auction(auction, [])  # no application: failed (Art. 84.1)
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "RETENTION_1" and got["deadlines"]["retention_ends_on"] == RETENTION_1_ENDS_ON.isoformat()

    m.clock.set(at(RETENTION_1_ENDS_ON - timedelta(days=2), 23, 30))  # Sun 20 December, the period's last day
    assert m.tick().get("proceedings_resumed") is None
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["status"] == "suspended"
    m.clock.set(at(RETENTION_1_ENDS_ON - timedelta(days=1)))  # Mon 21 December
    assert m.tick()["proceedings_resumed"] == 1
    assert m.tick().get("proceedings_resumed") is None  # once
    view = bailiff.ok("GET", f"/proceedings/{p['id']}")
    assert (view["status"], view["suspension_ends_on"]) == ("active", None)
    [(article, payload)] = proceeding_journal(m, "proceeding.resumed")
    assert article == "44" and payload["suspension_ended_on"] == "2026-12-20"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"  # the window runs on
    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETAINED"


def test_a_mediation_agreement_gives_30_days_and_the_bailiff_may_resume_before(m):
    bailiff, p, lot = m.ordered_lot()
    m.clock.set(at(RETENTION_1_ENDS_ON))  # Tue 22 December
    view = suspend(bailiff, p["id"], application_on="2026-12-18", mediation_agreement=True).get_json()
    assert view["suspension_ends_on"] == "2027-01-17"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SUSPENDED"
    m.clock.set(at(REPEAT_AUCTION_FROM))
    assert m.tick().get("proceedings_resumed") is None
    view = bailiff.ok("POST", f"/proceedings/{p['id']}/resumption")
    assert (view["status"], view["suspension_ends_on"]) == ("active", None)
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    assert [a for a, _ in proceeding_journal(m, "proceeding.resumed")] == ["42"]


@pytest.mark.parametrize("body, code, words", [
    ({"application_on": "2026-12-02"}, "bad_date", "cannot be dated in the future"),
    ({"application_on": "2026-11-20"}, "expired", "it would have ended on 2026-11-30"),
    ({"application_on": "2026-10-31", "mediation_agreement": True}, "expired", "at most 30 calendar days"),
    ({"at_collector_request": False, "mediation_agreement": True}, "collector_request_only", "belong to"),
])
def test_a_suspension_period_the_law_does_not_allow_is_refused_and_nothing_changes(m, body, code, words):
    bailiff, p, lot = m.ordered_lot()
    before = snapshot(m)
    e = error(suspend(bailiff, p["id"], **body), 422, code, "44")
    assert words in e["message"]
    assert_unchanged(m, before)
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["status"] == "active"


def test_the_console_suspends_at_the_collectors_request_and_shows_the_end_of_the_period(client, m):
    bailiff, p, lot = m.ordered_lot()
    log_in(client, bailiff)
    post(client, f"/console/proceedings/{p['id']}", action="suspend", reason="the collector asks",
         at_collector_request="on", application_on="2026-11-25", mediation_agreement="on")
    shown = text(client.get(f"/console/proceedings/{p['id']}?lang=en"))
    assert "Proceeding suspended (Art. 42)" in shown
    assert "At the collector's request of Nov 25, 2026: resumed after Dec 25, 2026 at the latest (Art. 44)." in shown
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["suspension_ends_on"] == "2026-12-25"


def test_an_auction_that_went_on_through_the_suspension_and_is_cancelled_leaves_its_lot_suspended(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    suspend(bailiff, p["id"])
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "AUCTION_1"
    bailiff.ok("POST", f"/auctions/{auction['id']}/cancellation", {"reason": "court order"})
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SUSPENDED"
    bailiff.ok("POST", f"/proceedings/{p['id']}/resumption")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"


# ---- (9) perishable goods go to commission sale straight from the arrest (Art. 77.2) ------------------------
def test_a_perishable_lot_goes_to_commission_sale_when_it_is_recorded_without_a_valuation(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], title="Two tonnes of apples", perishable=True)
    assert (lot["status"], lot["valuation"]) == ("COMMISSION_SALE", None)
    assert lot["realization_ordered_on"] == "2026-12-01"  # handed over the day it was arrested
    assert lot_path(bailiff, lot["id"]) == [("COMMISSION_SALE", "77.2")]
    # a commission sale does not hold back the later queues (Art. 72): it is the lot's realization
    later = m.lot(bailiff, p["id"], category="vehicle")  # queue 2
    m.value(bailiff, later["id"])
    assert bailiff.ok("POST", f"/lots/{later['id']}/realization-order", {})["status"] == "REALIZATION_ORDERED"


def test_valuation_realization_self_sale_and_auction_of_a_perishable_lot_are_refused_citing_77_2(m):
    debtor, appraiser = m.user("debtor"), m.user("appraiser")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor)
    lot = m.lot(bailiff, p["id"], perishable=True)
    before, view = snapshot(m), bailiff.ok("GET", f"/lots/{lot['id']}")
    refused = [
        bailiff.post(f"/lots/{lot['id']}/valuation/appointment", {"appraiser": appraiser.id}),
        bailiff.post(f"/lots/{lot['id']}/valuation/report",
                     {"value": "400000.00", "report_no": "R-1", "report_date": "2026-12-01"}),
        debtor.post(f"/lots/{lot['id']}/valuation/agreement", {"value": "400000.00"}),
        bailiff.post(f"/lots/{lot['id']}/realization-order", {}),
        debtor.post(f"/lots/{lot['id']}/self-sale"),
        bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}),
    ]
    for r in refused:
        e = error(r, 422, "perishable", "77.2")
        assert "commission sale" in e["message"]
    assert_unchanged(m, before)
    assert bailiff.ok("GET", f"/lots/{lot['id']}") == view
    assert m.public.ok("GET", f"/auctions?lot_id={lot['id']}")["total"] == 0


def test_real_estate_cannot_be_recorded_as_perishable(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    before = snapshot(m)
    body = {"title": "Flat", "category": "real_estate", "perishable": True,
            "items": [{"name": "flat", "price": "20000000.00"}]}
    error(bailiff.post(f"/proceedings/{p['id']}/lots", body), 422, "bad_category", "77.2")
    assert_unchanged(m, before)


def test_the_console_records_a_perishable_lot_and_says_where_it_went(client, m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    log_in(client, bailiff)
    r = post(client, f"/console/proceedings/{p['id']}", title="Fresh fish", category="movable",
             perishable="on", item1_name="fish", item1_quantity="1", item1_price="300000.00")
    assert r.status_code == 302
    [lot] = bailiff.ok("GET", f"/lots?proceeding_id={p['id']}")["items"]
    assert lot["status"] == "COMMISSION_SALE" and lot["perishable"] is True
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "handed at once to a trading entity under a commission contract (Art. 77.2)" in shown
    assert "Announce the auction" not in shown
