"""Signing in with an EDS through the API (issue 14 point 1), against the test PKI the tests make
(tests/eds_pki.py): a challenge, the CMS over its nonce, the account of the certificate's IIN or BIN, on
SQLite and PostgreSQL. Every refusal is 401 with the SPEC §9 body and its own code, spends the challenge,
and changes nothing else: no token, no session, no account."""
from __future__ import annotations

import pytest

from .. import eds_pki
from ..eds_pki import cms
from ..helpers import bin_, error, iin

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(801), iin(802), bin_(803), iin(804))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    """The app of each test trusts the test root (MULIK_EDS_TRUST_ANCHORS), as `make run` would be told."""
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


def challenge(m) -> dict:
    r = m.client.post("/api/v1/auth/eds/challenge", headers=ORIGIN)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def login(m, nonce: str, signed: str, **extra):
    return m.client.post("/api/v1/auth/eds/login", json={"nonce": nonce, "cms": signed, **extra}, headers=ORIGIN)


def me(m):
    return m.client.get("/api/v1/me")


def accounts(m) -> list:
    """Every account row (its token digest with it): what a refused sign-in must leave as it was."""
    from service.orm import metadata
    with m.app.extensions["mulik"]["engine"].connect() as conn:
        return conn.execute(metadata.tables["users"].select().order_by("id")).all()


def spent(m, nonce: str) -> bool:
    from service.orm import metadata
    t = metadata.tables["eds_challenges"]
    with m.app.extensions["mulik"]["engine"].connect() as conn:
        return conn.execute(t.select().where(t.c.nonce == nonce)).one().used_at is not None


def test_a_person_signs_in_with_the_authentication_key_and_the_nonce_is_then_spent(m, pki):
    person = m.user("bidder", iin_bin=pki.iin, name="Тестов Тест")
    c = challenge(m)
    assert len(c["nonce"]) >= 32 and c["expires_at"] == "2026-12-01T04:05:00Z"  # 5 minutes by the server's clock
    signed = cms(c["nonce"].encode(), pki.person)
    r = login(m, c["nonce"], signed)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["user"]["id"] == person.id and body["user"]["iin_bin"] == pki.iin
    assert me(m).get_json()["id"] == person.id  # the session cookie
    assert m.client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"}).get_json()["email"] == \
        person.email  # and the fresh API token
    # the same nonce and signature again: refused, whoever sends it
    m.client.post("/api/v1/auth/logout", headers=ORIGIN)
    before = accounts(m)
    error(login(m, c["nonce"], signed), 401, "eds_bad_nonce")
    assert me(m).status_code == 401 and accounts(m) == before


def test_a_key_checked_by_the_ocsp_responder_signs_in(m, pki):
    person = m.user("bidder", iin_bin=pki.iin)
    c = challenge(m)
    r = login(m, c["nonce"], cms(c["nonce"].encode(), pki.ocsp_good))
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["user"]["id"] == person.id


def test_a_companys_key_logs_into_the_account_of_its_bin(m, pki):
    m.user("bidder", iin_bin=pki.company_iin)  # the employee's own account is not the company's
    company = m.user("bidder", iin_bin=pki.bin, name="ТОО «Тест»")
    c = challenge(m)
    r = login(m, c["nonce"], cms(c["nonce"].encode(), pki.company, pss=True))  # RSASSA-PSS
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["user"]["id"] == company.id and r.get_json()["user"]["iin_bin"] == pki.bin
    assert me(m).get_json()["id"] == company.id


