"""The public verification page (issue 14 point 2): anyone holding a document of the platform uploads its PDF (or
gives its SHA-256, or the number of a public one) and reads what the platform recorded of it — its kind, number,
issue, lot, the journal entry of its issue — and each EDS signature it carries, checked again now
(service/verification.py): the act, the signer by name with his IIN/BIN masked (personal data on a public page),
the time, the certificate's serial, verified or not and why. The exact bytes are what is looked up: a PDF changed
by one byte is no document of the platform."""
from __future__ import annotations

import hashlib
import re
from functools import partial

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from auction.identity import mask
from service import verification
from service.documents import PUBLIC_KINDS

from .runner import call

bp = Blueprint("verify", __name__)
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
NUMBER = re.compile(r"^[A-Z]{2}-[0-9]+(-[0-9]+)?$")

# The acts by name (auction/acts.py has them in Kazakh and Russian; the catalogues carry the same words).
ACT_NAMES = {
    "application": _l("Application to take part in the electronic auction"),
    "realization_order": _l("Resolution on the realization of the property"),
    "auction_protocol": _l("Protocol of the electronic auction"),
    "results_approval": _l("Approval of the results of the electronic auction"),
    "sale_contract": _l("Contract of sale"),
    "retention_application": _l("Application to keep the property"),
}

# Why a document or a signature does not check out, in the reader's language (the codes of service/verification.py).
PROBLEMS = {
    "doc_content_changed": _l("The stored document differs from the one the journal recorded."),
    "doc_entry_missing": _l("The journal has no record of this document's issue."),
    "doc_entry_mismatch": _l("The journal recorded another document under this record."),
    "doc_mark_unknown": _l("The journal mark printed on the document is not in the journal."),
    "doc_signature_missing": _l("A signature the journal lists for this document is missing."),
    "journal_broken": _l("The journal's record of this document has been altered."),
    "sig_cms_refused": _l("The signature does not verify."),
    "sig_content_changed": _l("The signed act differs from the one recorded."),
    "sig_cms_changed": _l("The signature differs from the one the journal recorded."),
    "sig_entry_missing": _l("The journal has no record of this signature."),
    "sig_time_changed": _l("The time of the signature differs from the one the journal recorded."),
    "sig_entry_mismatch": _l("The journal recorded another signature under this record."),
    "sig_document_mismatch": _l("The signature belongs to another document."),
    "sig_signer_mismatch": _l("The signer's certificate names another person than the account's."),
    "sig_facts_mismatch": _l("The signed act names another auction or participant."),
}
EDS_PROBLEMS = {  # a CMS that does not verify again: why, as of the time it was signed
    "eds_revoked": _l("The certificate had been revoked when the act was signed."),
    "eds_expired": _l("The certificate was not valid when the act was signed."),
    "eds_signature_mismatch": _l("The signature does not match the signed act."),
    "eds_unknown_authority": _l("The certificate was not issued by a trusted certification authority."),
    "eds_bad_cms": _l("The signature cannot be read."),
}


def masked(iin_bin: str | None) -> str:
    """An IIN/BIN on a public page, as the platform masks it everywhere (auction/identity.mask)."""
    return mask(iin_bin) or "—"


def problem(finding: verification.Finding) -> str:
    if finding.code == "sig_cms_refused" and finding.eds_code in EDS_PROBLEMS:
        return str(EDS_PROBLEMS[finding.eds_code])
    return str(PROBLEMS.get(finding.code, PROBLEMS["journal_broken"]))


@bp.route("/verify", methods=["GET", "POST"])
def verify_page():
    """GET: the form (`?q=` a SHA-256 or a public document's number: its result, a link one can share); POST: an
    uploaded PDF (multipart, at most MAX_CONTENT_LENGTH: a larger one is answered 413) or the same `q`."""
    upload = request.files.get("pdf") if request.method == "POST" else None
    given = (request.form if request.method == "POST" else request.args).get("q", "").strip()
    if upload is not None and upload.filename:
        sha256, number = hashlib.sha256(upload.read()).hexdigest(), None
    elif SHA256.match(given):
        sha256, number = given.lower(), None
    elif NUMBER.match(given.upper()):
        sha256, number = None, given.upper()
    elif given or request.method == "POST":
        return render_template("verify.html", asked=True, given=given, check=None,
                               error=_l("Choose the PDF file, or give its SHA-256 (64 hexadecimal digits) or the "
                                        "number of a public document.")), 400
    else:
        return render_template("verify.html", asked=False, given="", check=None, error=None)

    def shown(uow, actor, check):
        return render_template("verify.html", asked=True, given=given, sha256=sha256, number=number, check=check,
                               error=None, masked=masked, problem=problem, ACT_NAMES=ACT_NAMES)
    # a number finds only a public document: the holders of the others have their bytes
    found = partial(verification.document_checked, sha256=sha256, number=number,
                    kinds=PUBLIC_KINDS if number else None)
    return call(found, current_app.extensions["mulik"]["eds"], view=shown)


def init_verify(app) -> None:
    app.register_blueprint(bp)
