"""Before the auction, end to end over HTTP: the debtor's self-sale (Art. 74.2), valuation
disputes and agreements (Art. 68), the realization order's priority (Art. 72), perishable
goods (Art. 77.2), who may not buy (Art. 80.2), unseizable property (Art. 61), co-owners'
pre-emption (Art. 60) and the overdue valuation appointment (Art. 68.1).

The clock starts on Tuesday 1 December 2026, 09:00 in Almaty.
"""
from datetime import date, datetime, timezone

from ..helpers import EXCLUSION, bin_, error, iin


def _appraised(m, bailiff, lot_id, value="1000000.00", appraiser=None, report_no="R-1", report_date=None):
    """Appoint `appraiser` (a new one by default) and let them file the report; returns the appraiser."""
    appraiser = appraiser or m.user("appraiser")
    bailiff.ok("POST", f"/lots/{lot_id}/valuation/appointment", {"appraiser": appraiser.id})
    appraiser.ok("POST", f"/lots/{lot_id}/valuation/report",
                 {"value": value, "report_no": report_no, "report_date": (report_date or m.today()).isoformat()})
    return appraiser


def _at(m, year, month, day, hour=9):
    """Move the clock to `hour`:00 Almaty time (UTC+5) on that day."""
    m.clock.set(datetime(year, month, day, hour - 5, 0, tzinfo=timezone.utc))


# ---- self-sale (Art. 74.2) -------------------------------------------------------------------------------
def test_debtor_sells_the_lot_himself_and_the_money_is_distributed(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})

    lot_after = m.self_sale(debtor, bailiff, lot['id'], {"price": "800000.00"})
    # one month from Tue 1 Dec 2026 ends on the same date of the next month
    assert lot_after["self_sale"] == {"status": "open", "ends_on": "2027-01-01"}
    answer = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "800000.00", "buyer": "Aru Buyer"})
    payment = answer["payment"]
    assert payment["kind"] == "self_sale" and payment["amount"] == "800000.00" and payment["status"] == "pending"
    assert answer["lot"]["status"] == "REALIZATION_ORDERED" and answer["lot"]["self_sale"]["status"] == "contracted"

    # the buyer pays the full price into the control account; the provider notifies us
    r = m.webhook(payment["reference"], "800000.00", "bank-line-1")
    assert r.status_code == 200 and r.get_json()["status"] == "paid"

    sold = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert sold["status"] == "SOLD_BY_DEBTOR" and sold["sale_price"] == "800000.00"
    assert sold["self_sale"]["status"] == "completed" and sold["self_sale_buyer"] == "Aru Buyer"
    statement = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"][0]
    assert statement["recovered"] == "800000.00"
    collector_id = p["collectors"][0]["id"]
    assert [(x["collector_id"], x["amount"]) for x in statement["lines"] if x["amount"] != "0.00"] == \
        [(collector_id, "800000.00")]
    collector = bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"][0]
    assert collector["paid"] == "800000.00" and collector["outstanding"] == "2200000.00"


