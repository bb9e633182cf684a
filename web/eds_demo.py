"""The demo's own test authority (issue 14 point 4): `make run` trusts it when no MULIK_EDS_TRUST_ANCHORS is
set, outside production, and every demo account has two keys of it, as the NCA gives a person two: an
authentication key `<name>.p12` (the sign-in) and a signing key `<name>-sign.p12` (the acts: non-repudiation,
e-mail protection, as the NCA's RSA_… key), so that a newcomer can try the EDS without the NCA.

Sign in (the challenge's nonce, signed with the authentication key):

    N=$(curl -s -X POST localhost:5000/api/v1/auth/eds/challenge | jq -r .nonce)
    CMS=$(.venv/bin/mulik eds-sign instance/eds-demo/bidder1.p12 "$N")
    curl -s localhost:5000/api/v1/auth/eds/login -H 'Content-Type: application/json' \
      -d "{\"nonce\": \"$N\", \"cms\": \"$CMS\"}"

Sign an act (here the application for auction 1, Art. 80.2): the act's route gives the exact bytes to sign
(`content`, base64); `mulik eds-sign` signs a file (`--file PATH`) or its standard input (`-`) with the signing
key, and the CMS files the application:

    T=$(curl -s localhost:5000/api/v1/auth/login -H 'Content-Type: application/json' \
      -d '{"email": "bidder1@mulik.kz", "password": "demo12345"}' | jq -r .token)
    curl -s localhost:5000/api/v1/auctions/1/applications/act -H "Authorization: Bearer $T" \
      -H 'Content-Type: application/json' -d '{}' | jq -r .content | base64 -d > act.json
    CMS=$(.venv/bin/mulik eds-sign instance/eds-demo/bidder1-sign.p12 --file act.json)
    curl -s localhost:5000/api/v1/auctions/1/applications -H "Authorization: Bearer $T" \
      -H 'Content-Type: application/json' -d "{\"cms\": \"$CMS\"}"

(`... | jq -r .content | base64 -d | mulik eds-sign KEY -` does the same without the file; never sign `.text`
through `jq -r`, which adds a newline: the signature must cover the act's bytes exactly.) On the pages, the
application form signs through NCALayer (web/static/eds-sign.js) where it runs.

Made once, in the app's instance folder (`instance/eds-demo/` in a checkout: the anchors' PEM and two PKCS#12
per account, password the demo's), laid out as the NCA lays out its certificates (SERIALNUMBER=IIN…; a
company's key OU=BIN…). A folder made before the signing keys existed is made anew (the demo authority's own
key is not kept). Its keys are for the demo only: the folder is made on the machine, never shipped, and
production never trusts it.
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
           company: bool = False, signing: bool = False):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(serial).not_valid_before(now - timedelta(days=60)).not_valid_after(now + timedelta(days=730))
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), True).add_extension(
            _usage(key_cert_sign=True, crl_sign=True), True)
    elif signing:  # the NCA's RSA_… key: non-repudiation, e-mail protection (the acts, service/signing.py)
        b = (b.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
             .add_extension(_usage(content_commitment=True), True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                   ORGANIZATION if company else INDIVIDUAL]), False))
    else:  # AUTH_RSA_…: the sign-in
        b = (b.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
             .add_extension(_usage(digital_signature=True, key_encipherment=True), True)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                   ORGANIZATION if company else INDIVIDUAL]), False))
    return b.sign(issuer_key, hashes.SHA256())


def ensure_demo_authority(folder: Path, accounts, password: str, now: datetime) -> Path:
    """The demo authority's anchors (made the first time, with an authentication and a signing key per account
    `(email, role, name, iin_bin)`), valid around `now` (the platform's clock): the path of its PEM."""
    anchors = folder / "anchors.pem"
    names = [email.split("@")[0] for email, *_rest in accounts]
    if anchors.exists() and all((folder / f"{n}-sign.p12").exists() for n in names):
        return anchors
    folder.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Mulik Demo Root CA")
    root = _issue(root_name, root_key, root_name, root_key, 1, now, ca=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("Mulik Demo NCA (RSA)")
    ca = _issue(ca_name, ca_key, root_name, root_key, 2, now, ca=True)
    serial = 100
    for (_email, _role, name, number), short in zip(accounts, names):
        for suffix, signing in (("", False), ("-sign", True)):
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            cert = _issue(_subject(name, number), key, ca_name, ca_key, serial, now, ca=False,
                          company=is_bin(number), signing=signing)
            serial += 1
            blob = pkcs12.serialize_key_and_certificates(
                f"{short}{suffix}".encode(), key, cert, [ca], serialization.BestAvailableEncryption(password.encode()))
            (folder / f"{short}{suffix}.p12").write_bytes(blob)
    anchors.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (root, ca)))
    return anchors


def sign(p12: bytes, password: str, data: str | bytes) -> str:
    """What NCALayer's createCMSSignatureFromBase64 gives for `data` (text is signed as UTF-8): base64 of a DER
    CMS SignedData, the content attached, with signed attributes and the signer's certificate (and its issuer's)."""
    key, cert, chain = pkcs12.load_key_and_certificates(p12, password.encode())
    content = data.encode("utf-8") if isinstance(data, str) else data
    b = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256())
    for c in chain:
        b = b.add_certificate(c)
    return base64.b64encode(b.sign(serialization.Encoding.DER, [])).decode()
