"""A test PKI made by the tests (issue 14 point 4), laid out as the NCA (НУЦ РК) lays out its certificates:
a root and an intermediate authority; a person's authentication key (SERIALNUMBER=IIN…, SURNAME, G, C=KZ,
client-auth EKU and the NCA's "natural person" OID); a company's (its employee's IIN, OU=BIN…, O=…, the
"legal entity" OID); an expired one; a revoked one, listed in the intermediate's CRL, which a tiny HTTP
server on 127.0.0.1 serves; two checked by the intermediate's OCSP responder (the same server), one good,
one revoked; a signing-only key (non-repudiation, e-mail protection: the NCA's RSA signing
key); one from an unknown root; a GOST one (its key's algorithm is the Kazakh GOST arc's). And the CMS
NCALayer makes: SignedData with attached content, signed attributes and the signer's certificate, built
with cryptography's PKCS#7 builder (PKCS#1 v1.5 or PSS)."""
from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import cms as acms
from asn1crypto import core, keys
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID, ObjectIdentifier

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc)  # tests/conftest.START
INDIVIDUAL = ObjectIdentifier("1.2.398.3.3.4.1.1")
ORGANIZATION = ObjectIdentifier("1.2.398.3.3.4.1.2")
CEO = ObjectIdentifier("1.2.398.3.3.4.1.2.1")
GOST_2015_KEY = "1.2.398.3.10.1.1.2.2"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def person_name(iin: str, surname: str = "ТЕСТОВ", given: str = "ТЕСТ", patronymic: str = "ТЕСТОВИЧ") -> x509.Name:
    """CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN…, C=KZ, G=ТЕСТОВИЧ: as the NCA writes a person."""
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{surname} {given}"),
                      x509.NameAttribute(NameOID.SURNAME, surname),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.GIVEN_NAME, patronymic)])


def company_name(iin: str, bin_: str, company: str = "ТОО «Тест»") -> x509.Name:
    """The employee's IIN, then the company: O=…, OU=BIN…, as the NCA writes a legal entity's key."""
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ТЕСТОВ ТЕСТ"),
                      x509.NameAttribute(NameOID.SURNAME, "ТЕСТОВ"),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                      x509.NameAttribute(NameOID.LOCALITY_NAME, "АСТАНА"),
                      x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "АСТАНА"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, company),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin_}"),
                      x509.NameAttribute(NameOID.GIVEN_NAME, "ТЕСТОВИЧ")])


@dataclass
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class Authority(Issued):
    serial: int = 100
    revoked: list[int] = field(default_factory=list)
    issued: dict = field(default_factory=dict)

    def ocsp(self, request_der: bytes) -> bytes:
        """Its OCSP responder's answer (signed with its own key, RFC 6960 §4.2.2.2): good, or revoked."""
        request = ocsp.load_der_ocsp_request(request_der)
        cert = self.issued.get(request.serial_number)
        if cert is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER)
        revoked = cert.serial_number in self.revoked
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=cert, issuer=self.cert, algorithm=hashes.SHA1(),
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=NOW - timedelta(hours=1), next_update=NOW + timedelta(days=1),
            revocation_time=NOW - timedelta(days=2) if revoked else None, revocation_reason=None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, self.cert)
        return b.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def issue(self, subject: x509.Name, *, ca: bool = False, usage: str = "auth", days: tuple[int, int] = (-30, 365),
              crl_url: str | None = None, eku: list | None = None, ocsp_url: str | None = None) -> Issued:
        key = _key()
        self.serial += 1
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.cert.subject)
             .public_key(key.public_key()).serial_number(self.serial)
             .not_valid_before(NOW + timedelta(days=days[0])).not_valid_after(NOW + timedelta(days=days[1]))
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False))
        if ca:
            b = b.add_extension(x509.BasicConstraints(ca=True, path_length=0), True).add_extension(
                _usage(key_cert_sign=True, crl_sign=True), True)
        else:
            b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
            if usage == "auth":  # the NCA's AUTH_RSA key: digital signature, key encipherment, client auth
                b = b.add_extension(_usage(digital_signature=True, key_encipherment=True), True)
                b = b.add_extension(x509.ExtendedKeyUsage(eku or [ExtendedKeyUsageOID.CLIENT_AUTH, INDIVIDUAL]), False)
            else:  # RSA_…: the signing key, non-repudiation and e-mail protection only
                b = b.add_extension(_usage(content_commitment=True), True)
                b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, INDIVIDUAL]), False)
        if ocsp_url:
            b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]), False)
        if crl_url:
            b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                [x509.UniformResourceIdentifier(crl_url)], None, None, None)]), False)
        issued = Issued(b.sign(self.key, hashes.SHA256()), key)
        self.issued[issued.cert.serial_number] = issued.cert
        return issued

    def crl(self) -> bytes:
        b = (x509.CertificateRevocationListBuilder().issuer_name(self.cert.subject)
             .last_update(NOW - timedelta(days=1)).next_update(NOW + timedelta(days=30))
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False)
             .add_extension(x509.CRLNumber(1), False))
        for serial in self.revoked:
            b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                          .revocation_date(NOW - timedelta(days=2)).build())
        return b.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _usage(**on) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def root(name: str) -> Authority:
    key = _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - timedelta(days=3650)).not_valid_after(NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), True)
            .add_extension(_usage(key_cert_sign=True, crl_sign=True), True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256()))
    return Authority(cert, key)


