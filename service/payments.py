"""Money in, money held, money out (SPEC §4): payment requests and their confirmation
(signed webhook, operator, development provider), deposits and the deposit wallet,
refunds, forfeiture, and the distribution of proceeds (Art. 108, 110–112, 118)."""
from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from auction import calendar as cal
from auction import ledger
from auction.distribution import Claim, Line, Statement, WritFee, distribute
from auction.errors import BadRequest, Conflict, Forbidden, InvalidTransition, RuleViolation, Unauthorized
from auction.fees import private_bailiff_fee
from auction.money import CENT, ZERO, fmt, money

from . import access, documents, settings
from .orm import Distribution, Payment, Refund
from .uow import UnitOfWork

WALLET_KEEP_MONTHS = 1  # SPEC §2.4: a freed deposit may stay in the wallet up to one month
WALLET_REFUND_WD = 1  # SPEC §2.4: a refund request is paid out within one working day


def request(uow: UnitOfWork, *, kind: str, amount: Decimal, lot_id: int | None, user_id: int | None,
            auction_id: int | None = None, application_id: int | None = None, collector_id: int | None = None,
            due_on: date | None = None) -> Payment:
    pay = Payment(kind=kind, amount=amount, status="pending", lot_id=lot_id, user_id=user_id, auction_id=auction_id,
                  application_id=application_id, collector_id=collector_id, due_on=due_on,
                  reference=f"{kind.upper()}-{uuid.uuid4().hex[:12].upper()}", created_at=uow.now)
    uow.session.add(pay)
    uow.flush()
    uow.journal("payment.requested", None, lot_id=lot_id, auction_id=auction_id, payment_id=pay.id, kind=kind,
                amount=fmt(amount), reference=pay.reference, due_on=due_on.isoformat() if due_on else None)
    return pay


def cancel_pending(uow: UnitOfWork, *, application_id: int) -> None:
    for pay in uow.session.execute(select(Payment).where(Payment.application_id == application_id,
                                                         Payment.status == "pending")).scalars():
        pay.status = "cancelled"
        uow.journal("payment.cancelled", None, lot_id=pay.lot_id, payment_id=pay.id, reference=pay.reference)


def cancel_pending_self_sale(uow: UnitOfWork, *, lot_id: int) -> None:
    """The lot was realized another way first: the self-sale buyer's payment is no longer awaited (Art. 74.2)."""
    for pay in uow.session.execute(select(Payment).where(Payment.lot_id == lot_id, Payment.kind == "self_sale",
                                                         Payment.status == "pending")).scalars():
        pay.status = "cancelled"
        uow.journal("payment.cancelled", "74.2", lot_id=pay.lot_id, payment_id=pay.id, reference=pay.reference)


# ---- confirmation: webhook, operator, development provider ----------------------------------------
def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook(uow: UnitOfWork, *, secret: str, body: bytes, signature: str | None, data: dict) -> Payment:
    """Provider notification: HMAC-SHA256 of the raw body in X-Mulik-Signature; idempotent by key."""
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a header may carry them).
    if not signature or not hmac.compare_digest(sign(secret, body).encode(), signature.strip().encode("utf-8")):
        raise Unauthorized("bad or missing payment signature (X-Mulik-Signature)", code="bad_signature")
    key = data.get("idempotency_key")
    if not isinstance(key, str) or not 1 <= len(key) <= 128:
        raise BadRequest("idempotency_key is required: a string of 1 to 128 characters", code="bad_request")
    reference = data.get("reference")
    if not isinstance(reference, str) or not 1 <= len(reference) <= 64:
        raise BadRequest("reference is the payment's reference, a string of 1 to 64 characters", code="bad_request")
    for name, text in (("idempotency_key", key), ("reference", reference)):
        if not text.isprintable():  # NUL and other control characters, which PostgreSQL cannot even compare
            raise BadRequest(f"{name} holds a control character: printable text only", code="bad_request")
    if not isinstance(data.get("amount"), str):  # SPEC §9: money in JSON is a string, e.g. "50000.00"
        raise BadRequest('amount is a string of the digits 0-9 with two decimals, e.g. "50000.00"',
                         code="invalid_money")
    uow.actor = "provider:webhook"
    return _confirm(uow, reference=data.get("reference"), amount=data.get("amount"), key=key, via="webhook")


