"""Documents of SPEC §7 (issued, stored, SHA-256 journaled) and the bailiff's cancellation."""
import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..helpers import error
from ..pdf import pdftotext


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
    return bailiff, p, lot, auction, b1


def test_every_document_of_a_sale_is_stored_and_its_sha256_journaled(m):
    bailiff, p, lot, auction, _ = _sell(m)
    docs = bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]
    kinds = [d["kind"] for d in docs]
    assert kinds == ["appraiser_appointment", "realization_order", "auction_announcement", "auction_protocol",
                     "sale_contract", "distribution_statement"]
    journal = bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
    journaled = {e["payload"]["sha256"] for e in journal if e["kind"] == "document.issued"}
    for d in docs:
        r = bailiff.get(d["url"].removeprefix("/api/v1"))
        assert r.status_code == 200 and r.data.startswith(b"%PDF-")
        assert hashlib.sha256(r.data).hexdigest() == d["sha256"] and d["sha256"] in journaled


def _entry(m, chain: str, seq: int):
    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(m.app) as uow:
        return uow.session.execute(select(JournalEntry.seq, JournalEntry.hash, JournalEntry.at)
                                   .where(JournalEntry.chain == chain, JournalEntry.seq == seq)).one()


def test_each_issued_pdf_reads_back_with_its_parties_price_dates_and_journal_hash(m):
    bailiff, p, lot, auction, winner = _sell(m)
    docs = {d["kind"]: d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]}
    issued = {e["payload"]["document"]: e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
              if e["kind"] == "document.issued"}
    texts, flats = {}, {}
    for kind, d in docs.items():
        pdf = bailiff.get(d["url"].removeprefix("/api/v1")).data
        texts[kind] = text = pdftotext(pdf)
        flats[kind] = re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))  # one line, "84-\nбап" joined
        mark = issued[kind]["payload"]
        seq, digest, at = _entry(m, issued[kind]["chain"], mark["journal_seq"])  # the lot's own chain
        assert digest == mark["journal_hash"] and seq < issued[kind]["seq"]  # a real, earlier entry
        assert f"Журнал жазбасы / Запись журнала № {seq} · SHA-256 {digest}" in text, kind
    debtor_no = p["debtor"]["iin_bin"]
    for kind in ("realization_order", "sale_contract", "distribution_statement"):
        assert debtor_no in texts[kind], kind  # the debtor by IIN/BIN
    assert p["collectors"][0]["iin_bin"] in texts["realization_order"]
    contract = texts["sale_contract"]
    assert winner.iin_bin in contract  # the buyer by IIN/BIN
    assert winner.iin_bin not in texts["auction_protocol"]  # bidders are numbers on the protocol
    # the price in figures and words, Kazakh then Russian; the deposit counted (a field's lines, each whole)
    contract = flats["sale_contract"]
    price_kk = "1 050 000,00 теңге (бір миллион елу мың теңге 00 тиын)"
    price_ru = "1 050 000,00 тенге (один миллион пятьдесят тысяч тенге 00 тиынов)"
    assert f"сатып алушыға {price_kk} бағамен береді" in contract and f"по цене {price_ru}, оплаченной" in contract
    assert contract.index(price_kk) < contract.index(price_ru)
    assert "50 000,00 теңге (елу мың теңге 00 тиын)" in contract
    assert "50 000,00 тенге (пятьдесят тысяч тенге 00 тиынов)" in contract
    assert f"№ {auction['id']} электрондық аукционның нәтижелері (83-бап)" in contract
    assert f"итоги электронного аукциона № {auction['id']} (ст. 83)" in contract
    protocol = flats["auction_protocol"]
    assert "№ 1 қатысушы / участник № 1" in protocol and "МҮЛІК САТЫЛДЫ / ИМУЩЕСТВО ПРОДАНО" in protocol
    assert f"сатып алу бағасы — {price_kk}" in protocol and f"покупная цена — {price_ru}" in protocol
    opened = datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Almaty"))
    assert opened.strftime("%d.%m.%Y %H:%M") in texts["auction_protocol"]
    announcement = flats["auction_announcement"]
    # the price and the 5% deposit, in figures and in words, Kazakh then Russian
    assert "1 000 000,00 теңге (бір миллион теңге 00 тиын)" in announcement
    assert "1 000 000,00 тенге (один миллион тенге 00 тиынов)" in announcement
    assert "50 000,00 теңге (елу мың теңге 00 тиын)" in announcement
    assert "50 000,00 тенге (пятьдесят тысяч тенге 00 тиынов)" in announcement
    assert opened.strftime("%d.%m.%Y %H:%M") in announcement


