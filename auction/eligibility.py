"""Who may buy at an e-auction (Art. 80.2, SPEC §5).

Art. 80.2 bars from buying: the debtor; the bailiffs of the case and the judge who
decided it; the appraiser who valued the property; the close relatives and spouses of
those officials; the pledgee, its employees, its subsidiaries and persons entitled by
contract to determine its decisions. It also bars two applicants from trading against
each other when one is a legal entity and the other its employee, founder, participant
or contractual controller, or when they are close relatives or spouses.

Decisions (SPEC §5 leaves them open):
- Relatives of the *debtor* are not barred: in the Kazakh text "олардың жақын туыстары,
  зайыбы" follows the officials (bailiffs, judges, appraiser); "борышкер қатыса алмайды"
  stands alone.
- A declared founder/participant of the pledgee is treated like a contractual controller
  and barred: the declaration does not distinguish the two, and a founder determines the
  entity's decisions through its general meeting.
- A relation between two applicants counts when *either* of them declares it.
- The case records only the officials' numbers, so relations with officials come from
  the applicant's own declaration.

The numbers themselves (IIN/BIN arithmetic) are auction/identity.py.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from .errors import BadRequest, RuleViolation
from .identity import is_bin, require_iin_bin

ARTICLE = "80.2"


def _numbers(owner: str, name: str, values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise BadRequest(f"{name}: a list of IIN/BIN, not one string", code="invalid_iin_bin")
    return frozenset(require_iin_bin(v, f"{owner}.{name}") for v in values)


def _optional(owner: str, name: str, value: str | None) -> str | None:
    return None if value in (None, "") else require_iin_bin(value, f"{owner}.{name}")


@dataclass(frozen=True)
class CaseParties:
    """The persons of one proceeding that Art. 80.2 names (all as IIN/BIN)."""

    debtor: str
    bailiffs: frozenset[str] = frozenset()
    judge: str | None = None
    appraisers: frozenset[str] = frozenset()
    pledgee: str | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "debtor", require_iin_bin(self.debtor, "case.debtor"))
        set_(self, "bailiffs", _numbers("case", "bailiffs", self.bailiffs))
        set_(self, "judge", _optional("case", "judge", self.judge))
        set_(self, "appraisers", _numbers("case", "appraisers", self.appraisers))
        set_(self, "pledgee", _optional("case", "pledgee", self.pledgee))


@dataclass(frozen=True)
class Declaration:
    """What an applicant declares when applying (SPEC §5); numbers are IIN/BIN.

    An individual declares `spouse`, `close_relatives`, `employers` (BINs he works for)
    and `founded` (entities he founded, participates in or controls by contract).
    A legal entity (`is_entity`, its number is a BIN) declares `people`: its employees,
    founders, participants and contractual controllers, and may declare `founded` too.
    """

    iin_bin: str
    is_entity: bool = False
    spouse: str | None = None
    close_relatives: frozenset[str] = frozenset()
    employers: frozenset[str] = frozenset()
    founded: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "iin_bin", require_iin_bin(self.iin_bin, "applicant.iin_bin"))
        if self.is_entity != is_bin(self.iin_bin):
            what = "a legal entity is identified by its BIN" if self.is_entity else "a person is identified by an IIN"
            raise BadRequest(f"applicant.iin_bin: {what}", code="invalid_iin_bin")
        set_(self, "spouse", _optional("applicant", "spouse", self.spouse))
        for f in fields(self):
            if f.name not in ("iin_bin", "is_entity", "spouse"):
                set_(self, f.name, _numbers("applicant", f.name, getattr(self, f.name)))
        if self.is_entity and (self.spouse or self.close_relatives):
            raise BadRequest("a legal entity has no spouse or relatives", code="invalid_declaration")
        if not self.is_entity and self.people:
            raise BadRequest("only a legal entity declares its employees and founders", code="invalid_declaration")

    def is_close_to(self, number: str) -> str | None:
        """How `number` is related to the applicant: "spouse", "close relative" or None."""
        if self.spouse == number:
            return "spouse"
        if number in self.close_relatives:
            return "close relative"
        return None


@dataclass(frozen=True)
class Conflict:
    """One reason why an applicant may not take part (Art. 80.2).

    `reason` is a sentence for the applicant; `kind` a stable code; `other` is the
    number of the other applicant in a conflict between applicants — for the bailiff,
    never put in `reason` (participants are anonymous to each other, SPEC §3).
    """

    article: str
    reason: str
    kind: str = ""
    other: str | None = None


def _conflict(reason: str, kind: str, other: str | None = None) -> Conflict:
    return Conflict(ARTICLE, reason, kind, other)


def conflicts_with_case(app: Declaration, case: CaseParties) -> list[Conflict]:
    """Art. 80.2: the applicant against the debtor, the officials and the pledgee of the case."""
    found: list[Conflict] = []
    me = app.iin_bin
    if me == case.debtor:
        found.append(_conflict("the applicant is the debtor", "debtor"))

    officials = [(b, "a bailiff of the case") for b in sorted(case.bailiffs)]
    if case.judge:
        officials.append((case.judge, "the judge who decided the case"))
    officials += [(a, "the appraiser who valued the property") for a in sorted(case.appraisers)]
    for number, role in officials:
        if me == number:
            found.append(_conflict(f"the applicant is {role}", "official"))
        elif relation := app.is_close_to(number):
            article = "the" if relation == "spouse" else "a"
            found.append(_conflict(f"the applicant is {article} {relation} of {role}", "official_relative"))

    pledgee = case.pledgee
    if pledgee:
        if me == pledgee:
            found.append(_conflict("the applicant is the pledgee", "pledgee"))
        if pledgee in app.employers:
            found.append(_conflict("the applicant is an employee of the pledgee", "pledgee_employee"))
        if app.is_entity and pledgee in app.people:
            found.append(_conflict("the applicant is a subsidiary of the pledgee", "pledgee_subsidiary"))
        if pledgee in app.founded:
            found.append(_conflict(
                "the applicant is a founder, participant or contractual controller of the pledgee",
                "pledgee_controller"))
    return found


def _entity_link(entity: Declaration, other: Declaration) -> bool:
    """`other` is `entity`'s employee, founder, participant or controller, by either's word."""
    return entity.is_entity and (
        other.iin_bin in entity.people
        or entity.iin_bin in other.employers
        or entity.iin_bin in other.founded
    )


def conflicts_between(a: Declaration, b: Declaration) -> list[Conflict]:
    """Art. 80.2: may `a` and `b` not both take part? Worded from `a`'s side; symmetric."""
    if a.iin_bin == b.iin_bin:
        return []
    found: list[Conflict] = []
    if _entity_link(a, b):
        found.append(_conflict(
            "another applicant is an employee, founder, participant or contractual controller of the applicant",
            "related_applicants", b.iin_bin))
    if _entity_link(b, a):
        found.append(_conflict(
            "the applicant is an employee, founder, participant or contractual controller of another applicant",
            "related_applicants", b.iin_bin))
    relation = a.is_close_to(b.iin_bin) or b.is_close_to(a.iin_bin)
    if relation:
        words = "spouses" if relation == "spouse" else "close relatives"
        found.append(_conflict(f"the applicant and another applicant are {words}", "related_applicants", b.iin_bin))
    return found


def check_application(app: Declaration, case: CaseParties, others: Iterable[Declaration] = ()) -> list[Conflict]:
    """Every Art. 80.2 conflict of `app`: with the case and with each other applicant."""
    found = conflicts_with_case(app, case)
    for other in others:
        found += conflicts_between(app, other)
    return found


def ensure_eligible(app: Declaration, case: CaseParties, others: Iterable[Declaration] = ()) -> None:
    """Raise RuleViolation(code "ineligible", Art. 80.2) listing every conflict, if any.

    The exception carries the conflicts in its `conflicts` attribute.
    """
    found = check_application(app, case, others)
    if found:
        reasons = "; ".join(dict.fromkeys(c.reason for c in found))
        error = RuleViolation(f"may not be a buyer at this auction: {reasons}", article=ARTICLE, code="ineligible")
        error.conflicts = found
        raise error