def confirm(uow: UnitOfWork, actor, payment_id: int, data: dict) -> Payment:
    """Operator confirms a bank-statement line by hand."""
    access.require(actor, "operator")
    pay = access.found(uow.get(Payment, payment_id), "payment", payment_id)
    key = data.get("idempotency_key") or f"operator:{payment_id}"
    return _confirm(uow, reference=pay.reference, amount=data.get("amount", fmt(pay.amount)), key=key, via="operator")


def dev_pay(uow: UnitOfWork, actor, payment_id: int) -> Payment:
    """Development provider: the payer "pays" in one click (disabled in production)."""
    pay = access.found(uow.get(Payment, payment_id), "payment", payment_id)
    access.require(actor)
    if pay.user_id is not None and pay.user_id != actor.id:
        raise Forbidden("this payment is someone else's", code="forbidden")
    if pay.user_id is None and actor.role != "operator":
        # A payment with no payer account (the self-sale buyer's): the case's debtor or bailiff only.
        from auction.lots.model import Lot
        from auction.proceedings import Proceeding
        lot = uow.get(Lot, pay.lot_id) if pay.lot_id is not None else None
        p = uow.get(Proceeding, lot.proceeding_id) if lot is not None else None
        if p is None or actor.id not in ((p.debtor_user_id if actor.role == "debtor" else None),
                                         (p.bailiff_id if actor.role == "bailiff" else None)):
            raise Forbidden("this payment is someone else's", code="forbidden")
    return _confirm(uow, reference=pay.reference, amount=fmt(pay.amount), key=f"dev:{payment_id}", via="dev")


def _confirm(uow: UnitOfWork, *, reference, amount, key: str, via: str) -> Payment:
    from . import trading
    from .lifecycle import _lot
    same_key = uow.session.execute(select(Payment).where(Payment.idempotency_key == key)).scalar_one_or_none()
    if same_key is not None:
        if same_key.reference != reference:
            raise Conflict("this idempotency key was used for another payment", code="idempotency_conflict")
        if money(amount) != same_key.amount:  # not a retry: another notification under a used key
            raise Conflict(f"this idempotency key was used for {fmt(same_key.amount)}, not {fmt(money(amount))}",
                           code="idempotency_conflict")
        return same_key  # a retried notification: the first answer, nothing done twice
    pay = uow.session.execute(select(Payment).where(Payment.reference == reference).with_for_update()).scalar_one_or_none()
    pay = access.found(pay, "payment", reference)
    if pay.status != "pending":
        raise InvalidTransition(f"payment {pay.reference} is {pay.status}", code="not_pending")
    if money(amount) != pay.amount:
        raise RuleViolation(f"the full amount {fmt(pay.amount)} is due; {fmt(money(amount))} received",
                            article="80.4" if pay.kind == "winner" else None, code="wrong_amount")
    pay.status, pay.paid_at, pay.idempotency_key = "paid", uow.now, key
    uow.journal("payment.received", None, lot_id=pay.lot_id, auction_id=pay.auction_id, payment_id=pay.id,
                kind=pay.kind, amount=fmt(pay.amount), reference=pay.reference, via=via)
    if pay.kind == "deposit":
        uow.post(ledger.deposit_paid(pay.user_id, pay.amount, pay.reference), lot_id=pay.lot_id)
        a = trading._auction(uow, pay.auction_id, lock=True)
        app = next(x for x in a.applications if x.id == pay.application_id)
        if a.status == "announced" and uow.now < a.starts_at and app.status == "pending_deposit":
            a.admit(app, uow.now)
        else:  # too late to take part: the money goes straight back
            app.deposit_state = "held"
            free_deposit(uow, a, app)
    else:
        uow.post(ledger.payment_received(pay.amount, pay.reference), lot_id=pay.lot_id)
        if pay.kind == "winner":
            trading.winner_paid(uow, trading._auction(uow, pay.auction_id, lock=True))
        elif pay.kind == "self_sale":
            lot = _lot(uow, pay.lot_id, lock=True)
            live = trading.live_auction(uow, lot.id)
            if live is not None:  # whichever completes first wins; the other is cancelled (Art. 74.2)
                trading.cancel_auction(uow, live, reason="sold by the debtor (self-sale)", article="74.2")
            lot.complete_self_sale(today=uow.today)
            documents.sale_contract(uow, lot, buyer=documents.docs.Party(name=lot.self_sale_buyer), price=pay.amount)
            distribute_proceeds(uow, lot, pay.amount, source="debtor's self-sale (Art. 74.2)")
        elif pay.kind == "retention_charge":  # Art. 85.3
            trading.retention_charge_paid(uow, _lot(uow, pay.lot_id, lock=True), pay.collector_id)
        elif pay.kind == "retention_excess":  # before Art. 85.3 charges (kept for payments requested then)
            distribute_proceeds(uow, _lot(uow, pay.lot_id, lock=True), pay.amount,
                                source="retention: valuation above the collector's claim (Art. 85)")
    uow.commit()
    return pay


