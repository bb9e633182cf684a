"""The private bailiff's fee (Art. 118; SPEC §4 "Private bailiff fee").

What the law itself fixes (Art. 118.1–118.4):

* the fee is 3% to 25%, by category of case and by the amount recovered, and never more
  than 10,000 MCI;
* it is paid only when the writ is executed in full or in part; on partial execution
  only the part proportional to the amount recovered (Art. 118.2);
* the rates themselves are approved by the authorised body (Art. 118.4) — so the table
  below is configuration. ``DEFAULT_RATE_TABLE`` is a documented platform default, not
  the authorised table; an operator replaces it, and every ``Fee`` records the rate applied.

How a table is read: a category maps to amount bands in ascending order. A band's
``up_to`` is a threshold **in MCI** (so the table survives the yearly index change),
inclusive; the last band has ``up_to=None``. The band is chosen by the amount of the writ
(``claim_amount``, "сумма взыскания"), and its rate applies to the whole amount — the full
fee is ``min(rate × claim_amount, 10,000 MCI)`` and the fee due now is the part of it
proportional to what was recovered: ``full fee × recovered / claim_amount``. Rounded
half-up to the tiyn once, at the end.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import BadRequest
from .money import CENT, fmt, money

# The monthly calculation index is set each year by the budget law; the platform keeps it per year in the
# database (operator, `PUT /settings/mci/{year}`); this is only the 2026 value the migration seeds.
MCI_2026 = Decimal("4325")
FEE_CAP_MCI = 10_000  # Art. 118.1: the fee never exceeds 10,000 MCI
MIN_RATE = Decimal("3")  # Art. 118.1: "үштен жиырма бес пайызға дейінгі"
MAX_RATE = Decimal("25")


@dataclass(frozen=True)
class FeeBand:
    """Rate (percent) for writs up to ``up_to`` MCI inclusive; ``None`` = no upper limit."""

    up_to: Decimal | None
    rate: Decimal


# Platform default until the authorised body's table is entered (Art. 118.4): smaller
# recoveries carry higher rates, socially protected claims (Art. 111) the minimum rate.
DEFAULT_RATE_TABLE: dict[str, list[FeeBand]] = {
    "property": [  # property writs in general
        FeeBand(Decimal("60"), Decimal("25")),
        FeeBand(Decimal("1000"), Decimal("15")),
        FeeBand(Decimal("10000"), Decimal("10")),
        FeeBand(None, Decimal("5")),
    ],
    "alimony": [FeeBand(None, Decimal("3"))],  # Art. 111
    "labour": [FeeBand(None, Decimal("3"))],  # Art. 111: labour claims
    "budget": [FeeBand(Decimal("1000"), Decimal("10")), FeeBand(None, Decimal("5"))],  # Art. 112.3
}


@dataclass(frozen=True)
class Fee:
    rate: Decimal  # percent applied
    amount: Decimal
    capped: bool  # the 10,000 MCI cap decided the amount
    article: str = "118"

    def to_dict(self) -> dict:
        return {"rate": str(self.rate), "amount": fmt(self.amount), "capped": self.capped,
                "article": self.article}


def validate_rate_table(table: dict[str, list[FeeBand]]) -> None:
    """Rates within 3–25% (Art. 118.1), thresholds ascending, last band open-ended."""
    for category, bands in table.items():
        if not bands or bands[-1].up_to is not None:
            raise ValueError(f"fee table {category!r}: the last band must have up_to=None")
        limits = [b.up_to for b in bands[:-1]]
        if any(x is None or x <= 0 for x in limits) or limits != sorted(set(limits)):
            raise ValueError(f"fee table {category!r}: thresholds must be positive and ascending")
        for band in bands:
            if not MIN_RATE <= Decimal(band.rate) <= MAX_RATE:
                raise ValueError(f"fee table {category!r}: rate {band.rate}% is outside 3–25% (Art. 118.1)")


def fee_rate(claim_amount: Decimal, category: str, rate_table=None, mci: Decimal = MCI_2026) -> Decimal:
    """The rate (percent) of the band that ``claim_amount`` falls in."""
    table = DEFAULT_RATE_TABLE if rate_table is None else rate_table
    if category not in table:
        raise BadRequest(f"no private bailiff fee rates for category {category!r}",
                         article="118", code="unknown_fee_category")
    validate_rate_table({category: table[category]})
    for band in table[category]:
        if band.up_to is None or claim_amount <= Decimal(band.up_to) * mci:
            return Decimal(band.rate)
    raise AssertionError("unreachable: the last band is open-ended")


# The fee category of a writ, read from the kind of its claim (auction/claims.py); the operator's
# rate table (Art. 118.4) may name more categories, which a claim then names itself.
CATEGORY_OF_CLAIM_KIND = {"alimony": "alimony", "labour": "labour", "health_harm": "labour",
                          "taxes_budget": "budget"}


def fee_category_of(kind: str) -> str:
    return CATEGORY_OF_CLAIM_KIND.get(kind, "property")


def private_bailiff_fee(recovered: Decimal, *, category: str = "property", rate_table=None,
                        mci: Decimal = MCI_2026, claim_amount: Decimal | None = None,
                        already_charged: Decimal = Decimal("0.00")) -> Fee:
    """The fee due on ``recovered`` (Art. 118.1–118.2).

    ``claim_amount`` is the amount of the writ; it picks the band and makes the fee of a
    partial execution proportional (default: ``recovered``, i.e. full execution). Money
    recovered beyond the writ (a surplus returned to the debtor, Art. 55.5) bears no fee.
    ``already_charged`` is the fee this writ has borne in earlier sales of the proceeding: the
    10,000 MCI cap holds for the writ across all of them (Art. 118.1).
    """
    recovered = money(recovered)
    claim = recovered if claim_amount is None else money(claim_amount)
    if recovered < 0 or claim < 0:
        raise BadRequest("amounts for the fee cannot be negative", article="118")
    rate = fee_rate(claim, category, rate_table, mci)
    base = min(recovered, claim)
    if base == 0:  # Art. 118.2: no execution, no fee
        return Fee(rate, money(0), False)
    cap = Decimal(FEE_CAP_MCI) * Decimal(mci)
    uncapped = base * rate / Decimal(100)  # = full fee × recovered / claim, before the cap
    capped_share = cap * base / claim  # the capped full fee, proportionally
    left = max(cap - money(already_charged), Decimal(0))  # what the cap still allows this writ
    limit = min(capped_share, left)
    capped = limit < uncapped
    exact = limit if capped else uncapped
    return Fee(rate, exact.quantize(CENT, rounding=ROUND_HALF_UP), capped)