def test_the_public_sees_the_announcement_and_protocol_but_not_the_contract(m):
    bailiff, p, lot, auction, _ = _sell(m)
    public = m.public.ok("GET", f"/lots/{lot['id']}/documents")["items"]
    assert sorted(d["kind"] for d in public) == ["auction_announcement", "auction_protocol"]
    contract = [d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]
                if d["kind"] == "sale_contract"][0]
    error(m.public.get(contract["url"].removeprefix("/api/v1")), 401)
    error(m.user("bidder").get(contract["url"].removeprefix("/api/v1")), 403)


def test_the_protocol_pdf_is_the_one_issued_at_approval(m):
    bailiff, p, lot, auction, _ = _sell(m)
    r = m.public.get(f"/auctions/{auction['id']}/protocol.pdf")
    issued = [d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]
              if d["kind"] == "auction_protocol"][0]
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
    protocols = [d for d in m.public.ok("GET", f"/lots/{lot['id']}/documents")["items"]
                 if d["kind"] == "auction_protocol"]
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
    bailiff, p, lot, auction, _ = _sell(m)
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


def test_the_lot_page_lists_and_serves_each_document_to_those_who_may_read_it(m, client):
    from .test_console_pages import log_in
    from .test_party_pages import log_out
    bailiff, p, lot, auction, winner = _sell(m)
    links = lambda: dict(re.findall(r'href="(/documents/\d+\.pdf)">([^<]+)<',  # noqa: E731
                                    client.get(f"/lots/{lot['id']}?lang=en").get_data(as_text=True)))
    public = links()
    assert sorted(public.values()) == [f"Auction announcement No AN-{auction['id']}",
                                       f"Auction protocol No PR-{auction['id']}"]
    contract = next(d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]
                    if d["kind"] == "sale_contract")
    assert client.get(f"/documents/{contract['id']}.pdf").status_code == 401
    for url in public:
        r = client.get(url)
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert hashlib.sha256(r.data).hexdigest() in client.get(f"/lots/{lot['id']}").get_data(as_text=True)

    log_in(client, m.user("bidder"))  # another bidder: public documents only
    assert client.get(f"/documents/{contract['id']}.pdf").status_code == 403
    assert len(links()) == 2
    log_out(client)

    log_in(client, winner)  # the buyer reads the contract that names him, also from his cabinet
    cabinet = dict(re.findall(r'href="(/documents/\d+\.pdf)">([^<]+)<',
                              client.get("/cabinet?lang=en").get_data(as_text=True)))
    assert sorted(cabinet.values()) == [f"Auction protocol No PR-{auction['id']}", f"Sale contract No SC-{lot['id']}"]
    mine = links()
    assert f"Sale contract No SC-{lot['id']}" in mine.values()
    r = client.get(f"/documents/{contract['id']}.pdf")
    assert r.status_code == 200 and winner.iin_bin in pdftotext(r.data)
    assert "Distribution statement" not in " ".join(mine.values())  # the case's money: parties only
    log_out(client)

    log_in(client, bailiff)  # the case's bailiff reads all of them, the appraiser's appointment (Art. 68.2) too
    assert len(links()) == 6
    assert client.get("/documents/999999.pdf").status_code == 404


def test_a_bailiffs_office_is_printed_on_the_documents_he_issues(m):
    bailiff = m.user("bailiff")
    bailiff.ok("PUT", "/me/office", {"office": "Алматы қ., Абай даңғылы 150 / г. Алматы, пр. Абая 150",
                                     "phone": "+7 727 255 41 18"})
    _, _, lot = m.ordered_lot(bailiff)
    documents = bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"]
    [order] = [d for d in documents if d["kind"] == "realization_order"]
    text = re.sub(r"\s+", " ", pdftotext(bailiff.get(order["url"].removeprefix("/api/v1")).data))
    assert "Алматы қ., Абай даңғылы 150 / г. Алматы, пр. Абая 150" in text