def test_self_sale_completed_first_cancels_the_announced_auction_and_refunds_deposits(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", category="vehicle", proceeding={"debtor": debtor})
    auction = m.announce(bailiff, lot["id"])
    bidder = m.bidder_admitted(auction["id"])
    assert m.balances()[f"bidder:{bidder.id}:deposit"] == "50000.00"

    # a vehicle is not a dwelling: the self-sale runs alongside the announced auction
    m.self_sale(debtor, bailiff, lot['id'])
    answer = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "900000.00", "buyer": "Buyer LLP"})
    assert answer["lot"]["status"] == "AUCTION_1"
    # an operator matches the bank-statement line by hand
    m.operator.ok("POST", f"/payments/{answer['payment']['id']}/confirm", {})

    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SOLD_BY_DEBTOR"
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "cancelled"
    assert bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"][0]["recovered"] == "900000.00"
    m.tick()  # the sweeper pays the refund out
    assert m.balances().get(f"bidder:{bidder.id}:deposit", "0.00") == "0.00"
    refund = [e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"] if e["kind"] == "deposit.freed"]
    assert len(refund) == 1 and refund[0]["payload"]["amount"] == "50000.00"
    # nobody can apply for the cancelled auction any more
    late = m.user("bidder")
    error(late.post(f"/auctions/{auction['id']}/applications", {}), 409, "applications_closed", "80.1")


def test_auction_sold_first_cancels_the_self_sale_and_its_pending_payment(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})
    m.self_sale(debtor, bailiff, lot['id'])
    contract = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "800000.00", "buyer": "Slow Buyer"})
    reference = contract["payment"]["reference"]
    auction = m.announce(bailiff, lot["id"], days=10)
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "w1"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    winner_pay = [x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"][0]
    b1.ok("POST", f"/payments/{winner_pay['id']}/dev-pay")

    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "SOLD" and view["self_sale"]["status"] == "cancelled"
    # the operator no longer waits for the self-sale buyer's money ...
    pay = m.operator.ok("GET", f"/payments?reference={reference}")["items"]
    assert [x["status"] for x in pay] == ["cancelled"]
    # ... and money that arrives anyway is refused without touching the sale
    error(m.webhook(reference, "800000.00", "late-line"), 409, "not_pending")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["sale_price"] == "1050000.00"
    assert len(bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"]) == 1


def test_collector_keeping_the_lot_first_cancels_the_self_sale_and_its_pending_payment(m):
    debtor, collector = m.user("debtor"), m.user("collector")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor, "collectors": [
        {"name": "Collector", "iin_bin": collector.iin_bin, "kind": "other", "claim": "3000000.00",
         "user": collector.id}]})
    auction = m.announce(bailiff, lot["id"], days=10)
    m.self_sale(debtor, bailiff, lot['id'])
    contract = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "800000.00", "buyer": "Slow Buyer"})
    reference = contract["payment"]["reference"]
    m.open_auction(auction, [])  # nobody applied: the auction fails (Art. 84.1)
    view = collector.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    assert view["status"] == "RETAINED" and view["self_sale"]["status"] == "cancelled"

    pay = m.operator.ok("GET", f"/payments?reference={reference}")["items"]
    assert [x["status"] for x in pay] == ["cancelled"]
    error(m.webhook(reference, "800000.00", "late-line"), 409, "not_pending")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETAINED"


def test_debt_paid_in_full_cancels_a_contracted_self_sale_and_its_pending_payment(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})
    m.self_sale(debtor, bailiff, lot['id'])
    contract = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "800000.00", "buyer": "Slow Buyer"})
    bailiff.ok("POST", f"/proceedings/{p['id']}/release", {"reason": "debtor paid the writ"})

    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "RELEASED" and view["self_sale"]["status"] == "cancelled"
    pay = m.operator.ok("GET", f"/payments?reference={contract['payment']['reference']}")["items"]
    assert [x["status"] for x in pay] == ["cancelled"]


def test_self_sale_below_75_percent_of_the_valuation_is_refused_at_application_and_at_contract(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})
    expected = "Art. 74.2: self-sale price 700000.00 is below 75% of the valuation (750000.00)"

    e = error(debtor.post(f"/lots/{lot['id']}/self-sale", {"price": "700000.00"}), 422, "self_sale_price", "74.2")
    assert e["message"] == expected
    # the refused application did not use up the debtor's one self-sale
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["self_sale_used"] is False
    m.self_sale(debtor, bailiff, lot['id'])

    e = error(debtor.post(f"/lots/{lot['id']}/self-sale/contract", {"price": "700000.00", "buyer": "Cheap Buyer"}),
              422, "self_sale_price", "74.2")
    assert e["message"] == expected
    # exactly 75% is allowed
    answer = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "750000.00", "buyer": "Fair Buyer"})
    assert answer["payment"]["amount"] == "750000.00"


