"""Two EDS sign-ins naming one challenge at the same moment (issue 14 point 1): real threads, each with its own
HTTP client and database session, on SQLite and PostgreSQL. Both carry a valid signature over the nonce; exactly
one logs in, the other is refused with `eds_bad_nonce` — a nonce signs in once, however the requests meet."""
from __future__ import annotations

import threading

import pytest

from service.uow import UnitOfWork

from .. import eds_pki
from ..eds_pki import cms
from ..helpers import bin_, iin
from .test_concurrency import run_together

BOTH = pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
                               indirect=True)
ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(821), iin(822), bin_(823), iin(824))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


@BOTH
def test_two_sign_ins_with_one_nonce_at_once_log_in_once(m, app, pki, monkeypatch, db_url):
    person = m.user("bidder", iin_bin=pki.iin)
    nonce = m.client.post("/api/v1/auth/eds/challenge", headers=ORIGIN).get_json()["nonce"]
    signed = cms(nonce.encode(), pki.person)
    if db_url.startswith("postgresql"):
        # Both transactions read the challenge's row, then neither spends it before the other has read it too,
        # unless the row lock holds the second back: then the first goes on after a short wait and the
        # second, let through by the first's commit, finds the challenge spent.
        both_read = threading.Barrier(2)
        read = UnitOfWork.eds_challenge

        def together(self, nonce, *, lock=False):
            got = read(self, nonce, lock=lock)
            try:
                both_read.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass  # the other is waiting for the row lock (or gave up waiting for this one)
            return got
        monkeypatch.setattr(UnitOfWork, "eds_challenge", together)

    def sign_in():
        return app.test_client().post("/api/v1/auth/eds/login", json={"nonce": nonce, "cms": signed}, headers=ORIGIN)

    answers = run_together(sign_in, sign_in)
    codes = sorted(r.status_code for r in answers)
    assert codes == [200, 401], [(r.status_code, r.get_json()) for r in answers]
    refused = next(r for r in answers if r.status_code == 401).get_json()["error"]
    assert refused["code"] == "eds_bad_nonce"
    assert next(r for r in answers if r.status_code == 200).get_json()["user"]["id"] == person.id
