"""Issue 10, point 12, over HTTP: the self-sale is granted by the bailiff on the debtor's written
application (Art. 74.2), at any time after the valuation while the property is unrealized; the
window runs from the grant; a dwelling's announced auction gives way to its window. A lot records
its encumbrances; the completed self-sale lifts the writs' ones and keeps a court's claim security.

The clock starts on Tuesday 1 December 2026, 09:00 in Almaty.
"""
from __future__ import annotations

from ..helpers import EXCLUSION, error
from ..pdf import pdftotext
from .test_api_contract import assert_unchanged, snapshot


def _journal(bailiff, lot_id, kind):
    return [e for e in bailiff.ok("GET", f"/lots/{lot_id}/journal")["items"] if e["kind"] == kind]


def test_the_application_waits_for_the_grant_and_the_window_runs_from_the_grant(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})
    applied = debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {"price": "800000.00"})
    assert applied["self_sale"] is None  # no window yet
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["self_sale_application"]["status"] == "applied"
    assert view["self_sale_application"]["expected_price"] == "800000.00"
    assert [e["article"] for e in _journal(bailiff, lot["id"], "self_sale.applied")] == ["74.2"]
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["self_sale_used"] is False
    # the contract needs a window: refused, nothing changes
    before = snapshot(m)
    error(debtor.post(f"/lots/{lot['id']}/self-sale/contract", {"price": "800000.00", "buyer": "B"}), 409,
          "no_self_sale", "74.2")
    error(debtor.post(f"/lots/{lot['id']}/self-sale", {}), 422, "self_sale_pending", "74.2")
    assert_unchanged(m, before)

    m.advance(days=5)  # granted on Sun 6 Dec 2026: one month from the grant
    granted = bailiff.ok("POST", f"/lots/{lot['id']}/self-sale/grant")
    assert granted["self_sale"] == {"status": "open", "ends_on": "2027-01-06"}
    assert granted["self_sale_application"]["granted_on"] == "2026-12-06"
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["self_sale_used"] is True
    kinds = [d["kind"] for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]]
    assert "self_sale_permission" in kinds


def test_only_the_cases_bailiff_grants_and_only_an_application_is_granted(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    before = snapshot(m)
    error(bailiff.post(f"/lots/{lot['id']}/self-sale/grant"), 409, "no_self_sale_application", "74.2")
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {})
    stranger = m.user("bailiff")
    before = snapshot(m)
    r = stranger.post(f"/lots/{lot['id']}/self-sale/grant")
    assert r.status_code == 403
    assert debtor.post(f"/lots/{lot['id']}/self-sale/grant").status_code == 403
    assert_unchanged(m, before)


def test_a_refusal_names_a_ground_of_the_law_that_holds_and_does_not_use_the_right(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {})
    url = f"/lots/{lot['id']}/self-sale/refusal"
    before = snapshot(m)
    error(bailiff.post(url, {"ground": "we do not like it", "reason": "no"}), 422, "bad_refusal_ground", "74.2")
    error(bailiff.post(url, {"ground": "report_too_old"}), 422, "refusal_reason_required", "74.2")
    e = error(bailiff.post(url, {"ground": "report_too_old", "reason": "old"}), 422, "refusal_ground_false", "74.2")
    assert "more than one year old" in e["message"]
    error(bailiff.post(url, {"ground": "right_used", "reason": "used"}), 422, "refusal_ground_false", "74.2")
    assert_unchanged(m, before)

    m.advance(days=368)  # the report of 1 Dec 2026 is now more than a year old
    refused = bailiff.ok("POST", url, {"ground": "report_too_old", "reason": "the report is of last December"})
    assert refused["self_sale_application"]["status"] == "refused"
    assert refused["self_sale_application"]["refusal_ground"] == "report_too_old"
    assert _journal(bailiff, lot["id"], "self_sale.refused")[0]["payload"]["reason"] == "the report is of last December"
    assert bailiff.ok("GET", f"/proceedings/{p['id']}")["self_sale_used"] is False
    # the debtor may apply again (e.g. after a new valuation)
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {})


def test_self_sale_is_granted_after_a_failed_first_auction_while_the_collectors_may_keep_the_lot(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    auction = m.announce(bailiff, lot["id"])
    m.open_auction(auction, [])  # nobody applied: the auction fails (Art. 84.1)
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    granted = m.self_sale(debtor, bailiff, lot["id"])
    assert granted["status"] == "RETENTION_1" and granted["self_sale"]["status"] == "open"
    pay = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "750000.00", "buyer": "Late Buyer"})
    debtor.ok("POST", f"/payments/{pay['payment']['id']}/dev-pay")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SOLD_BY_DEBTOR"


