"""Accounts (SPEC §8): a bidder registers himself, an operator opens an account of any role, a person
logs in and out (the pages and the API alike), and chooses the language his e-mails are written in.

Passwords are hashed by the adapter the entry point passes (`Passwords`: argon2 in web/auth.py); an
API token is shown once and stored as its SHA-256 only.

A person also logs in with his EDS (issue 14): he asks for a challenge (`issue_eds_challenge`: a one-time
nonce, a few minutes long, kept in the database), signs its nonce with NCALayer, and `eds_log_in` checks the
CMS with the verifier the entry point passes (service/eds.py) and logs into the account of the IIN/BIN the
certificate names. Like `log_in`, these two stay out of service/handlers.HANDLERS: they take what the entry
point has (the verifier, the challenge's lifetime setting), as `log_in` takes the password adapter.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from auction import commands as c
from auction.errors import Conflict, Forbidden, InvalidTransition, NotFound, Unauthorized
from auction.events import UserBlocked, UserCreated, UserUnblocked
from auction.identity import require_iin_bin

from . import access
from .eds import EdsRefused, Verifier
from .orm import EdsChallenge, User


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...

    def check(self, hashed: str, password: str) -> bool: ...


@dataclass(frozen=True)
class Register:
    """A new account: a bidder's own registration, or any role when an operator opens it."""

    email: str
    password: str
    full_name: str
    iin_bin: str
    role: str = "bidder"
    office: str | None = None  # a bailiff's office address and telephone (public on his lots' pages)
    phone: str | None = None

    @classmethod
    def of(cls, data: dict, role: str | None = None) -> "Register":
        given = data if role is None else {}  # a bidder's own registration gives no office
        return cls(email=data["email"], password=data["password"], full_name=data["full_name"],
                   iin_bin=data["iin_bin"], role=role or data.get("role") or "bidder",
                   office=given.get("office"), phone=given.get("phone"))


@dataclass(frozen=True)
class LogIn:
    email: str
    password: str
    issue_token: bool = False  # the API answers with a fresh token; a page login keeps the one the person has


@dataclass(frozen=True)
class LoggedIn:
    user: User
    token: str | None


@dataclass(frozen=True)
class IssueEdsChallenge:
    """A nonce to sign with the EDS, valid `seconds` (the platform's EDS_CHALLENGE_SECONDS)."""
    seconds: int = 300


@dataclass(frozen=True)
class Challenge:
    nonce: str
    expires_at: datetime


@dataclass(frozen=True)
class EdsLogIn:
    """The challenge's nonce and the CMS (base64 DER SignedData) that signs it; `email` picks one account
    when several hold the certificate's IIN/BIN."""
    nonce: str
    cms: str
    email: str | None = None


@dataclass(frozen=True)
class SetOffice:
    """A bailiff's office address and telephone, shown on the public pages of his lots."""
    office: str
    phone: str


@dataclass(frozen=True)
class ChooseLanguage:
    language: str  # kk | ru | en


def new_token() -> tuple[str, str]:
    """A fresh API token and the digest stored for it."""
    token = "mlk_" + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register(uow, actor, cmd: Register, passwords: Passwords) -> User:
    """A bidder registers himself: the role is the command's (bidder), whoever calls."""
    email = cmd.email.lower()
    if uow.user_by_email(email) is not None:
        raise Conflict("an account with this e-mail exists", code="duplicate_email")
    u = User(email=email, password_hash=passwords.hash(cmd.password), role=cmd.role, full_name=cmd.full_name,
             iin_bin=require_iin_bin(cmd.iin_bin), created_at=uow.now,
             office=(cmd.office or "").strip() or None, phone=(cmd.phone or "").strip() or None)
    uow.add(u)
    uow.flush()
    uow.record(UserCreated(user_id=u.id, role=cmd.role))
    uow.commit()
    return u


def open_account(uow, actor, cmd: Register, passwords: Passwords) -> User:
    """An operator opens an account of any role."""
    access.require(actor, "operator")
    return register(uow, actor, cmd, passwords)


def log_in(uow, actor, cmd: LogIn, passwords: Passwords) -> LoggedIn:
    """The account the e-mail and password name; refused alike for an unknown e-mail and a wrong password."""
    u = uow.user_by_email(cmd.email)
    if u is None or not passwords.check(u.password_hash, cmd.password):
        raise Unauthorized("wrong e-mail or password", code="bad_credentials")
    access.refuse_blocked(u)
    token = None
    if cmd.issue_token:
        token, u.api_token_hash = new_token()
        uow.commit()
    return LoggedIn(u, token)


def issue_eds_challenge(uow, actor, cmd: IssueEdsChallenge) -> Challenge:
    """A fresh one-time nonce for an EDS sign-in; challenges that ran out a day ago are forgotten."""
    uow.forget_eds_challenges(before=uow.now - timedelta(days=1))
    row = EdsChallenge(nonce=secrets.token_urlsafe(32), created_at=uow.now,
                       expires_at=uow.now + timedelta(seconds=max(1, int(cmd.seconds))))
    uow.add(row)
    uow.commit()
    return Challenge(row.nonce, row.expires_at)


