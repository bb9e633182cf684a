"""Issue 10, points 10–11: Art. 66.4 exclusion, Art. 63.2 real estate, Art. 60 co-owners."""
from __future__ import annotations

from ..helpers import EXCLUSION, REAL_ESTATE_TITLE, error, iin


def _journal_kinds(user, lot_id):
    return [e["kind"] for e in user.ok("GET", f"/lots/{lot_id}/journal")["items"]]


def test_movable_lot_is_excluded_only_on_the_specialists_conclusion(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    before = bailiff.ok("GET", f"/lots/{lot['id']}")
    error(bailiff.post(f"/lots/{lot['id']}/withdrawal", {"reason": "unsaleable"}), 422,
          "specialist_conclusion_required", "66.4")
    error(bailiff.post(f"/lots/{lot['id']}/withdrawal", dict(EXCLUSION, reason="no buyers")), 422,
          "bad_exclusion_reason", "66.4")
    assert bailiff.ok("GET", f"/lots/{lot['id']}") == before
    view = bailiff.ok("POST", f"/lots/{lot['id']}/withdrawal", EXCLUSION)
    assert view["status"] == "WITHDRAWN"
    entry = [e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
             if e["kind"] == "lot.status" and e["payload"].get("to") == "WITHDRAWN"][0]
    assert entry["article"] == "66.4" and entry["payload"]["conclusion_no"] == "SC-17"


def test_real_estate_is_not_excluded_from_an_inventory_it_does_not_have(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], category="dwelling")
    error(bailiff.post(f"/lots/{lot['id']}/withdrawal", EXCLUSION), 422, "not_movable", "66.4")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "ARRESTED"


def test_real_estate_is_recorded_by_its_title_not_by_items(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    items = [{"name": "flat", "price": "100.00"}]
    error(bailiff.post(f"/proceedings/{p['id']}/lots", {"title": "Flat", "category": "real_estate", "items": items,
                                                         **REAL_ESTATE_TITLE}), 422, "real_estate_items", "63.2")
    error(bailiff.post(f"/proceedings/{p['id']}/lots", {"title": "Flat", "category": "dwelling",
                                                         **dict(REAL_ESTATE_TITLE, cadastral_number="")}),
          422, "real_estate_title_required", "63.2")
    error(bailiff.post(f"/proceedings/{p['id']}/lots", {"title": "Car", "category": "vehicle", "items": items,
                                                         **REAL_ESTATE_TITLE}), 422, "not_real_estate", "63.2")
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["lots"] == []
    lot = m.lot(bailiff, p["id"], category="dwelling")
    assert lot["items"] == [] and lot["real_estate"]["cadastral_number"] == "20:311:022:123"
    assert lot["real_estate"]["area"] == "74.50"
    assert "20:311:022:123" in m.client.get(f"/lots/{lot['id']}").get_data(as_text=True)


def test_pre_emption_ends_with_the_latest_co_owners_period_and_a_purchase_ends_realization(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    error(bailiff.post(f"/proceedings/{p['id']}/lots", {"title": "Share", "category": "movable", "common_share": True,
                                                         "items": [{"name": "x", "price": "10.00"}]}),
          422, "coowners_required", "60.1")
    error(bailiff.post(f"/proceedings/{p['id']}/lots", {"title": "Share", "category": "movable", "common_share": True,
                                                         "items": [{"name": "x", "price": "10.00"}],
                                                         "preemption_ends_on": "2026-12-31"}), 400)  # never typed
    lot = m.lot(bailiff, p["id"], common_share=True,
                coowners=[{"name": "A", "iin_bin": iin(), "notified_on": "2026-12-01"},
                          {"name": "B", "iin_bin": iin()}])
    assert lot["deadlines"]["preemption_ends_on"] is None  # B not notified yet: the share waits
    a, b = lot["coowners"]
    error(bailiff.post(f"/lots/{lot['id']}/coowners/{b['id']}/decision", {"decision": "declined"}), 422,
          "coowner_not_notified", "60.1")
    view = bailiff.ok("POST", f"/lots/{lot['id']}/coowners/{b['id']}/notification", {"notified_on": "2026-12-01"})
    assert view["deadlines"]["preemption_ends_on"] == "2026-12-11"  # ten days for movable property
    assert "preemption.notified" in _journal_kinds(bailiff, lot["id"])
    m.value(bailiff, lot["id"], "500000.00")
    error(bailiff.post(f"/lots/{lot['id']}/realization-order", {}), 422, "preemption_pending", "60")
    bailiff.ok("POST", f"/lots/{lot['id']}/coowners/{a['id']}/decision", {"decision": "declined"})
    view = bailiff.ok("POST", f"/lots/{lot['id']}/coowners/{b['id']}/decision", {"decision": "bought"})
    assert view["status"] == "SOLD_TO_COOWNER" and view["sale_price"] == "500000.00"
    error(bailiff.post(f"/lots/{lot['id']}/coowners/{b['id']}/decision", {"decision": "declined"}), 422,
          "coowner_decided", "60.1")
