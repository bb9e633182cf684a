"""Disqualification of a participant found without the right to take part (Art. 80.4, third part).

"Қатысушылардың кепілдік жарнасы, егер қатысушының электрондық аукционға қатысуға құқығы
болмаған жағдайда қайтарылмайды": the deposit of a participant who had no right to take part is
not returned; Art. 80.5 sends it to state revenue or to the private bailiff's income.

Who has no right is said by Art. 80.2; its list, one ground per person or pair it names:
"""
from __future__ import annotations

from .errors import BadRequest

ARTICLE = "80.4"

GROUNDS = {
    "debtor": "the debtor (Art. 80.2, last indent)",
    "bailiff_or_judge": "a bailiff of this proceeding or the judge who decided the case (Art. 80.2, 4th indent)",
    "appraiser": "the appraiser who valued the property (Art. 80.2, 4th indent)",
    "official_relative": "a close relative or the spouse of a bailiff of the case, the judge or the appraiser "
                         "(Art. 80.2, 4th indent)",
    "pledgee": "the pledgee, its employee, its subsidiary or a person determining its decisions by contract "
               "(Art. 80.2, 1st indent)",
    "related_entity": "a legal entity whose employee, founder, participant or contractual controller also takes "
                      "part, or that person (Art. 80.2, 2nd indent)",
    "related_persons": "an individual whose close relative or spouse also takes part (Art. 80.2, 3rd indent)",
}


def ground_text(ground) -> str:
    """The sentence of an Art. 80.2 ground; a 400 naming the grounds for anything else."""
    if not isinstance(ground, str) or ground not in GROUNDS:
        raise BadRequest(f"ground is one of: {', '.join(GROUNDS)}", article="80.2", code="bad_ground")
    return GROUNDS[ground]


def ground_of(conflict) -> str:
    """The ground of a conflict the eligibility check found (auction.eligibility.Conflict)."""
    kind, reason = conflict.kind, conflict.reason
    if kind == "debtor":
        return "debtor"
    if kind == "official":
        return "appraiser" if "appraiser" in reason else "bailiff_or_judge"
    if kind == "official_relative":
        return "official_relative"
    if kind.startswith("pledgee"):
        return "pledgee"
    if "spouses" in reason or "close relatives" in reason:
        return "related_persons"
    return "related_entity"