def test_dwelling_in_its_three_month_self_sale_window_cannot_be_announced_until_it_ends(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="20000000.00", category="dwelling",
                                    proceeding={"debtor": debtor})
    window = m.self_sale(debtor, bailiff, lot['id'])["self_sale"]
    # three months from Tue 1 Dec 2026: 1 March 2027
    assert window == {"status": "open", "ends_on": "2027-03-01"}

    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 422,
              "self_sale_window", "74.2")
    assert "2027-03-01" in e["message"]
    _at(m, 2027, 3, 1)  # the window's last day: still closed to auctions
    error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 422,
          "self_sale_window", "74.2")

    _at(m, 2027, 3, 2)
    m.tick()  # the sweeper lapses the window
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["self_sale"]["status"] == "lapsed"
    auction = m.announce(bailiff, lot["id"])
    assert auction["status"] == "announced" and auction["start_price"] == "20000000.00"


def test_second_self_sale_in_the_same_proceeding_is_refused(m):
    debtor = m.user("debtor")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor)
    first, second = m.lot(bailiff, p["id"]), m.lot(bailiff, p["id"])
    _appraised(m, bailiff, first["id"])
    _appraised(m, bailiff, second["id"])

    m.self_sale(debtor, bailiff, first['id'])
    e = error(debtor.post(f"/lots/{second['id']}/self-sale"), 422, "self_sale_used", "74.2")
    assert "once per proceeding" in e["message"]
    assert bailiff.ok("GET", f"/lots/{second['id']}")["self_sale"] is None


def test_self_sale_on_a_valuation_report_more_than_a_year_old_is_refused(m):
    debtor = m.user("debtor")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor)
    old, fresh = m.lot(bailiff, p["id"]), m.lot(bailiff, p["id"])
    # today is 1 Dec 2026: a report of 30 Nov 2025 is a year and a day old, one of 1 Dec 2025 exactly a year
    _appraised(m, bailiff, old["id"], report_date=date(2025, 11, 30))
    _appraised(m, bailiff, fresh["id"], report_date=date(2025, 12, 1))

    debtor.ok("POST", f"/lots/{old['id']}/self-sale")  # the application is filed; the bailiff cannot grant it
    e = error(bailiff.post(f"/lots/{old['id']}/self-sale/grant"), 422, "report_too_old", "74.2")
    assert "2025-11-30" in e["message"] and "more than one year old" in e["message"]
    m.self_sale(debtor, bailiff, fresh['id'])


# ---- valuation disputes and agreements (Art. 68) ------------------------------------------------------------
def test_valuation_found_invalid_forces_a_new_valuation_and_keeps_the_old_one_superseded(m):
    debtor = m.user("debtor")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor)
    lot = m.lot(bailiff, p["id"])
    appraiser = _appraised(m, bailiff, lot["id"], value="1000000.00", report_no="R-OLD")

    dispute = debtor.ok("POST", f"/lots/{lot['id']}/valuation/disputes",
                        {"forum": "expert_council", "grounds": "the car's mileage is overstated"})
    assert dispute["status"] == "open"
    error(bailiff.post(f"/lots/{lot['id']}/realization-order", {}), 422, "dispute_open", "68.3")

    bailiff.ok("POST", f"/valuation/disputes/{dispute['id']}/resolution", {"outcome": "invalid"})
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "VALUATION" and view["valuation"] is None
    assert [(v["report_no"], v["value"], v["superseded"]) for v in view["valuations"]] == \
        [("R-OLD", "1000000.00", True)]
    # the same resolution cannot be recorded twice
    error(bailiff.post(f"/valuation/disputes/{dispute['id']}/resolution", {"outcome": "upheld"}), 409, "resolved")

    appraiser.ok("POST", f"/lots/{lot['id']}/valuation/report",
                 {"value": "1200000.00", "report_no": "R-NEW", "report_date": m.today().isoformat()})
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "VALUED"
    assert view["valuation"]["value"] == "1200000.00" and view["valuation"]["report_no"] == "R-NEW"
    assert [(v["report_no"], v["superseded"]) for v in view["valuations"]] == [("R-OLD", True), ("R-NEW", False)]
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    assert m.announce(bailiff, lot["id"])["start_price"] == "1200000.00"


