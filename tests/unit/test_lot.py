"""The lot's lifecycle in the pure domain, no database: from the arrest to each way it ends, each
step recording the article that allowed it, each refused step naming the article that forbids it."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from auction import calendar as cal
from auction.errors import InvalidTransition, RuleViolation
from auction.lots.model import InventoryItem, Lot, Status
from auction.lots.property import Exclusion

CAL = cal.WorkingCalendar()
TODAY = date(2026, 11, 2)  # a Monday
NOW = datetime(2026, 11, 2, 5, 0, tzinfo=timezone.utc)


def valued(category="vehicle", value="4800000.00") -> Lot:
    x = Lot(proceeding_id=1, title="Toyota Camry 2018", description="", category=category, debtor_is_entity=False,
            items=[InventoryItem("car", "VIN X", Decimal("5000000.00"))], arrested_on=TODAY,
            ownership_established_on=None, calendar=CAL)
    x.appoint_appraiser(appraiser_id=7, appraiser_iin=None, basis="bailiff", today=TODAY)
    x.file_report(value=Decimal(value), report_no="OC-1", report_date=TODAY, appraiser_id=7, appraiser_iin=None,
                  now=NOW, today=TODAY)
    return x


def at_first_auction() -> Lot:
    x = valued()
    x.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    assert x.check_can_announce(today=TODAY, suspended=False) == 1
    x.auction_announced(round_no=1, auction_on=date(2026, 11, 16))
    return x


def moves(x: Lot) -> list[tuple[str, str]]:
    return [(e.payload["to"], e.article) for e in x.events if e.kind == "lot.status"]


def test_the_ascending_auction_sells_the_lot():
    x = at_first_auction()
    x.auction_sold(price=Decimal("5040000.00"), today=date(2026, 11, 16))
    assert (x.status, x.sale_price, x.realized_on) == (Status.SOLD, Decimal("5040000.00"), date(2026, 11, 16))
    assert moves(x) == [("VALUATION", "68.1"), ("VALUED", "68"), ("REALIZATION_ORDERED", "77.1"),
                        ("AUCTION_1", "79"), ("SOLD", "83")]


def test_a_failed_first_auction_opens_the_retention_window_then_the_repeat_auction_after_10_working_days():
    x = at_first_auction()
    x.auction_failed(round_no=1, reason="84.1", auction_on=date(2026, 11, 16), calendar=CAL, today=date(2026, 11, 16))
    # 5 working days to apply (Art. 85.1): 17–20 Nov and Monday 23 Nov.
    assert (x.status, x.retention_ends_on) == (Status.RETENTION_1, date(2026, 11, 23))
    with pytest.raises(RuleViolation) as e:
        x.check_can_announce(today=date(2026, 11, 20), suspended=False)
    assert (e.value.code, e.value.article) == ("retention_open", "85.2")
    x.retention_refused()
    # Art. 80.3: after 10 working days from the first auction: 17–20, 23–27, 30 Nov (10th) → from 1 December.
    assert (x.status, x.repeat_auction_from) == (Status.FAILED_1, date(2026, 12, 1))
    with pytest.raises(RuleViolation) as e:
        x.check_can_announce(today=date(2026, 11, 30), suspended=False)
    assert (e.value.code, e.value.article) == ("too_early", "80.3")
    assert x.check_can_announce(today=date(2026, 12, 1), suspended=False) == 2
    x.auction_announced(round_no=2, auction_on=date(2026, 12, 14))
    assert x.status == Status.AUCTION_2


def test_after_two_failed_auctions_and_no_collector_keeping_it_the_lot_is_withdrawn_and_never_auctioned_again():
    x = at_first_auction()
    x.auction_failed(round_no=1, reason="84.1", auction_on=date(2026, 11, 16), calendar=CAL, today=date(2026, 11, 16))
    x.retention_refused()
    x.auction_announced(round_no=2, auction_on=date(2026, 12, 14))
    x.auction_failed(round_no=2, reason="84.1", auction_on=date(2026, 12, 14), calendar=CAL, today=date(2026, 12, 14))
    x.retention_refused()
    assert (x.status, moves(x)[-1]) == (Status.WITHDRAWN, ("WITHDRAWN", "85.4"))
    with pytest.raises(RuleViolation) as e:
        x.check_can_announce(today=date(2027, 1, 11), suspended=False)
    assert (e.value.code, e.value.article) == ("no_third_auction", "85.4")
    with pytest.raises(InvalidTransition) as e:
        x.suspend(reason="writ recalled")
    assert e.value.article == "85.4"  # the refusal names the article that ended the lot


def test_a_collector_keeps_the_lot_at_its_valuation():
    x = at_first_auction()
    x.auction_failed(round_no=1, reason="84.1", auction_on=date(2026, 11, 16), calendar=CAL, today=date(2026, 11, 16))
    x.retained(collector_id=3, today=date(2026, 11, 18))
    assert (x.status, x.sale_price, x.retained_by_collector_id) == (Status.RETAINED, Decimal("4800000.00"), 3)
    with pytest.raises(InvalidTransition) as e:
        x.retention_refused()
    assert (e.value.code, e.value.article) == ("invalid_state", "85.1")


def test_a_suspended_lot_returns_where_it_was_and_a_live_auction_is_announced_again():
    x = at_first_auction()
    x.suspend(reason="court ruling", article="41")
    assert x.status == Status.SUSPENDED
    with pytest.raises(RuleViolation) as e:
        x.check_can_announce(today=TODAY, suspended=True)
    assert (e.value.code, e.value.article) == ("suspended", "42")
    x.resume()
    assert x.status == Status.REALIZATION_ORDERED  # the auction the suspension cancelled is announced again
    y = valued()
    y.suspend(reason="debtor's appeal")
    y.resume()
    assert y.status == Status.VALUED


def test_the_debt_paid_before_the_sale_releases_the_lot_and_nothing_more_can_be_done():
    x = valued()
    x.release(reason="debt, fee and expenses paid")
    assert moves(x)[-1] == ("RELEASED", "47")
    with pytest.raises(InvalidTransition) as e:
        x.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    assert e.value.article == "47"


def test_a_lot_found_not_realizable_refuses_the_realization_order_citing_77_3():
    x = valued()
    x.declare_not_realizable(reason="specialist: no value, illiquid")
    with pytest.raises(InvalidTransition) as e:
        x.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    assert (e.value.article, x.status) == ("77.3", Status.NOT_REALIZABLE)


def test_movable_property_excluded_on_a_specialists_conclusion_refuses_further_steps_citing_66_4():
    x = valued()
    x.withdraw(exclusion=Exclusion(reason="unsaleable", conclusion_no="SP-4", conclusion_date=TODAY,
                                   specialist="Expert LLP"))
    assert moves(x)[-1] == ("WITHDRAWN", "66.4")
    with pytest.raises(InvalidTransition) as e:
        x.open_dispute()
    assert e.value.article == "66.4"


def test_a_later_queue_waits_for_an_earlier_one_unless_a_ground_of_72_4_holds():
    x = valued()  # a vehicle: queue 2 of Art. 72.1 for an individual
    with pytest.raises(RuleViolation) as e:
        x.order_realization(today=TODAY, earlier_unrealized=[11], override_ground=None, override_reason=None)
    assert (e.value.code, e.value.article, x.status) == ("priority_order", "72.1", Status.VALUED)
    with pytest.raises(RuleViolation) as e:
        x.order_realization(today=TODAY, earlier_unrealized=[11], override_ground="pledged",
                            override_reason="pledged to the bank")
    assert (e.value.code, e.value.article) == ("override_ground_false", "72.4")  # not recorded as pledged
    x.order_realization(today=TODAY, earlier_unrealized=[11], override_ground="time_limits",
                        override_reason="the jewellery lot's sale takes months; the writ's two-month term runs out")
    assert (x.status, x.priority_override_ground) == (Status.REALIZATION_ORDERED, "time_limits")
    assert x.events[-1].payload["override_article"] == "72.4"
