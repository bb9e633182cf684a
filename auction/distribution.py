"""Distribution of money recovered from the debtor (Art. 108, 110–112; SPEC §4.4).

Order of payment (Art. 108.1):

1. fines imposed on the debtor during execution;
2. the private bailiff's fee (Art. 118) and the execution expenses (Art. 113) — for a
   state bailiff only the expenses (the caller passes a zero fee);
3. the collectors by priority queue 1–5 (Art. 111, 112): each queue is paid in full
   before the next; a queue that cannot be paid in full is paid pro rata (Art. 110.2);
4. what remains goes back to the debtor (Art. 55.5, 108.1).

Platform decisions (docs/decisions.md): when the money does not cover step 2, the fee and
the expenses — named together by Art. 108.1 — share it pro rata. Every pro-rata share is
rounded down to the tiyn and the tiyns left over go one each to the largest remainders;
ties go to the earlier claim (smaller ``order``, then smaller ``claim_id``; the fee before
the expenses), so the lines always add up to the money recovered exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .errors import BadRequest
from .ledger import BAILIFF_INCOME, CONTROL, DEBTOR_REFUND, EXPENSES, FINES, Posting, Transaction, collector_account
from .money import ZERO, fmt, from_tiyn, money, to_tiyn

QUEUES = {
    1: "alimony, harm to life or health, loss of a breadwinner, labour claims (Art. 111)",
    2: "authors' remuneration, damage to citizens' property by crimes or offences (Art. 112.1)",
    3: "claims secured by pledge (Art. 112.2)",
    4: "taxes and budget payments, damage to legal entities, asset recovery (Art. 112.3)",
    5: "all other claims (Art. 112.4)",
}
QUEUE_ARTICLES = {1: "110, 111", 2: "110, 112.1", 3: "110, 112.2", 4: "110, 112.3", 5: "110, 112.4"}


def _amount(value, what: str, article: str) -> Decimal:
    amount = money(value)
    if amount < 0:
        raise BadRequest(f"{what} cannot be negative: {fmt(amount)}", article=article)
    return amount


@dataclass(frozen=True)
class Claim:
    """A collector's outstanding claim in a priority queue (Art. 110–112)."""

    claim_id: int
    collector_id: int
    queue: int
    amount: Decimal
    order: int = 0  # earlier claim = smaller; breaks ties

    def __post_init__(self):
        if self.queue not in QUEUES:
            raise BadRequest(f"claim {self.claim_id}: priority queue must be 1 to 5, "
                             f"not {self.queue!r}", article="110")
        object.__setattr__(self, "amount", _amount(self.amount, "a claim", "110"))


@dataclass(frozen=True)
class Line:
    """One payment of a distribution statement; ``due`` is what was owed for it."""

    kind: str  # "fine" | "bailiff_fee" | "expenses" | "collector" | "debtor"
    amount: Decimal
    claim_id: int | None = None
    collector_id: int | None = None
    queue: int | None = None
    article: str = "108.1"
    due: Decimal | None = None
    rate: Decimal | None = None  # a fee line: the Art. 118 rate applied to its writ

    @property
    def account(self) -> str:
        """The ledger account this line is paid to."""
        if self.kind == "collector":
            return collector_account(self.collector_id)
        return {"fine": FINES, "bailiff_fee": BAILIFF_INCOME, "expenses": EXPENSES,
                "debtor": DEBTOR_REFUND}[self.kind]

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "amount": fmt(self.amount),
               "due": None if self.due is None else fmt(self.due),
               "claim_id": self.claim_id, "collector_id": self.collector_id,
               "queue": self.queue, "article": self.article}
        if self.rate is not None:
            out["rate"] = format(self.rate.normalize(), "f")
        return out


