"""Every signature is checkable later (issue 14 point 2): `mulik documents verify` checks every issued document,
every EDS signature and the journal's chain after a real run, and names what was changed in the database; the
public /verify page finds a document by the bytes of its PDF and shows who signed it, with the IIN masked."""
from __future__ import annotations

import base64
import functools
import hashlib
import io
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from .. import eds_pki
from ..conftest import shared_engine
from ..eds_pki import cms
from ..helpers import bin_, iin
from .test_kk_ru_everywhere import english, visible


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(821), iin(822), bin_(823), iin(824))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


@pytest.fixture
def run(m, pki, db_url, monkeypatch):
    """A real run: a lot valued and ordered for sale, its auction announced, a bidder's application signed with
    his EDS, another's unsigned, the auction held, closed and its results approved (the protocol). `mulik documents
    verify` then runs as from the command line, on the environment's database (the tests' shared engine)."""
    import web.cli
    monkeypatch.setattr(web.cli, "_platform", functools.partial(web.cli._platform, make_engine=shared_engine))
    monkeypatch.setenv("MULIK_DATABASE_URL", db_url)
    monkeypatch.setenv("MULIK_CREATE_SCHEMA", "false")
    bailiff, _, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    signer = m.user("bidder", iin_bin=pki.iin, name="Тестов Тест")
    act = signer.ok("POST", f"/auctions/{auction['id']}/applications/act", {}, status=200)
    app = signer.ok("POST", f"/auctions/{auction['id']}/applications",
                    {"cms": cms(base64.b64decode(act["content"]), pki.signing_only)}, status=201)
    signer.ok("POST", f"/payments/{app['payment']['id']}/dev-pay")
    other = m.bidder_admitted(auction["id"])
    m.open_auction(auction, [signer, other])
    signer.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "s1"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    return {"lot": lot, "auction": auction, "signer": signer, "act": act, "bailiff": bailiff}


def mulik(*args: str):
    from web.cli import main
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _session(m):
    return m.app.extensions["mulik"]["sessions"]()


def _documents(m) -> list:
    from service.orm import Document
    with _session(m) as s:
        return [(d.id, d.kind, d.number) for d in s.execute(select(Document).order_by(Document.id)).scalars()]


def _signature(m):
    from service.orm import ActSignature
    with _session(m) as s:
        row = s.execute(select(ActSignature)).scalar_one()
        s.expunge(row)
        return row


def _change(m, table, row_id: int, **values) -> None:
    with m.app.extensions["mulik"]["engine"].begin() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values(**values))


def _flipped(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]


def test_documents_verify_passes_after_a_real_run_and_counts_what_it_checked(m, run):
    docs = _documents(m)
    kinds = {k for _, k, _ in docs}
    assert {"appraiser_appointment", "realization_order", "auction_announcement", "auction_application",
            "auction_protocol"} <= kinds
    r = mulik("documents", "verify")
    assert r.exit_code == 0, r.output
    assert f"checked {len(docs)} documents, 1 EDS signatures," in r.output
    assert r.output.strip().endswith("documents OK") and "PROBLEM" not in r.output
    [(doc_id, _, number)] = [(i, k, n) for i, k, n in docs if k == "auction_application"
                             and n.endswith("-1")]
    one = mulik("documents", "verify", "--document", str(doc_id))
    assert one.exit_code == 0, one.output
    assert f"document {doc_id} (auction_application {number}), 1 EDS signatures" in one.output


