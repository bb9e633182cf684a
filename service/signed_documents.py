"""Documents signed after the platform issued them (auction/acts.py, `document=True`; issue 14 point 2): the
auction protocol by the case's bailiff (Art. 80.4), the sale contract of an auction by the buyer and then the
case's bailiff (Art. 83).

The act a signer signs names the document: its id, kind, number, the SHA-256 of its stored PDF, its lot and
auction. A signature is verified and stored with the document it signed (service/signing.py), and the platform
issues a signed copy: a new document of the same kind and number rendered from the same data with every
signature the document has had (its first issue and its signed copies are one document: the same kind, number,
lot and auction). Each signer signs a document once; a self-sale contract is concluded off the platform and has
no signer on it.
"""
from __future__ import annotations

from sqlalchemy import select

from auction import acts
from auction import commands as c
from auction.auctions import Auction
from auction.errors import Conflict, DomainError, Forbidden, RuleViolation
from auction.lots.model import Lot
from auction.proceedings import Proceeding

from . import access, documents, signing
from .orm import ActSignature, Document
from .queries import cases

# The kinds of document whose act is signed after its issue, by the act's name (auction/acts.py).
SIGNED_KINDS = {name: name for name, a in acts.ACTS.items() if a.document}


def family(session, doc: Document) -> list[Document]:
    """The document as first issued and its signed copies (the same kind, number, lot and auction), oldest first."""
    return list(session.execute(select(Document).where(
        Document.lot_id == doc.lot_id, Document.kind == doc.kind, Document.number == doc.number,
        Document.auction_id.is_(None) if doc.auction_id is None else Document.auction_id == doc.auction_id)
        .order_by(Document.id)).scalars())


def signatures(session, doc: Document) -> list[ActSignature]:
    """Every signature of the document's own act given to it or to one of its copies."""
    ids = [d.id for d in family(session, doc)]
    return list(session.execute(select(ActSignature).where(ActSignature.document_id.in_(ids),
                                                           ActSignature.act == doc.kind)
                                .order_by(ActSignature.id)).scalars())


def _act(uow, actor, document_id: int):
    """The document (the caller may read it), its act, the caller's role among its signers, and the facts."""
    doc = cases.document(uow, actor, document_id)
    access.require(actor)
    name = SIGNED_KINDS.get(doc.kind)
    if name is None:
        raise RuleViolation(f"a {doc.kind} is not signed on the platform after its issue; the acts signed so are "
                            f"{', '.join(SIGNED_KINDS)}", article="10.1", code="document_not_signable")
    a = acts.act(name)
    if doc.auction_id is None:  # Art. 74.2: the debtor's buyer signed his contract off the platform
        raise RuleViolation("a self-sale contract is concluded by the debtor's buyer off the platform: nobody signs "
                            "it here", article="74.2", code="no_platform_signers")
    lot = uow.get(Lot, doc.lot_id)
    p = uow.get(Proceeding, lot.proceeding_id)
    auction = uow.get(Auction, doc.auction_id)
    role = None
    if actor.role == "bailiff" and p.bailiff_id == actor.id and "bailiff" in a.signers:
        role = "bailiff"
    elif actor.role == "bidder" and "bidder" in a.signers and auction.winner_user_id == actor.id:
        role = "bidder"
    if role is None:
        raise Forbidden(f"the {name} is signed by {' and '.join(_signer_names(name))}, not by this account",
                        article=a.article, code="eds_not_a_signer")
    facts = {"document_id": doc.id, "kind": doc.kind, "number": doc.number, "sha256": doc.sha256,
             "lot_id": doc.lot_id, "auction_id": doc.auction_id}
    return doc, lot, auction, name, role, facts


def _signer_names(name: str) -> list[str]:
    return [{"bailiff": "the case's bailiff", "bidder": "the buyer at the auction"}.get(r, r)
            for r in acts.act(name).signers]


def document_act(uow, actor, document_id: int) -> tuple[str, bytes]:
    """The act's name and the bytes the signer signs with his EDS: the document as stored now."""
    *_, name, _, facts = _act(uow, actor, document_id)
    return name, acts.content(name, facts)


def sign_document(uow, actor, cmd: c.SignDocument) -> tuple[ActSignature, Document]:
    """Verify and store the signature of the document, issue its signed copy."""
    doc, lot, auction, name, role, facts = _act(uow, actor, cmd.document_id)
    # the auction row locked (PostgreSQL): two signatures of one document at once are taken one after the other,
    # so the second sees the first (a double click is refused `eds_already_signed`, not stored twice)
    uow.session.execute(select(Auction.id).where(Auction.id == auction.id).with_for_update())
    given = _unsigned_by(uow.session, actor, doc, name, role)
    signature = signing.sign(uow, actor, name, acts.content(name, facts), cmd.cms, lot_id=lot.id,
                             auction_id=auction.id, document_id=doc.id, role=role)
    copy = _signed_copy(uow, doc, lot, auction, [*given, signature])
    uow.commit()
    return signature, copy


def _unsigned_by(session, actor, doc: Document, name: str, role: str) -> list[ActSignature]:
    """The signatures the document has had, refusing a second one by the caller and one out of the signers' order."""
    a = acts.act(name)
    given = signatures(session, doc)
    if any(s.user_id == actor.id for s in given):
        raise Conflict(f"you have already signed this {name}", article=a.article, code="eds_already_signed")
    earlier = a.signers[:a.signers.index(role)]  # the sale contract: the buyer first, then the bailiff
    missing = [r for r in earlier if not any(s.role == r for s in given)]
    if missing:
        raise Conflict(f"the {name} is signed by {' and then '.join(_signer_names(name))}: "
                       f"the {missing[0]} has not signed it yet", article=a.article, code="eds_signer_order")
    return given


def signable(uow, actor, rows) -> set[int]:
    """Which of the documents `rows` (with id, kind, number, auction_id) the caller may sign now, as the pages
    offer it: the latest copy of each document whose act he signs, not yet signed by him, after the signers
    before him (the sale contract: the buyer, then the bailiff)."""
    latest: dict[tuple, int] = {}
    for d in rows:
        if d.kind in SIGNED_KINDS and d.auction_id is not None:
            key = (d.kind, d.number, d.auction_id)
            latest[key] = max(d.id, latest.get(key, 0))
    out = set()
    for document_id in latest.values():
        try:
            doc, _lot, _auction, name, role, _facts = _act(uow, actor, document_id)
            _unsigned_by(uow.session, actor, doc, name, role)
        except DomainError:
            continue
        out.add(document_id)
    return out


def _signed_copy(uow, doc: Document, lot: Lot, auction: Auction, printed: list[ActSignature]) -> Document:
    """The document again, from the same data, with every signature it has had printed."""
    if doc.kind == "auction_protocol":  # its approval's signature too (documents.auction_protocol finds them)
        return documents.auction_protocol(uow, lot, auction, signs_document_id=doc.id)
    original = family(uow.session, doc)[0]
    return documents.auction_sale_contract(uow, lot, auction, original, printed, signs_document_id=doc.id)
