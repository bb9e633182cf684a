"""Reads about people: who calls, their applications, payments and notifications, the accounts an
operator or a bailiff chooses from."""
from __future__ import annotations

from sqlalchemy import func, select

from auction.auctions import Application, Auction

from .. import access
from ..accounts import token_hash
from ..orm import Notification, Payment, User


def actor(uow, caller) -> User | None:
    """The caller's account: an API token wins over an account id; None for the public (and for a
    token that names nobody: a wrong token is not a login). A blocked account is refused (`blocked`)."""
    user = None
    if caller.token is not None:
        user = uow.session.execute(select(User).where(User.api_token_hash == token_hash(caller.token))) \
            .scalar_one_or_none()
    elif caller.user_id is not None:
        user = uow.session.get(User, caller.user_id)
    access.refuse_blocked(user)  # a blocked account's token and sessions stop working (SPEC §8)
    return user


def account(uow, actor) -> User | None:
    """The caller's account row: read now (and refused if blocked, as `actor` does) when the runner passed it
    unread (access.AccountId), as it is otherwise."""
    if isinstance(actor, access.AccountId):
        user = uow.session.get(User, actor.id)
        access.refuse_blocked(user)
        return user
    return actor


def row(uow, user_id: int) -> User | None:
    """The account row of `user_id`, as it is (no check)."""
    return uow.session.get(User, user_id)


def detached(uow, actor) -> User | None:
    """The caller, kept after the unit of work ends (the pages' header and checks read it all request)."""
    if actor is not None:
        uow.session.expunge(actor)
    return actor


def header(uow, actor) -> tuple[User | None, int]:
    """What every page's header shows: the caller (detached) and how many notifications he has not read."""
    count = unread(uow, actor)
    return detached(uow, actor), count


def actor_id(uow, actor) -> int | None:
    return actor.id if actor is not None else None


def token_owner(uow, actor, token: str) -> int | None:
    """The account an API token belongs to (the socket's login), or None."""
    return uow.session.execute(select(User.id).where(User.api_token_hash == token_hash(token))).scalar_one_or_none()


def applications(uow, actor) -> list[tuple[Application, Auction]]:
    """The bidder's own applications with their auctions, oldest first."""
    access.require(actor, "bidder")
    return uow.session.execute(select(Application, Auction).join(Auction, Auction.id == Application.auction_id)
                               .where(Application.user_id == actor.id).order_by(Application.id)).all()


def payments(uow, actor) -> list[Payment]:
    """The caller's own payments, oldest first."""
    access.require(actor)
    return uow.session.execute(select(Payment).where(Payment.user_id == actor.id).order_by(Payment.id)).scalars().all()


def notifications(uow, actor, limit: int = 30) -> list[Notification]:
    return uow.session.execute(select(Notification).where(Notification.user_id == actor.id)
                               .order_by(Notification.id.desc()).limit(limit)).scalars().all()


def unread(uow, actor) -> int:
    """How many notifications the person has not read (0 for the public)."""
    if actor is None:
        return 0
    return uow.session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == actor.id, Notification.read_at.is_(None))).scalar_one()


def latest(uow, actor, limit: int = 100) -> list[User]:
    """The newest accounts (the operator's list)."""
    return uow.session.execute(select(User).order_by(User.id.desc()).limit(limit)).scalars().all()


def of_role(uow, actor, role: str) -> list[User]:
    """Every account of a role by name: the bailiffs a proceeding may pass to, the appraisers to appoint."""
    return uow.session.execute(select(User).where(User.role == role).order_by(User.full_name)).scalars().all()


def any_account(uow, actor) -> bool:
    return bool(uow.session.execute(select(func.count()).select_from(User)).scalar_one())


def by_emails(uow, actor, emails) -> dict[int, User]:
    return {u.id: u for u in uow.session.execute(select(User).where(User.email.in_(list(emails)))).scalars()}