def test_parties_agree_the_value_and_a_different_value_restarts_the_signatures(m):
    debtor = m.user("debtor")
    c1, c2 = m.user("collector"), m.user("collector")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor, collectors=[
        {"name": "Collector One", "iin_bin": c1.iin_bin, "kind": "alimony", "claim": "500000.00", "user": c1.id},
        {"name": "Collector Two", "iin_bin": c2.iin_bin, "kind": "other", "claim": "900000.00", "user": c2.id}])
    lot = m.lot(bailiff, p["id"])
    one, two = (f"collector:{c['id']}" for c in p["collectors"])

    debtor.ok("POST", f"/lots/{lot['id']}/valuation/agreement", {"value": "1200000.00"})
    view = c1.ok("POST", f"/lots/{lot['id']}/valuation/agreement", {"value": "1100000.00"})
    # the debtor signed another value: only the first collector's signature stands
    assert view["agreement"] == {"value": "1100000.00", "signed_by": [one]}
    view = c2.ok("POST", f"/lots/{lot['id']}/valuation/agreement", {"value": "1100000.00"})
    assert view["status"] == "ARRESTED" and view["agreement"]["signed_by"] == [one, two]

    view = debtor.ok("POST", f"/lots/{lot['id']}/valuation/agreement", {"value": "1100000.00"})
    assert view["status"] == "VALUED"
    assert view["valuation"]["value"] == "1100000.00" and view["valuation"]["method"] == "agreement"
    # no appraiser was appointed for an agreed value (Art. 68.5)
    assert view["appraiser_id"] is None
    # only the parties sign
    outsider = m.user("collector")
    error(outsider.post(f"/lots/{lot['id']}/valuation/agreement", {"value": "1.00"}), 403, "not_a_party")


# ---- realization order (Art. 72, 77) ------------------------------------------------------------------------
def test_later_priority_lot_waits_for_the_earlier_unless_an_art_72_4_ground_holds(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    jewellery = m.lot(bailiff, p["id"], category="valuables")
    car = m.lot(bailiff, p["id"], category="vehicle", pledged=True)
    assert (jewellery["priority"], jewellery["priority_article"]) == (1, "72.1.1")
    assert (car["priority"], car["priority_article"]) == (2, "72.1.2")
    _appraised(m, bailiff, jewellery["id"])
    _appraised(m, bailiff, car["id"])

    e = error(bailiff.post(f"/lots/{car['id']}/realization-order", {}), 422, "priority_order", "72.1")
    assert str(jewellery["id"]) in e["message"]
    # a sentence is no ground; a ground without its circumstances is refused too
    error(bailiff.post(f"/lots/{car['id']}/realization-order", {"override_reason": "pledged property"}), 422,
          "priority_order", "72.1")
    error(bailiff.post(f"/lots/{car['id']}/realization-order", {"override_ground": "pledged", "override_reason": " "}),
          422, "override_reason_required", "72.4")
    assert bailiff.ok("GET", f"/lots/{car['id']}")["status"] == "VALUED"

    reason = "the car is pledged to the bank under loan agreement No 17"
    view = bailiff.ok("POST", f"/lots/{car['id']}/realization-order", {"override_ground": "pledged",
                                                                         "override_reason": reason})
    assert view["status"] == "REALIZATION_ORDERED" and view["priority_override_reason"] == reason
    assert view["priority_override_ground"] == "pledged"
    entry = [e for e in bailiff.ok("GET", f"/lots/{car['id']}/journal")["items"]
             if e["kind"] == "lot.status" and e["payload"]["to"] == "REALIZATION_ORDERED"]
    assert len(entry) == 1
    assert entry[0]["payload"]["override_reason"] == reason and entry[0]["payload"]["override_article"] == "72.4"
    assert entry[0]["payload"]["override_ground"] == "pledged"
    # the earlier lot itself needs no ground, and is refused one
    error(bailiff.post(f"/lots/{jewellery['id']}/realization-order", {"override_ground": "time_limits",
                                                                       "override_reason": "x"}),
          422, "override_not_needed", "72.4")
    first = bailiff.ok("POST", f"/lots/{jewellery['id']}/realization-order", {})
    assert first["status"] == "REALIZATION_ORDERED" and first["priority_override_reason"] is None


def test_perishable_lot_goes_to_commission_sale_and_never_to_auction(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], title="Two tonnes of apples", perishable=True)
    assert lot["status"] == "COMMISSION_SALE"  # straight from the arrest (Art. 77.2; more in test_law_floors_...)
    moves = [(e["payload"]["to"], e["article"]) for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
             if e["kind"] == "lot.status"]
    assert moves == [("COMMISSION_SALE", "77.2")]
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 422, "perishable",
              "77.2")
    assert "commission sale" in e["message"]
    assert m.public.ok("GET", f"/auctions?lot_id={lot['id']}")["total"] == 0