# ---- deposits and the wallet (Art. 80.1, 80.4, 80.5) -----------------------------------------------
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
                            article="80.1", code="wallet_short") from None
    a.admit(app, uow.now)
    uow.journal("deposit.from_wallet", "80.1", lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                amount=fmt(app.deposit))
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
    uow.journal("deposit.freed", "80.1", lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                amount=fmt(app.deposit), refund_due_on=due.isoformat(), kept_in_wallet=app.keep_in_wallet)


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
            uow.journal("refund.cancelled", "80.4", lot_id=a.lot_id, refund_id=r.id, amount=fmt(r.amount))
        amount = min(amount, max(wallet_free(uow, app.user_id, lock=True), ZERO))
    elif app.deposit_state != "held":
        return ZERO
    app.deposit_state = "forfeited"
    if amount <= 0:
        return ZERO
    from auction.lots.model import Lot
    from auction.proceedings import Proceeding
    p = uow.get(Proceeding, uow.get(Lot, a.lot_id).proceeding_id)
    txn = ledger.deposit_forfeited(app.user_id, amount, p.private_bailiff, bailiff_id=p.bailiff_id)
    uow.post(txn, lot_id=a.lot_id)
    uow.journal("deposit.forfeited", "80.5", lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                amount=fmt(amount), to=txn.postings[1].account, private_bailiff=p.private_bailiff,
                bailiff_id=p.bailiff_id)
    return amount


def apply_deposit(uow: UnitOfWork, a, app) -> None:
    app.deposit_state = "applied"
    uow.post(ledger.deposit_applied_to_price(app.user_id, app.deposit), lot_id=a.lot_id)


def request_wallet_refund(uow: UnitOfWork, actor) -> Refund:
    access.require(actor, "bidder")
    free = wallet_free(uow, actor.id, lock=True) - _pending_refunds(uow, actor.id)
    if free <= 0:
        raise RuleViolation("your wallet holds no free deposit money", code="empty_wallet")
    r = Refund(user_id=actor.id, amount=free, pay_from=uow.today,
               due_on=uow.calendar.deadline_within(uow.today, WALLET_REFUND_WD), status="due", created_at=uow.now)
    uow.session.add(r)
    uow.journal("wallet.refund_requested", None, user_id=actor.id, amount=fmt(free))
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
    uow.journal("deposit.refunded", "80.1", refund_id=r.id, user_id=r.user_id, amount=fmt(amount))