@dataclass
class Statement:
    """The distribution statement of one sale (SPEC §4.4)."""

    recovered: Decimal
    lines: list[Line] = field(default_factory=list)

    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def paid_to_claim(self, claim_id: int) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.kind == "collector" and ln.claim_id == claim_id), ZERO)

    def fee_of_claim(self, claim_id: int) -> Decimal:
        """The private bailiff's fee this statement pays on the writ of ``claim_id`` (Art. 118)."""
        return sum((ln.amount for ln in self.lines if ln.kind == "bailiff_fee" and ln.claim_id == claim_id), ZERO)

    def to_dict(self) -> dict:
        return {"recovered": fmt(self.recovered), "total": fmt(self.total()),
                "lines": [line.to_dict() for line in self.lines]}

    def payout_transaction(self, reference: str | None = None, *,
                           bailiff_income: str = BAILIFF_INCOME) -> Transaction | None:
        """One ledger transaction paying every non-zero line out of the control account; the fee goes
        to `bailiff_income`, the account of the private bailiff in charge (ledger.bailiff_income_account)."""
        postings = [Posting(bailiff_income if ln.kind == "bailiff_fee" else ln.account, ln.amount)
                    for ln in self.lines if ln.amount > 0]
        if not postings:
            return None
        txn = Transaction("distribution", [Posting(CONTROL, -self.total()), *postings],
                          memo="distribution of proceeds (Art. 108)", reference=reference)
        txn.validate()
        return txn


def pro_rata(available: int, dues: list[int], ranks: list[tuple]) -> list[int]:
    """Split ``available`` tiyn over ``dues`` (tiyn) in proportion (Art. 110.2).

    Shares are rounded down; the leftover tiyns go one each to the largest remainders,
    ties to the smallest ``ranks`` entry. Never pays anyone more than is due.
    """
    total = sum(dues)
    if available >= total:
        return list(dues)
    shares = [available * d // total for d in dues]
    remainders = [available * d % total for d in dues]
    left = available - sum(shares)  # < len(dues): each remainder is below one tiyn
    best = sorted(range(len(dues)), key=lambda i: (-remainders[i], ranks[i]))
    for i in best[:left]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class WritFee:
    """The private bailiff's fee due on one writ in this distribution (Art. 118)."""

    claim_id: int
    collector_id: int
    amount: Decimal
    rate: Decimal


def distribute(recovered: Decimal, *, fines: Decimal, expenses: Decimal,
               bailiff_fee: Decimal = ZERO, claims: list[Claim], fees: list[WritFee] = ()) -> Statement:
    """Distribute ``recovered`` as Art. 108.1 and 110–112 order; lines add up exactly.

    A line is listed for every fine, fee, expense and claim that is due (paid in full,
    in part or not at all), plus a debtor line when money remains.
    """
    left = to_tiyn(_amount(recovered, "recovered money", "108"))
    statement = Statement(from_tiyn(left))
    ids = [c.claim_id for c in claims]
    if len(ids) != len(set(ids)):
        raise BadRequest("each claim may be listed only once", article="110")

    due_fines = to_tiyn(_amount(fines, "fines", "108.1"))
    if due_fines:
        paid = min(left, due_fines)
        statement.lines.append(Line("fine", from_tiyn(paid), article="108.1", due=from_tiyn(due_fines)))
        left -= paid

    # (kind, due in tiyn, article, claim id, collector id, rate): one fee per writ, then the expenses
    costs = [("bailiff_fee", to_tiyn(_amount(bailiff_fee, "the bailiff's fee", "118")), "108.1, 118", None, None, None)]
    costs += [("bailiff_fee", to_tiyn(_amount(f.amount, "the bailiff's fee", "118")), "108.1, 118", f.claim_id,
               f.collector_id, f.rate) for f in fees]
    costs.append(("expenses", to_tiyn(_amount(expenses, "execution expenses", "113")), "108.1, 113", None, None, None))
    costs = [c for c in costs if c[1]]
    shares = pro_rata(left, [c[1] for c in costs], [(i,) for i in range(len(costs))])
    for (kind, due, article, claim_id, collector_id, rate), paid in zip(costs, shares):
        statement.lines.append(Line(kind, from_tiyn(paid), claim_id, collector_id, article=article,
                                    due=from_tiyn(due), rate=rate))
        left -= paid

    for queue in sorted(QUEUES):
        members = sorted((c for c in claims if c.queue == queue and c.amount > 0),
                         key=lambda c: (c.order, c.claim_id))
        dues = [to_tiyn(c.amount) for c in members]
        shares = pro_rata(left, dues, [(c.order, c.claim_id) for c in members])
        for claim, paid in zip(members, shares):
            statement.lines.append(Line("collector", from_tiyn(paid), claim.claim_id,
                                        claim.collector_id, queue, QUEUE_ARTICLES[queue],
                                        due=claim.amount))
            left -= paid

    if left:
        statement.lines.append(Line("debtor", from_tiyn(left), article="55.5, 108.1"))
    assert statement.total() == statement.recovered  # the lines add up exactly
    return statement