def test_a_realized_lot_gets_no_self_sale(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    bailiff.ok("POST", f"/lots/{lot['id']}/withdrawal", EXCLUSION)
    before = snapshot(m)
    error(debtor.post(f"/lots/{lot['id']}/self-sale", {}), 409, "invalid_state", "74.2")
    assert_unchanged(m, before)


def test_granting_a_dwellings_self_sale_cancels_its_announced_auction_and_refunds_the_deposits(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="20000000.00", category="dwelling", proceeding={"debtor": debtor})
    auction = m.announce(bailiff, lot["id"])
    bidder = m.bidder_admitted(auction["id"])
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {})
    granted = bailiff.ok("POST", f"/lots/{lot['id']}/self-sale/grant")
    assert granted["status"] == "REALIZATION_ORDERED"
    assert granted["self_sale"] == {"status": "open", "ends_on": "2027-03-01"}  # three months from the grant
    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert a["status"] == "cancelled"
    cancelled = [e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
                 if e["kind"] == "auction.cancelled"]
    assert cancelled and cancelled[0]["article"] == "74.2"
    m.tick()
    assert m.balances().get(f"bidder:{bidder.id}:deposit", "0.00") == "0.00"
    # and during the three months it may not be put up for auction again
    error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 422,
          "self_sale_window", "74.2")


def test_a_dwellings_self_sale_is_refused_while_its_auction_is_open(m):
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(value="20000000.00", category="dwelling", proceeding={"debtor": debtor})
    auction = m.announce(bailiff, lot["id"], days=10)
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {})
    before = snapshot(m)
    error(bailiff.post(f"/lots/{lot['id']}/self-sale/grant"), 422, "dwelling_at_auction", "74.2")
    assert_unchanged(m, before)
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "open"


def test_completed_self_sale_lifts_the_writs_encumbrances_keeps_the_courts_security_and_the_contract_lists_them(m):
    debtor = m.user("debtor")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor)
    lot = m.lot(bailiff, p["id"], category="vehicle", encumbrances=[
        {"basis": "writ", "document_no": "W-1", "document_date": "2026-11-01", "issuer": "Almaty court No 2",
         "this_proceeding": True},
        {"basis": "writ", "document_no": "W-77", "document_date": "2026-10-15", "issuer": "Astana court No 1"}])
    stranger = m.user("bailiff")
    before = snapshot(m)
    enc = f"/lots/{lot['id']}/encumbrances"
    error(bailiff.post(enc, {"basis": "pledge", "document_no": "X", "document_date": "2026-11-01", "issuer": "Y"}),
          422, "bad_encumbrance_basis", "74.2")
    error(bailiff.post(enc, {"basis": "writ", "document_no": " ", "document_date": "2026-11-01", "issuer": "Y"}),
          422, "encumbrance_document_required", "74.2")
    error(bailiff.post(enc, {"basis": "writ", "document_no": "Z", "document_date": "2027-01-01", "issuer": "Y"}),
          422, "bad_encumbrance_date", "74.2")
    assert stranger.post(enc, {"basis": "writ", "document_no": "Z", "document_date": "2026-11-01",
                               "issuer": "Y"}).status_code == 403
    assert_unchanged(m, before)
    bailiff.ok("POST", enc, {"basis": "court_security", "document_no": "CS-5", "document_date": "2026-11-20",
                             "issuer": "Medeu district court"})
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert [(e["basis"], e["document_no"], e["this_proceeding"], e["lifted_on"]) for e in view["encumbrances"]] == [
        ("writ", "W-1", True, None), ("writ", "W-77", False, None), ("court_security", "CS-5", False, None)]
    assert "encumbrances" not in m.public.ok("GET", f"/lots/{lot['id']}")  # private view only

    m.value(bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    m.self_sale(debtor, bailiff, lot["id"])
    pay = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "900000.00", "buyer": "Aru Buyer"})
    m.operator.ok("POST", f"/payments/{pay['payment']['id']}/confirm", {})

    sold = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert sold["status"] == "SOLD_BY_DEBTOR"
    assert [(e["document_no"], e["lifted_on"]) for e in sold["encumbrances"]] == [
        ("W-1", "2026-12-01"), ("W-77", "2026-12-01"), ("CS-5", None)]
    lifted = _journal(bailiff, lot["id"], "encumbrance.lifted")
    assert [e["article"] for e in lifted] == ["74.2", "74.2"]
    assert "W-77" in lifted[1]["payload"]["encumbrance"]
    assert "CS-5" in _journal(bailiff, lot["id"], "encumbrance.kept")[0]["payload"]["encumbrance"]

    contract = [d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"] if d["kind"] == "sale_contract"]
    text = " ".join(pdftotext(bailiff.get(contract[0]["url"].removeprefix("/api/v1")).data).split())
    assert "Ауыртпалықтар (74.2-бап) / Обременения (ст. 74.2)" in text
    lifted_part, kept_part = text.split("Сняты судебным исполнителем")[1].split("Сохраняются (наложены судом")
    assert "осы атқарушылық іс жүргізудің атқарушылық құжаты / исполнительный документ данного исполнительного "\
           "производства № W-1, 01.11.2026, Almaty court No 2" in lifted_part
    assert "талап қоюды қамтамасыз ету мақсатында сот салған шара / мера, принятая судом в целях обеспечения иска "\
           "№ CS-5, 20.11.2026, Medeu district court" in kept_part
    assert "W-1" in lifted_part and "W-77" in lifted_part and "CS-5" not in lifted_part
    assert "CS-5" in kept_part and "Medeu district court" in kept_part


def test_the_console_shows_a_pending_application_and_grants_it(client, m):
    from .test_console_pages import log_in, post
    from .test_pages import text
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {"price": "800000.00"})
    log_in(client, bailiff)
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "The debtor's application for self-sale (Art. 74.2)" in shown and "Refuse the self-sale" in shown
    assert "Encumbrances (Art. 74.2)" in shown
    post(client, f"/console/lots/{lot['id']}", action="encumbrance", basis="court_security", document_no="CS-9",
         document_date="2026-11-30", issuer="Medeu district court")
    post(client, f"/console/lots/{lot['id']}", action="grant_self_sale")
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Self-sale granted" in shown and "Grant the self-sale" not in shown
    assert "A court's measure securing a claim: No CS-9, " in shown and "Medeu district court" in shown
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["self_sale"] == {"status": "open", "ends_on": "2027-01-01"}


