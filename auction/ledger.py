"""Double-entry ledger of every money move on the platform (SPEC §4 "Ledger").

Sign convention — each account is a pocket that money sits in:

* a posting's ``amount`` is **positive (debit) when money goes into the account** and
  **negative (credit) when money leaves it**;
* an account's balance is the sum of its postings, so a positive balance is money the
  platform holds in that pocket (a bidder's deposit, the control account, a collector's
  payout not yet sent, state revenue, …);
* ``EXTERNAL`` is the world outside the platform (banks): money paid in is credited to it,
  so its balance is *minus* everything the platform holds.

Every transaction sums to zero, hence the sum of all balances is always zero, and the
deposits held for bidders are the sum of the ``bidder:{id}:deposit`` balances.
Balances are derived from postings, never stored alone; the persistence layer stores
postings with these account names and mirrors :class:`Ledger`.

Which accounts may go below zero: only ``EXTERNAL`` (:func:`may_go_negative`). Every other account
is money the platform really holds — a bidder's deposit wallet (Art. 80.1), the control account
(Art. 108.2), a collector's allotment, state revenue and a private bailiff's income (Art. 80.5, 118),
expenses, fines, the debtor's refund — and no pocket holds less than nothing. :func:`check_covered`
is the one rule, used by :class:`Ledger` and by the database ledger (``service/uow.py``, which
checks it under a row lock of each account it takes money from). An account may also have money
*reserved*: a bidder's wallet holds the deposits of the auctions he is admitted to (Art. 80.1), and
neither a posting nor a new hold may take what is reserved (:func:`check_hold`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from .money import CENT, ZERO, money

# Accounts (strings, so that persistence can keep them in one column).
CONTROL = "control"  # the bailiff's control account / private bailiff's current account (Art. 1, 108.2)
STATE_REVENUE = "state_revenue"  # forfeited deposits at a state bailiff's auction (Art. 80.5)
# Before issue 10 one account held every private bailiff's income; it stays readable (old postings keep it),
# new postings go to the account of the bailiff who earned the money (bailiff_income_account).
BAILIFF_INCOME = "bailiff_income"  # legacy: private bailiffs' fees (Art. 118) and forfeits (Art. 80.5), all bailiffs
EXPENSES = "expenses"  # reimbursed execution expenses (Art. 108.1, 113)
FINES = "fines"  # fines imposed on the debtor during execution (Art. 108.1)
DEBTOR_REFUND = "debtor_refund"  # what remains after all claims (Art. 55.5, 108.1)
EXTERNAL = "external"  # money outside the platform (banks)


def deposit_account(user_id: int) -> str:
    """Money the platform holds for a bidder: the deposit wallet (Art. 80.1, SPEC §2.4)."""
    return f"bidder:{int(user_id)}:deposit"


def collector_account(collector_id: int) -> str:
    """What the distribution allotted to a collector (Art. 108.1, 110)."""
    return f"collector:{int(collector_id)}"


def bailiff_income_account(bailiff_id: int) -> str:
    """One private bailiff's income: the fee (Art. 118) and deposits forfeited at the auctions he ran (Art. 80.5)."""
    return f"bailiff:{int(bailiff_id)}:income"


def is_bailiff_income(account: str) -> bool:
    """A private bailiff's income account, the per-bailiff ones and the legacy shared one."""
    parts = account.split(":")
    return account == BAILIFF_INCOME or (len(parts) == 3 and parts[0] == "bailiff" and parts[2] == "income")


def forfeit_target(private_bailiff: bool, bailiff_id: int | None) -> str:
    """Art. 80.5: a forfeited deposit is state revenue at a state bailiff's auction, the income of the
    private bailiff running the auction at his."""
    if not private_bailiff:
        return STATE_REVENUE
    if bailiff_id is None:
        raise ValueError("a private bailiff's income needs the bailiff")
    return bailiff_income_account(bailiff_id)


def is_deposit_account(account: str) -> bool:
    parts = account.split(":")
    return len(parts) == 3 and parts[0] == "bidder" and parts[2] == "deposit"


@dataclass(frozen=True)
class Posting:
    """One leg of a transaction: ``amount`` > 0 debits (money in), < 0 credits (money out)."""

    account: str
    amount: Decimal


@dataclass
class Transaction:
    kind: str
    postings: list[Posting]
    memo: str = ""
    reference: str | None = None

    def validate(self) -> None:
        """Raise ``ValueError`` unless this is a balanced double entry in tiyn."""
        if not self.kind:
            raise ValueError("a transaction needs a kind")
        if len(self.postings) < 2:
            raise ValueError(f"{self.kind}: a transaction needs at least two postings")
        for p in self.postings:
            if not p.account:
                raise ValueError(f"{self.kind}: a posting needs an account")
            if not isinstance(p.amount, Decimal) or not p.amount.is_finite():
                raise ValueError(f"{self.kind}: posting amount must be a Decimal, got {p.amount!r}")
            if p.amount != p.amount.quantize(CENT) or p.amount == 0:
                raise ValueError(f"{self.kind}: posting amount must be non-zero whole tiyn, got {p.amount}")
        total = sum((p.amount for p in self.postings), ZERO)
        if total != 0:
            raise ValueError(f"{self.kind}: postings do not balance (sum {total})")


def may_go_negative(account: str) -> bool:
    """Only the world outside the platform: its balance is minus everything the platform holds."""
    return account == EXTERNAL


def deposit_owner(account: str) -> int | None:
    """The bidder whose deposit wallet `account` is, or None for any other account."""
    return int(account.split(":")[1]) if is_deposit_account(account) else None


