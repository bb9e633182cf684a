"""Acts signed with an EDS (issue 14 point 2) through the API, against the test PKI (tests/eds_pki.py): the
bidder fetches his application as the act to sign, signs it with his signing key, files it with the CMS; the
signature is verified, stored with what it signs, journaled and printed on the application's document. A refused
signature changes nothing. With the act required (MULIK_EDS_SIGNED_ACTS), an unsigned application is refused."""
from __future__ import annotations

import base64
import json

import pytest

from .. import eds_pki
from ..eds_pki import cms
from ..helpers import bin_, error, iin
from ..pdf import pdftotext as pdf_text


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(811), iin(812), bin_(813), iin(814))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


def _auction(m):
    bailiff, _, lot = m.ordered_lot()
    return bailiff, lot, m.announce(bailiff, lot["id"])


def _act(bidder, auction_id, body=None) -> dict:
    return bidder.ok("POST", f"/auctions/{auction_id}/applications/act", body or {}, status=200)


def _rows(m, table: str) -> list:
    from service.orm import metadata
    with m.app.extensions["mulik"]["engine"].connect() as conn:
        return conn.execute(metadata.tables[table].select().order_by("id")).all()


def test_a_bidder_signs_his_application_and_its_document_prints_the_signature(m, pki):
    _, lot, auction = _auction(m)
    bidder = m.user("bidder", iin_bin=pki.iin, name="Тестов Тест")
    act = _act(bidder, auction["id"], {"spouse": None, "close_relatives": [iin(815)]})
    text = base64.b64decode(act["content"]).decode()
    facts = json.loads(text)
    assert act["text"] == text and act["act"] == "application" and act["article"] == "80.2"
    assert facts["auction_id"] == auction["id"] and facts["applicant"]["iin_bin"] == pki.iin
    assert facts["declaration"]["close_relatives"] == [iin(815)] and facts["deposit"] == auction["deposit"]
    assert "80-бабының 2-тармағында" in facts["statement_kk"]

    signed = cms(base64.b64decode(act["content"]), pki.signing_only)
    app = bidder.ok("POST", f"/auctions/{auction['id']}/applications",
                    {"close_relatives": [iin(815)], "cms": signed}, status=201)
    assert app["participant_no"] == 1

    [sig] = _rows(m, "act_signatures")
    assert (sig.act, sig.user_id, sig.signer_iin, sig.content_sha256) == ("application", bidder.id, pki.iin,
                                                                          act["sha256"])
    assert sig.content == base64.b64decode(act["content"]) and base64.b64encode(sig.cms).decode() == signed
    entries = m.operator.ok("GET", f"/lots/{lot['id']}/journal")["items"]
    signed_entry = next(e for e in entries if e["kind"] == "act.signed")
    assert signed_entry["payload"]["signature_id"] == sig.id and signed_entry["article"] == "80.2"
    issued = next(e for e in entries if e["kind"] == "document.issued"
                  and e["payload"]["document"] == "auction_application")
    assert issued["payload"]["signatures"] == [sig.id] and sig.document_id == issued["payload"]["document_id"]

    docs = bidder.ok("GET", f"/lots/{lot['id']}/documents")["items"]
    doc = next(d for d in docs if d["kind"] == "auction_application")
    pdf = bidder.get(doc["url"].removeprefix("/api/v1"))
    assert pdf.status_code == 200
    printed = pdf_text(pdf.data)
    assert "Электрондық цифрлық қолтаңбалар" in printed and pki.iin in printed
    assert sig.cert_serial in printed and act["sha256"][:16] in printed.replace("\n", "")


def test_an_application_signed_before_the_declaration_changed_is_refused_and_nothing_is_filed(m, pki):
    _, _, auction = _auction(m)
    bidder = m.user("bidder", iin_bin=pki.iin)
    act = _act(bidder, auction["id"])
    signed = cms(base64.b64decode(act["content"]), pki.signing_only)
    r = bidder.post(f"/auctions/{auction['id']}/applications", {"employers": [bin_(816)], "cms": signed})
    error(r, 409, "eds_act_changed")
    assert _rows(m, "act_signatures") == [] and bidder.ok("GET", "/me/applications")["items"] == []


@pytest.mark.parametrize("key, code", [("person", "eds_not_signing_key"), ("expired", "eds_expired"),
                                       ("revoked", "eds_revoked"), ("stranger", "eds_unknown_authority")])
def test_a_signature_by_a_key_that_may_not_sign_is_refused(m, pki, key, code):
    _, _, auction = _auction(m)
    bidder = m.user("bidder", iin_bin=pki.iin)
    act = _act(bidder, auction["id"])
    issued = getattr(pki, key)
    signed = cms(base64.b64decode(act["content"]), issued, chain=getattr(issued, "cert_chain", []))
    r = bidder.post(f"/auctions/{auction['id']}/applications", {"cms": signed})
    error(r, 422, code)
    assert _rows(m, "act_signatures") == [] and bidder.ok("GET", "/me/applications")["items"] == []