def eds_log_in(uow, actor, cmd: EdsLogIn, verifier: Verifier) -> LoggedIn:
    """The account of the IIN/BIN the EDS certificate names, once the CMS is verified (service/eds.py)
    over exactly the challenge's nonce at the platform's time. The challenge is spent by this attempt,
    whatever its outcome (docs/decisions.md "EDS sign-in"): a nonce is never tried twice. An IIN/BIN
    with no account is refused with `eds_no_account` and the number, for a registration to start from."""
    challenge = uow.eds_challenge(cmd.nonce, lock=True)
    if challenge is None:
        raise EdsRefused("no such challenge: ask for one (POST /auth/eds/challenge)", code="eds_bad_nonce")
    if challenge.used_at is not None:
        raise EdsRefused("the challenge was already used: ask for a new one", code="eds_bad_nonce")
    if challenge.expires_at <= uow.now:
        raise EdsRefused("the challenge has expired: ask for a new one", code="eds_bad_nonce")
    challenge.used_at = uow.now
    uow.commit()  # spent now, whatever the verification says
    signer = verifier.verify(cmd.cms, cmd.nonce.encode("utf-8"), uow.now)
    users = uow.users_by_iin_bin(signer.iin_bin)
    if cmd.email:
        users = [u for u in users if u.email == cmd.email.lower()]
    if not users:
        raise EdsRefused(f"no account holds the IIN/BIN {signer.iin_bin} of this certificate: register first",
                         code="eds_no_account", iin_bin=signer.iin_bin, full_name=signer.common_name)
    if len(users) > 1:
        raise EdsRefused(f"{len(users)} accounts hold the IIN/BIN {signer.iin_bin}: name the e-mail of the one to "
                         "log into", code="eds_several_accounts")
    u = users[0]
    access.refuse_blocked(u)
    token, u.api_token_hash = new_token()
    uow.commit()
    return LoggedIn(u, token)


def log_out(uow, actor) -> None:
    """The caller's API token stops working (the entry point forgets its session)."""
    if actor is not None:
        actor.api_token_hash = None
        uow.commit()


def set_office(uow, actor, cmd: SetOffice) -> User:
    """A bailiff gives his office's address and telephone (the public reaches him there about his lots)."""
    access.require(actor, "bailiff")
    actor.office, actor.phone = cmd.office.strip(), cmd.phone.strip()
    uow.commit()
    return actor


def choose_language(uow, actor, cmd: ChooseLanguage) -> None:
    """The person's e-mails follow the language he reads the pages in."""
    if actor is not None and actor.language != cmd.language:
        actor.language = cmd.language
        uow.commit()


def block_user(uow, actor, cmd: c.BlockUser) -> User:
    """An operator blocks an account with a reason (SPEC §8); journaled. Not his own: the platform keeps an
    operator who can unblock."""
    access.require(actor, "operator")
    u = uow.get(User, cmd.user_id)
    if u is None:
        raise NotFound(f"no account {cmd.user_id}", code="not_found")
    if u.id == actor.id:
        raise Forbidden("an operator does not block his own account", code="forbidden")
    reason = (cmd.reason or "").strip()
    if not reason:
        raise InvalidTransition("a block states its reason, which the person is told", code="reason_required")
    if u.blocked_at is not None:
        raise InvalidTransition("the account is already blocked", code="invalid_state")
    u.blocked_at, u.blocked_reason = uow.now, reason
    uow.record(UserBlocked(user_id=u.id, reason=reason))
    uow.commit()
    return u


def unblock_user(uow, actor, cmd: c.UnblockUser) -> User:
    """An operator lifts the block (SPEC §8); journaled. The person's password and token work again."""
    access.require(actor, "operator")
    u = uow.get(User, cmd.user_id)
    if u is None:
        raise NotFound(f"no account {cmd.user_id}", code="not_found")
    if u.blocked_at is None:
        raise InvalidTransition("the account is not blocked", code="invalid_state")
    u.blocked_at = u.blocked_reason = None
    uow.record(UserUnblocked(user_id=u.id, reason=(cmd.reason or "").strip()))
    uow.commit()
    return u


def add_demo_accounts(uow, actor, rows, password: str, passwords: Passwords) -> dict[str, User]:
    """The demo's accounts (web/demo.py), all with one published password, keyed by the e-mail's name.
    As the demo always made them: no `user.created` entries (the journal starts with the cases)."""
    users = {}
    for email, role, name, number in rows:
        users[email.split("@")[0]] = u = User(email=email, password_hash=passwords.hash(password), role=role,
                                              full_name=name, iin_bin=number, created_at=uow.now)
        uow.session.add(u)
    uow.commit()
    return users