class Overdraft(ValueError):
    """A transaction (or a hold) would take more out of an account than it holds free."""

    def __init__(self, kind: str, account: str, available: Decimal, wanted: Decimal):
        self.kind, self.account, self.available, self.wanted = kind, account, available, wanted
        # Art. 80.1 for a bidder's wallet: the deposit must be covered; other accounts are SPEC §4.
        self.article = "80.1" if is_deposit_account(account) else None
        super().__init__(f"{kind}: {account} holds {available} free, cannot take out {wanted}")


def _no_reserve(_account: str) -> Decimal:
    return ZERO


def net_changes(txn: Transaction) -> dict[str, Decimal]:
    delta: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in txn.postings:
        delta[p.account] += p.amount
    return dict(delta)


def accounts_debited(txn: Transaction) -> list[str]:
    """The accounts `txn` takes money out of that must stay non-negative, in a fixed order (so that
    two transactions lock them in the same order)."""
    return sorted(a for a, change in net_changes(txn).items() if change < 0 and not may_go_negative(a))


def check_covered(txn: Transaction, balance: Callable[[str], Decimal],
                  reserved: Callable[[str], Decimal] = _no_reserve) -> None:
    """Raise :class:`Overdraft` if `txn` would take an account that must stay non-negative below what
    is reserved on it (zero for most accounts). `balance` and `reserved` are read as they are now."""
    for account, change in net_changes(txn).items():
        if change >= 0 or may_go_negative(account):
            continue
        available = balance(account) - reserved(account)
        if available + change < 0:
            raise Overdraft(txn.kind, account, available, -change)


def check_hold(kind: str, account: str, amount: Decimal, balance: Decimal, reserved: Decimal) -> None:
    """Raise :class:`Overdraft` unless `account` has `amount` free to reserve (a deposit taken from the
    wallet for an auction, Art. 80.1): what it holds, less what is already reserved."""
    amount = _positive(amount)
    if may_go_negative(account):
        raise ValueError(f"{kind}: nothing can be reserved on {account}")
    if balance - reserved < amount:
        raise Overdraft(kind, account, balance - reserved, amount)


def _positive(amount) -> Decimal:
    value = money(amount)
    if value <= 0:
        raise ValueError(f"amount must be positive, got {value}")
    return value


def transfer(kind: str, source: str, target: str, amount, *, memo: str = "",
             reference: str | None = None) -> Transaction:
    """Move ``amount`` from ``source`` to ``target`` (credit source, debit target)."""
    value = _positive(amount)
    txn = Transaction(kind, [Posting(source, -value), Posting(target, value)], memo, reference)
    txn.validate()
    return txn


def deposit_paid(user_id: int, amount, reference: str | None = None) -> Transaction:
    """A bidder pays the 5% guarantee deposit in (Art. 80.1)."""
    return transfer("deposit_paid", EXTERNAL, deposit_account(user_id), amount,
                    memo="guarantee deposit (Art. 80.1)", reference=reference)


def deposit_refunded(user_id: int, amount, reference: str | None = None) -> Transaction:
    """A deposit goes back to the bidder's bank (Art. 80.1: within 5 working days)."""
    return transfer("deposit_refunded", deposit_account(user_id), EXTERNAL, amount,
                    memo="deposit refund (Art. 80.1)", reference=reference)


def deposit_forfeited(user_id: int, amount, private_bailiff: bool, reference: str | None = None, *,
                      bailiff_id: int | None = None) -> Transaction:
    """A forfeited deposit goes to state revenue, or to the income of the private bailiff running the
    auction when it is forfeited (Art. 80.5)."""
    target = forfeit_target(private_bailiff, bailiff_id)
    return transfer("deposit_forfeited", deposit_account(user_id), target, amount,
                    memo="forfeited deposit (Art. 80.4, 80.5)", reference=reference)


def deposit_applied_to_price(user_id: int, amount, reference: str | None = None) -> Transaction:
    """The winner's deposit counts toward the price (Art. 80.1, 80.4)."""
    return transfer("deposit_applied", deposit_account(user_id), CONTROL, amount,
                    memo="deposit counted toward the price (Art. 80.1)", reference=reference)


def payment_received(amount, reference: str | None) -> Transaction:
    """A price, self-sale or retention payment paid into the control account (Art. 108.2)."""
    return transfer("payment_received", EXTERNAL, CONTROL, amount,
                    memo="payment into the control account (Art. 108.2)", reference=reference)


def payout(account: str, amount, reference: str | None = None) -> Transaction:
    """One line of a distribution statement leaves the control account (Art. 108)."""
    return transfer("payout", CONTROL, account, amount,
                    memo="distribution of proceeds (Art. 108)", reference=reference)


def transfer_out(account: str, amount, reference: str | None = None) -> Transaction:
    """Money allotted to someone is sent to their bank."""
    return transfer("transfer_out", account, EXTERNAL, amount, reference=reference)


class Ledger:
    """In-memory ledger: postings only, balances derived. Only ``EXTERNAL`` may go negative
    (:func:`may_go_negative`)."""

    def __init__(self) -> None:
        self.transactions: list[Transaction] = []
        self._balances: dict[str, Decimal] = defaultdict(lambda: ZERO)

    def post(self, txn: Transaction) -> None:
        txn.validate()
        check_covered(txn, self.balance)
        for account, change in net_changes(txn).items():
            self._balances[account] += change
        self.transactions.append(txn)

    def balance(self, account: str) -> Decimal:
        return self._balances.get(account, ZERO)

    def balances(self) -> dict[str, Decimal]:
        return dict(self._balances)

    def total(self) -> Decimal:
        """Sum of every balance: always zero (SPEC §4)."""
        return sum(self._balances.values(), ZERO)

    def held_deposits(self) -> Decimal:
        return sum((b for a, b in self._balances.items() if is_deposit_account(a)), ZERO)
