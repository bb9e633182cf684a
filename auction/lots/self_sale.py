"""The debtor's self-sale (Art. 74.2), a part of the lot's lifecycle kept in its own module.

"Сот орындаушысы мүлікке тыйым салынғаннан және бағалау жүргізілгеннен кейін және мүлік
өткізілгенге дейін ... борышкерге оның жазбаша өтініші бойынша ... дербес өткізу құқығын береді":
the debtor applies in writing, the bailiff grants the right (or refuses it on a ground of the law),
at any time after the valuation while the property is not realized. The window runs from the grant.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from .. import calendar as cal
from ..errors import InvalidTransition, RuleViolation
from ..events import (
    EncumbranceKept,
    EncumbranceLifted,
    EncumbranceRecorded,
    SelfSaleApplied,
    SelfSaleContracted,
    SelfSaleLapsed,
    SelfSaleOpened,
    SelfSaleRefused,
)
from ..money import fmt, percent
from .encumbrances import Encumbrance

SELF_SALE_MIN_PERCENT = Decimal(75)  # Art. 74.2: not below 75% of the valuation
REPORT_MAX_AGE_MONTHS = 12  # Art. 74.2: report no more than one year old

# Valued and not yet realized (Art. 74.2 "бағалау жүргізілгеннен кейін және мүлік өткізілгенге дейін").
SELF_SALE_FROM = frozenset({"VALUED", "REALIZATION_ORDERED", "AUCTION_1", "RETENTION_1", "FAILED_1",
                            "AUCTION_2", "RETENTION_2"})

# The only grounds on which the bailiff refuses: the conditions the law itself sets (no free ground).
REFUSAL_GROUNDS = {
    "report_too_old": "the valuation report is more than one year old",
    "price_below_minimum": "the price the debtor expects is below 75% of the valuation",
    "property_realized": "the property is already realized",
    "right_used": "the right to self-sale was already used in this proceeding",
}


class SelfSaleMixin:
    """Methods of `Lot` for Art. 74.2 and the encumbrances it lifts (Art. 74.2, last part)."""

    def check_self_sale_price(self, price: Decimal) -> None:
        minimum = percent(self.value, SELF_SALE_MIN_PERCENT)
        if price < minimum:
            raise RuleViolation(
                f"self-sale price {fmt(price)} is below 75% of the valuation ({fmt(minimum)})",
                article="74.2", code="self_sale_price", facts={"offered": price, "minimum": minimum})

    def report_too_old(self, today: date) -> bool:
        return today > cal.WorkingCalendar.add_months(self.valuation.report_date, REPORT_MAX_AGE_MONTHS)

    def _self_sale_possible(self, action: str) -> None:
        self._refuse_if_perishable("self-sale")
        if self.status not in SELF_SALE_FROM:
            raise InvalidTransition(
                f"cannot {action}: self-sale is possible after the arrest and the valuation and before "
                f"realization; the lot is {self.status}", article="74.2", code="invalid_state",
                facts={"lot_status": self.status})

    def apply_self_sale(self, *, today: date, proceeding_used: bool, price: Decimal | None) -> None:
        """The debtor's written application; the bailiff answers it with a grant or a reasoned refusal."""
        self._self_sale_possible("apply for self-sale")
        if proceeding_used:
            raise RuleViolation("the right to self-sale can be used once per proceeding and was already used",
                                article="74.2", code="self_sale_used")
        if self.self_sale_application == "applied":
            raise RuleViolation("an application for self-sale of this lot awaits the bailiff's answer",
                                article="74.2", code="self_sale_pending")
        if price is not None:
            self.check_self_sale_price(price)
        self.self_sale_application, self.self_sale_applied_on = "applied", today
        self.self_sale_expected_price = price
        self.self_sale_refusal_ground = self.self_sale_refusal_reason = None
        self._record(SelfSaleApplied(expected_price=fmt(price) if price is not None else None))

    def _require_application(self) -> None:
        if self.self_sale_application != "applied":
            raise InvalidTransition("no application for self-sale of this lot awaits an answer", article="74.2",
                                    code="no_self_sale_application")

    def grant_self_sale(self, *, today: date, proceeding_used: bool, auction_live: bool = False) -> None:
        """The bailiff gives the right: the window runs from today, one month, a dwelling three.

        ``auction_live``: the dwelling's auction is open or awaiting its result; the service has
        already cancelled an auction that was only announced."""
        self._require_application()
        self._self_sale_possible("grant self-sale")
        if proceeding_used:
            raise RuleViolation("the right to self-sale can be used once per proceeding and was already used",
                                article="74.2", code="self_sale_used")
        if self.report_too_old(today):
            raise RuleViolation(f"the valuation report of {self.valuation.report_date} is more than one year old",
                                article="74.2", code="report_too_old",
                                facts={"report_date": self.valuation.report_date})
        if self.self_sale_expected_price is not None:
            self.check_self_sale_price(self.self_sale_expected_price)
        if self.is_dwelling and auction_live:
            raise RuleViolation("the dwelling's auction is under way: the self-sale can be granted when it has "
                                "ended without a sale", article="74.2", code="dwelling_at_auction")
        months = cal.SELF_SALE_DWELLING_MONTHS if self.is_dwelling else cal.SELF_SALE_MONTHS
        self.self_sale_application, self.self_sale_granted_on = "granted", today
        self.self_sale_status = "open"
        self.self_sale_ends_on = cal.WorkingCalendar.add_months(today, months)
        self._record(SelfSaleOpened(granted_on=today.isoformat(), ends_on=self.self_sale_ends_on.isoformat(),
                                    months=months, minimum=fmt(percent(self.value, SELF_SALE_MIN_PERCENT))))

    def refuse_self_sale(self, *, today: date, ground: str, reason: str, proceeding_used: bool) -> None:
        """A reasoned refusal on a ground of the law; the ground must hold. A refused application does
        not use the right: the debtor may apply again once the ground is gone."""
        self._require_application()
        reason = (reason or "").strip()
        if ground not in REFUSAL_GROUNDS:
            raise RuleViolation(f"a refusal names a ground of the law: {', '.join(REFUSAL_GROUNDS)}; not {ground!r}",
                                article="74.2", code="bad_refusal_ground")
        if not reason:
            raise RuleViolation("a refusal states its reasons", article="74.2", code="refusal_reason_required")
        holds = {
            "report_too_old": self.valuation is not None and self.report_too_old(today),
            "price_below_minimum": self.self_sale_expected_price is not None and self.value is not None
            and self.self_sale_expected_price < percent(self.value, SELF_SALE_MIN_PERCENT),
            "property_realized": self.status not in SELF_SALE_FROM,
            "right_used": proceeding_used,
        }[ground]
        if not holds:
            raise RuleViolation(f"the ground does not hold for this lot: {REFUSAL_GROUNDS[ground]} is not so",
                                article="74.2", code="refusal_ground_false")
        self.self_sale_application = "refused"
        self.self_sale_refusal_ground, self.self_sale_refusal_reason = ground, reason
        self._record(SelfSaleRefused(ground=ground, reason=reason))

    def record_self_sale_contract(self, *, today: date, price: Decimal, buyer: str) -> None:
        if self.self_sale_status != "open":
            raise InvalidTransition("there is no open self-sale window for this lot", article="74.2",
                                    code="no_self_sale")
        if today > self.self_sale_ends_on:
            raise RuleViolation(f"the self-sale window ended on {self.self_sale_ends_on}", article="74.2",
                                code="self_sale_expired", facts={"ended_on": self.self_sale_ends_on})
        if self.status not in SELF_SALE_FROM:
            raise InvalidTransition(f"the lot is {self.status}; it can no longer be sold by the debtor",
                                    article="74.2", code="invalid_state", facts={"lot_status": self.status})
        self.check_self_sale_price(price)
        self.self_sale_status, self.self_sale_price, self.self_sale_buyer = "contracted", price, buyer
        self._record(SelfSaleContracted(price=fmt(price)))

    def complete_self_sale(self, *, today: date) -> None:
        """Art. 74.2: the buyer paid the full price into the control account; the bailiff lifts the
        encumbrances imposed under writs and keeps those a court imposed to secure a claim."""
        if self.self_sale_status != "contracted":
            raise InvalidTransition("no self-sale contract awaits payment", article="74.2", code="no_self_sale")
        if self.status not in SELF_SALE_FROM:  # realized (or withdrawn) meanwhile
            raise InvalidTransition(f"the lot is {self.status}; it can no longer be sold by the debtor",
                                    article="74.2", code="invalid_state", facts={"lot_status": self.status})
        self.self_sale_status = "completed"
        self.sale_price, self.realized_on = self.self_sale_price, today
        for e in self.encumbrances:
            if e.lifted_on is None and e.lifted_by_self_sale:
                e.lifted_on = today
                self._record(EncumbranceLifted(encumbrance=e.describe()))
            elif e.lifted_on is None:
                self._record(EncumbranceKept(encumbrance=e.describe()))
        self._move(Status_SOLD_BY_DEBTOR, "74.2", price=fmt(self.self_sale_price),
                   note="encumbrances of writs lifted; a court's claim security remains")

    def lapse_self_sale(self) -> None:
        if self.self_sale_status in ("open", "contracted"):
            self.self_sale_status = "lapsed"
            self._record(SelfSaleLapsed(ended_on=self.self_sale_ends_on.isoformat()))

    # ---- encumbrances ------------------------------------------------------------------------------
    def record_encumbrance(self, *, basis: str, document_no: str, document_date: date, issuer: str,
                           this_proceeding: bool, today: date) -> Encumbrance:
        if self.status in ("SOLD", "SOLD_BY_DEBTOR", "RETAINED", "RELEASED", "COMMISSION_SALE", "NOT_REALIZABLE"):
            raise InvalidTransition(f"the lot is {self.status}: its encumbrances are settled", article="74.2",
                                    code="invalid_state", facts={"lot_status": self.status})
        e = Encumbrance(basis=basis, document_no=document_no, document_date=document_date, issuer=issuer,
                        this_proceeding=this_proceeding, recorded_on=today)
        self.encumbrances.append(e)
        self._record(EncumbranceRecorded(encumbrance=e.describe(), basis=basis))
        return e


Status_SOLD_BY_DEBTOR = "SOLD_BY_DEBTOR"