def test_another_persons_signature_is_refused(m, pki):
    _, _, auction = _auction(m)
    other = m.user("bidder")  # his own IIN: the certificate names pki.iin
    act = _act(other, auction["id"])
    r = other.post(f"/auctions/{auction['id']}/applications",
                   {"cms": cms(base64.b64decode(act["content"]), pki.signing_only)})
    body = error(r, 403, "eds_wrong_signer")
    assert pki.iin in body["message"] and _rows(m, "act_signatures") == []


@pytest.mark.app_config(EDS_SIGNED_ACTS="application")
def test_where_the_application_must_be_signed_an_unsigned_one_is_refused(m, pki):
    _, _, auction = _auction(m)
    bidder = m.user("bidder", iin_bin=pki.iin)
    body = error(bidder.post(f"/auctions/{auction['id']}/applications", {}), 422, "signature_required")
    assert body["article"] == "80.2" and "Art. 10.1" in body["message"]
    assert bidder.ok("GET", "/me/applications")["items"] == []
    act = _act(bidder, auction["id"])
    bidder.ok("POST", f"/auctions/{auction['id']}/applications",
              {"cms": cms(base64.b64decode(act["content"]), pki.signing_only)}, status=201)


def test_the_signed_applications_document_is_for_the_bidder_and_the_bailiff_only(m, pki):
    bailiff, lot, auction = _auction(m)
    unsigned = m.bidder_admitted(auction["id"])
    bidder = m.user("bidder", iin_bin=pki.iin)
    act = _act(bidder, auction["id"])
    bidder.ok("POST", f"/auctions/{auction['id']}/applications",
              {"cms": cms(base64.b64decode(act["content"]), pki.signing_only)}, status=201)
    [doc] = [d for d in bidder.ok("GET", f"/lots/{lot['id']}/documents")["items"] if d["kind"] == "auction_application"]
    assert doc["number"] == f"AA-{auction['id']}-2"  # the unsigned application (no. 1) issued no document
    text = pdf_text(bidder.get(doc["url"].removeprefix("/api/v1")).data)
    assert "ЭЛЕКТРОНДЫҚ АУКЦИОНҒА ҚАТЫСУҒА ӨТІНІМ" in text and "Электрондық цифрлық қолтаңбалар" in text
    assert bailiff.get(doc["url"].removeprefix("/api/v1")).status_code == 200
    assert unsigned.get(doc["url"].removeprefix("/api/v1")).status_code == 403  # another bidder
    assert [d for d in unsigned.ok("GET", f"/lots/{lot['id']}/documents")["items"]
            if d["kind"] == "auction_application"] == []
    assert m.public.get(doc["url"].removeprefix("/api/v1")).status_code == 401


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_demo_account_signs_its_application_with_its_signing_key_through_mulik_eds_sign(m, tmp_path, monkeypatch):
    """`make run`'s demo authority gives each account a signing key `<name>-sign.p12` beside its authentication
    key; `mulik eds-sign KEY --file PATH` (or `-`, the standard input) signs an act's exact bytes with it."""
    from click.testing import CliRunner

    from web.cli import _demo_eds_authority, main
    from web.demo import ACCOUNTS
    monkeypatch.setattr(m.app, "instance_path", str(tmp_path))
    m.app.config["EDS_TRUST_ANCHORS"] = None
    _demo_eds_authority(m.app)
    _, _, auction = _auction(m)
    email, role, name, number = ACCOUNTS[7]  # bidder1
    bidder = m.user(role, iin_bin=number, name=name)
    content = base64.b64decode(_act(bidder, auction["id"])["content"])
    (tmp_path / "act.json").write_bytes(content)
    keys = tmp_path / "eds-demo"
    by_file = CliRunner().invoke(main, ["eds-sign", str(keys / "bidder1-sign.p12"), "--file",
                                        str(tmp_path / "act.json")])
    by_stdin = CliRunner().invoke(main, ["eds-sign", str(keys / "bidder1-sign.p12"), "-"], input=content)
    with_auth_key = CliRunner().invoke(main, ["eds-sign", str(keys / "bidder1.p12"), "--file", "-"], input=content)
    assert by_file.exit_code == by_stdin.exit_code == with_auth_key.exit_code == 0, by_file.output
    error(bidder.post(f"/auctions/{auction['id']}/applications", {"cms": with_auth_key.output.strip()}), 422,
          "eds_not_signing_key")
    bidder.ok("POST", f"/auctions/{auction['id']}/applications", {"cms": by_stdin.output.strip()}, status=201)
    [sig] = _rows(m, "act_signatures")
    assert sig.signer_iin == number and sig.content == content
    assert base64.b64decode(by_file.output.strip())  # the file's bytes signed too (the same content, another CMS)
