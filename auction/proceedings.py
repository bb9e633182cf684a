"""An enforcement proceeding (one case, possibly several writs, Art. 109) and its collectors."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from . import calendar as cal
from .claims import CLAIM_KINDS, claim_kind, queue_of
from .errors import InvalidTransition, RuleViolation
from .events import Event
from .fees import fee_category_of
from .identity import is_bin
from .money import fmt


class ClaimChange:
    """A change of a claim, kept, never overwritten: `what` is "arrears" — its amount set by a bailiff's
    resolution (Art. 99.1: alimony arrears are determined by the bailiff, quarterly and whenever
    needed) — or "kind": its kind corrected on the writ or document that shows it, the Art. 111–112
    queue re-derived (docs/decisions.md, "Correcting a claim's kind")."""

    def __init__(self, *, old_claim: Decimal, new_claim: Decimal, at: datetime, by: str, what: str = "arrears",
                 arrears: Decimal | None = None, penalty: Decimal | None = None, resolution_no: str | None = None,
                 resolution_date: date | None = None, old_kind: str | None = None, new_kind: str | None = None,
                 basis: str | None = None, reason: str | None = None):
        self.what, self.old_claim, self.new_claim, self.at, self.by = what, old_claim, new_claim, at, by
        (self.arrears, self.penalty,
         self.resolution_no, self.resolution_date) = arrears, penalty, resolution_no, resolution_date
        self.old_kind, self.new_kind, self.basis, self.reason = old_kind, new_kind, basis, reason


class Collector:
    """A claimant; the queue follows from the kind of the claim (Art. 110–112)."""

    def __init__(self, *, name: str, iin_bin: str, kind: str, claim: Decimal, order: int, user_id: int | None = None,
                 fee_category: str | None = None):
        self.kind = kind
        self.queue = queue_of(kind)
        # Art. 118: the fee's category, band and cap belong to the writ (this claim)
        self.fee_category = fee_category or fee_category_of(kind)
        self.fee_charged = Decimal("0.00")
        if claim <= 0:
            raise RuleViolation("a claim must be positive", article="110", code="bad_claim")
        self.name, self.iin_bin, self.claim, self.order, self.user_id = name, iin_bin, claim, order, user_id
        self.paid = Decimal("0.00")
        self.changes: list[ClaimChange] = []

    @property
    def outstanding(self) -> Decimal:
        return max(self.claim - self.paid, Decimal("0.00"))

    @property
    def queue_article(self) -> str:
        return CLAIM_KINDS[self.kind].article

    @property
    def determinations(self) -> list[ClaimChange]:
        """Art. 99.1: the resolutions that set the amount (the arrears), oldest first."""
        return [c for c in self.changes if c.what == "arrears"]

    @property
    def kind_corrections(self) -> list[ClaimChange]:
        return [c for c in self.changes if c.what == "kind"]

    def correct_kind(self, *, kind, basis, reason, at: datetime, by: str) -> ClaimChange:
        """The bailiff corrects the kind of the claim on the writ or document that shows it (a claim
        recorded before kinds existed was given "other", queue 5, where its kind could not be known);
        the Art. 111–112 queue follows from the new kind. Once proceeds were distributed to this claim
        they were paid in the order of its queue then (Art. 110.2): the kind is no longer corrected.
        The fee category (Art. 118) follows the kind when it was read from the kind, and stays when the
        writ named it. Returns the change, kept in the claim's history."""
        if self.paid > 0:
            raise RuleViolation(f"{fmt(self.paid)} of the proceeds were already distributed to this claim in queue "
                                f"{self.queue} (Art. {self.queue_article}): its kind is no longer corrected",
                                article="110", code="claim_distributed", facts={"paid": self.paid})
        new = claim_kind(kind)
        if kind == self.kind:
            raise RuleViolation(f"the claim is already of kind {kind!r} (queue {self.queue}): nothing to correct",
                                article=new.article, code="kind_unchanged")
        basis = basis.strip() if isinstance(basis, str) else ""
        reason = reason.strip() if isinstance(reason, str) else ""
        if not basis:
            raise RuleViolation(f"name the writ or the document that shows the claim is of kind {kind!r} (basis)",
                                article=new.article, code="basis_required")
        if not reason:
            raise RuleViolation("state why the kind recorded was wrong (reason)", article=new.article,
                                code="reason_required")
        change = ClaimChange(what="kind", old_claim=self.claim, new_claim=self.claim, old_kind=self.kind,
                             new_kind=kind, basis=basis, reason=reason, at=at, by=by)
        if self.fee_category == fee_category_of(self.kind):
            self.fee_category = fee_category_of(kind)
        self.kind, self.queue = kind, new.queue
        self.changes.append(change)
        return change

    def determine_arrears(self, *, arrears: Decimal, penalty: Decimal, resolution_no: str, resolution_date: date,
                          today: date, now: datetime, by: str) -> ClaimChange:
        """Art. 99.1: the bailiff's resolution sets the alimony arrears owed now (with the penalty of
        0.1% a day for late payment, as the resolution computed it); what the case owes this
        collector from now on is that sum. What was paid stays paid."""
        if self.kind != "alimony":
            raise RuleViolation("only alimony arrears are determined by the bailiff's resolution; the amount of a "
                                f"claim of kind {self.kind!r} is the writ's", article="99.1", code="claim_fixed")
        if arrears < 0 or penalty < 0 or arrears + penalty <= 0:
            raise RuleViolation("the arrears and the penalty are not negative and not both zero", article="99.1",
                                code="bad_claim")
        if resolution_date > today:
            raise RuleViolation(f"the resolution date {resolution_date} is in the future", article="99.1",
                                code="bad_date")
        if self.determinations and resolution_date < max(c.resolution_date for c in self.determinations):
            raise RuleViolation("a later resolution already set these arrears", article="99.1", code="stale_resolution")
        new_claim = self.paid + arrears + penalty
        change = ClaimChange(what="arrears", old_claim=self.claim, new_claim=new_claim,
                             arrears=arrears, penalty=penalty,
                             resolution_no=resolution_no, resolution_date=resolution_date, at=now, by=by)
        self.claim = new_claim
        self.changes.append(change)
        return change


