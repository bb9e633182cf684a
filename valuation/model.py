"""Art. 68: the valuation of arrested property — the appraiser's appointment, his report, the
parties' agreement on the value, and a party's dispute of the valuation.

The lot holds its valuations, as cosmicpython's `Product` holds its batches: `ValuationMixin`
gives `Lot` the Art. 68 steps, each checking the rule, changing the lot and recording an event;
the rules that need no lot (the bases of an appointment, what a report must say, how an
agreement collects its signatures) are plain functions and value objects here.

"68.1 Сот орындаушысы мүлікке тыйым салынған және борышкерге мүліктің тиесілі екені анықталған
кезден бастап он жұмыс күні ішінде ... бағалаушыны тағайындау туралы қаулы шығарады."
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from auction import calendar as cal
from auction.errors import InvalidTransition, RuleViolation
from auction.events import AgreementSigned, AppraiserReappointed, ValuationDisputed, ValuationUpheld
from auction.money import fmt

# Art. 68.1: the three ways a bailiff appoints the appraiser (on his own, on a party's proposal, by
# charging a party with commissioning the valuation).
BASES = ("bailiff", "party_proposal", "party_commissioned")
METHODS = ("appraisal", "agreement")  # an appraiser's report (68.1) or the parties' agreement (68.5)
FORUMS = ("expert_council", "court")  # Art. 68.3: where a party takes its disagreement
OUTCOMES = ("upheld", "invalid")  # Art. 68.3–68.4: the report stands, or a new valuation is ordered

# The lot's states the Art. 68 steps are taken in (auction.lots.model.Status).
ARRESTED, VALUATION, VALUED = "ARRESTED", "VALUATION", "VALUED"


class Valuation:
    """A valuation of a lot (Art. 68): kept when superseded, never deleted."""

    def __init__(self, value: Decimal, method: str, report_no: str | None, report_date: date,
                 appraiser_id: int | None, appraiser_iin: str | None, created_at: datetime):
        self.value, self.method, self.report_no, self.report_date = value, method, report_no, report_date
        self.appraiser_id, self.appraiser_iin, self.created_at = appraiser_id, appraiser_iin, created_at
        self.superseded = False

    @classmethod
    def appraisal(cls, *, value: Decimal, report_no: str, report_date: date, appraiser_id: int | None,
                  appraiser_iin: str | None, now: datetime, today: date) -> Valuation:
        """The appraiser's report (Art. 68.1): a positive value, a number, a date not in the future."""
        if value <= 0:
            raise RuleViolation("the valuation must be positive", article="68", code="bad_value")
        if not (report_no or "").strip():
            raise RuleViolation("the report is filed with its number", article="68", code="bad_report_no")
        if report_date > today:
            raise RuleViolation("the report date cannot be in the future", article="68", code="bad_report_date")
        return cls(value, "appraisal", report_no.strip(), report_date, appraiser_id, appraiser_iin, now)

    @classmethod
    def agreement(cls, *, value: Decimal, now: datetime, today: date) -> Valuation:
        """Art. 68.5: the value the parties agreed in writing; no appraiser, no report."""
        return cls(value, "agreement", None, today, None, None, now)

    @property
    def article(self) -> str:
        return "68.5" if self.method == "agreement" else "68"


def appointment_due_on(*, arrested_on: date, ownership_established_on: date, calendar: cal.WorkingCalendar) -> date:
    """Art. 68.1: the appraiser is appointed within 10 working days of the arrest and of the day the
    property was established to be the debtor's, whichever is later."""
    return calendar.deadline_within(max(arrested_on, ownership_established_on), cal.VALUATION_APPOINTMENT_WD)


def copies_due_on(issued_on: date) -> date:
    """Art. 68.2: copies of the appointment go to the parties "оны шығарған күннен кейінгі күннен
    кешіктірілмей" — not later than the day after it was issued (a calendar day: the law says no
    working day here); computed, as every deadline, by the calendar module."""
    return cal.appointment_copies_due_on(issued_on)


def check_basis(basis: str) -> str:
    if basis not in BASES:
        raise RuleViolation(f"an appraiser is appointed on one of the bases of the law: {', '.join(BASES)}; "
                            f"not {basis!r}", article="68.1", code="bad_basis")
    return basis


@dataclass(frozen=True)
class Agreement:
    """Art. 68.5: the parties' written agreement on the value, collecting their signatures. Each party
    (the debtor and every collector) signs the same value; another value starts the signatures again."""

    value: Decimal | None = None
    signers: tuple[str, ...] = ()

    def sign(self, *, signer: str, value: Decimal, required: set[str]) -> Agreement:
        if value <= 0:
            raise RuleViolation("the agreed value must be positive", article="68.5", code="bad_value")
        if signer not in required:
            raise RuleViolation("only the parties of the proceeding sign a value agreement", article="68.5",
                                code="not_a_party")
        signers = self.signers if self.value == value else ()
        return Agreement(value, signers if signer in signers else (*signers, signer))

    def complete(self, required: set[str]) -> bool:
        return self.value is not None and set(self.signers) >= required