# ---- who may not buy (Art. 80.2) ---------------------------------------------------------------------------
def test_debtor_cannot_buy_his_own_property(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    auction = m.announce(bailiff, lot["id"])
    debtor_as_bidder = m.user("bidder", iin_bin=debtor.iin_bin)

    e = error(debtor_as_bidder.post(f"/auctions/{auction['id']}/applications", {}), 422, "ineligible", "80.2")
    assert "the applicant is the debtor" in e["message"]
    assert debtor_as_bidder.ok("GET", "/me/applications")["items"] == []
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["applications"] == []


def test_close_relative_of_the_appraiser_cannot_buy(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    appraiser = _appraised(m, bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    auction = m.announce(bailiff, lot["id"])

    brother = m.user("bidder")
    e = error(brother.post(f"/auctions/{auction['id']}/applications", {"close_relatives": [appraiser.iin_bin]}),
              422, "ineligible", "80.2")
    assert "close relative of the appraiser who valued the property" in e["message"]
    # someone unrelated is admitted
    assert m.bidder_admitted(auction["id"]).ok("GET", "/me/applications")["items"][0]["status"] == "admitted"


def test_employee_of_the_pledgee_cannot_buy(m):
    bank = bin_()
    bailiff, p, lot = m.ordered_lot(proceeding={"pledgee_bin": bank})
    auction = m.announce(bailiff, lot["id"])

    clerk = m.user("bidder")
    e = error(clerk.post(f"/auctions/{auction['id']}/applications", {"employers": [bank]}), 422, "ineligible", "80.2")
    assert "employee of the pledgee" in e["message"]


def test_close_relatives_cannot_both_apply_and_the_refusal_does_not_name_the_other(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    first = m.bidder_admitted(auction["id"], m.user("bidder", name="Asel Nurlanovna"))

    sister = m.user("bidder")
    r = sister.post(f"/auctions/{auction['id']}/applications", {"close_relatives": [first.iin_bin]})
    e = error(r, 422, "ineligible", "80.2")
    assert "another applicant" in e["message"]
    body = r.get_data(as_text=True)
    for secret in (first.iin_bin, "Asel", first.email, "No. 1"):
        assert secret not in body, secret
    assert [x["status"] for x in bailiff.ok("GET", f"/auctions/{auction['id']}")["applications"]] == ["admitted"]


def test_relation_declared_only_by_the_earlier_applicant_also_bars_the_later_one(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    husband = m.user("bidder")
    wife = m.bidder_admitted(auction["id"], m.user("bidder", name="Dana Serikovna"), spouse=husband.iin_bin)

    r = husband.post(f"/auctions/{auction['id']}/applications", {})
    e = error(r, 422, "ineligible", "80.2")
    assert "spouses" in e["message"]
    body = r.get_data(as_text=True)
    for secret in (wife.iin_bin, "Dana", wife.email):
        assert secret not in body, secret


def test_declared_number_with_a_wrong_check_digit_is_a_clear_400(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    bidder = m.user("bidder")
    relative = m.user("bidder").iin_bin
    broken = relative[:11] + str((int(relative[11]) + 1) % 10)

    e = error(bidder.post(f"/auctions/{auction['id']}/applications", {"close_relatives": [broken]}), 400,
              "invalid_iin_bin")
    assert e["message"] == f"applicant.close_relatives: '{broken}' is not a valid IIN/BIN: it has a wrong check digit"


# ---- unseizable property (Art. 61) and co-owners (Art. 60) ---------------------------------------------------
def test_childrens_things_cannot_be_put_in_the_inventory(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    r = bailiff.post(f"/proceedings/{p['id']}/lots", {
        "title": "Nursery", "category": "movable",  
        "items": [{"name": "wardrobe", "price": "90000.00"},
                  {"name": "cot", "price": "40000.00", "kind": "children_items"}]})
    e = error(r, 422, "exempt_property")
    assert e["article"].startswith("61") and e["message"].startswith("Art. 61")
    assert "children's things" in e["message"]
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["lots"] == []


def test_share_in_common_property_waits_until_the_co_owners_decline(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], category="real_estate", common_share=True,
                coowners=[{"name": "Co-owner", "iin_bin": iin(), "notified_on": "2026-12-01"}])
    _appraised(m, bailiff, lot["id"])

    e = error(bailiff.post(f"/lots/{lot['id']}/realization-order", {}), 422, "preemption_pending", "60")
    assert "2027-01-01" in e["message"]  # Art. 60.2, the Civil Code's period: a month for real estate
    view = bailiff.ok("POST", f"/lots/{lot['id']}/preemption/declined")
    assert view["preemption_declined"] is True
    assert bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})["status"] == "REALIZATION_ORDERED"


def test_share_in_common_property_may_be_ordered_once_the_offer_period_has_run_out(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], common_share=True, arrested_on="2026-11-30",  # movable: ten days
                coowners=[{"name": "Co-owner", "iin_bin": iin(), "notified_on": "2026-11-30"}])
    _appraised(m, bailiff, lot["id"])
    assert lot["deadlines"]["preemption_ends_on"] == "2026-12-10"

    _at(m, 2026, 12, 10)  # the period's last day
    error(bailiff.post(f"/lots/{lot['id']}/realization-order", {}), 422, "preemption_pending", "60")
    _at(m, 2026, 12, 11)
    assert bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})["status"] == "REALIZATION_ORDERED"


def test_co_owners_who_cannot_be_notified_block_the_sale_for_30_days_after_the_inventory(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], category="real_estate", common_share=True, coowners_notifiable=False)
    # arrested Tue 1 Dec 2026 + 30 days = Thu 31 Dec 2026
    assert lot["deadlines"]["preemption_ends_on"] == "2026-12-31"
    _appraised(m, bailiff, lot["id"])
    _at(m, 2026, 12, 31)
    error(bailiff.post(f"/lots/{lot['id']}/realization-order", {}), 422, "preemption_pending", "60")
    _at(m, 2027, 1, 5)
    assert bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})["status"] == "REALIZATION_ORDERED"


