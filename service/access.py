"""Who may do what (SPEC §8). Every handler checks here, whatever entry point called it."""
from __future__ import annotations

from dataclasses import dataclass

from auction.errors import Forbidden, NotFound, Unauthorized
from auction.proceedings import Collector, Proceeding

ROLES = ("bidder", "debtor", "collector", "appraiser", "bailiff", "operator")


class Blocked(Forbidden):
    """The account is blocked by an operator (SPEC §8: the operator manages users): refused at login, for its
    API token and its page session alike, whatever it asks."""

    code = "blocked"


RULE = "the platform rules, SPEC §8: an operator manages the users"


@dataclass(frozen=True)
class AccountId:
    """A caller known by his account's id alone, not read: what the runner passes to a use case whose database
    call reads and checks the account itself (the bid on PostgreSQL: `mulik_place_bid`, migration e3f4a5b6c7d8),
    so that nothing is read before that call. service/queries/accounts.account reads it when it is needed."""

    id: int


def blocked(reason: str | None) -> Blocked:
    refused = Blocked(f"the account is blocked by the platform's operator ({RULE}): "
                      f"{reason or 'no reason given'}; it cannot log in, apply or bid until unblocked", code="blocked")
    refused.reason = reason or ""
    return refused


def refuse_blocked(user) -> None:
    """A blocked account does nothing on the platform until an operator unblocks it."""
    if getattr(user, "blocked_at", None) is not None:  # None: the public (or a fake without the column)
        raise blocked(user.blocked_reason)


def logged_out() -> Unauthorized:
    return Unauthorized("log in first (session cookie or API token)", code="unauthorized")


def wrong_role(role: str, *roles: str) -> Forbidden:
    return Forbidden(f"this action is for: {', '.join(roles)}; you are {role}", code="forbidden")


def require(actor, *roles: str):
    if actor is None:
        raise logged_out()
    if roles and actor.role not in roles:
        raise wrong_role(actor.role, *roles)
    return actor


def own_bailiff(actor, proceeding: Proceeding) -> None:
    """Bailiffs act on their own cases only."""
    require(actor, "bailiff")
    if proceeding.bailiff_id != actor.id:
        raise Forbidden("this proceeding is run by another bailiff", code="not_your_case")


def party_of(actor, proceeding: Proceeding) -> str:
    """'debtor' or 'collector:<id>' for a party of the proceeding; Forbidden otherwise."""
    require(actor, "debtor", "collector")
    if actor.role == "debtor" and proceeding.debtor_user_id == actor.id:
        return "debtor"
    if actor.role == "collector":
        c = collector_of(actor, proceeding)
        if c is not None:
            return f"collector:{c.id}"
    raise Forbidden("you are not a party of this proceeding", code="not_a_party")


def collector_of(actor, proceeding: Proceeding) -> Collector | None:
    return next((c for c in proceeding.collectors if c.user_id == actor.id), None)


def can_see_private(actor, proceeding: Proceeding) -> bool:
    """Parties, the case's bailiff, its appraiser and operators see the case's personal data."""
    if actor is None:
        return False
    if actor.role == "operator":
        return True
    if actor.role == "bailiff":
        return proceeding.bailiff_id == actor.id
    if actor.role == "debtor":
        return proceeding.debtor_user_id == actor.id
    if actor.role == "collector":
        return collector_of(actor, proceeding) is not None
    return False


def found(obj, what: str, ident):
    if obj is None:
        raise NotFound(f"{what} {ident} not found", code="not_found")
    return obj