def test_the_bailiff_is_told_of_the_application_and_the_debtor_of_the_answer(m):
    from .test_law_disqualification_transfer import notified
    debtor = m.user("debtor")
    bailiff, p, lot = m.ordered_lot(proceeding={"debtor": debtor})
    debtor.ok("POST", f"/lots/{lot['id']}/self-sale", {})
    assert notified(m, bailiff) == ["self_sale_applied"]
    bailiff.ok("POST", f"/lots/{lot['id']}/self-sale/grant")
    assert notified(m, debtor) == ["appraiser_appointed", "self_sale_granted"]  # the Art. 68.2 copy came first


def test_a_window_that_runs_out_with_the_buyers_payment_awaited_cancels_it_in_the_journal(m):
    """The sweeper lapses the self-sale through the same use case as everyone: the buyer's awaited
    payment is cancelled and journaled (Art. 74.2), and paying it afterwards is refused."""
    debtor = m.user("debtor")
    bailiff, _p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})
    m.self_sale(debtor, bailiff, lot["id"])  # window: 1 Dec 2026 – 1 Jan 2027
    pay = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "800000.00", "buyer": "Late Buyer"})
    payment = pay["payment"]
    assert payment["status"] == "pending"
    m.advance(days=31)  # 1 Jan 2027: the window's last day
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["self_sale"]["status"] == "contracted"
    m.advance(days=1)
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["self_sale"]["status"] == "lapsed"
    [cancelled] = _journal(bailiff, lot["id"], "payment.cancelled")
    assert (cancelled["article"], cancelled["payload"]["payment_id"]) == ("74.2", payment["id"])
    assert [e["article"] for e in _journal(bailiff, lot["id"], "self_sale.lapsed")] == ["74.2"]
    error(m.webhook(payment["reference"], "800000.00", "late-1"), 409)
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"


def test_the_sweepers_lapse_journals_the_cancelled_payment_as_the_other_paths_do(m):
    """Issue 12: the sweeper calls the handlers everyone calls. The buyer's awaited payment cancelled
    because the window ran out (the sweeper) is journaled exactly as one cancelled because the lot went
    another way first (here: withdrawn by the bailiff, Art. 66.4): the same entry, article and payload;
    only the actor differs."""
    def contracted():
        debtor = m.user("debtor")
        bailiff, _p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor})
        m.self_sale(debtor, bailiff, lot["id"])
        payment = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract",
                            {"price": "800000.00", "buyer": "Late Buyer"})["payment"]
        return bailiff, lot, payment

    def cancelled(bailiff, lot, payment):
        [entry] = _journal(bailiff, lot["id"], "payment.cancelled")
        assert entry["payload"] == {"payment_id": payment["id"], "reference": payment["reference"]}
        assert entry["lot_id"] == lot["id"] and entry["auction_id"] is None
        return entry["article"], entry["actor"]

    lapsing, withdrawn = contracted(), contracted()
    bailiff = withdrawn[0]
    bailiff.ok("POST", f"/lots/{withdrawn[1]['id']}/withdrawal", EXCLUSION)
    m.advance(days=32)  # 2 Jan 2027: the window of 1 Dec 2026 – 1 Jan 2027 is over
    assert m.tick().get("self_sales_lapsed") == 1
    assert cancelled(*lapsing) == ("74.2", "system:sweeper")
    assert cancelled(*withdrawn) == ("74.2", f"user:{bailiff.id}")
    kinds = [e["kind"] for e in lapsing[0].ok("GET", f"/lots/{lapsing[1]['id']}/journal")["items"]
             if e["actor"] == "system:sweeper"]
    assert kinds == ["payment.cancelled", "self_sale.lapsed"]
