"""Issue 10 point 14: a refusal the law explains names its article — a step on an auction the law has
ended (sold: Art. 83; failed: its Art. 84 paragraph), on a lot not ordered for realization (77.1) or
outside the collectors' window (85.1), in a proceeding that has ended (49). Each refusal changes
nothing. Over HTTP, on SQLite and PostgreSQL."""
from __future__ import annotations

from ..helpers import error


def test_a_sold_auction_refuses_a_second_approval_and_a_cancellation_citing_83(m):
    bailiff, _p, lot = m.ordered_lot()
    m.sell(bailiff, lot)
    auction_id = bailiff.ok("GET", f"/lots/{lot['id']}")["auctions"][-1]["id"]
    before = bailiff.ok("GET", f"/auctions/{auction_id}")
    assert before["status"] == "sold"
    error(bailiff.post(f"/auctions/{auction_id}/results/approval"), 409, "invalid_state", "83")
    error(bailiff.post(f"/auctions/{auction_id}/cancellation", {"reason": "changed my mind"}), 409,
          "invalid_state", "83")
    error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(14)}), 409, "invalid_state", "83")
    assert bailiff.ok("GET", f"/auctions/{auction_id}") == before


def test_a_failed_auction_refuses_approval_citing_its_failure_paragraph(m):
    bailiff, _p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    m.bidder_admitted(auction["id"])  # one participant only: Art. 84.1 at the opening
    m.advance(days=14)
    m.tick()
    failed = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert (failed["status"], failed["failure_reason"]) == ("failed", "84.1")
    error(bailiff.post(f"/auctions/{auction['id']}/results/approval"), 409, "invalid_state", "84.1")
    assert bailiff.ok("GET", f"/auctions/{auction['id']}") == failed


def test_no_auction_for_a_lot_without_a_realization_order_citing_77_1(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"])
    error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(14)}), 409, "invalid_state",
          "77.1")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "VALUED"


def test_a_proceeding_ended_by_payment_takes_no_new_lot_citing_49(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    bailiff.ok("POST", f"/proceedings/{p['id']}/release", {"reason": "debt paid in full"})
    r = bailiff.post(f"/proceedings/{p['id']}/lots", {
        "title": "Sofa", "category": "movable",
        "items": [{"name": "sofa", "marks": "grey", "price": "100000.00"}]})
    error(r, 409, "invalid_state", "49")
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["status"] == "closed"


def test_only_the_cases_own_debtor_and_collectors_act_on_its_lot_citing_74_2_and_85_1(m):
    bailiff, _p, lot = m.ordered_lot()
    stranger = m.user("debtor")  # a debtor of another proceeding
    error(stranger.post(f"/lots/{lot['id']}/self-sale", {}), 403, "not_a_party", "74.2")
    auction = m.announce(bailiff, lot["id"])
    m.bidder_admitted(auction["id"])  # one participant only: the auction fails (Art. 84.1), the window opens
    m.advance(days=14)
    m.tick()
    before = bailiff.ok("GET", f"/lots/{lot['id']}")
    outsider = m.user("collector")  # a collector of no claim in this proceeding
    error(outsider.post(f"/lots/{lot['id']}/retention", {"decision": "retain"}), 403, "not_a_party", "85.1")
    assert bailiff.ok("GET", f"/lots/{lot['id']}") == before
