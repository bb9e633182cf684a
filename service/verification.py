"""Every issued document and every EDS signature checked again, later (issue 14 point 2): `mulik documents verify`
checks them all, the public /verify page one document found by the SHA-256 of its bytes.

A document is good when the SHA-256 of its stored bytes is its row's and its `document.issued` journal entry's,
that entry names it by its number and kind, and the journal mark printed on it (the entry's `journal_seq`,
`journal_hash`) is an entry of the journal. A signature is good when its CMS verifies again at the time it was
made (its `act.signed` entry's time; service/eds.Verifier.rechecking: a revocation dated later does not undo
it), signs exactly the stored content, whose SHA-256 and the CMS's are those its `act.signed` entry recorded,
by the certificate of the account's own IIN/BIN; when the document whose `document.issued` entry lists it is
the one it names; and when its act's facts name its own lot, auction and (an application) the participant's
application. The journal's chain is `mulik journal verify`'s check (service/queries/platform.journal_chain).
Each problem is a `Finding`: a code (the page names it in the reader's language) and an English sentence (the
command prints it). No Flask here.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import select

from auction import acts
from auction import journal as jr
from auction.auctions import Application
from auction.lots.model import Lot

from .eds import EdsRefused, Signer
from .orm import ActSignature, Document, JournalEntry, User
from .queries.platform import journal_chain

KINDS = ("document.issued", "act.signed")


@dataclass(frozen=True)
class Finding:
    code: str  # doc_* / sig_* / journal_broken: what the page says, translated (web/verify.py)
    message: str  # English, as the command prints it
    document_id: int | None = None
    number: str | None = None
    signature_id: int | None = None
    act: str | None = None
    eds_code: str | None = None  # the refusal of a CMS that no longer verifies (eds_revoked, …)

    def __str__(self) -> str:
        where = []
        if self.document_id is not None:
            where.append(f"document {self.document_id} ({self.number})")
        if self.signature_id is not None:
            where.append(f"signature {self.signature_id} ({self.act})")
        return f"{', '.join(where) or 'journal'}: {self.message}"


@dataclass
class SignatureCheck:
    row: ActSignature
    signer: Signer | None = None  # as the certificate names him, when the CMS verifies again
    findings: list[Finding] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.findings


@dataclass
class DocumentCheck:
    document: Document
    issued: JournalEntry | None = None  # its `document.issued` entry
    mark: JournalEntry | None = None  # the entry the journal mark printed on it names
    signatures: list[SignatureCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the document's own
    lot: Lot | None = None  # its lot (the public page names it)

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for s in self.signatures for f in s.findings)]

    @property
    def ok(self) -> bool:
        return not self.all_findings


@dataclass
class Report:
    documents: int
    signatures: int
    journal: jr.VerifyResult
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


# ---- the entry points (service/runner.py runs them: the command, the page) --------------------------------------
def documents_checked(uow, actor, verifier) -> Report:
    return verify_documents(uow.session, verifier, now=uow.now)


def document_checked(uow, actor, verifier, **found) -> DocumentCheck | None:
    return verify_document(uow.session, verifier, now=uow.now, **found)


def verify_documents(session, verifier, *, now=None) -> Report:
    """Every stored document, every signature and the journal's chain checked (`now`: the time now, for the CRLs
    kept, Verifier.rechecking)."""
    checker = verifier.rechecking(now)
    entries = _entries(session, select(JournalEntry).where(JournalEntry.kind.in_(KINDS)))
    rows = session.execute(select(ActSignature).order_by(ActSignature.id)).scalars().all()
    findings, seen = [], set()
    ids = session.execute(select(Document.id).order_by(Document.id)).scalars().all()
    for document_id in ids:  # one at a time: their bytes are not all held at once
        doc = session.get(Document, document_id)
        check = _check_document(session, checker, doc, entries, rows)
        findings.extend(check.all_findings)
        seen.update(s.row.id for s in check.signatures)
        session.expunge(doc)
    for row in rows:  # a signature no document prints or names
        if row.id not in seen:
            findings.extend(_check_signature(session, checker, row, entries, None).findings)
    chain = journal_chain(session)
    if not chain.ok:
        findings.append(Finding("journal_broken", f"the journal's chain {chain.chain} is broken at seq "
                                                  f"{chain.first_bad_seq}: {chain.problem} ({chain.checked} good "
                                                  "entries before it)"))
    return Report(len(ids), len(rows), chain, list(dict.fromkeys(findings)))


def verify_document(session, verifier, *, sha256: str | None = None, document_id: int | None = None,
                    number: str | None = None, kinds=None, now=None) -> DocumentCheck | None:
    """One document, found by the SHA-256 of its bytes, its id or its number (`kinds`: only of these kinds), with
    its signatures and the journal entries that recorded them; None when no stored document is so."""
    query = select(Document).order_by(Document.id)
    if sha256 is not None:
        query = query.where(Document.sha256 == sha256.strip().lower())
    if document_id is not None:
        query = query.where(Document.id == document_id)
    if number is not None:
        query = query.where(Document.number == number.strip())
    if kinds is not None:
        query = query.where(Document.kind.in_(list(kinds)))
    doc = session.execute(query.limit(1)).scalar_one_or_none()
    if doc is None:
        return None
    entries = _entries(session, select(JournalEntry).where(JournalEntry.kind.in_(KINDS),
                                                           JournalEntry.lot_id == doc.lot_id))
    rows = session.execute(select(ActSignature).where(ActSignature.lot_id == doc.lot_id)
                           .order_by(ActSignature.id)).scalars().all()
    check = _check_document(session, verifier.rechecking(now), doc, entries, rows)
    check.lot = session.get(Lot, doc.lot_id)
    for entry in {e.id: e for e in [check.issued, check.mark, *_signed_entries(check, entries)] if e}.values():
        problem = _entry_problem(session, entry)  # the chain around the entries this page shows
        if problem:
            check.findings.append(Finding("journal_broken", f"journal entry {entry.chain} #{entry.seq}: {problem}",
                                          doc.id, doc.number))
    return check


# ---- the checks ---------------------------------------------------------------------------------------------
def _entries(session, query) -> dict:
    """The `document.issued` entries by document id and the `act.signed` ones by signature id."""
    found: dict = {"document.issued": {}, "act.signed": {}}
    for e in session.execute(query.order_by(JournalEntry.id)).scalars():
        key = e.payload.get("document_id") if e.kind == "document.issued" else e.payload.get("signature_id")
        found[e.kind].setdefault(key, e)
    return found


def _signed_entries(check: DocumentCheck, entries: dict) -> list:
    return [entries["act.signed"].get(s.row.id) for s in check.signatures]


def _entry_problem(session, entry: JournalEntry) -> str | None:
    if jr.entry_hash(entry) != entry.hash:
        return jr.EDITED
    prev = session.execute(select(JournalEntry.hash).where(JournalEntry.chain == entry.chain,
                                                           JournalEntry.seq == entry.seq - 1)).scalar_one_or_none()
    if (prev if entry.seq > jr.FIRST_SEQ else jr.GENESIS) != entry.prev_hash:
        return jr.BROKEN_LINK
    return None


def _check_document(session, checker, doc: Document, entries: dict, rows) -> DocumentCheck:
    check = DocumentCheck(doc, entries["document.issued"].get(doc.id))

    def finding(code: str, message: str) -> None:
        check.findings.append(Finding(code, message, doc.id, doc.number))
    digest = hashlib.sha256(doc.content).hexdigest()
    if digest != doc.sha256:
        finding("doc_content_changed", f"the SHA-256 of its stored bytes is {digest}, its row says {doc.sha256}")
    issued = check.issued
    listed: list = []
    if issued is None:
        finding("doc_entry_missing", "no document.issued journal entry records it")
    else:
        p = issued.payload
        if p.get("sha256") != digest:
            finding("doc_content_changed", f"its document.issued entry (seq {issued.seq}) recorded SHA-256 "
                                           f"{p.get('sha256')}, its stored bytes' is {digest}")
        if (p.get("number"), p.get("document"), issued.lot_id) != (doc.number, doc.kind, doc.lot_id):
            finding("doc_entry_mismatch", f"its document.issued entry (seq {issued.seq}) names {p.get('document')} "
                                          f"{p.get('number')} of lot {issued.lot_id}, the row {doc.kind} {doc.number}"
                                          f" of lot {doc.lot_id}")
        check.mark = _mark(session, check, finding)
        listed = list(p.get("signatures") or [])
    by_id = {r.id: r for r in rows}
    for sid in listed:
        if sid not in by_id:
            finding("doc_signature_missing", f"its document.issued entry lists EDS signature {sid}, which is not "
                                             "stored")
    mine = [by_id[sid] for sid in listed if sid in by_id] + [r for r in rows if r.document_id == doc.id
                                                              and r.id not in listed]
    check.signatures = [_check_signature(session, checker, r, entries, doc if r.id in listed else None) for r in mine]
    return check


def _mark(session, check: DocumentCheck, finding) -> JournalEntry | None:
    """The journal mark printed on the document: the last entry when it was issued (seq 0: an empty journal)."""
    seq, digest = check.issued.payload.get("journal_seq"), check.issued.payload.get("journal_hash")
    if seq == 0 and digest == jr.GENESIS:
        return None
    mark = session.execute(select(JournalEntry).where(JournalEntry.chain == check.issued.chain,
                                                      JournalEntry.seq == seq)).scalar_one_or_none() \
        if isinstance(seq, int) else None
    if mark is None or mark.hash != digest or mark.seq >= check.issued.seq:
        finding("doc_mark_unknown", f"the journal mark printed on it (seq {seq}, {digest}) is no earlier entry of "
                                    "the journal")
    return mark


def _check_signature(session, checker, row: ActSignature, entries: dict, listed_by: Document | None) -> SignatureCheck:
    """`listed_by`: the document whose `document.issued` entry lists this signature (None: none of those read)."""
    check = SignatureCheck(row)
    doc = session.get(Document, row.document_id) if row.document_id is not None else None

    def finding(code: str, message: str, **extra) -> None:
        check.findings.append(Finding(code, message, doc.id if doc else None, doc.number if doc else None, row.id,
                                      row.act, **extra))
    entry = entries["act.signed"].get(row.id)
    if entry is None:
        entry = session.execute(select(JournalEntry).where(JournalEntry.kind == "act.signed",
                                                           JournalEntry.lot_id == row.lot_id)).scalars()
        entry = next((e for e in entry if e.payload.get("signature_id") == row.id), None)
    at = row.signed_at if entry is None else entry.at  # the time the hash chain holds, not a column one may edit
    if entry is not None and entry.at != row.signed_at:
        finding("sig_time_changed", f"its row's signing time {row.signed_at.isoformat()} is not its act.signed "
                                    f"entry's (seq {entry.seq}) {entry.at.isoformat()}")
    try:
        check.signer, signed = checker.verify_act(base64.b64encode(row.cms).decode(), at)
    except EdsRefused as refused:
        finding("sig_cms_refused", f"its CMS does not verify at its signing time: {refused.message}",
                eds_code=refused.code)
        signed = None
    digest = hashlib.sha256(row.content).hexdigest()
    if signed is not None and signed != row.content:
        finding("sig_content_changed", "its CMS signs other bytes than its stored content")
    if digest != row.content_sha256:
        finding("sig_content_changed", f"the SHA-256 of its stored content is {digest}, its row says "
                                       f"{row.content_sha256}")
    if entry is None:
        finding("sig_entry_missing", "no act.signed journal entry records it")
    else:
        p = entry.payload
        if p.get("content_sha256") != digest:
            finding("sig_content_changed", f"its act.signed entry (seq {entry.seq}) recorded content SHA-256 "
                                           f"{p.get('content_sha256')}, its stored content's is {digest}")
        cms_digest = hashlib.sha256(row.cms).hexdigest()
        if p.get("cms_sha256") != cms_digest:
            finding("sig_cms_changed", f"its act.signed entry (seq {entry.seq}) recorded CMS SHA-256 "
                                       f"{p.get('cms_sha256')}, its stored CMS's is {cms_digest}")
        if (p.get("act"), p.get("user_id"), p.get("cert_serial"), entry.lot_id) != (
                row.act, row.user_id, row.cert_serial, row.lot_id):
            finding("sig_entry_mismatch", f"its act.signed entry (seq {entry.seq}) names act {p.get('act')} by "
                                          f"account {p.get('user_id')} (certificate {p.get('cert_serial')}), the row"
                                          f" {row.act} by account {row.user_id} (certificate {row.cert_serial})")
        if "document_id" in p and p["document_id"] != row.document_id:
            finding("sig_document_mismatch", f"its act.signed entry names document {p['document_id']}, the row "
                                             f"{row.document_id}")
    _check_signer(session, check, row, entry, finding)
    if listed_by is not None and row.document_id != listed_by.id:
        finding("sig_document_mismatch", f"document {listed_by.id} ({listed_by.number}) prints it, the row names "
                                         f"document {row.document_id}")
    elif listed_by is None and row.document_id is not None and (entry is None or "document_id" not in entry.payload):
        finding("sig_document_mismatch", f"it names document {row.document_id}, whose document.issued entry does not "
                                         "list it")
    _check_facts(session, row, finding)
    return check


def _check_signer(session, check: SignatureCheck, row: ActSignature, entry, finding) -> None:
    account = session.get(User, row.user_id)
    own = row.signer_bin or row.signer_iin
    if check.signer is not None and (check.signer.iin_bin, check.signer.serial) != (own, row.cert_serial):
        finding("sig_signer_mismatch", f"its certificate ({check.signer.serial}) names IIN/BIN {check.signer.iin_bin},"
                                       f" the row {own} (certificate {row.cert_serial})")
    if account is None or account.iin_bin != (check.signer.iin_bin if check.signer else own):
        finding("sig_signer_mismatch", f"signed by IIN/BIN {check.signer.iin_bin if check.signer else own}, not "
                                       f"the IIN/BIN of account {row.user_id}")
    if entry is not None and entry.payload.get("iin_bin") != own:
        finding("sig_signer_mismatch", f"its act.signed entry (seq {entry.seq}) names IIN/BIN "
                                       f"{entry.payload.get('iin_bin')}, the row {own}")


def _check_facts(session, row: ActSignature, finding) -> None:
    """The act's own facts name its lot and auction, and an application the participant's own application."""
    try:
        facts = json.loads(row.content)
    except ValueError:
        finding("sig_facts_mismatch", "its content is not the act's JSON")
        return
    if not isinstance(facts, dict) or facts.get("act") != row.act:
        finding("sig_facts_mismatch", f"its content is not an act {row.act}")
        return
    if facts.get("lot_id", row.lot_id) != row.lot_id or facts.get("auction_id", row.auction_id) != row.auction_id:
        finding("sig_facts_mismatch", f"its act names lot {facts.get('lot_id')} and auction {facts.get('auction_id')}"
                                      f", the row lot {row.lot_id} and auction {row.auction_id}")
    if acts.act(row.act).document:  # signed after its issue: the act names the document's id and its bytes' hash
        doc = session.get(Document, row.document_id) if row.document_id is not None else None
        if doc is None or facts.get("document_id") != doc.id or facts.get("sha256") != doc.sha256:
            finding("sig_facts_mismatch", f"its act names document {facts.get('document_id')} of SHA-256 "
                                          f"{facts.get('sha256')}, not the document {row.document_id} it signs")
    if row.act == "application":
        app = session.execute(select(Application).where(Application.auction_id == row.auction_id,
                                                        Application.user_id == row.user_id)).scalars().first()
        named = (facts.get("applicant") or {}).get("iin_bin")
        if app is None or app.iin_bin != named:
            finding("sig_facts_mismatch", f"its application names IIN/BIN {named}, no application of account "
                                          f"{row.user_id} to auction {row.auction_id} is so")
