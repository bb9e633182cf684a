"""Documents of SPEC §7 (issued, stored, SHA-256 journaled) and the bailiff's cancellation."""
import hashlib

from ..helpers import error


def _sell(m):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "x1"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    pay = [x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"][0]
    b1.ok("POST", f"/payments/{pay['id']}/dev-pay")
    return bailiff, p, lot, auction


def test_every_document_of_a_sale_is_stored_and_its_sha256_journaled(m):
    bailiff, p, lot, auction = _sell(m)
    docs = bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]
    kinds = [d["kind"] for d in docs]
    assert kinds == ["realization_order", "auction_announcement", "auction_protocol", "sale_contract",
                     "distribution_statement"]
    journal = bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
    journaled = {e["payload"]["sha256"] for e in journal if e["kind"] == "document.issued"}
    for d in docs:
        r = bailiff.get(d["url"].removeprefix("/api/v1"))
        assert r.status_code == 200 and r.data.startswith(b"%PDF-")
        assert hashlib.sha256(r.data).hexdigest() == d["sha256"] and d["sha256"] in journaled


def test_the_public_sees_the_announcement_and_protocol_but_not_the_contract(m):
    bailiff, p, lot, auction = _sell(m)
    public = m.public.ok("GET", f"/lots/{lot['id']}/documents")["items"]
    assert sorted(d["kind"] for d in public) == ["auction_announcement", "auction_protocol"]
    contract = [d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"] if d["kind"] == "sale_contract"][0]
    error(m.public.get(contract["url"].removeprefix("/api/v1")), 401)
    error(m.user("bidder").get(contract["url"].removeprefix("/api/v1")), 403)


def test_the_protocol_pdf_is_the_one_issued_at_approval(m):
    bailiff, p, lot, auction = _sell(m)
    r = m.public.get(f"/auctions/{auction['id']}/protocol.pdf")
    issued = [d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"] if d["kind"] == "auction_protocol"][0]
    assert r.status_code == 200 and hashlib.sha256(r.data).hexdigest() == issued["sha256"]


def test_a_failed_auction_gets_its_protocol_on_first_request_once(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    m.bidder_admitted(auction["id"])
    m.open_auction(auction, [])
    assert m.public.ok("GET", f"/auctions/{auction['id']}")["failure_reason"] == "84.1"
    first = m.public.get(f"/auctions/{auction['id']}/protocol.pdf").data
    second = m.public.get(f"/auctions/{auction['id']}/protocol.pdf").data
    assert first == second and first.startswith(b"%PDF-")
    protocols = [d for d in m.public.ok("GET", f"/lots/{lot['id']}/documents")["items"] if d["kind"] == "auction_protocol"]
    assert len(protocols) == 1


def test_no_protocol_before_the_auction_ends(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    error(m.public.get(f"/auctions/{auction['id']}/protocol.pdf"), 404, "not_ready")


def test_bailiff_cancels_an_announced_auction_and_deposits_are_refunded(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    b1 = m.bidder_admitted(auction["id"])
    assert m.balances()[f"bidder:{b1.id}:deposit"] == "50000.00"
    error(bailiff.post(f"/auctions/{auction['id']}/cancellation", {}), 400, "reason_required")
    other = m.user("bailiff")
    error(other.post(f"/auctions/{auction['id']}/cancellation", {"reason": "court order"}), 403)
    a = bailiff.ok("POST", f"/auctions/{auction['id']}/cancellation", {"reason": "court order No 5"})
    assert a["status"] == "cancelled"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    m.tick()
    assert m.balances()[f"bidder:{b1.id}:deposit"] == "0.00"
    # the lot can be announced again
    assert m.announce(bailiff, lot["id"])["round"] == 1


def test_operator_lists_pending_payments_to_match_bank_lines(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    bidder = m.user("bidder")
    app = bidder.ok("POST", f"/auctions/{auction['id']}/applications", {})
    ref = app["payment"]["reference"]
    items = m.operator.ok("GET", f"/payments?status=pending&reference={ref}")["items"]
    assert [x["amount"] for x in items] == ["50000.00"]
    error(bidder.get("/payments"), 403)
    m.operator.ok("POST", f"/payments/{items[0]['id']}/confirm", {})
    assert m.operator.ok("GET", f"/payments?reference={ref}")["items"][0]["status"] == "paid"


def test_a_sold_auction_replays_from_its_journal_to_the_recorded_result(m):
    bailiff, p, lot, auction = _sell(m)
    r = m.public.ok("GET", f"/auctions/{auction['id']}/replay")
    assert r["consistent"] and r["winner_no"] == 1 and r["price"] == "1050000.00" and r["bids"] == 1
    assert r["recorded"]["kind"] == "auction.closed"


def test_a_failed_auction_replays_to_its_failure(m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    m.advance(minutes=11)
    m.tick()
    r = m.public.ok("GET", f"/auctions/{auction['id']}/replay")
    assert r["consistent"] and r["status"] == "failed" and r["failure_reason"] == "84.2"
