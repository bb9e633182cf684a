"""Reads about payments (SPEC §4): the operator's list to match bank-statement lines against, an
application's deposit payment, what a person still has to pay."""
from __future__ import annotations

from sqlalchemy import select

from .. import access
from ..orm import Payment


def search(uow, actor, status: str | None, reference: str | None, page: int, per_page: int) -> list[Payment]:
    """Operator: one page of the payments, oldest first, filtered by status and reference."""
    access.require(actor, "operator")
    query = select(Payment).order_by(Payment.id)
    if status:
        query = query.where(Payment.status == status)
    if reference:
        query = query.where(Payment.reference == reference)
    return uow.session.execute(query.offset((page - 1) * per_page).limit(per_page)).scalars().all()


def deposit_of(uow, actor, application_id: int) -> Payment | None:
    """The deposit payment an application asks for (none when the wallet covered it)."""
    return uow.session.execute(select(Payment).where(Payment.application_id == application_id,
                                                     Payment.kind == "deposit")).scalar_one_or_none()


def pending(uow, actor) -> list[Payment]:
    """Every payment not made yet, oldest first (the operator confirms bank payments by hand)."""
    return uow.session.execute(select(Payment).where(Payment.status == "pending").order_by(Payment.id)).scalars().all()


def pending_ids(uow, actor, kind: str, application_id: int | None = None) -> list[int]:
    """The caller's own payments of a kind not made yet (for one application, if given)."""
    q = select(Payment.id).where(Payment.user_id == actor.id, Payment.kind == kind, Payment.status == "pending")
    if application_id:
        q = q.where(Payment.application_id == application_id)
    return uow.session.execute(q).scalars().all()
