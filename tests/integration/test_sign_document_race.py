"""One document signed twice by its bailiff at the same moment (a double click; issue 14 point 2): real threads,
each with its own HTTP client and database session, on SQLite and PostgreSQL. Exactly one signature is stored and
one signed copy issued; the other request is refused `eds_already_signed`."""
from __future__ import annotations

import threading

import pytest

from service import signed_documents

from .. import eds_pki
from ..e2e.test_signed_acts_officials import Signer, _closed, _documents, _signatures
from ..helpers import bin_, iin
from .test_concurrency import run_together

BOTH = pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                               indirect=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(831), iin(832), bin_(833), iin(834))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


@BOTH
def test_two_signatures_of_one_document_by_one_person_at_once_store_one(m, app, pki, monkeypatch, db_url):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot, auction, _ = _closed(m, bailiff)
    assert bailiff.user.get(f"/auctions/{auction['id']}/protocol.pdf").status_code == 200  # the closing protocol
    [closing] = _documents(bailiff.user, lot["id"], "auction_protocol")
    act = bailiff.user.ok("GET", f"/documents/{closing['id']}/act")
    signed = bailiff.sign(act)
    if db_url.startswith("postgresql"):
        # Both transactions read the document's signatures, then neither stores its own before the other has read
        # too, unless the row lock holds the second back (then the first goes on after a short wait).
        both_read = threading.Barrier(2)
        read = signed_documents.signatures

        def together(session, doc):
            found = read(session, doc)
            try:
                both_read.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass
            return found
        monkeypatch.setattr(signed_documents, "signatures", together)

    def sign():
        return app.test_client().post(f"/api/v1/documents/{closing['id']}/signatures", json={"cms": signed},
                                      headers={"Authorization": f"Bearer {bailiff.user.token}"})

    answers = run_together(sign, sign)
    assert sorted(r.status_code for r in answers) == [201, 409], [(r.status_code, r.get_json()) for r in answers]
    assert next(r for r in answers if r.status_code == 409).get_json()["error"]["code"] == "eds_already_signed"
    assert len(_signatures(m)) == 1
    assert len(_documents(bailiff.user, lot["id"], "auction_protocol")) == 2  # the closing one and one signed copy
