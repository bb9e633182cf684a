"""Money arriving (SPEC §4): a payment confirmed by the provider's signed webhook, by an operator
from a bank-statement line, or by the development provider — and what each kind of payment then
sets going: a deposit admits the applicant, the winner's price completes the sale, the self-sale
buyer's price completes the self-sale, a collector's Art. 85.3 charge gives him the lot. Confirming
is idempotent by key. The requests themselves are service/payment_requests.py."""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select

from auction import commands as c
from auction import ledger
from auction.errors import BadRequest, Conflict, Forbidden, InvalidTransition, RuleViolation, Unauthorized
from auction.events import PaymentReceived
from auction.lots.model import Lot
from auction.money import fmt, money
from auction.proceedings import Proceeding

from . import access, auctions, deposits, distribution, documents, load, retention
from .orm import Payment
from .uow import UnitOfWork


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook(uow: UnitOfWork, actor, cmd: c.PaymentNotice) -> Payment:
    """Provider notification: HMAC-SHA256 of the raw body in X-Mulik-Signature; idempotent by key."""
    secret, body, signature = cmd.secret, cmd.body, cmd.signature
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a header may carry them).
    if not signature or not hmac.compare_digest(sign(secret, body).encode(), signature.strip().encode("utf-8")):
        raise Unauthorized("bad or missing payment signature (X-Mulik-Signature)", code="bad_signature")
    key = cmd.idempotency_key
    if not isinstance(key, str) or not 1 <= len(key) <= 128:
        raise BadRequest("idempotency_key is required: a string of 1 to 128 characters", code="bad_request")
    reference = cmd.reference
    if not isinstance(reference, str) or not 1 <= len(reference) <= 64:
        raise BadRequest("reference is the payment's reference, a string of 1 to 64 characters", code="bad_request")
    for name, text in (("idempotency_key", key), ("reference", reference)):
        if not text.isprintable():  # NUL and other control characters, which PostgreSQL cannot even compare
            raise BadRequest(f"{name} holds a control character: printable text only", code="bad_request")
    if not isinstance(cmd.amount, str):  # SPEC §9: money in JSON is a string, e.g. "50000.00"
        raise BadRequest('amount is a string of the digits 0-9 with two decimals, e.g. "50000.00"',
                         code="invalid_money")
    uow.actor = "provider:webhook"
    return _confirm(uow, reference=reference, amount=cmd.amount, key=key, via="webhook")


def confirm(uow: UnitOfWork, actor, cmd: c.ConfirmPayment) -> Payment:
    """Operator confirms a bank-statement line by hand."""
    access.require(actor, "operator")
    pay = access.found(uow.get(Payment, cmd.payment_id), "payment", cmd.payment_id)
    key = cmd.idempotency_key or f"operator:{cmd.payment_id}"
    amount = fmt(pay.amount) if cmd.amount is None else str(cmd.amount)
    return _confirm(uow, reference=pay.reference, amount=amount, key=key, via="operator")


def dev_pay(uow: UnitOfWork, actor, cmd: c.DevPay) -> Payment:
    """Development provider: the payer "pays" in one click (disabled in production)."""
    payment_id = cmd.payment_id
    pay = access.found(uow.get(Payment, payment_id), "payment", payment_id)
    access.require(actor)
    if pay.user_id is not None and pay.user_id != actor.id:
        raise Forbidden("this payment is someone else's", code="forbidden")
    if pay.user_id is None and actor.role != "operator":
        # A payment with no payer account (the self-sale buyer's): the case's debtor or bailiff only.
        lot = uow.get(Lot, pay.lot_id) if pay.lot_id is not None else None
        p = uow.get(Proceeding, lot.proceeding_id) if lot is not None else None
        if p is None or actor.id not in ((p.debtor_user_id if actor.role == "debtor" else None),
                                         (p.bailiff_id if actor.role == "bailiff" else None)):
            raise Forbidden("this payment is someone else's", code="forbidden")
    return _confirm(uow, reference=pay.reference, amount=fmt(pay.amount), key=f"dev:{payment_id}", via="dev")


def _confirm(uow: UnitOfWork, *, reference, amount, key: str, via: str) -> Payment:
    same_key = uow.session.execute(select(Payment).where(Payment.idempotency_key == key)).scalar_one_or_none()
    if same_key is not None:
        if same_key.reference != reference:
            raise Conflict("this idempotency key was used for another payment", code="idempotency_conflict")
        if money(amount) != same_key.amount:  # not a retry: another notification under a used key
            raise Conflict(f"this idempotency key was used for {fmt(same_key.amount)}, not {fmt(money(amount))}",
                           code="idempotency_conflict")
        return same_key  # a retried notification: the first answer, nothing done twice
    pay = uow.session.execute(select(Payment).where(Payment.reference == reference)
                              .with_for_update()).scalar_one_or_none()
    pay = access.found(pay, "payment", reference)
    if pay.status != "pending":
        raise InvalidTransition(f"payment {pay.reference} is {pay.status}", code="not_pending")
    if money(amount) != pay.amount:
        raise RuleViolation(f"the full amount {fmt(pay.amount)} is due; {fmt(money(amount))} received",
                            article="80.4" if pay.kind == "winner" else None, code="wrong_amount",
                            facts={"due": pay.amount, "received": money(amount)})
    pay.status, pay.paid_at, pay.idempotency_key = "paid", uow.now, key
    uow.record(PaymentReceived(lot_id=pay.lot_id, auction_id=pay.auction_id, payment_id=pay.id, kind_=pay.kind,
                               amount=fmt(pay.amount), reference=pay.reference, via=via))
    if pay.kind == "deposit":
        uow.post(ledger.deposit_paid(pay.user_id, pay.amount, pay.reference), lot_id=pay.lot_id)
        a = load.auction(uow, pay.auction_id, lock=True)
        app = next(x for x in a.applications if x.id == pay.application_id)
        if a.status == "announced" and uow.now < a.starts_at and app.status == "pending_deposit":
            a.admit(app, uow.now)
        else:  # too late to take part: the money goes straight back
            app.deposit_state = "held"
            deposits.free_deposit(uow, a, app)
    else:
        uow.post(ledger.payment_received(pay.amount, pay.reference), lot_id=pay.lot_id)
        if pay.kind == "winner":
            auctions.winner_paid(uow, load.auction(uow, pay.auction_id, lock=True))
        elif pay.kind == "self_sale":
            lot = load.lot(uow, pay.lot_id, lock=True)
            live = load.live_auction(uow, lot.id)
            if live is not None:  # whichever completes first wins; the other is cancelled (Art. 74.2)
                auctions.cancel_auction(uow, live, reason="sold by the debtor (self-sale)", article="74.2")
            lot.complete_self_sale(today=uow.today)
            documents.sale_contract(uow, lot, buyer=documents.docs.Party(name=lot.self_sale_buyer), price=pay.amount)
            distribution.distribute_proceeds(uow, lot, pay.amount, source="self_sale")
        elif pay.kind == "retention_charge":  # Art. 85.3
            retention.retention_charge_paid(uow, load.lot(uow, pay.lot_id, lock=True), pay.collector_id)
        elif pay.kind == "retention_excess":  # before Art. 85.3 charges (kept for payments requested then)
            distribution.distribute_proceeds(uow, load.lot(uow, pay.lot_id, lock=True), pay.amount,
                                             source="retention_excess")
    uow.commit()
    return pay