REFUSALS = {  # what is signed and how -> the code
    "unknown_authority": (lambda p, n: cms(n, p.stranger, chain=p.stranger.cert_chain), "eds_unknown_authority"),
    "expired": (lambda p, n: cms(n, p.expired), "eds_expired"),
    "revoked": (lambda p, n: cms(n, p.revoked), "eds_revoked"),  # by the CRL
    "revoked_by_ocsp": (lambda p, n: cms(n, p.ocsp_revoked), "eds_revoked"),
    "signing_only": (lambda p, n: cms(n, p.signing_only), "eds_wrong_usage"),
    "other_content": (lambda p, n: cms(n + b"x", p.person), "eds_bad_nonce"),
    "signature_changed": (lambda p, n: eds_pki.tampered(cms(n, p.person), signature=True), "eds_signature_mismatch"),
    "digest_changed": (lambda p, n: eds_pki.tampered(cms(n, p.person), digest=True), "eds_signature_mismatch"),
    "not_cms": (lambda p, n: "bm90IGEgY21z", "eds_bad_cms"),
    "gost": (lambda p, n: eds_pki.gost_cms(n, p.ca, p.iin), "eds_gost_unsupported"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_is_401_with_its_code_and_changes_nothing_but_the_spent_challenge(m, pki, case):
    m.user("bidder", iin_bin=pki.iin)
    make, code = REFUSALS[case]
    c = challenge(m)
    before = accounts(m)
    body = error(login(m, c["nonce"], make(pki, c["nonce"].encode())), 401, code)
    assert body["article"] is None and body["message"]
    assert me(m).status_code == 401 and accounts(m) == before
    assert spent(m, c["nonce"])  # single use even when refused: the page asks for a new one
    # a good signature cannot reuse it either
    error(login(m, c["nonce"], cms(c["nonce"].encode(), pki.person)), 401, "eds_bad_nonce")


def test_an_unknown_or_expired_nonce_is_refused(m, pki):
    m.user("bidder", iin_bin=pki.iin)
    error(login(m, "no-such-nonce", cms(b"no-such-nonce", pki.person)), 401, "eds_bad_nonce")
    c = challenge(m)
    m.advance(minutes=5, seconds=1)
    body = error(login(m, c["nonce"], cms(c["nonce"].encode(), pki.person)), 401, "eds_bad_nonce")
    assert "expired" in body["message"]
    assert me(m).status_code == 401


def test_an_iin_without_an_account_is_refused_with_the_number_for_a_registration(m, pki):
    before = accounts(m)
    c = challenge(m)
    r = login(m, c["nonce"], cms(c["nonce"].encode(), pki.person))
    body = error(r, 401, "eds_no_account")
    assert body["iin_bin"] == pki.iin and body["full_name"] == "ТЕСТОВ ТЕСТ"
    assert accounts(m) == before and me(m).status_code == 401


def test_several_accounts_of_one_iin_are_told_apart_by_the_email(m, pki):
    m.user("bidder", iin_bin=pki.iin)
    debtor = m.user("debtor", iin_bin=pki.iin)
    c = challenge(m)
    error(login(m, c["nonce"], cms(c["nonce"].encode(), pki.person)), 401, "eds_several_accounts")
    c = challenge(m)
    r = login(m, c["nonce"], cms(c["nonce"].encode(), pki.person), email=debtor.email.upper())
    assert r.status_code == 200 and r.get_json()["user"]["id"] == debtor.id


def test_a_blocked_account_cannot_sign_in_with_its_eds_either(m, pki):
    person = m.user("bidder", iin_bin=pki.iin)
    m.operator.ok("POST", f"/users/{person.id}/block", {"reason": "fraud"})
    c = challenge(m)
    error(login(m, c["nonce"], cms(c["nonce"].encode(), pki.person)), 403, "blocked")
    assert me(m).status_code == 401


@pytest.mark.app_config(EDS_REVOCATION="require")
def test_revocation_can_be_required_of_every_certificate(m, pki):
    """A certificate that names no CRL is refused when the setting requires a check of each one."""
    c = challenge(m)
    error(login(m, c["nonce"], cms(c["nonce"].encode(), pki.no_crl)), 401, "eds_revocation_unknown")



@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_demo_trusts_its_own_authority_and_its_accounts_sign_in_with_mulik_eds_sign(m, tmp_path, monkeypatch):
    """`make run` outside production, with no MULIK_EDS_TRUST_ANCHORS: the demo's test authority is made in the
    instance folder and trusted, each demo account has a key of it, `mulik eds-sign` signs a nonce."""
    from click.testing import CliRunner

    from web.cli import _demo_eds_authority, main
    from web.demo import ACCOUNTS
    monkeypatch.setattr(m.app, "instance_path", str(tmp_path))
    m.app.config["EDS_TRUST_ANCHORS"] = None
    _demo_eds_authority(m.app)
    assert m.app.config["EDS_TRUST_ANCHORS"] == str(tmp_path / "eds-demo" / "anchors.pem")
    for email, role, name, number in (ACCOUNTS[7], ACCOUNTS[5]):  # bidder1, and the bank (a company's key)
        account = m.user(role, iin_bin=number, name=name)
        c = challenge(m)
        signed = CliRunner().invoke(main, ["eds-sign", str(tmp_path / "eds-demo" / f"{email.split('@')[0]}.p12"),
                                           c["nonce"]])
        assert signed.exit_code == 0, signed.output
        r = login(m, c["nonce"], signed.output.strip())
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["user"]["id"] == account.id


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.app_config(LOGIN_RATE_LIMIT_ADDRESS="2/minute", EDS_CHALLENGE_RATE_LIMIT="4/minute")
def test_failed_eds_sign_ins_count_as_failed_logins_of_the_address_and_challenges_are_limited(m, pki):
    for _ in range(2):
        error(login(m, "no-such-nonce", "MAA="), 401, "eds_bad_nonce")
    c = challenge(m)
    body = error(login(m, c["nonce"], cms(c["nonce"].encode(), pki.person)), 429, "rate_limited")
    assert "too many failed logins from your address" in body["message"]
    assert not spent(m, c["nonce"])  # answered before the use case ran
    for _ in range(3):
        challenge(m)
    error(m.client.post("/api/v1/auth/eds/challenge", headers=ORIGIN), 429, "rate_limited")


def test_a_sign_in_from_a_page_read_in_kazakh_writes_the_persons_e_mails_in_kazakh(m, pki):
    from service.orm import User
    from web import uow_for
    person = m.user("bidder", iin_bin=pki.iin)
    m.client.get("/login?lang=kk")  # the page remembers the language it is read in (its cookie)
    c = challenge(m)
    assert login(m, c["nonce"], cms(c["nonce"].encode(), pki.person)).status_code == 200
    with uow_for(m.app) as uow:
        assert uow.get(User, person.id).language == "kk"


def test_a_sign_in_through_the_api_alone_leaves_the_language_unchosen(m, pki):
    from service.orm import User
    from web import uow_for
    person = m.user("bidder", iin_bin=pki.iin)
    c = challenge(m)
    r = m.client.post("/api/v1/auth/eds/login", json={"nonce": c["nonce"], "cms": cms(c["nonce"].encode(), pki.person)},
                      headers={**ORIGIN, "Accept-Language": "ru"})
    assert r.status_code == 200
    with uow_for(m.app) as uow:
        assert uow.get(User, person.id).language is None  # its e-mails then come in all three languages
