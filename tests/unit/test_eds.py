"""The EDS verifier (service/eds.py, issue 14 point 1): a CMS over the nonce from the test PKI
(tests/eds_pki.py) is accepted, and each way it can be wrong is refused with its own code."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID

from service.eds import EdsRefused, Verifier, fetch_url, load_anchors

from .. import eds_pki
from ..eds_pki import NOW, cms
from ..helpers import bin_, iin

NONCE = b"mulik-eds-nonce-1"


@pytest.fixture(scope="module")
def pki():
    made = eds_pki.make_pki(iin(901), iin(902), bin_(903), iin(904))
    yield made
    made.crl.close()


def verifier(pki, **kw) -> Verifier:
    return Verifier(load_anchors(pki.anchors_pem), **kw)


def refused(pki, cms_b64: str, code: str, *, expected: bytes = NONCE, at=NOW, **kw) -> EdsRefused:
    with pytest.raises(EdsRefused) as e:
        verifier(pki, **kw).verify(cms_b64, expected, at)
    assert e.value.code == code, e.value.message
    assert e.value.status == 401
    return e.value


def test_a_persons_authentication_key_signs_in_with_the_iin_of_its_subject(pki):
    hits, checks = pki.crl.hits, verifier(pki)
    signer = checks.verify(cms(NONCE, pki.person), NONCE, NOW)
    assert (signer.iin, signer.bin, signer.iin_bin) == (pki.iin, None, pki.iin)
    assert signer.common_name == "ТЕСТОВ ТЕСТ" and signer.serial == format(pki.person.cert.serial_number, "X")
    assert pki.crl.hits == hits + 1  # the CRL the certificate names was fetched
    checks.verify(cms(NONCE, pki.person), NONCE, NOW + timedelta(days=29))
    assert pki.crl.hits == hits + 1  # and kept until its next update (30 days on)
    with pytest.raises(EdsRefused, match="CRL is not recent enough"):  # past it: fetched again, and still old
        checks.verify(cms(NONCE, pki.person), NONCE, NOW + timedelta(days=31))
    assert pki.crl.hits == hits + 2


def test_a_companys_key_names_the_bin_and_its_employees_iin(pki):
    signer = verifier(pki).verify(cms(NONCE, pki.company, pss=True), NONCE, NOW)
    assert (signer.iin, signer.bin, signer.iin_bin) == (pki.company_iin, pki.bin, pki.bin)
    assert signer.organization == "ТОО «Тест»"


def test_the_content_must_be_exactly_the_nonce(pki):
    refused(pki, cms(NONCE + b" ", pki.person), "eds_bad_nonce")
    refused(pki, cms(NONCE, pki.person), "eds_bad_nonce", expected=b"another nonce")


def test_a_changed_signature_or_digest_is_a_mismatch(pki):
    good = cms(NONCE, pki.person)
    refused(pki, eds_pki.tampered(good, signature=True), "eds_signature_mismatch")
    refused(pki, eds_pki.tampered(good, digest=True), "eds_signature_mismatch")


def test_trust_anchors_that_cannot_be_read_fail_at_once(tmp_path):
    with pytest.raises(ValueError, match="MULIK_EDS_TRUST_ANCHORS"):
        load_anchors(tmp_path / "missing.pem")
    (tmp_path / "bad.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(ValueError, match="MULIK_EDS_TRUST_ANCHORS"):
        load_anchors(tmp_path / "bad.pem")


def test_an_unreadable_cms_is_refused(pki):
    refused(pki, "not base64!", "eds_bad_cms")
    refused(pki, "ЭЦП", "eds_bad_cms")
    detached = pkcs7.PKCS7SignatureBuilder().set_data(NONCE).add_signer(
        pki.person.cert, pki.person.key, hashes.SHA256()).sign(Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    assert "attached content" in refused(pki, base64.b64encode(detached).decode(), "eds_bad_cms").message
    good = base64.b64decode(cms(NONCE, pki.person))
    for cut in (len(good) // 3, len(good) // 2, len(good) - 5):
        refused(pki, base64.b64encode(good[:cut]).decode(), "eds_bad_cms")
    refused(pki, base64.b64encode(b"\x30\x03\x02\x01\x01").decode(), "eds_bad_cms")
    refused(pki, "", "eds_bad_cms")


def test_the_certificate_must_chain_to_the_trust_anchors(pki):
    refused(pki, cms(NONCE, pki.stranger, chain=pki.stranger.cert_chain), "eds_unknown_authority")
    with pytest.raises(EdsRefused, match="no EDS trust anchors") as e:
        Verifier([]).verify(cms(NONCE, pki.person), NONCE, NOW)
    assert e.value.code == "eds_unknown_authority"


def test_expired_revoked_and_signing_only_keys_are_refused(pki):
    refused(pki, cms(NONCE, pki.expired), "eds_expired")
    refused(pki, cms(NONCE, pki.person), "eds_expired", at=NOW + timedelta(days=400))
    refused(pki, cms(NONCE, pki.revoked), "eds_revoked")
    refused(pki, cms(NONCE, pki.signing_only), "eds_wrong_usage")
    # digital signature, but its extended usages name e-mail protection only: not an authentication key
    email_only = pki.ca.issue(eds_pki.person_name(pki.iin), eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION])
    refused(pki, cms(NONCE, email_only), "eds_wrong_usage", revocation="soft-fail")


def test_revocation_modes(pki):
    # a certificate naming no CRL passes unless every certificate must be checked
    assert verifier(pki).verify(cms(NONCE, pki.no_crl), NONCE, NOW).iin
    refused(pki, cms(NONCE, pki.no_crl), "eds_revocation_unknown", revocation="require")

    def unreachable(url, timeout, ocsp_request=None):
        raise OSError("connection refused")
    refused(pki, cms(NONCE, pki.person), "eds_revocation_unknown", fetch=unreachable)
    assert Verifier(load_anchors(pki.anchors_pem), revocation="soft-fail", fetch=unreachable).verify(
        cms(NONCE, pki.person), NONCE, NOW).iin == pki.iin


def test_a_certificate_naming_an_ocsp_responder_is_checked_there(pki):
    hits = pki.crl.ocsp_hits
    assert verifier(pki).verify(cms(NONCE, pki.ocsp_good), NONCE, NOW).iin == pki.iin
    assert pki.crl.ocsp_hits == hits + 1
    # `require`: every certificate of the path, the intermediate too, whose issuer publishes no CRL here
    assert "intermediate" in refused(pki, cms(NONCE, pki.ocsp_good), "eds_revocation_unknown",
                                     revocation="require").message
    refused(pki, cms(NONCE, pki.ocsp_revoked), "eds_revoked")

    def crl_only(url, timeout, ocsp_request=None):
        if ocsp_request is not None:
            raise OSError("the responder does not answer")
        return fetch_url(url, timeout)
    refused(pki, cms(NONCE, pki.ocsp_good), "eds_revocation_unknown", fetch=crl_only)


def test_a_gost_key_is_refused_with_its_own_code(pki):
    refused(pki, eds_pki.gost_cms(NONCE, pki.ca, pki.iin), "eds_gost_unsupported")


def test_a_crl_is_fetched_from_a_file_url_too(pki, tmp_path):
    path = tmp_path / "ca.crl"
    path.write_bytes(pki.ca.crl())
    assert fetch_url(path.as_uri(), 1) == pki.ca.crl()
    with pytest.raises(ValueError):
        fetch_url("ftp://example.kz/ca.crl", 1)


def test_an_intermediate_naming_an_ocsp_responder_is_checked_there_too():
    """The intermediate's own revocation, asked of its issuer's responder (the root's): with `require`, a path
    whose every certificate names an OCSP responder passes, and a revoked intermediate is refused."""
    root_server, ca_server = eds_pki.CrlServer(), eds_pki.CrlServer()
    try:
        root = eds_pki.root("Mulik OCSP Root")
        root_server.responder = root

        def intermediate(name):
            issued = root.issue(eds_pki.x509.Name([eds_pki.x509.NameAttribute(eds_pki.NameOID.COMMON_NAME, name)]),
                                ca=True, days=(-3000, 3000), ocsp_url=root_server.ocsp_url)
            return eds_pki.Authority(issued.cert, issued.key)

        good_ca, revoked_ca = intermediate("OCSP CA"), intermediate("Revoked OCSP CA")
        root.revoked.append(revoked_ca.cert.serial_number)
        anchors = load_anchors(root.pem)
        for ca in (good_ca, revoked_ca):
            ca_server.responder = ca
            leaf = ca.issue(eds_pki.person_name(iin(905)), ocsp_url=ca_server.ocsp_url)
            signed = cms(NONCE, leaf, chain=[ca.cert])
            check = Verifier(anchors, revocation="require")
            before = root_server.ocsp_hits
            if ca is good_ca:
                assert check.verify(signed, NONCE, NOW).iin == iin(905)
            else:
                with pytest.raises(EdsRefused) as e:
                    check.verify(signed, NONCE, NOW)
                assert e.value.code == "eds_revoked", e.value.message
            assert root_server.ocsp_hits == before + 1  # the root's responder was asked about the intermediate
    finally:
        root_server.close()
        ca_server.close()
