"""Signing in with an EDS (ЭЦП, issue 14): the CMS SignedData NCALayer makes over a challenge, verified.

No Flask and no database here: `Verifier.verify(cms_base64, expected, at)` reads the CMS (asn1crypto),
checks that its content is exactly the expected bytes (the challenge's nonce, UTF-8), checks the signature
with the signer's certificate carried in the CMS (`cryptography`: RSA, PKCS#1 v1.5 or PSS, over the signed
attributes whose message digest is the content's), validates the certificate's path to the configured trust
anchors at the server's time (`pyhanko-certvalidator`, the `at` the caller's clock gives, never the wall
clock), its key usage for authentication, and its revocation by the CRLs its certificates name and the OCSP
responder the signer's certificate names; then reads
the IIN or the BIN from the subject as the NCA (НУЦ РК) writes it. A refusal is `EdsRefused` (401) with its
own code. docs/decisions.md ("EDS sign-in") says why each choice.

GOST 34.310 / GOST R 34.10-2015 keys (the NCA's other branch) are refused with `eds_gost_unsupported`: no
maintained Python library verifies them (decision in docs/decisions.md).
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import cms, core, crl, pem, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

from auction.errors import Unauthorized
from auction.identity import validate_bin, validate_iin

# The NCA's extended key usages (Rules of the NCA, order No 13 of 2020: adilet V2000021440).
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"  # the authentication key (AUTH_RSA…): the one that signs a login
INDIVIDUAL = "1.2.398.3.3.4.1.1"  # a natural person
ORGANIZATION = "1.2.398.3.3.4.1.2"  # an employee of a legal entity (…1.2.1 its head, …1.2.2 may sign, …)
# Public key and signature algorithms of the GOST family: the Kazakh arc, kalkan's, the Russian arc.
GOST_ARCS = ("1.2.398.3.10.", "1.3.6.1.4.1.6801.", "1.2.643.")
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
REVOCATION_MODES = ("soft-fail", "hard-fail", "require")
MAX_CMS_BYTES = 64 * 1024  # a login CMS is a few kilobytes: the certificate, maybe its issuer, the signature


class EdsRefused(Unauthorized):
    """An EDS sign-in refused: 401 with its code (eds_*), nothing changed but the challenge spent."""

    def __init__(self, message: str, *, code: str, **extra):
        super().__init__(message, code=code)
        self.extra = extra

    def as_dict(self) -> dict:
        return {**super().as_dict(), **self.extra}


@dataclass(frozen=True)
class Signer:
    """Who signed, as the certificate names him."""

    iin: str | None  # SERIALNUMBER=IIN… : the person (for a company's key, its employee)
    bin: str | None  # OU=BIN… : the company, for a legal entity's key
    common_name: str
    organization: str | None
    serial: str  # the certificate's serial number, hex
    issuer: str

    @property
    def iin_bin(self) -> str:
        """The number the account is looked up by: the company's BIN for its key, else the person's IIN."""
        return self.bin or self.iin  # type: ignore[return-value]


def _refuse(message: str, *, code: str) -> EdsRefused:
    return EdsRefused(message, code=code)


def load_anchors(source: str | Path | bytes | None) -> list[x509.Certificate]:
    """The trust anchors (roots and intermediates) of a PEM file, or of PEM bytes."""
    if not source:
        return []
    where = "the given PEM" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        found = [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)] \
            if pem.detect(data) else [x509.Certificate.load(data)]
        for c in found:
            c.native  # noqa: B018  (read whole now: a damaged file fails the start, not a sign-in)
    except (OSError, ValueError, TypeError) as e:
        raise ValueError(f"EDS trust anchors (MULIK_EDS_TRUST_ANCHORS) {where}: {e}") from None
    if not found:
        raise ValueError(f"EDS trust anchors (MULIK_EDS_TRUST_ANCHORS) {where}: no certificate")
    return found


def fetch_url(url: str, timeout: float, ocsp_request: bytes | None = None) -> bytes:
    """A CRL's bytes (http, https or file URL), or an OCSP responder's answer to `ocsp_request` (POSTed,
    RFC 6960 A.1); at most 10 MB."""
    if not url.startswith(("http://", "https://", "file://")):
        raise ValueError(f"not a URL the platform fetches: {url}")
    request = url if ocsp_request is None else urllib.request.Request(
        url, data=ocsp_request, headers={"Content-Type": "application/ocsp-request"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (schemes checked above)
        return answer.read(10 * 1024 * 1024)


class Verifier:
    """The EDS sign-in's checks, configured once: the trust anchors (`MULIK_EDS_TRUST_ANCHORS`), the
    revocation mode (`MULIK_EDS_REVOCATION`: soft-fail — a CRL that cannot be had is let pass; hard-fail —
    a certificate that names a CRL is refused when it cannot be checked; require — every certificate of the
    path must be checked), and how a CRL is fetched (a function, the tests give their own)."""

    def __init__(self, anchors: list[x509.Certificate], *, revocation: str = "hard-fail", timeout: float = 5.0,
                 fetch=fetch_url, retroactive: bool = False):
        if revocation not in REVOCATION_MODES:
            raise ValueError(f"EDS_REVOCATION={revocation!r}: one of {', '.join(REVOCATION_MODES)}")
        self.anchors, self.revocation, self.timeout, self.fetch = anchors, revocation, timeout, fetch
        self.retroactive = retroactive  # revocation lists issued after `at` count for `at` (rechecking)
        self.now: datetime | None = None  # rechecking: the time now, which says whether a kept CRL is still current
        self._crl_cache: dict[str, tuple[bytes, datetime]] = {}  # url -> (the CRL, its next update)
        # Roots are trusted as they are; intermediates listed with them help build the path.
        self.roots = [c for c in anchors if c.self_signed in ("yes", "maybe")]
        self.intermediates = [c for c in anchors if c.self_signed == "no"]

    @classmethod
    def from_config(cls, config) -> "Verifier":
        return cls(load_anchors(config.get("EDS_TRUST_ANCHORS")),
                   revocation=config.get("EDS_REVOCATION") or "hard-fail",
                   timeout=float(config.get("EDS_FETCH_TIMEOUT") or 5.0))

    def rechecking(self, now: datetime | None = None) -> "Verifier":
        """The same anchors, to check again a signature made earlier, at its signing time (`mulik documents
        verify`, the public /verify page): the CRLs and OCSP answers had now count for that time, and only a
        revocation dated at or before it refuses (a key revoked later had signed while valid); revocation data
        that cannot be had now is let pass (soft-fail), since the platform checked it, hard, when it accepted
        the signature and journaled it (docs/decisions.md "Checking signatures later"). Given `now`, it shares
        this verifier's CRLs, kept while their next update is ahead of `now` (the NCA's are large); else it
        keeps its own."""
        again = Verifier(self.anchors, revocation="soft-fail", timeout=self.timeout, fetch=self.fetch,
                         retroactive=True)
        if now is not None:
            again.now, again._crl_cache = now, self._crl_cache
        return again

    # ---- the one entry ------------------------------------------------------------------------------
    def verify(self, cms_base64: str, expected: bytes, at: datetime) -> Signer:
        """The signer of `cms_base64` if it signs exactly `expected` with a valid authentication certificate at
        `at`; else EdsRefused. Whatever the bytes sent, a refusal, never another error."""
        signer, _ = self._guarded(cms_base64, expected, at, "auth")
        return signer

    def verify_act(self, cms_base64: str, at: datetime) -> tuple[Signer, bytes]:
        """The signer of `cms_base64` and the content it signs, if signed with a valid signing certificate (the
        NCA's RSA_… key: non-repudiation) at `at`; the caller compares the content with the act it states."""
        return self._guarded(cms_base64, None, at, "sign")

    def _guarded(self, cms_base64: str, expected: bytes | None, at: datetime, purpose: str) -> tuple[Signer, bytes]:
        try:
            return self._verify(cms_base64, expected, at, purpose)
        except EdsRefused:
            raise
        except Exception:  # noqa: BLE001 (input from anyone: what the checks did not foresee is still a bad CMS)
            raise _refuse("the CMS cannot be read (DER CMS SignedData, base64)", code="eds_bad_cms") from None

    def _verify(self, cms_base64: str, expected: bytes | None, at: datetime, purpose: str) -> tuple[Signer, bytes]:
        signed, signer_info, cert, certs = self._read(cms_base64)
        self._refuse_gost(cert, signer_info)
        content = signed["encap_content_info"]["content"]
        if signed["encap_content_info"]["content_type"].native != "data":
            raise _refuse("the CMS signs another content type than data", code="eds_bad_cms")
        if content.native is None:
            raise _refuse("the CMS carries no content: sign with attached content", code="eds_bad_cms")
        if expected is not None and not hmac.compare_digest(content.native, expected):
            raise _refuse("the signed content is not this challenge's nonce", code="eds_bad_nonce")
        self._check_signature(signer_info, cert, content.native)
        self._check_path(cert, certs, at, purpose)
        return self._signer(cert), content.native

    # ---- reading --------------------------------------------------------------------------------------
    def _read(self, cms_base64: str):
        try:
            der = base64.b64decode(cms_base64.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise _refuse("the CMS is not base64", code="eds_bad_cms") from None
        if not der or len(der) > MAX_CMS_BYTES:
            raise _refuse(f"the CMS is empty or larger than {MAX_CMS_BYTES} bytes", code="eds_bad_cms")
        try:
            info = cms.ContentInfo.load(der, strict=True)
            if info["content_type"].native != "signed_data":
                raise _refuse("the CMS is not SignedData", code="eds_bad_cms")
            signed = info["content"]
            signer_infos = list(signed["signer_infos"])
            certs = [c.chosen for c in (signed["certificates"] or []) if c.name == "certificate"]
            if len(signer_infos) != 1:
                raise _refuse(f"the CMS has {len(signer_infos)} signers, not one", code="eds_bad_cms")
            signer_info = signer_infos[0]
            cert = self._signer_certificate(signer_info, certs)
            # a GOST key is named as such before anything parses it (asn1crypto does not know its structure)
            self._refuse_gost(cert, signer_info)
            signed["encap_content_info"]["content"].native  # noqa: B018  (parsed now: a bad one is refused here)
            cert.native  # noqa: B018
        except EdsRefused:
            raise
        except Exception:  # noqa: BLE001 (asn1crypto raises several kinds on bytes that are not DER)
            raise _refuse("the CMS cannot be read (DER CMS SignedData, base64)", code="eds_bad_cms") from None
        return signed, signer_info, cert, certs

    @staticmethod
    def _signer_certificate(signer_info, certs) -> x509.Certificate:
        sid = signer_info["sid"]
        for c in certs:
            if sid.name == "issuer_and_serial_number":
                if (c.issuer == sid.chosen["issuer"] and c.serial_number == sid.chosen["serial_number"].native):
                    return c
            elif c.key_identifier == sid.chosen.native:
                return c
        raise _refuse("the CMS does not include the signer's certificate", code="eds_bad_cms")

    @staticmethod
    def _refuse_gost(cert: x509.Certificate, signer_info) -> None:
        # the key's algorithm read generically: asn1crypto's PublicKeyInfo cannot parse a key it does not know
        spki = core.Sequence.load(cert["tbs_certificate"]["subject_public_key_info"].dump())
        key_algorithm = core.Sequence.load(spki[0].dump())[0]
        oids = (core.ObjectIdentifier.load(key_algorithm.dump()).dotted,
                signer_info["signature_algorithm"]["algorithm"].dotted,
                signer_info["digest_algorithm"]["algorithm"].dotted)
        if any(oid.startswith(GOST_ARCS) for oid in oids):
            raise _refuse("GOST keys are not supported yet: sign in with the NCA's RSA "
                          "authentication key (AUTH_RSA)", code="eds_gost_unsupported")

    # ---- the signature --------------------------------------------------------------------------------
    def _check_signature(self, signer_info, cert: x509.Certificate, content: bytes) -> None:
        digest_name = signer_info["digest_algorithm"]["algorithm"].native
        if digest_name not in HASHES:
            raise _refuse(f"digest algorithm {digest_name} is not accepted (SHA-256, -384, -512)", code="eds_bad_cms")
        algorithm = signer_info["signature_algorithm"]
        signed_attrs = signer_info["signed_attrs"]
        if signed_attrs:
            attrs = {a["type"].native: a["values"] for a in signed_attrs}
            digests = attrs.get("message_digest")
            if digests is None or len(digests) != 1:
                raise _refuse("the signed attributes carry no message digest", code="eds_bad_cms")
            own = hashlib.new(digest_name, content).digest()
            if not hmac.compare_digest(digests[0].native, own):
                raise _refuse("the signed message digest is not the content's", code="eds_signature_mismatch")
            data = signed_attrs.untag().dump()  # the signature covers them as a SET (RFC 5652 §5.4)
        else:
            data = content
        key = load_der_public_key(cert.public_key.dump())
        if not isinstance(key, rsa.RSAPublicKey):
            raise _refuse(f"key algorithm {cert.public_key.algorithm} is not supported (RSA)", code="eds_bad_cms")
        try:
            key.verify(signer_info["signature"].native, data, self._padding(algorithm, digest_name),
                       HASHES[digest_name]())
        except InvalidSignature:
            raise _refuse("the signature does not match the signer's certificate", code="eds_signature_mismatch") \
                from None

    @staticmethod
    def _padding(algorithm, digest_name: str):
        name = algorithm["algorithm"].native
        if name == "rsassa_pss":
            params = algorithm["parameters"]
            hash_name = params["hash_algorithm"]["algorithm"].native
            mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
            if hash_name != digest_name or mgf_hash != digest_name:
                raise _refuse("the PSS parameters name another hash than the digest's", code="eds_bad_cms")
            return padding.PSS(mgf=padding.MGF1(HASHES[mgf_hash]()), salt_length=params["salt_length"].native)
        if name in ("rsassa_pkcs1v15", f"{digest_name}_rsa"):
            return padding.PKCS1v15()
        raise _refuse(f"signature algorithm {name} is not accepted (RSA PKCS#1 v1.5 or PSS)", code="eds_bad_cms")

    # ---- the certificate ------------------------------------------------------------------------------
    def _crl(self, url: str, at: datetime) -> bytes:
        """The CRL at `url`: the one fetched before while its next update is still ahead of `at` (of `now` when
        rechecking an earlier `at`; the NCA's CRLs are large and change twice a day), else fetched now."""
        kept = self._crl_cache.get(url)
        if kept is not None and (self.now or at) < kept[1]:
            return kept[0]
        body = self.fetch(url, self.timeout)
        try:
            next_update = crl.CertificateList.load(body)["tbs_cert_list"]["next_update"].native
        except (ValueError, TypeError, KeyError):
            next_update = None
        if next_update is not None:
            self._crl_cache[url] = (body, next_update)
        return body

    def _crls(self, certs, at: datetime) -> list[bytes]:
        """The CRLs the path's certificates name (distribution points), fetched now or kept; one that cannot
        be had is left out (the revocation mode decides whether that refuses the sign-in)."""
        urls = []
        for c in [*certs, *self.intermediates]:
            for point in c.crl_distribution_points:
                for url in point.url and [point.url] or []:
                    if url not in urls:
                        urls.append(url)
        found = []
        for url in urls[:8]:
            try:
                found.append(self._crl(url, at))
            except (OSError, ValueError):
                continue
        return found

    def _ocsps(self, cert: x509.Certificate, others) -> list[bytes]:
        """The answers of the OCSP responders that the signer's certificate and the intermediates above it name
        (their AIA), each asked now about its own certificate; none for a certificate that names none or whose
        responder does not answer (the revocation mode decides)."""
        found = []
        for c in [cert, *[o for o in others if o.self_signed == "no"]][:4]:
            answer = self._ocsp(c, others)
            if answer is not None:
                found.append(answer)
        return found

    def _ocsp(self, cert: x509.Certificate, others) -> bytes | None:
        from cryptography import x509 as cx509
        from cryptography.x509 import ocsp
        issuer = next((c for c in [*others, *self.roots] if c.subject == cert.issuer and c.dump() != cert.dump()),
                      None)
        if issuer is None or not cert.ocsp_urls:
            return None
        request = ocsp.OCSPRequestBuilder().add_certificate(
            cx509.load_der_x509_certificate(cert.dump()), cx509.load_der_x509_certificate(issuer.dump()),
            hashes.SHA1()).build().public_bytes(serialization.Encoding.DER)  # SHA-1: the CertID's, RFC 6960 B
        for url in cert.ocsp_urls[:2]:
            try:
                return self.fetch(url, self.timeout, request)
            except (OSError, ValueError):
                continue
        return None

    def _check_path(self, cert: x509.Certificate, certs, at: datetime, purpose: str = "auth") -> None:
        from pyhanko_certvalidator import CertificateValidator, ValidationContext
        from pyhanko_certvalidator.errors import (
            DisallowedAlgorithmError,
            ExpiredError,
            InsufficientRevinfoError,
            InvalidCertificateError,
            NotYetValidError,
            PathBuildingError,
            PathValidationError,
            RevokedError,
        )
        if not self.roots:
            raise _refuse("no EDS trust anchors are configured (MULIK_EDS_TRUST_ANCHORS)", code="eds_unknown_authority")
        others = [c for c in certs if c.dump() != cert.dump()] + self.intermediates
        context = ValidationContext(trust_roots=self.roots, other_certs=others, moment=at, allow_fetching=False,
                                    crls=self._crls([cert, *others], at), ocsps=self._ocsps(cert, others),
                                    revocation_mode=self.revocation, retroactive_revinfo=self.retroactive)
        validator = CertificateValidator(cert, validation_context=context)
        try:
            asyncio.run(validator.async_validate_path())
        except RevokedError as e:
            raise _refuse(f"the certificate is revoked: {e}", code="eds_revoked") from None
        except (ExpiredError, NotYetValidError) as e:
            raise _refuse(f"the certificate is not valid at this time: {e}", code="eds_expired") from None
        except InsufficientRevinfoError as e:
            raise _refuse(f"the certificate's revocation cannot be checked: {e}",
                          code="eds_revocation_unknown") from None
        except (PathBuildingError, DisallowedAlgorithmError) as e:
            raise _refuse(f"the certificate is not issued by a trusted authority: {e}", code="eds_unknown_authority") \
                from None
        except PathValidationError as e:
            raise _refuse(f"the certificate's path is not valid: {e}", code="eds_unknown_authority") from None
        except InvalidCertificateError as e:
            raise _refuse(f"the certificate is not issued by a trusted authority: {e}", code="eds_unknown_authority") \
                from None
        self._check_usage(cert) if purpose == "auth" else self._check_signing_usage(cert)

    @staticmethod
    def _check_signing_usage(cert: x509.Certificate) -> None:
        """A signing key: non-repudiation among its key usages (the NCA's RSA_… key; its authentication key
        has none, and signs only a sign-in)."""
        usage = set(cert.key_usage_value.native) if cert.key_usage_value else set()
        if "non_repudiation" not in usage:
            raise _refuse("the certificate is not a signing key (non-repudiation usage): sign the act with the NCA's "
                          "signing key (RSA), not the authentication key", code="eds_wrong_usage")

    @staticmethod
    def _check_usage(cert: x509.Certificate) -> None:
        """An authentication key: digital signature among its key usages, and client authentication among its
        extended ones where it names them (the NCA's AUTH_RSA key does; its signing key names e-mail protection)."""
        usage = set(cert.key_usage_value.native) if cert.key_usage_value else set()
        extended = cert.extended_key_usage_value
        if "digital_signature" not in usage or (extended is not None and "client_auth" not in extended.native):
            raise _refuse("the certificate is not an authentication key (digital signature usage; client "
                          "authentication where it names its usages): sign in with the NCA's authentication key",
                          code="eds_wrong_usage")

    @staticmethod
    def _signer(cert: x509.Certificate) -> Signer:
        subject = cert.subject.native
        serial = str(subject.get("serial_number") or "")
        units = subject.get("organizational_unit_name") or []
        units = [units] if isinstance(units, str) else list(units)
        iin = serial[3:] if serial.upper().startswith("IIN") else None
        bins = [u[3:] for u in units if u.upper().startswith("BIN")]
        bin_ = bins[0] if bins else None
        if iin is not None and not validate_iin(iin):
            iin = None
        if bin_ is not None and not validate_bin(bin_):
            bin_ = None
        if iin is None and bin_ is None:
            raise _refuse("the certificate names no valid IIN (SERIALNUMBER=IIN…) or BIN (OU=BIN…)",
                          code="eds_no_identity")
        organization = subject.get("organization_name")
        return Signer(iin=iin, bin=bin_, common_name=str(subject.get("common_name") or ""),
                      organization=organization if isinstance(organization, str) else None,
                      serial=format(cert.serial_number, "X"), issuer=cert.issuer.human_friendly)
