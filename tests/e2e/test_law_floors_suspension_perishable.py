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

from ..helpers import error
from .test_api_contract import assert_unchanged, snapshot
from .test_console_pages import log_in, post
from .test_pages import text
from .test_scenario_auction_paths import (REPEAT_AUCTION_FROM, RETENTION_1_ENDS_ON, SECOND_AUCTION_AT, at, collector,
                                          first_auction_failed_and_refused, lot_path)


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
