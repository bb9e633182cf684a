"""Issue 10, "the law decides", in the pure domain: the Art. 80.3 floor limits, the repeat auction's
two waits (Art. 85.2, 80.3), the Art. 44 item 8 suspension period and perishable goods (Art. 77.2)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from auction import calendar as cal
from auction.bidding import descending
from auction.errors import RuleViolation
from auction.lots.model import InventoryItem, Lot, Status

CAL = cal.WorkingCalendar()
TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc)


def make_lot(**kw) -> Lot:
    return Lot(proceeding_id=1, title="lot", description="", category=kw.pop("category", "movable"),
               debtor_is_entity=False, items=[InventoryItem("item", "used", Decimal("100.00"))], arrested_on=TODAY,
               ownership_established_on=None, calendar=CAL, **kw)


def failed_first_auction() -> Lot:
    lot = make_lot()
    lot.appoint_appraiser(appraiser_id=None, appraiser_iin="800101300011", basis="bailiff", today=TODAY)
    lot.file_report(value=Decimal("1000000.00"), report_no="R-1", report_date=TODAY, appraiser_id=None,
                    appraiser_iin=None, now=NOW, today=TODAY)
    lot.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    lot.auction_announced(round_no=1, auction_on=date(2026, 12, 14))
    lot.auction_failed(round_no=1, reason="84.1", auction_on=date(2026, 12, 14), calendar=CAL, today=date(2026, 12, 14))
    return lot


# ---- Art. 80.3 floors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("real_estate, setting, limit", [
    (False, Decimal(75), Decimal(50)),  # movable: the law's 50%, whatever the real-estate setting
    (True, Decimal(75), Decimal(75)),
    (True, Decimal(25), Decimal(25)),  # the operator's other reading of the real-estate floor
])
def test_the_floor_limit_is_the_laws_for_movables_and_the_operators_for_real_estate(real_estate, setting, limit):
    assert descending.floor_limit(real_estate=real_estate, real_estate_setting=setting) == limit
    descending.check_floor_percent(limit, real_estate=real_estate, real_estate_setting=setting)  # the limit itself
    descending.check_floor_percent(Decimal(100), real_estate=real_estate, real_estate_setting=setting)
    with pytest.raises(RuleViolation) as e:
        descending.check_floor_percent(limit - Decimal("0.01"), real_estate=real_estate, real_estate_setting=setting)
    assert (e.value.code, e.value.article) == ("floor_below_limit", "80.3")


def test_the_floor_refusal_gives_the_figures():
    with pytest.raises(RuleViolation) as e:
        descending.check_floor_percent(Decimal("40"), real_estate=False, real_estate_setting=Decimal(75))
    assert e.value.message == ("Art. 80.3: a floor of 40% of the valuation is below the 50% the law allows for "
                               "movable property")
    with pytest.raises(RuleViolation) as e:
        descending.check_floor_percent(Decimal("62.5"), real_estate=True, real_estate_setting=Decimal(75))
    assert "a floor of 62.5% of the valuation is below the 75% the operator's real-estate setting" in e.value.message


# ---- the repeat auction's two waits ----------------------------------------------------------------------
def test_no_repeat_auction_while_the_collectors_retention_window_is_open():
    lot = failed_first_auction()
    assert lot.status == Status.RETENTION_1
    with pytest.raises(RuleViolation) as e:
        lot.check_can_announce(today=date(2026, 12, 30), suspended=False)
    assert (e.value.code, e.value.article) == ("retention_open", "85.2")
    assert str(lot.retention_ends_on) in e.value.message


def test_the_repeat_auction_waits_10_working_days_from_the_first_citing_80_3():
    lot = failed_first_auction()
    lot.retention_refused()
    with pytest.raises(RuleViolation) as e:
        lot.check_can_announce(today=date(2026, 12, 29), suspended=False)
    assert (e.value.code, e.value.article) == ("too_early", "80.3")
    assert lot.check_can_announce(today=date(2026, 12, 30), suspended=False) == 2


# ---- Art. 44 item 8: the suspension at the collector's request ------------------------------------------
def make_proceeding():
    from auction.proceedings import Proceeding
    return Proceeding(number="EP-1", bailiff_id=1, bailiff_iin="800101300011", private_bailiff=False,
                      debtor_name="D", debtor_iin_bin="800101300022", debtor_is_entity=False, debtor_user_id=None,
                      judge_iin=None, pledgee_bin=None, fines=Decimal(0), expenses=Decimal(0),
                      created_at=NOW)


@pytest.mark.parametrize("application_on, mediation, ends_on", [
    (date(2026, 12, 1), False, date(2026, 12, 11)),  # the period starts the next day: its 10th day
    (date(2026, 12, 25), False, date(2027, 1, 4)),  # calendar days: weekends and holidays count
    (date(2026, 12, 1), True, date(2026, 12, 31)),
])
def test_the_collector_request_suspension_ends_10_or_30_calendar_days_after_the_application(
        application_on, mediation, ends_on):
    assert cal.collector_request_suspension_ends_on(application_on, mediation) == ends_on


def test_a_suspension_at_the_collectors_request_stores_its_end_and_is_over_the_day_after():
    p = make_proceeding()
    p.suspend(reason="asked", at_collector_request=True, bankruptcy=False, application_on=None,
              mediation_agreement=False, today=TODAY)
    assert (p.collector_application_on, p.suspension_ends_on) == (TODAY, date(2026, 12, 11))
    assert not p.suspension_over(date(2026, 12, 11)) and p.suspension_over(date(2026, 12, 12))
    p.resume()
    assert (p.status, p.suspension_ends_on, p.collector_application_on) == ("active", None, None)


@pytest.mark.parametrize("kw, code", [
    (dict(at_collector_request=True, application_on=date(2026, 12, 2), mediation_agreement=False), "bad_date"),
    (dict(at_collector_request=True, application_on=date(2026, 11, 20), mediation_agreement=False), "expired"),
    (dict(at_collector_request=False, application_on=date(2026, 11, 30), mediation_agreement=False),
     "collector_request_only"),
])
def test_a_suspension_period_the_law_does_not_allow_is_refused_citing_44(kw, code):
    p = make_proceeding()
    with pytest.raises(RuleViolation) as e:
        p.suspend(reason="asked", bankruptcy=False, today=TODAY, **kw)
    assert (e.value.code, e.value.article, p.status) == (code, "44", "active")


def test_other_suspensions_have_no_period_of_their_own():
    p = make_proceeding()
    p.suspend(reason="court", at_collector_request=False, bankruptcy=False, application_on=None,
              mediation_agreement=False, today=TODAY)
    assert p.suspension_ends_on is None and not p.suspension_over(date(2030, 1, 1))


# ---- Art. 77.2: perishable goods ----------------------------------------------------------------------------
def test_a_perishable_lot_goes_to_commission_sale_and_refuses_every_step_towards_an_auction():
    lot = make_lot(perishable=True)
    lot.send_to_commission_sale(today=TODAY)
    assert lot.status == Status.COMMISSION_SALE
    assert [(e.kind, e.article, e.payload["to"]) for e in lot.events] == [("lot.status", "77.2", "COMMISSION_SALE")]
    steps = [
        lambda: lot.appoint_appraiser(appraiser_id=None, appraiser_iin="800101300011", basis="bailiff", today=TODAY),
        lambda: lot.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None),
        lambda: lot.apply_self_sale(today=TODAY, proceeding_used=False, price=None),
        lambda: lot.check_can_announce(today=TODAY, suspended=False),
    ]
    for step in steps:
        with pytest.raises(RuleViolation) as e:
            step()
        assert (e.value.code, e.value.article) == ("perishable", "77.2")
    assert lot.status == Status.COMMISSION_SALE


def test_only_perishable_goods_go_to_commission_sale_and_real_estate_is_never_perishable():
    with pytest.raises(RuleViolation) as e:
        make_lot().send_to_commission_sale(today=TODAY)
    assert e.value.article == "77.2"
    with pytest.raises(RuleViolation) as e:
        make_lot(perishable=True, category="dwelling")
    assert (e.value.code, e.value.article) == ("bad_category", "77.2")