# ---- distribution of proceeds (Art. 108, 110–112, 118) ---------------------------------------------
def distribute_proceeds(uow: UnitOfWork, lot, recovered: Decimal, source: str = "auction sale",
                        first: tuple[Line, ...] = ()) -> Distribution:
    """``first``: lines paid off the top before the order of Art. 108 (a retaining collector's share of
    the expenses and of his writ's fee, Art. 85.3); the rest of ``recovered`` is distributed."""
    from auction.proceedings import Proceeding
    p = uow.get(Proceeding, lot.proceeding_id)
    earlier = uow.session.execute(select(Distribution).where(Distribution.lot_id.in_(
        select(lot.__class__.id).where(lot.__class__.proceeding_id == p.id)))).scalars().all()
    paid = {"fine": ZERO, "expenses": ZERO}
    for d in earlier:
        for line in d.statement["lines"]:
            if line["kind"] in paid:
                paid[line["kind"]] += Decimal(line["amount"])
    claims = [Claim(claim_id=c.id, collector_id=c.id, queue=c.queue, amount=c.outstanding, order=c.order)
              for c in p.collectors if c.outstanding > 0]
    fines = max(p.fines - paid["fine"], ZERO)
    expenses = max(p.expenses - paid["expenses"] - sum((ln.amount for ln in first if ln.kind == "expenses"), ZERO),
                   ZERO)
    whole, recovered = recovered, recovered - sum((ln.amount for ln in first), ZERO)
    fees, mci_year, mci = [], None, None
    if p.private_bailiff:
        # Art. 118: the fee of each writ, on what this sale recovers for it (the statement before the
        # fee), its band by the writ's amount, its cap of 10,000 MCI across every sale of the writ.
        mci_year, mci = settings.mci_for(uow.session, uow.today)
        before_fee = distribute(recovered, fines=fines, expenses=expenses, claims=claims)
        by_id = {c.id: c for c in p.collectors}
        for claim in claims:
            c = by_id[claim.claim_id]
            f = private_bailiff_fee(before_fee.paid_to_claim(c.id), category=c.fee_category, mci=mci,
                                    claim_amount=c.claim, already_charged=c.fee_charged)
            if f.amount > 0:
                fees.append(WritFee(c.id, c.id, f.amount, f.rate))
    statement = distribute(recovered, fines=fines, expenses=expenses, claims=claims, fees=fees)
    if first:
        statement = Statement(whole, [*first, *statement.lines])
        recovered = whole
    rates = [f.rate for f in fees] + [ln.rate for ln in first if ln.rate is not None]
    fee_rate = ", ".join(dict.fromkeys(format(r.normalize(), "f") for r in rates)) or None
    for c in p.collectors:
        c.paid += statement.paid_to_claim(c.id)
        c.fee_charged += statement.fee_of_claim(c.id)
    txn = statement.payout_transaction(reference=f"LOT-{lot.id}",
                                       bailiff_income=ledger.bailiff_income_account(p.bailiff_id))
    if txn is not None:
        uow.post(txn, lot_id=lot.id)
    d = Distribution(lot_id=lot.id, recovered=recovered, statement=statement.to_dict(), fee_rate=fee_rate,
                     mci=mci, mci_year=mci_year, created_at=uow.now)
    uow.session.add(d)
    uow.journal("distribution.made", "108", lot_id=lot.id, recovered=fmt(recovered), fee_rate=fee_rate,
                mci=None if mci is None else fmt(mci), mci_year=mci_year, statement=statement.to_dict())
    documents.distribution_statement(uow, lot, statement, source)
    return d