def intermediate(parent: Authority, name: str) -> Authority:
    issued = parent.issue(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                                     x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ")]), ca=True, days=(-3000, 3000))
    return Authority(issued.cert, issued.key)


def cms(data: bytes, signer: Issued, *, chain: list[x509.Certificate] = (), pss: bool = False) -> str:
    """base64 of a DER CMS SignedData over `data`, attached, with signed attributes and the signer's
    certificate (and `chain`): what NCALayer's createCMSSignatureFromBase64 gives."""
    b = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(
        signer.cert, signer.key, hashes.SHA256(),
        rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32) if pss else None)
    for c in chain:
        b = b.add_certificate(c)
    return base64.b64encode(b.sign(serialization.Encoding.DER, [])).decode()


def tampered(cms_b64: str, *, signature: bool = False, digest: bool = False) -> str:
    """The same CMS with one bit of its signature, or of its signed message digest, flipped."""
    info = acms.ContentInfo.load(base64.b64decode(cms_b64))
    signer = info["content"]["signer_infos"][0]
    if signature:
        sig = bytearray(signer["signature"].native)
        sig[10] ^= 1
        signer["signature"] = bytes(sig)
    if digest:
        attrs = signer["signed_attrs"]
        for a in attrs:
            if a["type"].native == "message_digest":
                d = bytearray(a["values"][0].native)
                d[0] ^= 1
                a["values"] = [bytes(d)]
        signer["signed_attrs"] = attrs
    return base64.b64encode(info.dump(force=True)).decode()


def _length(content: bytes) -> bytes:
    """DER length octets, then the content."""
    n = len(content)
    return (bytes([n]) if n < 128 else bytes([0x80 | len(n.to_bytes(4, "big").lstrip(b"\0"))])
            + n.to_bytes(4, "big").lstrip(b"\0")) + content


def _sequence(content: bytes) -> bytes:
    return b"\x30" + _length(content)


def gost_certificate(parent: Authority, iin: str) -> ax509.Certificate:
    """A certificate whose key is a GOST R 34.10-2015 one (the NCA's GOST branch), issued by `parent`.
    Its key bytes are not a real GOST key: the platform refuses it by the algorithm before reading them."""
    rsa_cert = parent.issue(person_name(iin))
    tbs = ax509.Certificate.load(rsa_cert.cert.public_bytes(serialization.Encoding.DER))["tbs_certificate"]
    algorithm = core.Sequence.load(_sequence(core.ObjectIdentifier(GOST_2015_KEY).dump()))
    spki = _sequence(algorithm.dump() + core.OctetBitString(b"\x04\x40" + bytes(64)).dump())
    tbs["subject_public_key_info"] = keys.PublicKeyInfo.load(spki)
    body = tbs.dump()
    signature = parent.key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return ax509.Certificate({"tbs_certificate": tbs, "signature_algorithm": {"algorithm": "sha256_rsa"},
                              "signature_value": signature})


