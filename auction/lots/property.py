"""How seized property is described and excluded: real estate's title (Art. 63.2) and the
Art. 66.4 exclusion of movable property on a specialist's conclusion.

Art. 63.2 (last sentence): "Бұл ретте жылжымайтын мүлікке қатысты тізімдеме жүргізілмейді" —
no inventory is drawn up for real estate: the arrest is registered with the body that keeps the
state registration of rights, so a real-estate lot carries its cadastral number, address, area
and the registration of the debtor's title instead of inventory lines.

Art. 66.4: "Сот орындаушысы тізімдемеге қатысушы маманның қорытындысы бойынша жылжымалы мүлікке
тізімдеме жасамауға не ... оны кейін тізімдемеден алып тастауға құқылы" — the bailiff decides, on
the conclusion of the specialist taking part in the inventory, and only for movable property,
when the property cannot be sold or its proceeds would not cover the expenses of enforcement.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ..errors import RuleViolation

# Art. 66.4: the two reasons the specialist's conclusion may give for excluding movable property.
EXCLUSION_REASONS = {
    "unsaleable": "the property cannot be sold",
    "proceeds_below_expenses": "the proceeds of the sale would be less than the expenses of enforcement",
}


@dataclass(frozen=True)
class RealEstateTitle:
    """Art. 63.2: what identifies real estate in place of an inventory."""
    cadastral_number: str
    address: str
    area: Decimal  # m²
    title_reg_no: str  # number of the state registration of the debtor's right
    title_reg_date: date

    def describe(self) -> str:
        return (f"cadastral No {self.cadastral_number}, {self.address}, {self.area} m², title registered "
                f"No {self.title_reg_no} of {self.title_reg_date:%d.%m.%Y}")


def real_estate_title(data: dict | None) -> RealEstateTitle | None:
    """Build the title from its fields; every field is required (Art. 63.2)."""
    if not data or not any(data.get(k) not in (None, "") for k in
                           ("cadastral_number", "address", "area", "title_reg_no", "title_reg_date")):
        return None
    missing = [k for k in ("cadastral_number", "address", "area", "title_reg_no", "title_reg_date")
               if data.get(k) in (None, "") or (isinstance(data.get(k), str) and not data[k].strip())]
    if missing:
        raise RuleViolation(f"real estate is recorded with its cadastral number, address, area and title "
                            f"registration: missing {', '.join(missing)}", article="63.2",
                            code="real_estate_title_required")
    try:
        area = Decimal(str(data["area"])).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        area = Decimal(0)
    if not area.is_finite() or area <= 0 or area >= Decimal("1e10"):
        raise RuleViolation("the area is a positive number of square metres", article="63.2", code="bad_area")
    return RealEstateTitle(str(data["cadastral_number"]).strip(), str(data["address"]).strip(), area,
                           str(data["title_reg_no"]).strip(), data["title_reg_date"])


def check_description(*, real_estate: bool, items: list, title: RealEstateTitle | None) -> None:
    """Art. 63.2 for real estate, Art. 66.3 for movable property: exactly one way to describe the lot."""
    if real_estate:
        if items:
            raise RuleViolation("no inventory is drawn up for real estate: record its cadastral number, address, "
                                "area and title registration instead of items", article="63.2",
                                code="real_estate_items")
        if title is None:
            raise RuleViolation("real estate is recorded with its cadastral number, address, area and title "
                                "registration", article="63.2", code="real_estate_title_required")
    else:
        if title is not None:
            raise RuleViolation("a cadastral number, address, area and title registration describe real estate "
                                "only; movable property is listed in the inventory", article="63.2",
                                code="not_real_estate")
        if not items:
            raise RuleViolation("the inventory lists at least one item", article="66.3", code="empty_inventory")


@dataclass(frozen=True)
class Exclusion:
    """Art. 66.4: the specialist's conclusion the bailiff excludes movable property on."""
    conclusion_no: str
    conclusion_date: date
    specialist: str
    reason: str


def exclusion(data: dict, *, real_estate: bool, today: date) -> Exclusion:
    if real_estate:
        raise RuleViolation("only movable property is excluded from the inventory; real estate has no inventory",
                            article="66.4", code="not_movable")
    missing = [k for k in ("conclusion_no", "conclusion_date", "specialist", "reason")
               if not data.get(k) or (isinstance(data[k], str) and not data[k].strip())]
    if missing:
        raise RuleViolation(f"the exclusion rests on the specialist's conclusion: missing {', '.join(missing)}",
                            article="66.4", code="specialist_conclusion_required")
    if data["reason"] not in EXCLUSION_REASONS:
        raise RuleViolation(f"the specialist's conclusion excludes property only because "
                            f"{' or '.join(EXCLUSION_REASONS.values())} ({', '.join(EXCLUSION_REASONS)})",
                            article="66.4", code="bad_exclusion_reason")
    if data["conclusion_date"] > today:
        raise RuleViolation("the specialist's conclusion cannot be dated in the future", article="66.4",
                            code="bad_date")
    return Exclusion(data["conclusion_no"].strip(), data["conclusion_date"], data["specialist"].strip(),
                     data["reason"])