def test_one_byte_changed_in_a_stored_document_fails_the_check_naming_that_document(m, run):
    from service.orm import Document
    doc_id, _, number = next(d for d in _documents(m) if d[1] == "auction_announcement")
    with _session(m) as s:
        content = s.get(Document, doc_id).content
    _change(m, Document.__table__, doc_id, content=_flipped(content, len(content) // 2))
    r = mulik("documents", "verify")
    assert r.exit_code == 1, r.output
    problems = [line for line in r.output.splitlines() if line.startswith("PROBLEM")]
    assert problems and all(f"document {doc_id} ({number})" in line for line in problems)
    assert "the SHA-256 of its stored bytes is" in r.output and "documents BROKEN" in r.output
    assert mulik("documents", "verify", "--document", str(doc_id)).exit_code == 1


@pytest.mark.parametrize("column", ["content", "cms", "signed_at"])
def test_a_changed_signature_row_fails_the_check_naming_that_signature(m, run, column):
    from datetime import timedelta

    from service.orm import ActSignature
    sig = _signature(m)
    value = getattr(sig, column)
    if column == "content":  # the declaration made to say something else, its row's hash kept
        value = value.replace(b'"spouse":null', b'"spouse":"' + iin(825).encode() + b'"')
    elif column == "cms":
        value = _flipped(value, len(value) - 20)  # a bit of the RSA signature
    else:  # signed earlier, say before a revocation
        value = value - timedelta(days=3)
    _change(m, ActSignature.__table__, sig.id, **{column: value})
    r = mulik("documents", "verify")
    assert r.exit_code == 1, r.output
    problems = [line for line in r.output.splitlines() if line.startswith("PROBLEM")]
    assert problems and all(f"signature {sig.id} (application)" in line for line in problems), problems
    if column == "content":
        assert "its CMS signs other bytes than its stored content" in r.output
    elif column == "signed_at":
        assert "its row's signing time" in r.output and len(problems) == 1
    else:
        assert "its CMS does not verify at its signing time" in r.output
        assert "recorded CMS SHA-256" in r.output


def test_a_signature_moved_to_another_document_is_named_with_both_and_an_unknown_document_is_refused(m, run):
    from service.orm import ActSignature
    sig = _signature(m)
    other, _, other_number = next(d for d in _documents(m) if d[1] == "auction_announcement")
    _change(m, ActSignature.__table__, sig.id, document_id=other)
    r = mulik("documents", "verify")
    assert r.exit_code == 1, r.output
    assert f"prints it, the row names document {other}" in r.output
    assert f"PROBLEM document {other} ({other_number}), signature {sig.id} (application): it names document " \
           f"{other}, whose document.issued entry does not list it" in r.output
    missing = mulik("documents", "verify", "--document", "999999")
    assert missing.exit_code == 1 and "no document 999999" in missing.output


def test_a_changed_act_signed_journal_entry_breaks_the_chain(m, run):
    from service.orm import JournalEntry
    with _session(m) as s:
        entry = s.execute(select(JournalEntry).where(JournalEntry.kind == "act.signed")).scalar_one()
        chain, seq, payload = entry.chain, entry.seq, dict(entry.payload)
    _change(m, JournalEntry.__table__, entry.id, payload={**payload, "iin_bin": iin(826)})
    r = mulik("documents", "verify")
    assert r.exit_code == 1, r.output
    assert f"PROBLEM journal: the journal's chain {chain} is broken at seq {seq}: hash mismatch (entry edited)" \
        in r.output
    assert mulik("journal", "verify").exit_code == 1


# ---- the public page --------------------------------------------------------------------------------------------
def _pdf(m, kind: str) -> tuple[int, str, bytes]:
    from service.orm import Document
    with _session(m) as s:
        d = s.execute(select(Document).where(Document.kind == kind).order_by(Document.id)).scalars().first()
        return d.id, d.number, d.content


def _upload(client, data: bytes, lang: str = "en", **form):
    page = client.get(f"/verify?lang={lang}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(f"/verify?lang={lang}", content_type="multipart/form-data",
                       data={"csrf_token": token, "pdf": (io.BytesIO(data), "document.pdf"), **form})


def _result(r) -> str:
    body = r.get_data(as_text=True)
    return body[body.index('<section class="card" id="verify-result"'):]


@pytest.mark.parametrize("lang, verified, no_document", [
    ("kk", "Иә: қолтаңба расталды", "Платформаның бірде-бір құжатында мұндай байттар жоқ."),
    ("ru", "Да: подпись верна", "Ни один документ платформы не имеет этих байтов.")])
def test_the_uploaded_signed_application_shows_its_signer_masked_and_verified_and_a_changed_one_no_document(
        m, run, pki, lang, verified, no_document):
    doc_id, number, pdf = _pdf(m, "auction_application")
    sig = _signature(m)
    client = m.app.test_client()  # a visitor: the page is public
    r = _upload(client, pdf, lang)
    assert r.status_code == 200
    shown = visible(_result(r))
    assert number in shown and "ТЕСТОВ ТЕСТ" in shown and verified in shown
    assert f"{pki.iin[:2]}********{pki.iin[-2:]}" in shown and pki.iin not in r.get_data(as_text=True)
    assert sig.cert_serial in shown and hashlib.sha256(pdf).hexdigest() in shown
    assert {"kk": "Аукционға қатысуға өтінім", "ru": "Заявка на участие в аукционе"}[lang] in shown
    typed = re.sub(rf"\b{sig.cert_serial}\b", " ", shown).replace(run["lot"]["title"], " ")  # the data, not words
    assert english(typed) == []
    assert 'data-verified="yes"' in r.get_data(as_text=True)

    changed = _upload(client, _flipped(pdf, len(pdf) // 2), lang)
    assert changed.status_code == 200
    assert no_document in visible(_result(changed)) and "ТЕСТОВ ТЕСТ" not in changed.get_data(as_text=True)


def test_a_signature_changed_in_the_database_shows_not_verified_with_its_reason(m, run):
    from service.orm import ActSignature
    sig = _signature(m)
    _change(m, ActSignature.__table__, sig.id, cms=_flipped(sig.cms, len(sig.cms) - 20))
    _, _, pdf = _pdf(m, "auction_application")
    r = _upload(m.app.test_client(), pdf, "en")
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and 'data-verified="no"' in body and 'data-ok="no"' in body
    assert "The signature does not match the signed act." in visible(body)


def test_a_public_document_is_found_by_its_number_or_sha256_and_a_private_one_only_by_its_bytes(m, run):
    client = m.app.test_client()
    _, number, pdf = _pdf(m, "auction_announcement")
    by_number = client.get(f"/verify?lang=en&q={number}")
    assert by_number.status_code == 200 and "The platform issued this document" in visible(_result(by_number))
    by_hash = client.get(f"/verify?lang=en&q={hashlib.sha256(pdf).hexdigest().upper()}")
    assert number in visible(_result(by_hash))
    _, private, _ = _pdf(m, "auction_application")
    hidden = client.get(f"/verify?lang=en&q={private}")
    assert "No public document of the platform has this number." in visible(_result(hidden))
    assert "ТЕСТОВ" not in hidden.get_data(as_text=True)
    bad = client.get("/verify?lang=en&q=not-a-hash")
    assert bad.status_code == 400 and "64 hexadecimal digits" in visible(bad.get_data(as_text=True))


def test_the_upload_needs_the_forms_csrf_token_and_a_file_over_the_limit_is_refused_clearly(m, run):
    client = m.app.test_client()
    _, _, pdf = _pdf(m, "auction_application")
    no_token = client.post("/verify?lang=en", content_type="multipart/form-data",
                           data={"pdf": (io.BytesIO(pdf), "document.pdf")})
    assert no_token.status_code == 400 and "ТЕСТОВ" not in no_token.get_data(as_text=True)
    m.app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    body = (b'--b\r\nContent-Disposition: form-data; name="pdf"; filename="big.pdf"\r\n\r\n%PDF-1.7'
            + bytes(2 * 1024 * 1024) + b"\r\n--b--\r\n")  # bytes, not a file: the client spools no temporary file
    big = client.post("/verify?lang=ru", data=body, content_type="multipart/form-data; boundary=b")
    assert big.status_code == 413
    assert "не более 1 МБ" in visible(big.get_data(as_text=True))


# ---- revocation, later ------------------------------------------------------------------------------------------
def test_an_old_signature_stays_valid_when_its_key_is_revoked_later_and_not_when_it_was_revoked_before(pki):
    """Checked again at its signing time: a revocation dated after it does not undo it (the key signed while it was
    valid), one dated before it does, even when the CRL that lists it was issued after the signing."""
    from datetime import timedelta

    from service.eds import EdsRefused, Verifier, load_anchors
    key = pki.ca.issue(eds_pki.person_name(pki.iin), usage="sign", crl_url=pki.crl.url)
    signed = cms(b'{"act":"application"}', key)
    pki.ca.revoked.append(key.cert.serial_number)  # revoked at eds_pki.NOW - 2 days
    pki.crl.body = pki.ca.crl()
    try:
        checker = Verifier(load_anchors(pki.anchors_pem)).rechecking()
        signer, content = checker.verify_act(signed, eds_pki.NOW - timedelta(days=3))
        assert signer.iin == pki.iin and content == b'{"act":"application"}'
        with pytest.raises(EdsRefused) as refused:
            checker.verify_act(signed, eds_pki.NOW - timedelta(hours=36))  # before the CRL's own issue (NOW - 1 day)
        assert refused.value.code == "eds_revoked"
    finally:
        pki.ca.revoked.remove(key.cert.serial_number)
        pki.crl.body = pki.ca.crl()


@pytest.mark.app_config(VERIFY_RATE_LIMIT="2/minute")
def test_the_page_checks_a_few_documents_a_minute_per_address_and_says_so_in_the_readers_language(client):
    zeros = "0" * 64
    for _ in range(2):
        assert client.get(f"/verify?q={zeros}&lang=kk").status_code == 200
    r = client.get(f"/verify?q={zeros}&lang=kk")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    page = r.get_data(as_text=True)
    assert "Қысқа уақыт ішінде тым көп" in page or "тым көп" in page.lower(), page[:3000]
    assert client.get("/verify?lang=kk").status_code == 200  # the bare form is not a check
