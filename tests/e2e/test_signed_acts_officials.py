"""The officials' and the collector's signed acts (issue 14 point 2) through the API, against the test PKI
(tests/eds_pki.py): the bailiff's realization order and approval of the results, the collector's application to
keep an unsold lot, and the documents signed after their issue — the auction protocol (the bailiff) and the
auction's sale contract (the buyer, then the bailiff). Each signature is verified, stored, journaled and printed
on the PDF; a changed act, another person's key, a person who is not a signer, a second signature by the same
person and an unsigned act that must be signed are refused, and a refusal changes nothing."""
from __future__ import annotations

import base64
import json

import pytest

from .. import eds_pki
from ..eds_pki import cms, person_name
from ..helpers import error, iin
from ..pdf import pdftotext


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(821), iin(822), "990340000823", iin(824))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


class Signer:
    """A person with an account and his own signing key (NCALayer's RSA key) issued by the test NCA."""

    def __init__(self, m, pki, role: str, name: str):
        number = iin()
        self.user = m.user(role, iin_bin=number, name=name)
        self.key = pki.ca.issue(person_name(number), usage="sign", crl_url=pki.crl.url)

    def sign(self, act: dict) -> str:
        return cms(base64.b64decode(act["content"]), self.key)


def _facts(act: dict) -> dict:
    return json.loads(base64.b64decode(act["content"]))


def _changed(act: dict, **facts) -> dict:
    """The act as a page left open before the facts changed would have shown it."""
    text = json.dumps({**_facts(act), **facts}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {"content": base64.b64encode(text.encode()).decode()}


def _tables(m) -> dict:
    from service.orm import metadata
    with m.app.extensions["mulik"]["engine"].connect() as conn:
        return {t.name: conn.execute(t.select().order_by(*t.primary_key.columns)).all() for t in metadata.sorted_tables}


def _signatures(m) -> list:
    return _tables(m)["act_signatures"]


def _journal(user, lot_id: int, kind: str) -> list:
    return [e for e in user.ok("GET", f"/lots/{lot_id}/journal")["items"] if e["kind"] == kind]


def _documents(user, lot_id: int, kind: str) -> list:
    return [d for d in user.ok("GET", f"/lots/{lot_id}/documents")["items"] if d["kind"] == kind]


def _pdf(user, doc: dict) -> str:
    r = user.get(doc["url"].removeprefix("/api/v1"))
    assert r.status_code == 200
    return pdftotext(r.data)


def _printed(text: str, signer: Signer, *, public: bool = False) -> bool:
    """The signature's row: the signer's IIN (on a public document, a protocol, masked: never in full) and his
    certificate's serial, under the signatures' heading."""
    flat = text.replace("\n", "")
    number = signer.user.iin_bin
    shown = (number[:2] + "*" * 8 + number[-2:] in flat and number not in flat) if public else number in flat
    return shown and format(signer.key.cert.serial_number, "X") in flat and "Электрондық цифрлық қолтаңбалар" in text


def _valued_lot(m, bailiff: Signer, **proceeding):
    p = m.proceeding(bailiff.user, **proceeding)
    lot = m.lot(bailiff.user, p["id"])
    m.value(bailiff.user, lot["id"], "1000000.00")
    return p, lot


def _closed(m, bailiff: Signer, winner=None):
    """A first auction closed on one bid of 1,050,000.00 by `winner` (participant 1), awaiting approval."""
    p, lot = _valued_lot(m, bailiff)
    bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    auction = m.announce(bailiff.user, lot["id"])
    b1 = m.bidder_admitted(auction["id"], winner)
    b2 = m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "b1"})
    m.advance(minutes=11)
    m.tick()
    return p, lot, auction, b1


