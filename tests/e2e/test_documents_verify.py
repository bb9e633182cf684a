"""Every signature is checkable later (issue 14 point 2): `mulik documents verify` checks every issued document,
every EDS signature and the journal's chain after a real run, and names what was changed in the database; the
public /verify page finds a document by the bytes of its PDF and shows who signed it, with the IIN masked."""
from __future__ import annotations

import base64
import functools

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from .. import eds_pki
from ..conftest import shared_engine
from ..eds_pki import cms
from ..helpers import bin_, iin


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


@pytest.mark.parametrize("column", ["content", "cms"])
def test_a_changed_signature_row_fails_the_check_naming_that_signature(m, run, column):
    from service.orm import ActSignature
    sig = _signature(m)
    value = getattr(sig, column)
    if column == "content":  # the declaration made to say something else, its row's hash kept
        value = value.replace(b'"spouse":null', b'"spouse":"' + iin(825).encode() + b'"')
    else:
        value = _flipped(value, len(value) - 20)  # a bit of the RSA signature
    _change(m, ActSignature.__table__, sig.id, **{column: value})
    r = mulik("documents", "verify")
    assert r.exit_code == 1, r.output
    problems = [line for line in r.output.splitlines() if line.startswith("PROBLEM")]
    assert problems and all(f"signature {sig.id} (application)" in line for line in problems), problems
    if column == "content":
        assert "its CMS signs other bytes than its stored content" in r.output
    else:
        assert "its CMS does not verify at its signing time" in r.output
        assert "recorded CMS SHA-256" in r.output


def test_a_changed_act_signed_journal_entry_breaks_the_chain(m, run):
    from service.orm import JournalEntry
    with _session(m) as s:
        entry = s.execute(select(JournalEntry).where(JournalEntry.kind == "act.signed")).scalar_one()
        seq, payload = entry.seq, dict(entry.payload)
    _change(m, JournalEntry.__table__, entry.id, payload={**payload, "iin_bin": iin(826)})
    r = mulik("documents", "verify")
    assert r.exit_code == 1, r.output
    assert f"PROBLEM journal: the journal's chain is broken at seq {seq}: hash mismatch (entry edited)" in r.output
    assert mulik("journal", "verify").exit_code == 1