class Proceeding:
    def __init__(self, *, number: str, bailiff_id: int, bailiff_iin: str, private_bailiff: bool,
                 debtor_name: str, debtor_iin_bin: str, debtor_is_entity: bool | None, debtor_user_id: int | None,
                 judge_iin: str | None, pledgee_bin: str | None, fines: Decimal, expenses: Decimal,
                 created_at: datetime):
        self.number = number
        self.bailiff_id, self.bailiff_iin, self.private_bailiff = bailiff_id, bailiff_iin, private_bailiff
        # The debtor's kind (Art. 72.1 individual / 72.2 legal entity) is read from the number: a BIN
        # has 4, 5 or 6 in its fifth digit, an IIN (an individual, an entrepreneur too) a date there.
        entity = is_bin(debtor_iin_bin)
        if debtor_is_entity is not None and bool(debtor_is_entity) != entity:
            raise RuleViolation(f"the debtor's number {debtor_iin_bin} is "
                                f"{'a BIN: a legal entity' if entity else 'an IIN: an individual'}"
                                f"; is_entity={str(bool(debtor_is_entity)).lower()} contradicts it", article="72",
                                code="debtor_kind")
        self.debtor_name, self.debtor_iin_bin, self.debtor_is_entity = debtor_name, debtor_iin_bin, entity
        self.debtor_user_id = debtor_user_id
        self.judge_iin, self.pledgee_bin = judge_iin, pledgee_bin
        self.fines, self.expenses = fines, expenses
        self.created_at = created_at
        self.status = "active"  # active | suspended | closed
        self.suspension_reason: str | None = None
        self.suspended_at_collector_request = False
        self.collector_application_on: date | None = None  # Art. 44 item 8: the day the application was received
        self.mediation_agreement = False  # Art. 44 item 8: the parties concluded a mediation agreement
        self.suspension_ends_on: date | None = None  # Art. 44 item 8: the sweeper resumes the day after
        self.bankruptcy_pending = False
        self.lease_until: datetime | None = None  # the sweeper's claim (SPEC §6)
        self.self_sale_used = False  # Art. 74.2: once per proceeding
        self.collectors: list[Collector] = []
        self.events: list[Event] = []

    @property
    def total_claims(self) -> Decimal:
        return sum((c.outstanding for c in self.collectors), Decimal("0.00"))

    def debtor_signer(self) -> str:
        return "debtor"

    def required_agreement_signers(self) -> set[str]:
        """Art. 68.5: the parties — the debtor and every collector — sign the value agreement."""
        return {"debtor", *(f"collector:{c.id}" for c in self.collectors)}

    # ---- suspension (Art. 42, 44) ---------------------------------------------------------------------
    def suspend(self, *, reason: str, at_collector_request: bool, bankruptcy: bool,
                application_on: date | None, mediation_agreement: bool, today: date) -> None:
        """Art. 42: suspend the proceeding. At the collector's written request (Art. 42 item 12) the
        suspension lasts at most 10 calendar days from the application, 30 with a mediation
        agreement (Art. 44 item 8); its end is stored so that the sweeper resumes the proceeding."""
        if self.status != "active":
            raise InvalidTransition(f"the proceeding is {self.status}", article="42", code="invalid_state",
                                    facts={"proceeding_status": self.status})
        if not at_collector_request and (application_on is not None or mediation_agreement):
            raise RuleViolation("an application date and a mediation agreement belong to a suspension at the "
                                "collector's request (Art. 42 item 12)", article="44", code="collector_request_only")
        ends_on = None
        if at_collector_request:
            application_on = application_on or today
            if application_on > today:
                raise RuleViolation(f"the collector's application cannot be dated in the future ({application_on})",
                                    article="44", code="bad_date")
            ends_on = cal.collector_request_suspension_ends_on(application_on, mediation_agreement)
            if ends_on < today:
                days = (ends_on - application_on).days
                raise RuleViolation(f"a suspension at the collector's request lasts at most {days} calendar days from "
                                    f"the application of {application_on}: it would have ended on {ends_on}",
                                    article="44", code="expired", facts={"ended_on": ends_on})
        self.status, self.suspension_reason = "suspended", reason
        self.suspended_at_collector_request = at_collector_request
        self.collector_application_on = application_on if at_collector_request else None
        self.mediation_agreement = bool(mediation_agreement) if at_collector_request else False
        self.suspension_ends_on = ends_on
        self.bankruptcy_pending = bankruptcy

    def ensure_active(self) -> None:
        """Enforcement steps are taken in an active proceeding only: not while it is suspended (Art. 42),
        and not once it has ended (Art. 49; here: the debt paid, Art. 47)."""
        if self.status == "suspended":
            raise RuleViolation("the proceeding is suspended", article="42", code="suspended")
        if self.status != "active":
            raise InvalidTransition(f"the proceeding is {self.status}: nothing more can be done in it", article="49",
                                    code="invalid_state", facts={"proceeding_status": self.status})

    def suspension_over(self, today: date) -> bool:
        """Art. 44 item 8: the period of a suspension at the collector's request has run out."""
        return self.status == "suspended" and self.suspension_ends_on is not None and today > self.suspension_ends_on

    def resume(self) -> None:
        if self.status != "suspended":
            raise InvalidTransition("the proceeding is not suspended", article="42", code="invalid_state")
        self.status, self.suspension_reason, self.bankruptcy_pending = "active", None, False
        self.suspended_at_collector_request, self.collector_application_on = False, None
        self.mediation_agreement, self.suspension_ends_on = False, None