# ---- the valuation appointment deadline (Art. 68.1) ---------------------------------------------------------
def test_lot_without_an_appraiser_after_ten_working_days_is_flagged_overdue_for_the_bailiff(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    # arrested Tue 1 Dec 2026; 10 working days: Dec 2, 3, 4, 7, 8, 9, 10, 11, 14, 15 -> Tue 15 Dec
    assert lot["deadlines"]["valuation_due_on"] == "2026-12-15"
    assert lot["valuation_overdue"] is False

    _at(m, 2026, 12, 15, hour=18)
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["valuation_overdue"] is False
    _at(m, 2026, 12, 16)
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["valuation_overdue"] is True and view["deadlines"]["valuation_due_on"] == "2026-12-15"
    # the public sees the deadline, not the bailiff's flag
    assert "valuation_overdue" not in m.public.ok("GET", f"/lots/{lot['id']}")

    appraiser = m.user("appraiser")
    view = bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment", {"appraiser": appraiser.id})
    assert view["status"] == "VALUATION" and view["valuation_overdue"] is False
    appointed = [e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
                 if e["kind"] == "lot.status" and e["payload"].get("to") == "VALUATION"]
    assert appointed[0]["payload"]["late"] is True


def test_withdrawing_a_lot_ends_its_contracted_self_sale_and_the_buyer_payment(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    m.self_sale(debtor, bailiff, lot['id'])
    pay = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "900000.00", "buyer": "Buyer LLP"})
    bailiff.ok("POST", f"/lots/{lot['id']}/withdrawal", EXCLUSION)
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "WITHDRAWN" and view["self_sale"]["status"] == "cancelled"
    assert (m.operator.ok("GET", f"/payments?reference={pay['payment']['reference']}")["items"][0]["status"]
            == "cancelled")
    error(m.operator.post(f"/payments/{pay['payment']['id']}/confirm", {}), 409, "not_pending")
