"""The law decides (issue 10, points 1–3): a lot's Art. 72 queue follows from its kind and the
debtor's, an Art. 72.4 override only on a ground of the law that the facts support, a claim's
Art. 111–112 queue from its kind, and alimony arrears determined by the bailiff's resolution
(Art. 99.1) with their history, used by the distribution. Over HTTP, on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import select

from service.orm import JournalEntry
from web import uow_for

from ..helpers import REAL_ESTATE_TITLE, bin_, error
from ..pdf import pdftotext


def lot_body(category="movable", **extra) -> dict:
    # Art. 63.2: real estate by its title, movable property by its inventory
    described = REAL_ESTATE_TITLE if category in ("real_estate", "dwelling") else {
        "items": [{"name": "item", "marks": "used", "price": "1000000.00"}]}
    return {"title": "Seized property", "category": category, **described, **extra}


def lots_of(bailiff, pid) -> list:
    return bailiff.ok("GET", f"/proceedings/{pid}")["lots"]


def valued(m, bailiff, pid, value="1000000.00", **extra) -> dict:
    lot = bailiff.ok("POST", f"/proceedings/{pid}/lots", lot_body(**extra))
    m.value(bailiff, lot["id"], value)
    return lot


# ---- Art. 72.1 / 72.2: the queue is derived, never typed ------------------------------------------------
def test_a_typed_priority_is_refused_and_the_queue_follows_from_the_kind_of_property(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    error(bailiff.post(f"/proceedings/{p['id']}/lots", lot_body(category="dwelling", priority=1)), 400)
    assert lots_of(bailiff, p["id"]) == []
    kinds = {"valuables": (1, "72.1.1"), "currency": (1, "72.1.1"), "vehicle": (2, "72.1.2"),
             "real_estate": (2, "72.1.2"), "dwelling": (3, "72.1.3")}
    for category, (queue, article) in kinds.items():
        lot = bailiff.ok("POST", f"/proceedings/{p['id']}/lots", lot_body(category=category))
        assert (lot["priority"], lot["priority_article"]) == (queue, article), category
        arrested = [e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"] if e["kind"] == "lot.arrested"]
        assert arrested[0]["payload"]["priority"] == queue and arrested[0]["payload"]["priority_article"] == article


def test_a_legal_entitys_lots_follow_art_72_2_and_production_use(m):
    bailiff = m.user("bailiff")
    debtor = m.user("debtor", iin_bin=bin_())
    p = m.proceeding(bailiff, debtor=debtor)
    assert p["debtor"]["is_entity"] is True  # read from the BIN
    office = bailiff.ok("POST", f"/proceedings/{p['id']}/lots", lot_body(category="real_estate"))
    workshop = bailiff.ok("POST", f"/proceedings/{p['id']}/lots", lot_body(category="real_estate",
                                                                            used_in_production=True))
    truck = bailiff.ok("POST", f"/proceedings/{p['id']}/lots", lot_body(category="vehicle"))
    assert [(x["priority"], x["priority_article"]) for x in (truck, office, workshop)] == [
        (1, "72.2.1"), (2, "72.2.2"), (3, "72.2.3")]
    assert workshop["used_in_production"] is True
    # securities are of the first queue whatever their use
    e = error(bailiff.post(f"/proceedings/{p['id']}/lots", lot_body(category="securities", used_in_production=True)),
              422, "bad_production", "72.2")
    assert "first queue" in e["message"]
    error(bailiff.post(f"/proceedings/{p['id']}/lots", lot_body(category="yacht")), 422, "bad_category", "72")
    assert len(lots_of(bailiff, p["id"])) == 3


def test_the_debtors_kind_is_read_from_the_number_and_a_contradiction_is_refused(m):
    bailiff = m.user("bailiff")
    debtor = m.user("debtor")  # an IIN: an individual
    body = {"number": "EP-KIND-1", "debtor": {"name": "D", "iin_bin": debtor.iin_bin, "is_entity": True},
            "collectors": [{"name": "C", "iin_bin": m.user("collector").iin_bin, "kind": "other", "claim": "10.00"}]}
    error(bailiff.post("/proceedings", body), 422, "debtor_kind", "72")
    body["debtor"].pop("is_entity")
    p = bailiff.ok("POST", "/proceedings", body)
    assert p["debtor"]["is_entity"] is False and p["number"] == "EP-KIND-1"


def test_the_dwelling_waits_for_the_car_of_an_individual_debtor(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    car = valued(m, bailiff, p["id"], category="vehicle")
    flat = valued(m, bailiff, p["id"], category="dwelling")
    e = error(bailiff.post(f"/lots/{flat['id']}/realization-order", {}), 422, "priority_order", "72.1")
    assert str(car["id"]) in e["message"] and "72.4" in e["message"]
    assert bailiff.ok("GET", f"/lots/{flat['id']}")["status"] == "VALUED"
    bailiff.ok("POST", f"/lots/{car['id']}/realization-order", {})
    # ordered is not realized: the dwelling still waits
    error(bailiff.post(f"/lots/{flat['id']}/realization-order", {}), 422, "priority_order", "72.1")


# ---- Art. 72.4: only a ground of the law, and only when the facts support it ------------------------------
def test_an_override_names_a_ground_of_the_law_and_the_facts_must_support_it(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)  # one collector, 3,000,000.00 owed
    ring = valued(m, bailiff, p["id"], value="5000000.00", category="valuables")
    car = valued(m, bailiff, p["id"], category="vehicle")
    url = f"/lots/{car['id']}/realization-order"
    before = bailiff.ok("GET", f"/lots/{car['id']}")
    e = error(bailiff.post(url, {"override_ground": "the bailiff thinks so", "override_reason": "x"}), 422,
              "bad_override_ground", "72.4")
    assert "pledged" in e["message"]
    # the car is not recorded as pledged
    error(bailiff.post(url, {"override_ground": "pledged", "override_reason": "pledged to a bank"}), 422,
          "override_ground_false", "72.4")
    # the ring alone (5,000,000.00) covers the 3,000,000.00 owed: the order of Art. 72 satisfies the writ
    e = error(bailiff.post(url, {"override_ground": "writ_not_satisfied", "override_reason": "not enough"}), 422,
              "override_ground_false", "72.4")
    assert "5000000.00" in e["message"] and "3000000.00" in e["message"]
    assert bailiff.ok("GET", f"/lots/{car['id']}") == before

    reason = "the ring's buyer market is closed until spring; the two-month limit of Art. 37 would pass"
    view = bailiff.ok("POST", url, {"override_ground": "time_limits", "override_reason": reason})
    assert view["status"] == "REALIZATION_ORDERED" and view["priority_override_ground"] == "time_limits"
    assert ring["id"] != car["id"]
    # printed in the realization order
    order = next(d for d in bailiff.ok("GET", f"/lots/{car['id']}/documents")["items"]
                 if d["kind"] == "realization_order")
    text = " ".join(pdftotext(bailiff.get(order["url"].removeprefix("/api/v1")).data).split())
    assert ("Кезектілікті өзгерту негізі (72-баптың 4-тармағы) / Основание изменения очерёдности "
            "(пункт 4 статьи 72)") in text
    assert "кезектілік тәртібімен өткізу Заңда белгіленген орындау мерзімдерін ұлғайтады" in text
    assert "реализация в порядке очерёдности увеличит установленные Законом сроки исполнения" in text
    assert "two-month limit" in text  # the circumstances, as the bailiff wrote them
    assert "Өткізу кезегі (72.1.2-бап / ст. 72.1.2) / Очерёдность реализации 2-кезек / 2-я очередь" in text


def test_writ_not_satisfied_holds_when_the_earlier_lots_are_worth_less_than_the_case_owes(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)  # 3,000,000.00 owed
    valued(m, bailiff, p["id"], value="400000.00", category="valuables")
    car = valued(m, bailiff, p["id"], category="vehicle")
    view = bailiff.ok("POST", f"/lots/{car['id']}/realization-order",
                      {"override_ground": "writ_not_satisfied", "override_reason": "the ring is worth 400,000.00"})
    assert view["status"] == "REALIZATION_ORDERED" and view["priority_override_ground"] == "writ_not_satisfied"


def test_a_pledged_lot_may_go_before_the_earlier_queue(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    valued(m, bailiff, p["id"], category="valuables")
    car = valued(m, bailiff, p["id"], category="vehicle", pledged=True)
    view = bailiff.ok("POST", f"/lots/{car['id']}/realization-order",
                      {"override_ground": "pledged", "override_reason": "pledge agreement No 5 with the bank"})
    assert view["pledged"] is True and view["priority_override_ground"] == "pledged"
    entry = [e for e in bailiff.ok("GET", f"/lots/{car['id']}/journal")["items"]
             if e["kind"] == "lot.status" and e["payload"].get("to") == "REALIZATION_ORDERED"][0]
    assert entry["article"] == "77.1" and entry["payload"]["override_article"] == "72.4"
    assert entry["payload"]["override_ground"] == "pledged" and entry["payload"]["queue_article"] == "72.1.2"


# ---- Art. 111–112: the claim's kind decides its queue -------------------------------------------------------
def test_a_claims_queue_follows_from_its_kind_and_a_typed_queue_is_refused(m):
    bailiff = m.user("bailiff")
    kinds = ["other", "alimony", "pledge_secured", "taxes_budget", "citizen_crime_damage"]
    collectors = [{"name": k, "iin_bin": m.user("collector").iin_bin, "kind": k, "claim": "1000.00"} for k in kinds]
    typed = [dict(collectors[0], queue=1)]
    error(bailiff.post("/proceedings", {"number": "EP-Q-1",
                                        "debtor": {"name": "D", "iin_bin": m.user("debtor").iin_bin},
                                        "collectors": typed}), 400)
    unknown = [dict(collectors[0], kind="gambling_debt")]
    error(bailiff.post("/proceedings", {"number": "EP-Q-1",
                                        "debtor": {"name": "D", "iin_bin": m.user("debtor").iin_bin},
                                        "collectors": unknown}), 422, "bad_claim_kind", "110")
    p = m.proceeding(bailiff, collectors=collectors, number="EP-Q-1")
    assert [(c["kind"], c["queue"], c["queue_article"]) for c in p["collectors"]] == [
        ("other", 5, "112.4"), ("alimony", 1, "111"), ("pledge_secured", 3, "112.2"), ("taxes_budget", 4, "112.3"),
        ("citizen_crime_damage", 2, "112.1")]


# ---- Art. 99.1: alimony arrears determined by the bailiff, history kept, used at the sale ----------------------
def test_alimony_arrears_are_determined_by_resolution_and_the_sale_pays_the_amount_in_force(m):
    bailiff = m.user("bailiff")
    mother, bank = m.user("collector"), m.user("collector")
    p = m.proceeding(bailiff, collectors=[
        {"name": "Mother", "iin_bin": mother.iin_bin, "kind": "alimony", "claim": "400000.00", "user": mother.id},
        {"name": "Bank", "iin_bin": bank.iin_bin, "kind": "other", "claim": "3000000.00", "user": bank.id}])
    alimony, loan = (c["id"] for c in p["collectors"])
    url = f"/proceedings/{p['id']}/collectors"
    today = m.today().isoformat()
    # the bank's claim is the writ's: the bailiff does not set it
    error(bailiff.post(f"{url}/{loan}/arrears", {"arrears": "1.00", "resolution_no": "R-1", "resolution_date": today}),
          422, "claim_fixed", "99.1")
    future = (m.today().replace(year=m.today().year + 1)).isoformat()
    error(bailiff.post(f"{url}/{alimony}/arrears",
                       {"arrears": "1.00", "resolution_no": "R-1", "resolution_date": future}),
          422, "bad_date", "99.1")
    error(bank.post(f"{url}/{alimony}/arrears",
                    {"arrears": "1.00", "resolution_no": "R-1", "resolution_date": today}), 403)
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"][0]["claim"] == "400000.00"

    # the quarterly resolution: 600,000.00 arrears and 6,000.00 penalty (0.1% a day, as computed there)
    view = bailiff.ok("POST", f"{url}/{alimony}/arrears", {"arrears": "600000.00", "penalty": "6000.00",
                                                           "resolution_no": "R-2026/4", "resolution_date": today})
    c = view["collectors"][0]
    assert (c["claim"], c["outstanding"], c["queue"]) == ("606000.00", "606000.00", 1)
    assert c["determinations"] == [{"old_claim": "400000.00", "new_claim": "606000.00", "arrears": "600000.00",
                                    "penalty": "6000.00", "resolution_no": "R-2026/4", "resolution_date": today,
                                    "at": c["determinations"][0]["at"]}]

    lot = valued(m, bailiff, p["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    [statement] = m.sell(bailiff, lot)
    # by hand: 1,050,000.00 recovered; queue 1 (alimony, in force: 606,000.00) first, the bank the rest
    lines = [(ln["kind"], ln["collector_id"], ln["due"], ln["amount"]) for ln in statement["lines"]]
    assert lines == [("collector", alimony, "606000.00", "606000.00"), ("collector", loan, "3000000.00", "444000.00")]
    after = bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"]
    assert [(x["paid"], x["outstanding"]) for x in after] == [("606000.00", "0.00"), ("444000.00", "2556000.00")]

    # arrears accrue again after the sale: the next resolution sets what is owed from now on
    later = bailiff.ok("POST", f"{url}/{alimony}/arrears", {"arrears": "50000.00", "resolution_no": "R-2027/1",
                                                            "resolution_date": today})["collectors"][0]
    assert (later["claim"], later["paid"], later["outstanding"]) == ("656000.00", "606000.00", "50000.00")
    assert len(later["determinations"]) == 2
    with uow_for(m.app) as uow:  # journaled on the proceeding (no lot)
        entries = uow.session.execute(select(JournalEntry).where(JournalEntry.kind == "claim.determined")
                                      .order_by(JournalEntry.seq)).scalars().all()
        assert [(e.article, e.payload["resolution_no"], e.payload["new_claim"]) for e in entries] == [
            ("99.1", "R-2026/4", "606000.00"), ("99.1", "R-2027/1", "656000.00")]


# ---- point 14: a refusal in a state the law put the lot in names that article --------------------------------
def test_acting_on_a_lot_excluded_or_found_not_realizable_is_refused_with_that_article(m):
    from ..helpers import EXCLUSION
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    worthless = valued(m, bailiff, p["id"])
    bailiff.ok("POST", f"/lots/{worthless['id']}/not-realizable", {"reason": "specialist: no value, illiquid"})
    error(bailiff.post(f"/lots/{worthless['id']}/realization-order", {}), 409, "invalid_state", "77.3")
    excluded = valued(m, bailiff, p["id"])
    bailiff.ok("POST", f"/lots/{excluded['id']}/withdrawal", EXCLUSION)
    before = bailiff.ok("GET", f"/lots/{excluded['id']}")
    error(bailiff.post(f"/lots/{excluded['id']}/realization-order", {}), 409, "invalid_state", "66.4")
    assert bailiff.ok("GET", f"/lots/{excluded['id']}") == before
