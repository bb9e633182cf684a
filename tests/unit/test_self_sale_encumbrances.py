"""Art. 74.2 in the domain, without a database: the self-sale applied for and granted (or refused
on a ground of the law), the window from the grant, and the encumbrances it lifts or keeps."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from auction.calendar import WorkingCalendar
from auction.errors import InvalidTransition, RuleViolation
from auction.lots.model import InventoryItem, Lot, Status
from auction.lots.property import real_estate_title

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 4, tzinfo=timezone.utc)
CAL = WorkingCalendar()


def valued_lot(category="vehicle") -> Lot:
    real_estate = category in ("real_estate", "dwelling")  # Art. 63.2: by its title, not an inventory
    lot = Lot(proceeding_id=1, title="lot", description="", category=category, debtor_is_entity=False,
              items=[] if real_estate else [InventoryItem("item", "used", Decimal("100.00"))], arrested_on=TODAY,
              ownership_established_on=None, calendar=CAL,
              real_estate=real_estate_title({"cadastral_number": "1", "address": "Astana", "area": "50",
                                             "title_reg_no": "R", "title_reg_date": date(2020, 1, 1)})
              if real_estate else None)
    lot.appoint_appraiser(appraiser_id=None, appraiser_iin="800101300011", basis="bailiff", today=TODAY)
    lot.file_report(value=Decimal("1000000.00"), report_no="R-1", report_date=TODAY, appraiser_id=None,
                    appraiser_iin=None, now=NOW, today=TODAY)
    lot.events = []
    return lot


def test_the_window_opens_at_the_grant_not_at_the_application():
    lot = valued_lot()
    lot.apply_self_sale(today=TODAY, proceeding_used=False, price=Decimal("750000.00"))
    assert lot.self_sale_application == "applied" and lot.self_sale_status is None
    lot.grant_self_sale(today=date(2026, 12, 10), proceeding_used=False)
    assert lot.self_sale_status == "open" and lot.self_sale_ends_on == date(2027, 1, 10)
    assert [(e.kind, e.article) for e in lot.events] == [("self_sale.applied", "74.2"), ("self_sale.opened", "74.2")]


def test_a_grant_needs_an_application_and_an_unused_right():
    lot = valued_lot()
    with pytest.raises(InvalidTransition) as e:
        lot.grant_self_sale(today=TODAY, proceeding_used=False)
    assert e.value.code == "no_self_sale_application"
    lot.apply_self_sale(today=TODAY, proceeding_used=False, price=None)
    with pytest.raises(RuleViolation) as e:
        lot.grant_self_sale(today=TODAY, proceeding_used=True)
    assert (e.value.code, e.value.article) == ("self_sale_used", "74.2")
    assert lot.self_sale_application == "applied"


def test_a_refusal_must_name_a_ground_that_holds():
    lot = valued_lot()
    lot.apply_self_sale(today=TODAY, proceeding_used=False, price=None)
    for ground, reason, code in (("dislike", "x", "bad_refusal_ground"), ("right_used", "", "refusal_reason_required"),
                                 ("report_too_old", "x", "refusal_ground_false")):
        with pytest.raises(RuleViolation) as e:
            lot.refuse_self_sale(today=TODAY, ground=ground, reason=reason, proceeding_used=False)
        assert e.value.code == code
    lot.refuse_self_sale(today=date(2027, 12, 2), ground="report_too_old", reason="old", proceeding_used=False)
    assert lot.self_sale_application == "refused"


def test_a_dwelling_at_an_open_auction_waits_and_other_lots_are_granted_at_auction():
    dwelling = valued_lot("dwelling")
    dwelling.apply_self_sale(today=TODAY, proceeding_used=False, price=None)
    with pytest.raises(RuleViolation) as e:
        dwelling.grant_self_sale(today=TODAY, proceeding_used=False, auction_live=True)
    assert e.value.code == "dwelling_at_auction"
    car = valued_lot()
    car.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    car.auction_announced(round_no=1, auction_on=date(2026, 12, 14))
    car.apply_self_sale(today=TODAY, proceeding_used=False, price=None)
    car.grant_self_sale(today=TODAY, proceeding_used=False, auction_live=True)
    assert car.status == Status.AUCTION_1 and car.self_sale_status == "open"


def test_completion_lifts_the_writs_encumbrances_and_keeps_the_courts_security():
    lot = valued_lot()
    for basis, no, own in (("writ", "W-1", True), ("writ", "W-2", False), ("court_security", "CS-1", False)):
        lot.record_encumbrance(basis=basis, document_no=no, document_date=TODAY, issuer="court", this_proceeding=own,
                               today=TODAY)
    with pytest.raises(RuleViolation) as e:
        lot.record_encumbrance(basis="court_security", document_no="C", document_date=TODAY, issuer="court",
                               this_proceeding=True, today=TODAY)
    assert e.value.code == "bad_encumbrance_basis"
    lot.apply_self_sale(today=TODAY, proceeding_used=False, price=None)
    lot.grant_self_sale(today=TODAY, proceeding_used=False)
    lot.record_self_sale_contract(today=TODAY, price=Decimal("800000.00"), buyer="B")
    lot.complete_self_sale(today=date(2026, 12, 5))
    assert lot.status == Status.SOLD_BY_DEBTOR
    assert [(e.document_no, e.lifted_on) for e in lot.encumbrances] == [
        ("W-1", date(2026, 12, 5)), ("W-2", date(2026, 12, 5)), ("CS-1", None)]
    kinds = [e.kind for e in lot.events if e.kind.startswith("encumbrance.")]
    assert kinds == ["encumbrance.recorded"] * 3 + ["encumbrance.lifted", "encumbrance.lifted", "encumbrance.kept"]
