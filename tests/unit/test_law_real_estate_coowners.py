from datetime import date
from decimal import Decimal

import pytest

from auction import calendar as cal
from auction.errors import RuleViolation
from auction.lots.coowners import CoOwner, preemption_ends_on
from auction.lots.model import InventoryItem, Lot
from auction.lots.property import exclusion, real_estate_title

TODAY = date(2026, 12, 1)
TITLE = real_estate_title({"cadastral_number": "1", "address": "Astana", "area": "50", "title_reg_no": "R",
                           "title_reg_date": date(2020, 1, 1)})


def make(category="movable", items=None, **kw):
    return Lot(proceeding_id=1, title="t", description="", category=category, debtor_is_entity=False,
               items=items if items is not None else [InventoryItem("i", "", Decimal("1.00"))], arrested_on=TODAY,
               ownership_established_on=None, calendar=cal.WorkingCalendar(), **kw)


def test_real_estate_with_items_is_refused_citing_63_2():
    with pytest.raises(RuleViolation) as e:
        make("dwelling", real_estate=TITLE)
    assert (e.value.code, e.value.article) == ("real_estate_items", "63.2")
    assert make("dwelling", items=[], real_estate=TITLE).area == Decimal("50.00")


def test_exclusion_of_real_estate_or_without_a_conclusion_is_refused_citing_66_4():
    with pytest.raises(RuleViolation) as e:
        exclusion({}, real_estate=True, today=TODAY)
    assert e.value.code == "not_movable"
    with pytest.raises(RuleViolation) as e:
        exclusion({"reason": "unsaleable"}, real_estate=False, today=TODAY)
    assert (e.value.code, e.value.article) == ("specialist_conclusion_required", "66.4")


def test_the_latest_co_owners_period_decides_a_month_for_real_estate():
    cs = [CoOwner("A", "1", date(2026, 12, 1)), CoOwner("B", "2", date(2026, 12, 5))]
    assert preemption_ends_on(cs, real_estate=True, notifiable=True, inventoried_on=TODAY,
                              unreachable_days=30) == date(2027, 1, 5)
    assert preemption_ends_on(cs, real_estate=False, notifiable=True, inventoried_on=TODAY,
                              unreachable_days=30) == date(2026, 12, 15)
    assert preemption_ends_on([], real_estate=False, notifiable=False, inventoried_on=TODAY,
                              unreachable_days=30) == date(2026, 12, 31)
