"""Co-owners of a share in common property and their pre-emption (Art. 60).

Art. 60.1: the bailiff notifies the co-owners and offers them the debtor's share at the value in
the specialist's written conclusion. Art. 60.2: the period in which a co-owner may use the right is
the one "the Civil Code of the Republic of Kazakhstan determines", counted from the day he was
notified of the arrest; the law names no article of the Code and no length. The platform reads the
Code's pre-emption period as one month for a share in real estate and ten days for a share in
movable property (docs/decisions.md, "Correcting a claim's kind; console actions"). The latest
co-owner's period decides. Art. 60.3: where the co-owners cannot be notified, the share may be sold
after thirty days from the inventory.
"""
from __future__ import annotations

from datetime import date, timedelta

from .. import calendar as cal
from ..errors import RuleViolation

PREEMPTION_MOVABLE_DAYS = 10  # Art. 60.2: the Civil Code's period (read as ten days for movable property)
PREEMPTION_REAL_ESTATE_MONTHS = 1  # Art. 60.2: the Civil Code's period (read as one month for real estate)
DECISIONS = ("declined", "bought")


class CoOwner:
    """One co-owner: who, when notified of the arrest and the offer (Art. 60.1–60.2), what he decided."""

    def __init__(self, name: str, iin_bin: str, notified_on: date | None):
        if not (name or "").strip():
            raise RuleViolation("a co-owner is recorded with his name", article="60.1", code="bad_coowner")
        self.name, self.iin_bin, self.notified_on = name.strip(), iin_bin, notified_on
        self.decision: str | None = None
        self.decided_on: date | None = None

    def period_ends_on(self, *, real_estate: bool) -> date | None:
        if self.notified_on is None:
            return None
        if real_estate:
            return cal.WorkingCalendar.add_months(self.notified_on, PREEMPTION_REAL_ESTATE_MONTHS)
        return self.notified_on + timedelta(days=PREEMPTION_MOVABLE_DAYS)


def preemption_ends_on(coowners: list[CoOwner], *, real_estate: bool, notifiable: bool,
                       inventoried_on: date, unreachable_days: int) -> date | None:
    """Art. 60.2–60.3: derived, never typed. None while a co-owner has not been notified yet."""
    if not notifiable:
        return inventoried_on + timedelta(days=unreachable_days)
    ends = [c.period_ends_on(real_estate=real_estate) for c in coowners]
    if not ends or any(e is None for e in ends):
        return None
    return max(ends)