class ValuationMixin:
    """The Art. 68 steps of `Lot`. The lot keeps `valuations` (all of them, the superseded too), the
    appointment (`appraiser_id`, `appraiser_iin`, `valuation_appointed_on`, `parties_notified_by`),
    the agreement being signed (`agreement_value`, `agreement_signers`) and `dispute_open`."""

    @property
    def valuation(self) -> Valuation | None:
        current = [v for v in self.valuations if not v.superseded]
        return current[-1] if current else None

    @property
    def value(self) -> Decimal | None:
        v = self.valuation
        return v.value if v else None

    def valuation_overdue(self, today: date) -> bool:
        """Art. 68.1: flag a lot whose appraiser was not appointed within 10 working days."""
        return self.status == ARRESTED and self.valuation_appointed_on is None and today > self.valuation_due_on

    def appoint_appraiser(self, *, appraiser_id: int | None, appraiser_iin: str | None, basis: str,
                          today: date) -> None:
        """Art. 68.1: the resolution appointing an appraiser; Art. 68.2: copies to the parties by the next day.
        Art. 68.5: no appraiser once the parties agreed the value."""
        self._refuse_if_perishable("valuation")
        self._require(ARRESTED, VALUATION, action="appoint an appraiser")
        check_basis(basis)
        self.appraiser_id, self.appraiser_iin = appraiser_id, appraiser_iin
        self.valuation_appointed_on = today
        self.parties_notified_by = copies_due_on(today)
        late = today > self.valuation_due_on
        if self.status == ARRESTED:
            self._move(VALUATION, "68.1", appraiser_id=appraiser_id, basis=basis, late=late,
                       due_on=self.valuation_due_on.isoformat())
        else:
            self._record(AppraiserReappointed(appraiser_id=appraiser_id, basis=basis))

    def file_report(self, *, value: Decimal, report_no: str, report_date: date, appraiser_id: int | None,
                    appraiser_iin: str | None, now: datetime, today: date) -> Valuation:
        self._refuse_if_perishable("valuation")
        self._require(VALUATION, action="file a valuation report")
        return self._set_valuation(Valuation.appraisal(
            value=value, report_no=report_no, report_date=report_date, appraiser_id=appraiser_id,
            appraiser_iin=appraiser_iin, now=now, today=today))

    def sign_agreement(self, *, signer: str, value: Decimal, required_signers: set[str], now: datetime,
                       today: date) -> Valuation | None:
        """Art. 68.5: when every party has signed the same value, that value is the valuation."""
        self._refuse_if_perishable("valuation")
        self._require(ARRESTED, VALUATION, action="agree the value")
        agreement = Agreement(self.agreement_value, tuple(self.agreement_signers or ())).sign(
            signer=signer, value=value, required=required_signers)
        self.agreement_value, self.agreement_signers = agreement.value, list(agreement.signers)
        self._record(AgreementSigned(signer=signer, value=fmt(value)))
        if agreement.complete(required_signers):
            return self._set_valuation(Valuation.agreement(value=value, now=now, today=today))
        return None

    def _set_valuation(self, valuation: Valuation) -> Valuation:
        for v in self.valuations:
            v.superseded = True
        self.valuations.append(valuation)
        self.agreement_value, self.agreement_signers = None, []
        self._move(VALUED, valuation.article, value=fmt(valuation.value), method=valuation.method,
                   report_no=valuation.report_no)
        return valuation

    def open_dispute(self) -> None:
        """Art. 68.3: a party disputes the valuation; realization cannot be ordered meanwhile."""
        self._require(VALUED, action="dispute the valuation")
        if self.dispute_open:
            raise RuleViolation("a dispute of this valuation is already open", article="68.3", code="dispute_open")
        self.dispute_open = True
        self._record(ValuationDisputed(value=fmt(self.value)))

    def resolve_dispute(self, *, report_invalid: bool) -> None:
        """Art. 68.3: the expert council's negative conclusion or the court's ruling that the report is
        invalid is the ground for a new valuation; otherwise the valuation stands."""
        if not self.dispute_open:
            raise InvalidTransition("no open dispute on this lot", article="68.3", code="no_dispute")
        self.dispute_open = False
        if report_invalid:
            for v in self.valuations:
                v.superseded = True
            self._move(VALUATION, "68.3", reason="valuation found invalid: new valuation ordered")
        else:
            self._record(ValuationUpheld())