# ---- the realization order (Art. 77.1) ------------------------------------------------------------------
def test_the_bailiff_signs_the_realization_order_and_the_order_prints_his_signature(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    p, lot = _valued_lot(m, bailiff)
    act = bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order/act", {}, status=200)
    facts = _facts(act)
    assert (act["act"], act["article"]) == ("realization_order", "77.1")
    assert (facts["lot_id"], facts["lot_title"], facts["proceeding_number"]) == (lot["id"], lot["title"], p["number"])
    assert facts["valuation"]["value"] == facts["starting_price"] == "1000000.00"
    assert (facts["priority_queue"], facts["method"]) == (lot["priority"], "auction") and "override" not in facts

    bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order", {"cms": bailiff.sign(act)})
    assert bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    [sig] = _signatures(m)
    assert (sig.act, sig.role, sig.user_id, sig.content_sha256) == ("realization_order", "bailiff",
                                                                     bailiff.user.id, act["sha256"])
    [entry] = _journal(bailiff.user, lot["id"], "act.signed")
    assert entry["article"] == "77.1" and entry["payload"]["signature_id"] == sig.id
    [order] = _documents(bailiff.user, lot["id"], "realization_order")
    assert order["signatures"] == [{"act": "realization_order", "signer": sig.signer_name,
                                    "iin_bin": bailiff.user.iin_bin, "signed_at": order["issued_at"],
                                    "cert_serial": sig.cert_serial}]
    assert _printed(_pdf(bailiff.user, order), bailiff)


def test_a_changed_order_or_another_persons_key_is_refused_and_nothing_is_ordered(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot = _valued_lot(m, bailiff)
    act = bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order/act", {}, status=200)
    before = _tables(m)
    changed = bailiff.sign(_changed(act, starting_price="900000.00"))
    error(bailiff.user.post(f"/lots/{lot['id']}/realization-order", {"cms": changed}), 409, "eds_act_changed")
    someone = Signer(m, pki, "bailiff", "Другой Исполнитель")
    before = _tables(m)
    error(bailiff.user.post(f"/lots/{lot['id']}/realization-order", {"cms": someone.sign(act)}), 403,
          "eds_wrong_signer")
    assert _tables(m) == before and bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "VALUED"


@pytest.mark.app_config(EDS_SIGNED_ACTS="realization_order")
def test_where_the_order_must_be_signed_an_unsigned_one_is_refused(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot = _valued_lot(m, bailiff)
    before = _tables(m)
    body = error(bailiff.user.post(f"/lots/{lot['id']}/realization-order", {}), 422, "signature_required")
    assert body["article"] == "77.1" and _tables(m) == before
    act = bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order/act", {}, status=200)
    bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order", {"cms": bailiff.sign(act)})
    assert bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"


@pytest.mark.app_config(EDS_SIGNED_ACTS="results_approval")
def test_an_unsigned_approval_is_refused_where_it_must_be_signed(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, _, auction, _ = _closed(m, bailiff)
    before = _tables(m)
    body = error(bailiff.user.post(f"/auctions/{auction['id']}/results/approval", {}), 422, "signature_required")
    assert body["article"] == "80.4" and _tables(m) == before
    act = bailiff.user.ok("GET", f"/auctions/{auction['id']}/results/approval/act")
    bailiff.user.ok("POST", f"/auctions/{auction['id']}/results/approval", {"cms": bailiff.sign(act)})
    assert bailiff.user.ok("GET", f"/auctions/{auction['id']}")["payment_due_on"]


# ---- the approval of the results (Art. 80.4) -------------------------------------------------------------
def test_the_bailiff_signs_the_approval_and_the_approved_protocol_prints_it(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot, auction, _ = _closed(m, bailiff)
    act = bailiff.user.ok("GET", f"/auctions/{auction['id']}/results/approval/act")
    facts = _facts(act)
    [closed] = _journal(bailiff.user, lot["id"], "auction.closed")
    assert (act["act"], act["article"]) == ("results_approval", "80.4")
    assert (facts["auction_id"], facts["round"], facts["lot_id"], facts["winner_no"], facts["final_price"],
            facts["bids"]) == (auction["id"], 1, lot["id"], 1, "1050000.00", 1)
    assert facts["chain_head"] == closed["hash"] and facts["closed_at"]

    before = _tables(m)
    changed = bailiff.sign(_changed(act, final_price="1000000.00"))
    error(bailiff.user.post(f"/auctions/{auction['id']}/results/approval", {"cms": changed}), 409, "eds_act_changed")
    assert _tables(m) == before

    bailiff.user.ok("POST", f"/auctions/{auction['id']}/results/approval", {"cms": bailiff.sign(act)})
    [sig] = _signatures(m)
    assert (sig.act, sig.auction_id, sig.content_sha256) == ("results_approval", auction["id"], act["sha256"])
    [entry] = _journal(bailiff.user, lot["id"], "act.signed")
    assert entry["article"] == "80.4" and entry["payload"]["signature_id"] == sig.id
    [protocol] = _documents(m.public, lot["id"], "auction_protocol")
    text = _pdf(m.public, protocol)
    assert _printed(text, bailiff, public=True)
    assert "Утверждение итогов электронного аукциона" in text.replace("\n", " ")
    assert protocol["signatures"][0]["act"] == "results_approval"
    assert protocol["signatures"][0]["iin_bin"] != bailiff.user.iin_bin  # masked for the public


def test_only_the_cases_bailiff_reads_the_approval_act(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, _, auction, winner = _closed(m, bailiff)
    url = f"/auctions/{auction['id']}/results/approval/act"
    error(m.public.get(url), 401, "unauthorized")
    error(m.user("bailiff").get(url), 403, "not_your_case")
    error(winner.get(url), 403)


# ---- the auction protocol, signed after its issue, and the gate of the approval (Art. 80.4) -------------
@pytest.mark.app_config(EDS_SIGNED_ACTS="auction_protocol")
def test_the_results_are_approved_only_once_the_bailiff_signed_the_closing_protocol(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot, auction, _ = _closed(m, bailiff)
    before = _tables(m)
    body = error(bailiff.user.post(f"/auctions/{auction['id']}/results/approval", {}), 422, "protocol_not_signed")
    assert body["article"] == "80.4" and _tables(m) == before

    assert bailiff.user.get(f"/auctions/{auction['id']}/protocol.pdf").status_code == 200  # the closing protocol
    [closing] = _documents(bailiff.user, lot["id"], "auction_protocol")
    act = bailiff.user.ok("GET", f"/documents/{closing['id']}/act")
    assert (act["act"], act["article"]) == ("auction_protocol", "80.4")
    assert _facts(act) | {"act": None, "article": None, "platform": None} == {
        "document_id": closing["id"], "kind": "auction_protocol", "number": closing["number"],
        "sha256": closing["sha256"], "lot_id": lot["id"], "auction_id": auction["id"], "act": None, "article": None,
        "platform": None}
    signed = bailiff.user.ok("POST", f"/documents/{closing['id']}/signatures", {"cms": bailiff.sign(act)}, status=201)
    assert (signed["signature"]["signer"], signed["signature"]["iin_bin"]) == ("ТЕСТОВ ТЕСТ",
                                                                               bailiff.user.iin_bin)
    assert signed["signature"]["serial"] and signed["signature"]["signed_at"]
    [sig] = _signatures(m)
    assert (sig.act, sig.document_id, sig.content_sha256) == ("auction_protocol", closing["id"], act["sha256"])
    [_, copy] = _documents(bailiff.user, lot["id"], "auction_protocol")
    assert copy["id"] == signed["document"]["id"]
    assert copy["number"] == closing["number"] and copy["url"] == signed["document"]["url"]
    assert _printed(_pdf(bailiff.user, copy), bailiff, public=True)
    [issued] = [e for e in _journal(bailiff.user, lot["id"], "document.issued")
                if e["payload"]["document_id"] == copy["id"]]
    assert issued["payload"]["signs_document_id"] == closing["id"] and issued["payload"]["signatures"] == [sig.id]
    [entry] = _journal(bailiff.user, lot["id"], "act.signed")
    assert entry["payload"]["document_id"] == closing["id"]

    before = _tables(m)
    error(bailiff.user.post(f"/documents/{copy['id']}/signatures", {"cms": bailiff.sign(
        bailiff.user.ok("GET", f"/documents/{copy['id']}/act"))}), 409, "eds_already_signed")
    assert _tables(m) == before

    bailiff.user.ok("POST", f"/auctions/{auction['id']}/results/approval", {})
    approved = _documents(bailiff.user, lot["id"], "auction_protocol")[-1]
    assert _printed(_pdf(bailiff.user, approved), bailiff, public=True)  # the protocol's signature stays on it
    r = bailiff.user.get(f"/auctions/{auction['id']}/protocol.pdf")
    assert r.status_code == 200 and __import__("hashlib").sha256(r.data).hexdigest() == approved["sha256"]


def test_a_protocol_act_changed_or_signed_by_another_is_refused(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot, auction, winner = _closed(m, bailiff)
    bailiff.user.get(f"/auctions/{auction['id']}/protocol.pdf")
    [closing] = _documents(bailiff.user, lot["id"], "auction_protocol")
    url = f"/documents/{closing['id']}"
    act = bailiff.user.ok("GET", f"{url}/act")
    someone, other_bailiff = Signer(m, pki, "bidder", "Другой Человек"), m.user("bailiff")
    before = _tables(m)
    error(bailiff.user.post(f"{url}/signatures", {"cms": bailiff.sign(_changed(act, sha256="0" * 64))}), 409,
          "eds_act_changed")
    error(bailiff.user.post(f"{url}/signatures", {"cms": someone.sign(act)}), 403, "eds_wrong_signer")
    # the public protocol: anyone reads it, only the case's bailiff signs it
    for other in (winner, other_bailiff, m.operator):
        error(other.get(f"{url}/act"), 403, "eds_not_a_signer")
        error(other.post(f"{url}/signatures", {"cms": bailiff.sign(act)}), 403, "eds_not_a_signer")
    error(m.public.get(f"{url}/act"), 401, "unauthorized")
    assert _tables(m) == before


# ---- the sale contract of an auction (Art. 83): the buyer, then the bailiff ---------------------------
def test_the_buyer_then_the_bailiff_sign_the_sale_contract_and_its_signed_copy_prints_both(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    buyer = Signer(m, pki, "bidder", "Покупатель Аукциона")
    p, lot, auction, _ = _closed(m, bailiff, buyer.user)
    bailiff.user.ok("POST", f"/auctions/{auction['id']}/results/approval", {})
    pay = next(x for x in buyer.user.ok("GET", "/me/payments")["items"] if x["kind"] == "winner")
    buyer.user.ok("POST", f"/payments/{pay['id']}/dev-pay")
    [contract] = _documents(bailiff.user, lot["id"], "sale_contract")
    url = f"/documents/{contract['id']}"

    act = bailiff.user.ok("GET", f"{url}/act")
    assert (act["act"], act["article"], _facts(act)["sha256"]) == ("sale_contract", "83", contract["sha256"])
    outsider = m.user("collector")
    before = _tables(m)
    error(bailiff.user.post(f"{url}/signatures", {"cms": bailiff.sign(act)}), 409, "eds_signer_order")
    error(outsider.get(f"{url}/act"), 403)  # a collector of another case cannot even read it
    error(outsider.post(f"{url}/signatures", {"cms": bailiff.sign(act)}), 403)
    assert _tables(m) == before

    mine = buyer.user.ok("GET", f"{url}/act")
    first = buyer.user.ok("POST", f"{url}/signatures", {"cms": buyer.sign(mine)}, status=201)
    again = buyer.user.ok("GET", f"/documents/{first['document']['id']}/act")
    before = _tables(m)
    error(buyer.user.post(f"/documents/{first['document']['id']}/signatures", {"cms": buyer.sign(again)}), 409,
          "eds_already_signed")
    assert _tables(m) == before

    second = bailiff.user.ok("POST", f"{url}/signatures", {"cms": bailiff.sign(act)}, status=201)
    copies = _documents(bailiff.user, lot["id"], "sale_contract")
    assert [d["id"] for d in copies] == [contract["id"], first["document"]["id"], second["document"]["id"]]
    assert {d["number"] for d in copies} == {contract["number"]}
    signed = copies[-1]
    text = _pdf(buyer.user, signed)
    assert _printed(text, buyer) and _printed(text, bailiff) and "Договор купли-продажи" in text.replace("\n", " ")
    assert [(s["act"], s["iin_bin"]) for s in signed["signatures"]] == [("sale_contract", buyer.user.iin_bin),
                                                                         ("sale_contract", bailiff.user.iin_bin)]
    assert [s.role for s in _signatures(m)] == ["bidder", "bailiff"]
    assert len(_journal(bailiff.user, lot["id"], "act.signed")) == 2


def test_the_case_parties_read_but_do_not_sign_the_sale_contract(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    debtor = m.user("debtor")
    p = m.proceeding(bailiff.user, debtor=debtor)
    lot = m.lot(bailiff.user, p["id"])
    m.value(bailiff.user, lot["id"])
    bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    m.sell(bailiff.user, lot)
    [contract] = _documents(bailiff.user, lot["id"], "sale_contract")
    stranger = m.user("bidder")
    before = _tables(m)
    error(debtor.get(f"/documents/{contract['id']}/act"), 403, "eds_not_a_signer")
    error(debtor.post(f"/documents/{contract['id']}/signatures", {"cms": "MAA="}), 403, "eds_not_a_signer")
    error(stranger.get(f"/documents/{contract['id']}/act"), 403)
    assert _tables(m) == before


def test_documents_that_are_not_signed_after_their_issue_are_refused(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    debtor = m.user("debtor")
    p = m.proceeding(bailiff.user, debtor=debtor)
    lot = m.lot(bailiff.user, p["id"])
    m.value(bailiff.user, lot["id"])
    bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    [order] = _documents(bailiff.user, lot["id"], "realization_order")
    error(bailiff.user.get(f"/documents/{order['id']}/act"), 422, "document_not_signable")
    # Art. 74.2: the debtor's own sale, its contract concluded off the platform
    m.self_sale(debtor, bailiff.user, lot["id"])
    pay = debtor.ok("POST", f"/lots/{lot['id']}/self-sale/contract", {"price": "900000.00", "buyer": "Buyer LLP"})
    debtor.ok("POST", f"/payments/{pay['payment']['id']}/dev-pay")
    [contract] = _documents(bailiff.user, lot["id"], "sale_contract")
    before = _tables(m)
    body = error(bailiff.user.get(f"/documents/{contract['id']}/act"), 422, "no_platform_signers")
    assert body["article"] == "74.2"
    error(bailiff.user.post(f"/documents/{contract['id']}/signatures", {"cms": "MAA="}), 422, "no_platform_signers")
    assert _tables(m) == before


# ---- the collector's application to keep the lot (Art. 85.1) -------------------------------------------
def _retention_window(m, bailiff: Signer, collector: Signer, claim: str):
    entries = [{"name": "Взыскатель Один", "iin_bin": collector.user.iin_bin, "kind": "other", "claim": claim,
                "user": collector.user.id}]
    p, lot = _valued_lot(m, bailiff, collectors=entries)
    bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    auction = m.announce(bailiff.user, lot["id"])
    m.open_auction(auction, [])  # nobody applied: failed (Art. 84.1), the retention window opens
    assert bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    return p, lot, auction


def test_the_collector_signs_his_retention_and_the_retention_act_prints_it(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    collector = Signer(m, pki, "collector", "Взыскатель Один")
    p, lot, auction = _retention_window(m, bailiff, collector, "3000000.00")
    url = f"/lots/{lot['id']}/retention"
    error(collector.user.post(f"{url}/act", {"decision": "refuse"}), 400, "bad_decision")
    act = collector.user.ok("POST", f"{url}/act", {"decision": "retain"}, status=200)
    facts = _facts(act)
    assert (act["act"], act["article"]) == ("retention_application", "85.1")
    assert facts["collector"] == {"name": "Взыскатель Один", "iin_bin": collector.user.iin_bin, "queue": 5}
    assert (facts["failed_auction"]["id"], facts["valuation"], facts["decision"]) == (auction["id"], "1000000.00",
                                                                                       "retain")
    before = _tables(m)
    error(collector.user.post(url, {"decision": "retain", "cms": collector.sign(_changed(act, valuation="1.00"))}),
          409, "eds_act_changed")
    assert _tables(m) == before

    collector.user.ok("POST", url, {"decision": "retain", "cms": collector.sign(act)})
    assert bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "RETAINED"  # nothing to pay: his now
    [sig] = _signatures(m)
    [entry] = _journal(bailiff.user, lot["id"], "act.signed")
    assert (sig.act, sig.role, entry["article"]) == ("retention_application", "collector", "85.1")
    [retention] = _documents(bailiff.user, lot["id"], "retention_act")
    assert retention["signatures"][0]["iin_bin"] == collector.user.iin_bin and sig.document_id == retention["id"]
    assert _printed(_pdf(collector.user, retention), collector)


@pytest.mark.app_config(EDS_SIGNED_ACTS="retention_application")
def test_a_retention_signed_then_paid_for_prints_the_signature_on_the_act_issued_at_the_payment(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    collector = Signer(m, pki, "collector", "Взыскатель Один")
    _, lot, _ = _retention_window(m, bailiff, collector, "400000.00")  # 600,000.00 above his claim to pay
    url = f"/lots/{lot['id']}/retention"
    before = _tables(m)
    error(collector.user.post(url, {"decision": "retain"}), 422, "signature_required")
    assert _tables(m) == before
    act = collector.user.ok("POST", f"{url}/act", {}, status=200)
    collector.user.ok("POST", url, {"decision": "retain", "cms": collector.sign(act)})
    assert _documents(bailiff.user, lot["id"], "retention_act") == []
    [sig] = _signatures(m)
    assert sig.document_id is None
    [charge] = [x for x in collector.user.ok("GET", "/me/payments")["items"] if x["kind"] == "retention_charge"]
    collector.user.ok("POST", f"/payments/{charge['id']}/dev-pay")
    [retention] = _documents(bailiff.user, lot["id"], "retention_act")
    assert _printed(_pdf(bailiff.user, retention), collector)
    assert _signatures(m)[0].document_id == retention["id"]


def test_a_refusal_to_keep_the_lot_carries_no_signature(m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    collector = Signer(m, pki, "collector", "Взыскатель Один")
    _, lot, _ = _retention_window(m, bailiff, collector, "3000000.00")
    act = collector.user.ok("POST", f"/lots/{lot['id']}/retention/act", {}, status=200)
    before = _tables(m)
    error(collector.user.post(f"/lots/{lot['id']}/retention", {"decision": "refuse", "cms": collector.sign(act)}),
          400, "bad_decision")
    assert _tables(m) == before
