"""An enforcement proceeding (one case, possibly several writs, Art. 109) and its collectors."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .errors import RuleViolation
from .lots.model import Event

QUEUES = (1, 2, 3, 4, 5)  # Art. 110–112: 1 alimony/harm/labour ... 5 everything else


class Collector:
    """A claimant with an outstanding claim in a priority queue (Art. 110–112)."""

    def __init__(self, *, name: str, iin_bin: str, queue: int, claim: Decimal, order: int, user_id: int | None = None):
        if queue not in QUEUES:
            raise RuleViolation("a collector's queue is 1 to 5", article="110", code="bad_queue")
        if claim <= 0:
            raise RuleViolation("a claim must be positive", article="110", code="bad_claim")
        self.name, self.iin_bin, self.queue, self.claim, self.order, self.user_id = name, iin_bin, queue, claim, order, user_id
        self.paid = Decimal("0.00")

    @property
    def outstanding(self) -> Decimal:
        return max(self.claim - self.paid, Decimal("0.00"))


class Proceeding:
    def __init__(self, *, number: str, bailiff_id: int, bailiff_iin: str, private_bailiff: bool,
                 debtor_name: str, debtor_iin_bin: str, debtor_is_entity: bool, debtor_user_id: int | None,
                 judge_iin: str | None, pledgee_bin: str | None, fines: Decimal, expenses: Decimal,
                 fee_category: str, created_at: datetime):
        self.number = number
        self.bailiff_id, self.bailiff_iin, self.private_bailiff = bailiff_id, bailiff_iin, private_bailiff
        self.debtor_name, self.debtor_iin_bin, self.debtor_is_entity = debtor_name, debtor_iin_bin, debtor_is_entity
        self.debtor_user_id = debtor_user_id
        self.judge_iin, self.pledgee_bin = judge_iin, pledgee_bin
        self.fines, self.expenses, self.fee_category = fines, expenses, fee_category
        self.created_at = created_at
        self.status = "active"  # active | suspended | closed
        self.suspension_reason: str | None = None
        self.suspended_at_collector_request = False
        self.bankruptcy_pending = False
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