def gost_cms(data: bytes, parent: Authority, iin: str) -> str:
    """A CMS over `data` whose signer's certificate is the GOST one (the signature is not checked: refused first)."""
    donor = parent.issue(person_name(iin))
    info = acms.ContentInfo.load(base64.b64decode(cms(data, donor)))
    gost = gost_certificate(parent, iin)
    signed = info["content"]
    signed["certificates"] = [acms.CertificateChoices({"certificate": gost})]
    signer = signed["signer_infos"][0]
    signer["sid"] = acms.SignerIdentifier({"issuer_and_serial_number": {
        "issuer": gost.issuer, "serial_number": gost.serial_number}})
    signed["certificates"] = signed["certificates"]  # the parents re-encode what changed, never parse the GOST key
    info["content"] = signed
    return base64.b64encode(info.dump()).decode()


class CrlServer:
    """The intermediate's CRL over HTTP on 127.0.0.1 (a thread), at `url`; `hits` counts the fetches."""

    def __init__(self):
        self.body, self.hits, self.ocsp_hits, self.responder = b"", 0, 0, None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.hits += 1
                if self.path != "/intermediate.crl":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def do_POST(self):  # noqa: N802  (the OCSP responder, RFC 6960 A.1)
                server.ocsp_hits += 1
                asked = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = server.responder.ocsp(asked)
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/intermediate.crl"
        self.ocsp_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/ocsp"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Pki:
    root: Authority
    ca: Authority
    stranger_root: Authority
    crl: CrlServer
    person: Issued
    company: Issued
    expired: Issued
    revoked: Issued
    signing_only: Issued
    no_crl: Issued
    ocsp_good: Issued
    ocsp_revoked: Issued
    stranger: Issued
    iin: str
    company_iin: str
    bin: str

    @property
    def anchors_pem(self) -> bytes:
        """MULIK_EDS_TRUST_ANCHORS: the root and the intermediate."""
        return self.root.pem + self.ca.pem


def make_pki(iin: str, company_iin: str, bin_: str, other_iin: str) -> Pki:
    server = CrlServer()
    r = root("Mulik Test Root CA")
    ca = intermediate(r, "Mulik Test NCA (RSA)")
    person = ca.issue(person_name(iin), crl_url=server.url)
    company = ca.issue(company_name(company_iin, bin_), crl_url=server.url,
                       eku=[ExtendedKeyUsageOID.CLIENT_AUTH, ORGANIZATION, CEO])
    expired = ca.issue(person_name(iin), days=(-400, -5), crl_url=server.url)
    revoked = ca.issue(person_name(iin), crl_url=server.url)
    ca.revoked.append(revoked.cert.serial_number)
    signing = ca.issue(person_name(iin), usage="sign", crl_url=server.url)
    no_crl = ca.issue(person_name(other_iin))
    ocsp_good = ca.issue(person_name(iin), ocsp_url=server.ocsp_url)  # checked by OCSP only (names no CRL)
    ocsp_revoked = ca.issue(person_name(iin), ocsp_url=server.ocsp_url)
    ca.revoked.append(ocsp_revoked.cert.serial_number)
    server.responder = ca
    stranger_root = root("Mulik Stranger Root")
    stranger_ca = intermediate(stranger_root, "Stranger CA")
    stranger = stranger_ca.issue(person_name(iin))
    stranger.cert_chain = [stranger_ca.cert]  # type: ignore[attr-defined]
    server.body = ca.crl()
    return Pki(r, ca, stranger_root, server, person, company, expired, revoked, signing, no_crl, ocsp_good,
               ocsp_revoked, stranger, iin, company_iin, bin_)


def trusted_pki(directory, iin: str, company_iin: str, bin_: str, other_iin: str):
    """A test PKI whose anchors are written to `directory` (for MULIK_EDS_TRUST_ANCHORS); a module fixture yields
    from it, and its CRL server stops after the module."""
    made = make_pki(iin, company_iin, bin_, other_iin)
    anchors = directory / "anchors.pem"
    anchors.write_bytes(made.anchors_pem)
    made.anchors_path = str(anchors)  # type: ignore[attr-defined]
    yield made
    made.crl.close()
