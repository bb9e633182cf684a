"""Encumbrances on a lot (Art. 74.2, last part): what stands on the property and on whose basis.

Each records its basis: a ``writ`` (of this proceeding or of another one) or a ``court_security``
(a court's measure securing a claim), and the document behind it (number, date, issuer). When the
debtor's self-sale completes, the bailiff lifts the encumbrances imposed under writs; a court's
claim security stays with the property.
"""
from __future__ import annotations

from datetime import date

from ..errors import RuleViolation

BASES = {
    "writ": "a writ (enforcement document) of this or another proceeding",
    "court_security": "a court's measure securing a claim",
}


class Encumbrance:
    def __init__(self, *, basis: str, document_no: str, document_date: date, issuer: str,
                 this_proceeding: bool = False, recorded_on: date):
        if basis not in BASES:
            raise RuleViolation(f"an encumbrance's basis is one of {', '.join(BASES)}; not {basis!r}",
                                article="74.2", code="bad_encumbrance_basis")
        if not (document_no or "").strip() or not (issuer or "").strip():
            raise RuleViolation("an encumbrance names the document behind it: its number and issuer",
                                article="74.2", code="encumbrance_document_required")
        if basis == "court_security" and this_proceeding:
            raise RuleViolation("a court's claim security is not a writ of this proceeding",
                                article="74.2", code="bad_encumbrance_basis")
        if document_date > recorded_on:
            raise RuleViolation("the document's date cannot be in the future", article="74.2",
                                code="bad_encumbrance_date")
        self.basis, self.document_no, self.document_date = basis, document_no.strip(), document_date
        self.issuer, self.this_proceeding, self.recorded_on = issuer.strip(), this_proceeding, recorded_on
        self.lifted_on: date | None = None

    @property
    def lifted_by_self_sale(self) -> bool:
        """Art. 74.2: writs' encumbrances are lifted; "талап қоюды қамтамасыз ету мақсатында сот салған
        ауыртпалықтарды қоспағанда" — not those a court imposed to secure a claim."""
        return self.basis == "writ"

    def describe(self) -> str:
        whose = "this proceeding's writ" if self.this_proceeding else (
            "writ of another proceeding" if self.basis == "writ" else "court's claim security")
        return f"{whose} No {self.document_no} of {self.document_date.isoformat()}, {self.issuer}"
