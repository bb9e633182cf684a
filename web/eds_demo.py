"""The demo's own test authority (issue 14 point 4): `make run` trusts it when no MULIK_EDS_TRUST_ANCHORS is
set, outside production, and every demo account has an authentication key of it, so that a newcomer can try
the EDS sign-in without the NCA:

    N=$(curl -s -X POST localhost:5000/api/v1/auth/eds/challenge | jq -r .nonce)
    CMS=$(.venv/bin/mulik eds-sign instance/eds-demo/bidder1.p12 "$N")
    curl -s localhost:5000/api/v1/auth/eds/login -H 'Content-Type: application/json' \
      -d "{\"nonce\": \"$N\", \"cms\": \"$CMS\"}"

Made once, in the app's instance folder (`instance/eds-demo/` in a checkout: the anchors' PEM and one PKCS#12
per account, password the demo's), laid out as the NCA lays out its certificates (SERIALNUMBER=IIN…; a
company's key OU=BIN…). Its keys are for the demo only: the folder is made on the machine, never shipped,
and production never trusts it.
"""
from __future__ import annotations

import base64
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from auction.identity import is_bin, make_iin

INDIVIDUAL, ORGANIZATION = ObjectIdentifier("1.2.398.3.3.4.1.1"), ObjectIdentifier("1.2.398.3.3.4.1.2")


def _usage(**on) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")])


def _subject(full_name: str, number: str) -> x509.Name:
    """A person: CN, SERIALNUMBER=IIN…, C=KZ; a company's key: its employee's IIN and O=…, OU=BIN…."""
    if is_bin(number):
        employee = make_iin(datetime(1980, 1, 1).date(), "M", int(number[-4:-1]) + 500)
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ДЕМО ҚЫЗМЕТКЕР"),
                          x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{employee}"),
                          x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, full_name),
                          x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{number}")])
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, full_name.upper()),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{number}"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")])


def _issue(subject: x509.Name, key, issuer: x509.Name, issuer_key, serial: int, now: datetime, *, ca: bool,
           company: bool = False):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(serial).not_valid_before(now - timedelta(days=60)).not_valid_after(now + timedelta(days=730))
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), True).add_extension(
            _usage(key_cert_sign=True, crl_sign=True), True)
    else:
        b = (b.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
             .add_extension(_usage(digital_signature=True, key_encipherment=True), True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                   ORGANIZATION if company else INDIVIDUAL]), False))
    return b.sign(issuer_key, hashes.SHA256())


def ensure_demo_authority(folder: Path, accounts, password: str, now: datetime) -> Path:
    """The demo authority's anchors (made the first time, with a key per account `(email, role, name,
    iin_bin)`), valid around `now` (the platform's clock): the path of its PEM."""
    anchors = folder / "anchors.pem"
    if anchors.exists():
        return anchors
    folder.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Mulik Demo Root CA")
    root = _issue(root_name, root_key, root_name, root_key, 1, now, ca=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("Mulik Demo NCA (RSA)")
    ca = _issue(ca_name, ca_key, root_name, root_key, 2, now, ca=True)
    for n, (email, _role, name, number) in enumerate(accounts, start=100):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _issue(_subject(name, number), key, ca_name, ca_key, n, now, ca=False, company=is_bin(number))
        blob = pkcs12.serialize_key_and_certificates(
            email.split("@")[0].encode(), key, cert, [ca],
            serialization.BestAvailableEncryption(password.encode()))
        (folder / f"{email.split('@')[0]}.p12").write_bytes(blob)
    anchors.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (root, ca)))
    return anchors


def sign(p12: bytes, password: str, text: str) -> str:
    """What NCALayer's createCMSSignatureFromBase64 gives for `text`: base64 of a DER CMS SignedData, the
    content attached, with signed attributes and the signer's certificate (and its issuer's)."""
    key, cert, chain = pkcs12.load_key_and_certificates(p12, password.encode())
    b = pkcs7.PKCS7SignatureBuilder().set_data(text.encode("utf-8")).add_signer(cert, key, hashes.SHA256())
    for c in chain:
        b = b.add_certificate(c)
    return base64.b64encode(b.sign(serialization.Encoding.DER, [])).decode()
