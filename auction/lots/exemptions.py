"""Property that cannot be seized (Art. 61). The bailiff declares each item's kind; these kinds are refused."""
from __future__ import annotations

from ..errors import RuleViolation

#: kind -> (Art. 61 paragraph, what the law protects)
EXEMPT_KINDS: dict[str, tuple[str, str]] = {
    "everyday_clothing": ("61.1.1", "clothing, footwear, bedding and kitchen utensils in use"),
    "minimal_furniture": ("61.1.2",
                          "the minimal furniture (a bed and a chair per person, a table, a wardrobe, a chest)"),
    "children_items": ("61.1.3", "children's things"),
    "subsistence_food_money": ("61.2", "food, livestock for the family's needs, money up to the subsistence minimum"),
    "household_fuel": ("61.3", "fuel for cooking and heating the family home"),
    "trade_tools": ("61.4", "tools needed to continue the debtor's professional activity"),
    "disability_vehicle": ("61.5", "vehicles and aids specially intended for persons with disabilities"),
    "awards": ("61.6", "international, state and other awards"),
    "clearing_collateral": ("61.7", "collateral in clearing guarantee or reserve funds"),
}


def ensure_seizable(kind: str) -> None:
    """Refuse an inventory item whose declared kind Art. 61 protects."""
    if kind in EXEMPT_KINDS:
        paragraph, what = EXEMPT_KINDS[kind]
        raise RuleViolation(
            f"{what} cannot be seized (kind {kind!r})", article=paragraph, code="exempt_property"
        )
