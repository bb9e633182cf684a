"""The realization queue of a lot (Art. 72), derived from facts, never typed.

Art. 72.1 (an individual debtor):
  1) property that is not of first necessity, securities, currency values, precious metals
     and stones, jewellery, décor and furnishing items;
  2) vehicles, real estate other than the dwelling;
  3) the dwelling.
Art. 72.2 (a legal entity):
  1) movable property not directly used to produce goods, perform work or render services,
     finished goods among it, securities, currency values, precious metals and stones,
     jewellery, décor and furnishing items;
  2) real estate not directly used in production;
  3) property directly used in production: production real estate, raw materials,
     materials, machine tools, equipment and other fixed assets.
Art. 72.3: an individual engaged in business is an individual debtor: 72.1 applies both to his
personal property and to the property he uses in business (platform reading, docs/decisions.md).

Each row of the table cites its paragraph; ``realization_queue`` is the only way a lot gets its
queue. Art. 72.4 grounds for departing from the order are listed in ``OVERRIDE_GROUNDS``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import RuleViolation

# The kinds of property a lot may be (fine enough to decide the queue).
CATEGORIES = ("valuables", "securities", "currency", "decor", "movable", "finished_goods", "vehicle",
              "raw_materials", "equipment", "real_estate", "dwelling")
CATEGORY_NAMES = {
    "valuables": "precious metals and stones, jewellery",
    "securities": "securities",
    "currency": "currency values",
    "decor": "décor and furnishing items",
    "movable": "other movable property not of first necessity",
    "finished_goods": "finished goods",
    "vehicle": "vehicle",
    "raw_materials": "raw materials and materials",
    "equipment": "machine tools, equipment, other fixed assets",
    "real_estate": "real estate other than the dwelling",
    "dwelling": "the dwelling",
}
REAL_ESTATE = frozenset({"real_estate", "dwelling"})
# Art. 72.2: these are named in the first queue whatever their use; they are not "property used
# directly in production" (that is real estate, raw materials, machines, equipment, fixed assets).
NEVER_PRODUCTION = frozenset({"valuables", "securities", "currency", "decor", "finished_goods"})


@dataclass(frozen=True)
class Queue:
    number: int  # 1, 2 or 3
    article: str  # the paragraph and item that decide it, e.g. "72.1.2"
    basis: str  # what the law calls this property

    def to_dict(self) -> dict:
        return {"queue": self.number, "article": self.article, "basis": self.basis}


_FIRST_INDIVIDUAL = "property not of first necessity, securities, currency values, precious metals and stones, " \
                    "jewellery, décor and furnishing items"
_FIRST_ENTITY = "movable property not directly used in production, finished goods, securities, currency values, " \
                "precious metals and stones, jewellery, décor and furnishing items"
_PRODUCTION = "property directly used in production (production real estate, raw materials, materials, machine " \
              "tools, equipment, other fixed assets)"

# (debtor is a legal entity, category, used directly in production) -> Queue
INDIVIDUAL = {
    **{c: Queue(1, "72.1.1", _FIRST_INDIVIDUAL) for c in
       ("valuables", "securities", "currency", "decor", "movable", "finished_goods", "raw_materials", "equipment")},
    "vehicle": Queue(2, "72.1.2", "vehicles, real estate other than the dwelling"),
    "real_estate": Queue(2, "72.1.2", "vehicles, real estate other than the dwelling"),
    "dwelling": Queue(3, "72.1.3", "the dwelling"),
}
ENTITY = {
    **{c: Queue(1, "72.2.1", _FIRST_ENTITY) for c in
       ("valuables", "securities", "currency", "decor", "movable", "finished_goods", "vehicle", "raw_materials",
        "equipment")},
    "real_estate": Queue(2, "72.2.2", "real estate not directly used in production"),
    "dwelling": Queue(2, "72.2.2", "real estate not directly used in production"),
}
ENTITY_PRODUCTION = Queue(3, "72.2.3", _PRODUCTION)


def check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise RuleViolation(f"unknown kind of property {category!r}; one of {', '.join(CATEGORIES)}",
                            article="72", code="bad_category")


def realization_queue(category: str, *, debtor_is_entity: bool, used_in_production: bool = False) -> Queue:
    """The Art. 72 queue of a lot of ``category`` of this debtor."""
    check_category(category)
    if not debtor_is_entity:
        # Art. 72.3: the individual's business property follows 72.1 like the rest of his property.
        return INDIVIDUAL[category]
    if used_in_production:
        if category in NEVER_PRODUCTION:
            raise RuleViolation(f"{CATEGORY_NAMES[category]} are of the first queue whatever their use; they are "
                                "not property directly used in production", article="72.2", code="bad_production")
        return ENTITY_PRODUCTION
    return ENTITY[category]


# ---- Art. 72.4: the order may change only on these grounds -------------------------------------
OVERRIDE_GROUNDS = {
    "pledged": "the property is pledged or given as security for an obligation",
    "writ_not_satisfied": "realization in the order of Art. 72 would not satisfy the writ in full",
    "time_limits": "realization in the order of Art. 72 would extend the time limits of execution set by the law",
}
