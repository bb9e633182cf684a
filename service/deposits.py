"""Deposits and the deposit wallet (Art. 80.1, 80.4, 80.5; SPEC §2.4): a deposit held from the wallet,
freed and refunded, forfeited, counted toward the price; the bidder's own refund request and the
sweeper's payout of a due refund."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from auction import calendar as cal
from auction import commands as c
from auction import ledger
from auction.errors import RuleViolation
from auction.events import (
    DepositForfeited,
    DepositFreed,
    DepositFromWallet,
    DepositRefunded,
    RefundCancelled,
    WalletRefundRequested,
)
from auction.lots.model import Lot
from auction.money import ZERO, fmt
from auction.proceedings import Proceeding

from . import access
from .orm import Refund
from .uow import UnitOfWork

WALLET_KEEP_MONTHS = 1  # SPEC §2.4: a freed deposit may stay in the wallet up to one month
WALLET_REFUND_WD = 1  # SPEC §2.4: a refund request is paid out within one working day


def wallet_free(uow: UnitOfWork, user_id: int, *, lock: bool = False) -> Decimal:
    """Deposit money of a bidder not held for any auction. `lock`: under the wallet's lock, so that
    no other transaction spends or reserves it before this one commits (what a write needs)."""
    account = ledger.deposit_account(user_id)
    if lock:
        uow.lock_accounts(account)
    return uow.balance(account) - uow.reserved(account)


def take_deposit_from_wallet(uow: UnitOfWork, a, app, *, required: bool = False) -> bool:
    """Admit `app` on a deposit held from the bidder's wallet (SPEC §2.4), if the wallet has it free.
    The check and the hold are one step under the wallet's lock (UnitOfWork.hold): two applications
    of one bidder filed at the same moment cannot both take the same money. Without the money:
    False (a deposit payment is requested), or, when the bidder asked to pay from the wallet
    (`required`), a refusal naming what the wallet holds (Art. 80.1)."""
    account = ledger.deposit_account(app.user_id)
    try:
        uow.hold(account, app.deposit, "deposit_from_wallet")
    except ledger.Overdraft as short:
        if not required:
            return False
        raise RuleViolation(f"only an applicant whose deposit is paid takes part: your wallet holds "
                            f"{fmt(max(short.available, ZERO))} free; the deposit is {fmt(app.deposit)}",
                            article="80.1", code="wallet_short",
                            facts={"free": max(short.available, ZERO), "deposit": app.deposit}) from None
    a.admit(app, uow.now)
    uow.record(DepositFromWallet(lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                                 amount=fmt(app.deposit)))
    return True


def free_deposit(uow: UnitOfWork, a, app) -> None:
    """Art. 80.1: deposits of non-winners are refunded within 5 working days after the auction;
    one left in the wallet is returned one month after it was freed (SPEC §2.4)."""
    if app.deposit_state != "held":
        return
    app.deposit_state = "freed"
    due = uow.calendar.deadline_within(uow.today, cal.REFUND_WD)
    pay_from = cal.WorkingCalendar.add_months(uow.today, WALLET_KEEP_MONTHS) if app.keep_in_wallet else uow.today
    uow.session.add(Refund(user_id=app.user_id, application_id=app.id, amount=app.deposit, pay_from=pay_from,
                           due_on=max(due, pay_from), status="due", created_at=uow.now))
    uow.record(DepositFreed(lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                            amount=fmt(app.deposit), refund_due_on=due.isoformat(), kept_in_wallet=app.keep_in_wallet))


def forfeit_deposit(uow: UnitOfWork, a, app, *, freed_too: bool = False) -> Decimal:
    """Art. 80.4–80.5: to state revenue, or to the income of the private bailiff running the auction
    *now* — the bailiff of the proceeding at the moment of the forfeiture, not the one who announced
    it (a proceeding may have passed to another bailiff meanwhile). Returns the amount forfeited.

    `freed_too` (a participant disqualified after the close, Art. 80.4 third part): a deposit already
    freed is forfeited as long as its refund is not paid out; the refund is cancelled, and only what
    the wallet still holds free is taken (money reused for another auction stays there)."""
    amount = app.deposit
    if app.deposit_state == "freed" and freed_too:
        refunds = uow.session.execute(select(Refund).where(Refund.application_id == app.id,
                                                           Refund.status == "due")).scalars().all()
        if not refunds:
            return ZERO  # already paid out: recovering it is for a court, not the platform
        for r in refunds:
            r.status = "cancelled"
            uow.record(RefundCancelled(lot_id=a.lot_id, refund_id=r.id, amount=fmt(r.amount)))
        amount = min(amount, max(wallet_free(uow, app.user_id, lock=True), ZERO))
    elif app.deposit_state != "held":
        return ZERO
    app.deposit_state = "forfeited"
    if amount <= 0:
        return ZERO
    p = uow.get(Proceeding, uow.get(Lot, a.lot_id).proceeding_id)
    txn = ledger.deposit_forfeited(app.user_id, amount, p.private_bailiff, bailiff_id=p.bailiff_id)
    uow.post(txn, lot_id=a.lot_id)
    uow.record(DepositForfeited(lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no, amount=fmt(amount),
                                to=txn.postings[1].account, private_bailiff=p.private_bailiff, bailiff_id=p.bailiff_id))
    return amount


def apply_deposit(uow: UnitOfWork, a, app) -> None:
    app.deposit_state = "applied"
    uow.post(ledger.deposit_applied_to_price(app.user_id, app.deposit), lot_id=a.lot_id)


def request_wallet_refund(uow: UnitOfWork, actor, cmd: c.RequestWalletRefund) -> Refund:
    access.require(actor, "bidder")
    free = wallet_free(uow, actor.id, lock=True) - _pending_refunds(uow, actor.id)
    if free <= 0:
        raise RuleViolation("your wallet holds no free deposit money", code="empty_wallet")
    r = Refund(user_id=actor.id, amount=free, pay_from=uow.today,
               due_on=uow.calendar.deadline_within(uow.today, WALLET_REFUND_WD), status="due", created_at=uow.now)
    uow.session.add(r)
    uow.record(WalletRefundRequested(user_id=actor.id, amount=fmt(free)))
    uow.commit()
    return r


def _pending_refunds(uow, user_id: int) -> Decimal:
    total = uow.session.execute(select(func.sum(Refund.amount)).where(
        Refund.user_id == user_id, Refund.status == "due", Refund.pay_from <= uow.today)).scalar_one()
    return total or ZERO


def pay_refund(uow: UnitOfWork, r: Refund) -> None:
    """Pay a due refund out of the wallet: what is still free (a deposit reused meanwhile stays)."""
    amount = min(r.amount, wallet_free(uow, r.user_id, lock=True))
    r.status, r.paid_at = "paid", uow.now
    if amount > 0:
        uow.post(ledger.deposit_refunded(r.user_id, amount, f"REFUND-{r.id}"))
    uow.record(DepositRefunded(refund_id=r.id, user_id=r.user_id, amount=fmt(amount)))
