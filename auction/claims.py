"""The kind of a collector's claim decides its queue (Art. 111–112); the queue is never typed.

Art. 111 (first queue): alimony; compensation of harm from injury or other damage to health or
from the loss of a breadwinner; employees' claims from labour relations.
Art. 112.1 (second): authors' remuneration for patented works, inventions, utility models,
industrial designs; damage done to citizens' property by a crime or an administrative offence.
Art. 112.2 (third): claims secured by pledge (with the remuneration, damages, penalties and the
pledgee's costs).
Art. 112.3 (fourth): taxes and other obligatory payments to the budget; damage done to legal
entities by a crime or an administrative offence; recovery of assets (the law on returning
illegally acquired assets to the state).
Art. 112.4 (fifth): every other claim.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import RuleViolation


@dataclass(frozen=True)
class ClaimKind:
    queue: int
    article: str
    name: str


CLAIM_KINDS = {
    "alimony": ClaimKind(1, "111", "alimony"),
    "health_harm": ClaimKind(1, "111", "harm to life or health, loss of a breadwinner"),
    "labour": ClaimKind(1, "111", "claims from labour relations"),
    "authors_remuneration": ClaimKind(2, "112.1", "authors' remuneration"),
    "citizen_crime_damage": ClaimKind(2, "112.1", "damage to a citizen's property by a crime or an offence"),
    "pledge_secured": ClaimKind(3, "112.2", "claim secured by pledge"),
    "taxes_budget": ClaimKind(4, "112.3", "taxes and other payments to the budget"),
    "entity_crime_damage": ClaimKind(4, "112.3", "damage to a legal entity by a crime or an offence"),
    "asset_recovery": ClaimKind(4, "112.3", "recovery of illegally acquired assets"),
    "other": ClaimKind(5, "112.4", "other claim"),
}


def claim_kind(kind: str) -> ClaimKind:
    if kind not in CLAIM_KINDS:
        raise RuleViolation(f"unknown kind of claim {kind!r}; one of {', '.join(CLAIM_KINDS)}", article="110",
                            code="bad_claim_kind")
    return CLAIM_KINDS[kind]


def queue_of(kind: str) -> int:
    """The Art. 111–112 queue of a claim of this kind."""
    return claim_kind(kind).queue
