"""Art. 118 per writ (issue 10, point 6): the fee's category and band belong to each claim, the
10,000 MCI cap holds per writ across every sale of the proceeding, partial execution pays its part;
the MCI is a value per year that the operator keeps; each distribution stores the rate and the MCI."""
from __future__ import annotations

from ..helpers import error


def test_the_operator_keeps_the_mci_per_year_and_only_the_operator(m):
    year = m.today().year
    assert {r["year"]: r["value"] for r in m.public.ok("GET", "/settings/mci")["items"]}[2026] == "4325.00"
    bailiff = m.user("bailiff")
    error(bailiff.put(f"/settings/mci/{year}", {"value": "10.00", "reason": "x"}), 403)
    error(m.operator.put(f"/settings/mci/{year}", {"value": "0.00", "reason": "x"}), 400, "bad_setting")
    error(m.operator.put("/settings/mci/1999", {"value": "10.00", "reason": "x"}), 400, "bad_year")
    error(m.operator.put(f"/settings/mci/{year}", {"value": 10, "reason": "x"}), 400)  # money is a string
    assert {r["year"]: r["value"] for r in m.public.ok("GET", "/settings/mci")["items"]}[2026] == "4325.00"
    out = m.operator.ok("PUT", f"/settings/mci/{year + 1}", {"value": "4500.00", "reason": "budget law for next year"})
    assert {r["year"]: r["value"] for r in out["items"]}[year + 1] == "4500.00"


def test_the_cap_of_10000_mci_holds_for_one_writ_across_two_sales(m):
    year = m.today().year
    # A small MCI makes the cap reachable by hand: 10,000 x 10.00 = 100,000.00 per writ.
    m.operator.ok("PUT", f"/settings/mci/{year}", {"value": "10.00", "reason": "test of the cap"})
    bailiff = m.user("bailiff")
    bank = m.user("collector")
    p = m.proceeding(bailiff, private=True, collectors=[
        {"name": "Bank", "iin_bin": bank.iin_bin, "kind": "other", "claim": "2000000.00", "user": bank.id}])
    assert p["collectors"][0]["fee_category"] == "property"  # read from the kind
    lots = []
    for _ in range(2):
        lot = m.lot(bailiff, p["id"])
        m.value(bailiff, lot["id"])
        bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
        lots.append(lot)

    # Sale 1: 1,050,000.00 recovered for the writ of 2,000,000.00 (above 10,000 MCI: the 5% band).
    # Full fee min(5% x 2,000,000 = 100,000, cap 100,000) = 100,000; this part 100,000 x 1,050,000 / 2,000,000.
    first = m.sell(bailiff, lots[0])[-1]
    assert [(ln["kind"], ln["due"], ln["amount"], ln.get("rate")) for ln in first["lines"]] == [
        ("bailiff_fee", "52500.00", "52500.00", "5"), ("collector", "2000000.00", "997500.00", None)]
    assert (first["fee_rate"], first["mci"], first["mci_year"]) == ("5", "10.00", year)
    # Sale 2: the writ still owes 1,002,500.00; its part of the fee would be 50,125.00, but the cap
    # leaves 100,000 - 52,500 = 47,500.00 for this writ.
    second = m.sell(bailiff, lots[1])[-1]
    assert [(ln["kind"], ln["due"], ln["amount"]) for ln in second["lines"]] == [
        ("bailiff_fee", "47500.00", "47500.00"), ("collector", "1002500.00", "1002500.00")]
    c = bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"][0]
    assert (c["fee_charged"], c["paid"], c["outstanding"]) == ("100000.00", "2000000.00", "0.00")
    assert m.balances()[f"bailiff:{bailiff.id}:income"] == "100000.00"


def test_each_writ_has_its_own_band_and_category(m):
    bailiff = m.user("bailiff")
    mother, bank = m.user("collector"), m.user("collector")
    p = m.proceeding(bailiff, private=True, collectors=[
        {"name": "Mother", "iin_bin": mother.iin_bin, "kind": "alimony", "claim": "200000.00", "user": mother.id},
        {"name": "Bank", "iin_bin": bank.iin_bin, "kind": "other", "claim": "5000000.00", "user": bank.id}])
    assert [c["fee_category"] for c in p["collectors"]] == ["alimony", "property"]
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    s = m.sell(bailiff, lot)[-1]
    # Before the fee: the mother 200,000.00 (queue 1), the bank 850,000.00 of its 5,000,000.00.
    # Alimony: 3% of 200,000 = 6,000.00. The bank's writ of 5,000,000 (above 1,000 MCI = 4,325,000:
    # the 10% band): 10% x 850,000 = 85,000.00. The fees come first (Art. 108.1), the rest by queue.
    lines = [(ln["kind"], ln["collector_id"], ln["amount"], ln.get("rate")) for ln in s["lines"]]
    mid, bid = (c["id"] for c in p["collectors"])
    assert lines == [("bailiff_fee", mid, "6000.00", "3"), ("bailiff_fee", bid, "85000.00", "10"),
                     ("collector", mid, "200000.00", None), ("collector", bid, "759000.00", None)]
    assert s["fee_rate"] == "3, 10" and s["mci"] == "4325.00"