def retention_charge(uow: UnitOfWork, lot, p, collector) -> dict:
    """Art. 85.3: what the collector chosen to keep the lot pays before it is his. From the value of the
    property he takes he reimburses, in proportion to that value, the execution expenses and the
    private bailiff's fee (his writ's fee on the value set off against it, Art. 118), and he pays the
    part of the value above what the case owes him (Art. 55.5). Proportion: the value set off against
    his claim over all the claims the case still owes (docs/decisions.md)."""
    value = lot.value
    owed = collector.outstanding
    set_off = min(value, owed)
    excess = value - set_off
    expenses_left = max(p.expenses - _expenses_paid(uow, p), ZERO)
    total_owed = sum((c.outstanding for c in p.collectors), ZERO)
    share = min(Decimal(1), set_off / total_owed) if total_owed > 0 else Decimal(0)
    expenses_share = (expenses_left * share).quantize(CENT, rounding=ROUND_HALF_UP)
    fee_share, rate, mci, mci_year = ZERO, None, None, None
    if p.private_bailiff and set_off > 0:
        mci_year, mci = settings.mci_for(uow.session, uow.today)
        f = private_bailiff_fee(set_off, category=collector.fee_category, mci=mci, claim_amount=collector.claim,
                                already_charged=collector.fee_charged)
        fee_share, rate = f.amount, f.rate
    return {"collector_id": collector.id, "value": fmt(value), "owed": fmt(owed), "set_off": fmt(set_off),
            "excess": fmt(excess), "expenses_share": fmt(expenses_share), "fee_share": fmt(fee_share),
            "fee_rate": None if rate is None else format(rate.normalize(), "f"),
            "mci": None if mci is None else fmt(mci), "mci_year": mci_year,
            "total": fmt(excess + expenses_share + fee_share)}


def _expenses_paid(uow, p) -> Decimal:
    from auction.lots.model import Lot
    rows = uow.session.execute(select(Distribution).where(Distribution.lot_id.in_(
        select(Lot.id).where(Lot.proceeding_id == p.id)))).scalars().all()
    return sum((Decimal(ln["amount"]) for d in rows for ln in d.statement["lines"] if ln["kind"] == "expenses"), ZERO)


def request_retention_charge(uow: UnitOfWork, lot, collector, charge: dict) -> Payment:
    due = uow.calendar.deadline_within(uow.today, cal.RETENTION_CHARGE_WD)
    lot.retention_charge = dict(charge, due_on=due.isoformat())
    uow.journal("retention.charge_requested", "85.3", lot_id=lot.id, **lot.retention_charge)
    return request(uow, kind="retention_charge", amount=money(charge["total"]), lot_id=lot.id,
                   user_id=collector.user_id, collector_id=collector.id, due_on=due)


def settle_retention(uow: UnitOfWork, lot, p, collector, charge: dict, *, paid: bool) -> None:
    """The lot is the collector's (Art. 85.1, 85.3): his claim is reduced by the value set off; the
    expenses and fee he bore become his claim against the debtor ("this sum is later recovered from
    the debtor", Art. 85.3); what he paid is distributed, his shares off the top."""
    set_off, excess = money(charge["set_off"]), money(charge["excess"])
    expenses_share, fee_share = money(charge["expenses_share"]), money(charge["fee_share"])
    collector.paid += set_off
    collector.claim += expenses_share + fee_share
    uow.journal("retention.settled", "85.3", lot_id=lot.id, collector_id=collector.id, value=charge["value"],
                set_off=fmt(set_off), excess=fmt(excess), expenses_share=fmt(expenses_share),
                fee_share=fmt(fee_share), claim_against_debtor=fmt(expenses_share + fee_share))
    if not paid:
        return
    first = []
    if fee_share > 0:
        first.append(Line("bailiff_fee", fee_share, collector.id, collector.id, article="85.3, 118", due=fee_share,
                          rate=Decimal(charge["fee_rate"])))
    if expenses_share > 0:
        first.append(Line("expenses", expenses_share, article="85.3, 113", due=expenses_share))
    distribute_proceeds(uow, lot, money(charge["total"]), source="retention by a collector (Art. 85.3)",
                        first=tuple(first))
