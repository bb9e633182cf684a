"""What the platform asks someone to pay (SPEC §4): a deposit, the winner's price, the self-sale
buyer's price, a retaining collector's Art. 85.3 charge — and the cancelling of a request that is no
longer awaited. Each cancellation is journaled (`payment.cancelled`) with the article that ended it;
every path that cancels a payment request goes through here, the sweeper's included.

What happens when the money arrives is service/payments.py.
"""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from auction.events import PaymentCancelled, PaymentRequested
from auction.money import fmt

from .orm import Payment
from .uow import UnitOfWork


def request(uow: UnitOfWork, *, kind: str, amount: Decimal, lot_id: int | None, user_id: int | None,
            auction_id: int | None = None, application_id: int | None = None, collector_id: int | None = None,
            due_on: date | None = None) -> Payment:
    pay = Payment(kind=kind, amount=amount, status="pending", lot_id=lot_id, user_id=user_id, auction_id=auction_id,
                  application_id=application_id, collector_id=collector_id, due_on=due_on,
                  reference=f"{kind.upper()}-{uuid.uuid4().hex[:12].upper()}", created_at=uow.now)
    uow.session.add(pay)
    uow.flush()
    uow.record(PaymentRequested(lot_id=lot_id, auction_id=auction_id, payment_id=pay.id, kind_=kind, amount=fmt(amount),
                                reference=pay.reference, due_on=due_on.isoformat() if due_on else None))
    return pay


def _cancel(uow: UnitOfWork, article: str | None, *where) -> None:
    for pay in uow.session.execute(select(Payment).where(Payment.status == "pending", *where)).scalars():
        pay.status = "cancelled"
        uow.record(PaymentCancelled(article=article, lot_id=pay.lot_id, payment_id=pay.id, reference=pay.reference))


def cancel_pending(uow: UnitOfWork, *, application_id: int) -> None:
    """An application's awaited payment (its deposit, or the winner's price) is no longer due."""
    _cancel(uow, None, Payment.application_id == application_id)


def cancel_pending_self_sale(uow: UnitOfWork, *, lot_id: int) -> None:
    """The lot was realized another way first, or the self-sale window ran out: the self-sale buyer's
    payment is no longer awaited (Art. 74.2)."""
    _cancel(uow, "74.2", Payment.lot_id == lot_id, Payment.kind == "self_sale")


def cancel_retention_charge(uow: UnitOfWork, *, lot_id: int) -> None:
    """The chosen collector did not pay his Art. 85.3 charge in time: it is no longer awaited."""
    _cancel(uow, "85.3", Payment.lot_id == lot_id, Payment.kind == "retention_charge")
