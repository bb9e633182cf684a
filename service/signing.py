"""Acts signed with an EDS (issue 14 point 2; auction/acts.py says what each act is and which bytes are signed).

A step that makes an act (`Apply`, `OrderRealization`, `ApproveResults`, `AnswerRetention`) takes the CMS its
author's NCALayer made over the act's canonical JSON, fetched just before from the act's `…/act` route. The
handler computes the act again from the facts now, and `settle` verifies the CMS (service/eds.py, the signing
key), checks that it signs exactly those bytes and that its certificate names the account's IIN/BIN, stores the
signature with what it signs and journals it (`act.signed`). The document the step issues prints the signature.
Whether an act may be taken unsigned is the deployment's setting (`MULIK_EDS_SIGNED_ACTS`, `Signing.required`):
every act in production, none in development and the demo (docs/decisions.md "Signed acts").
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from auction import acts
from auction.errors import Forbidden, RuleViolation
from auction.events import ActSigned

from .eds import EdsRefused, Verifier
from .orm import ActSignature

SETTING = "EDS_SIGNED_ACTS"


@dataclass(frozen=True)
class Signing:
    """The deployment's EDS signing: its verifier (the trust anchors of the sign-in) and the acts that may not
    be taken without a signature."""

    verifier: Verifier | None = None
    required: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_config(cls, config, verifier: Verifier | None) -> "Signing":
        return cls(verifier, required_acts(config.get(SETTING), production=config.get("ENV") == "production"))

    def requires(self, act: str) -> bool:
        return act in self.required


NO_SIGNING = Signing()


def required_acts(value, *, production: bool) -> frozenset[str]:
    """`MULIK_EDS_SIGNED_ACTS`: "all", "none", or the acts by name, comma-separated; unset: all in production,
    none elsewhere. A name that is no act fails the start."""
    if value is None or value == "":
        return frozenset(acts.ACTS) if production else frozenset()
    if isinstance(value, (set, frozenset, list, tuple)):
        names = [str(v).strip() for v in value]
    else:
        text = str(value).strip().lower()
        if text == "all":
            return frozenset(acts.ACTS)
        names = [] if text == "none" else [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in acts.ACTS]
    if unknown:
        raise ValueError(f"{SETTING}: {', '.join(unknown)} is no act (one of {', '.join(acts.ACTS)}, all, none)")
    return frozenset(names)


def content_answer(name: str, content: bytes) -> dict:
    """What an act's route answers: the bytes to sign (base64, as NCALayer takes them), their text and hash."""
    return {"act": name, "article": acts.act(name).article, "content": base64.b64encode(content).decode(),
            "text": content.decode("utf-8"), "sha256": hashlib.sha256(content).hexdigest()}


def settle(uow, actor, name: str, facts: dict, cms: str | None, *, lot_id: int, auction_id: int | None = None,
           role: str) -> ActSignature | None:
    """The step's signature of act `name` stated by `facts`: verified and stored when `cms` is given; refused
    when the deployment requires the act signed and none is; None for an unsigned act that may be."""
    signing = getattr(uow, "signing", None) or NO_SIGNING
    if not cms:
        if signing.requires(name):
            raise acts.signature_required(name)
        return None
    return sign(uow, actor, name, acts.content(name, facts), cms, lot_id=lot_id, auction_id=auction_id, role=role)


def sign(uow, actor, name: str, expected: bytes, cms: str, *, lot_id: int, auction_id: int | None = None,
         document_id: int | None = None, role: str) -> ActSignature:
    """Verify `cms` over exactly `expected` by the account's own signing certificate, store and journal it."""
    a = acts.act(name)
    signing = getattr(uow, "signing", None) or NO_SIGNING
    if signing.verifier is None:
        raise RuleViolation("EDS signing is not configured on this platform (MULIK_EDS_TRUST_ANCHORS)",
                            article=a.article, code="eds_unknown_authority")
    try:
        signer, signed = signing.verifier.verify_act(cms, uow.now)
    except EdsRefused as refused:
        if refused.code == "eds_wrong_usage":  # the sign-in's sentence names the authentication key
            raise RuleViolation(refused.message, article=a.article, code="eds_not_signing_key") from None
        raise RuleViolation(refused.message, article=a.article, code=refused.code) from None
    acts.check_signed_content(name, signed, expected)
    if signer.iin_bin != actor.iin_bin:
        raise Forbidden(f"the act is signed with the certificate of IIN/BIN {signer.iin_bin}, not of this account's "
                        f"{actor.iin_bin or '(none)'}", article=a.article, code="eds_wrong_signer")
    der = base64.b64decode(cms.strip())
    row = ActSignature(act=name, lot_id=lot_id, auction_id=auction_id, document_id=document_id, user_id=actor.id,
                       role=role, signer_iin=signer.iin, signer_bin=signer.bin,
                       signer_name=signer.common_name or signer.organization or signer.iin_bin,
                       cert_serial=signer.serial, cert_issuer=signer.issuer, signed_at=uow.now, content=signed,
                       content_sha256=hashlib.sha256(signed).hexdigest(), cms=der)
    uow.add(row)
    uow.flush()
    uow.record(ActSigned(article=a.article, lot_id=lot_id, auction_id=auction_id, signature_id=row.id, act=name,
                         user_id=actor.id, iin_bin=signer.iin_bin, cert_serial=signer.serial,
                         content_sha256=row.content_sha256, cms_sha256=hashlib.sha256(der).hexdigest(),
                         **({"document_id": document_id} if document_id is not None else {})))
    return row


def signed(session, name: str, *, auction_id: int) -> bool:
    """Whether act `name` of this auction is signed (the closing protocol before the approval, Art. 80.4)."""
    return session.execute(select(ActSignature.id).where(ActSignature.act == name,
                                                         ActSignature.auction_id == auction_id).limit(1)).first() \
        is not None

