"""Accounts, sessions, tokens; operator tools (users, calendar overrides, sweeper run)."""
from __future__ import annotations

from datetime import date

from flask import current_app, request, session

from auction import commands as c
from auction.errors import BadRequest
from service import access, accounts, deposits, settings
from service.eds import EdsRefused
from service.queries import accounts as people
from service.queries import platform

from .. import i18n
from ..auth import PASSWORDS
from ..runner import call, command
from . import responses, schemas, views
from .openapi import Blueprint

blp = Blueprint("accounts", __name__, description="Accounts, sessions and operator tools")


@blp.route("/auth/register", methods=["POST"])
@blp.arguments(schemas.Register)
@blp.answers(201, responses.User, "409 429")
def register(data):
    """Register a bidder account (other roles are created by an operator)."""
    return call(accounts.register, accounts.Register.of(data, "bidder"), PASSWORDS, view=lambda u, a, r: views.user(r))


@blp.route("/users", methods=["POST"])
@blp.arguments(schemas.CreateUser)
@blp.answers(201, responses.User, "401 403 409")
def create_user(data):
    """Operator: create an account of any role."""
    return call(accounts.open_account, accounts.Register.of(data), PASSWORDS, view=lambda u, a, r: views.user(r))


def _block(uow, actor, u) -> dict:
    return {"user": views.user(u), "blocked": u.blocked_at is not None, "blocked_at": views.t(u.blocked_at),
            "blocked_reason": u.blocked_reason}


@blp.route("/users/<int:user_id>/block", methods=["POST"])
@blp.arguments(schemas.BlockIn)
@blp.answers(200, responses.BlockedUser, "401 403 404 409")
def block_user(data, user_id):
    """Operator: block an account with a reason (SPEC §8): it cannot log in, its API token and page sessions are
    refused (code `blocked`), it cannot apply or bid. Journaled (`user.blocked`)."""
    return command(c.BlockUser, user_id, data, view=_block)


@blp.route("/users/<int:user_id>/unblock", methods=["POST"])
@blp.arguments(schemas.UnblockIn)
@blp.answers(200, responses.BlockedUser, "401 403 404 409")
def unblock_user(data, user_id):
    """Operator: lift the block of an account (SPEC §8); journaled (`user.unblocked`)."""
    return command(c.UnblockUser, user_id, data, view=_block)


@blp.route("/auth/login", methods=["POST"])
@blp.arguments(schemas.Login)
@blp.answers(200, responses.LoggedIn, "401 429")
def login(data):
    """Log in: sets the session cookie and returns a fresh API token (Bearer)."""
    done = call(accounts.log_in, accounts.LogIn(data["email"], data["password"], issue_token=True), PASSWORDS,
                view=lambda uow, actor, r: {"uid": r.user.id, "user": views.user(r.user), "token": r.token})
    session.clear()
    session["uid"] = done.pop("uid")
    return done


@blp.route("/auth/eds/challenge", methods=["POST"])
@blp.answers(201, responses.EdsChallenge, "429")
def eds_challenge():
    """A one-time nonce for an EDS sign-in (a few minutes long): sign its UTF-8 bytes with NCALayer's
    authentication key, then send the CMS to POST /auth/eds/login."""
    seconds = int(current_app.config["EDS_CHALLENGE_SECONDS"])
    return call(accounts.issue_eds_challenge, accounts.IssueEdsChallenge(seconds),
                view=lambda u, a, r: {"nonce": r.nonce, "expires_at": views.t(r.expires_at)})


@blp.route("/auth/eds/login", methods=["POST"])
@blp.arguments(schemas.EdsLogin)
@blp.answers(200, responses.LoggedIn, "401 429")
def eds_login(data):
    """Log in with the EDS: the CMS signing the challenge's nonce is verified (signature, the certificate's path
    to the trust anchors, validity at the server's time, authentication usage, revocation), then the account of
    the certificate's IIN (SERIALNUMBER=IIN…) or company BIN (OU=BIN…) is logged in as POST /auth/login does.
    Refused with 401 and a code: eds_bad_nonce (unknown, expired or used: a challenge is spent by the first
    attempt), eds_bad_cms, eds_signature_mismatch, eds_unknown_authority, eds_expired, eds_revoked,
    eds_revocation_unknown, eds_wrong_usage, eds_gost_unsupported, eds_no_identity, eds_several_accounts, and
    eds_no_account with the certificate's `iin_bin` and `full_name` (to start a registration with)."""
    cmd = accounts.EdsLogIn(data["nonce"], data["cms"], data.get("email"))
    try:
        done = call(accounts.eds_log_in, cmd, current_app.extensions["mulik"]["eds"],
                    view=lambda uow, actor, r: {"uid": r.user.id, "user": views.user(r.user), "token": r.token})
    except EdsRefused as refused:
        if refused.code == "eds_no_account":  # the verified certificate's number, for the registration page
            session["eds_registration"] = {k: refused.extra.get(k) for k in ("iin_bin", "full_name")}
        raise
    session.clear()
    session["uid"] = done.pop("uid")
    if request.cookies.get(i18n.COOKIE) in i18n.LANGUAGES:  # signed in from a page: its e-mails in the page's
        i18n.remember_language(session["uid"], request.cookies[i18n.COOKIE])  # language, as a password login
    return done


@blp.route("/auth/logout", methods=["POST"])
@blp.answers(200, responses.Done)
def logout():
    call(accounts.log_out)
    session.clear()
    return {"ok": True}


@blp.route("/me", methods=["GET"])
@blp.answers(200, responses.User, "401")
def me():
    return call(lambda uow, actor: views.user(access.require(actor)))


@blp.route("/me/office", methods=["PUT"])
@blp.arguments(schemas.OfficeIn)
@blp.answers(200, responses.User, "401 403 422")
def my_office(data):
    """Bailiff: his office's address and telephone, shown on the public pages of his lots."""
    return call(accounts.set_office, accounts.SetOffice(data["office"], data["phone"]),
                view=lambda u, a, r: views.user(r))


@blp.route("/me/applications", methods=["GET"])
@blp.answers(200, responses.MyApplications, "401 403")
def my_applications():
    return call(people.applications, view=lambda uow, actor, rows: {
        "items": [views.application(x, a) for x, a in rows]})


@blp.route("/me/payments", methods=["GET"])
@blp.answers(200, responses.Payments, "401")
def my_payments():
    return call(people.payments, view=lambda uow, actor, rows: {"items": [views.payment(p) for p in rows]})


@blp.route("/me/wallet", methods=["GET"])
@blp.answers(200, responses.WalletFree, "401 403")
def my_wallet():
    def handler(uow, actor):
        access.require(actor, "bidder")
        return {"free": views.m(deposits.wallet_free(uow, actor.id))}
    return call(handler)


@blp.route("/me/wallet/refund", methods=["POST"])
@blp.answers(201, responses.WalletRefund, "401 403 422")
def wallet_refund():
    """Ask for the free wallet balance to be paid out (within one working day)."""
    return command(c.RequestWalletRefund,
                   view=lambda u, a, r: {"amount": views.m(r.amount), "due_on": views.d(r.due_on)})


@blp.route("/calendar/overrides", methods=["GET"])
@blp.answers(200, responses.CalendarDays)
def list_overrides():
    return call(platform.overrides, view=lambda uow, actor, rows: {
        "items": [{"day": r.day.isoformat(), "working": r.working, "note": r.note} for r in rows]})


def _day(day: str) -> date:
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise BadRequest(f"not a date: {day!r} (YYYY-MM-DD)", code="bad_date") from None


@blp.route("/calendar/overrides/<day:day>", methods=["PUT"])
@blp.arguments(schemas.OverrideIn)
@blp.answers(200, responses.CalendarDay, "401 403")
def set_override(data, day):
    """Operator: make a day working or a day off (decreed transfers, SPEC §6)."""
    when = _day(day)

    return command(c.SetCalendarDay, when, data,
                   view=lambda uow, actor, row: {"day": when.isoformat(), "working": row.working, "note": row.note})


@blp.route("/calendar/overrides/<day:day>", methods=["DELETE"])
@blp.answers(200, responses.CalendarDayRemoved, "401 403")
def remove_override(day):
    """Operator: the day follows the calendar again."""
    when = _day(day)

    return command(c.RemoveCalendarDay, when, view=lambda uow, actor, r: {"day": when.isoformat(), "removed": True})


@blp.route("/settings", methods=["GET"])
@blp.answers(200, responses.Settings)
def get_settings():
    """The platform defaults new auctions take when the bailiff leaves a field empty (public)."""
    return call(platform.settings, view=lambda uow, actor, s: settings.as_dict(s))


@blp.route("/settings", methods=["PUT"])
@blp.arguments(schemas.SettingsIn)
@blp.answers(200, responses.Settings, "401 403 422")
def put_settings(data):
    """Operator: change some defaults, with a reason (journaled); announced auctions keep theirs."""
    return command(c.ChangeSettings, data, view=lambda uow, actor, s: settings.as_dict(s))


def _mci_view(rows) -> dict:
    return {"items": [{"year": r.year, "value": views.m(r.value), "reason": r.reason,
                       "changed_at": views.t(r.changed_at)} for r in rows]}


@blp.route("/settings/mci", methods=["GET"])
@blp.answers(200, responses.MciList)
def get_mci():
    """The monthly calculation index per year (public): the private bailiff's fee is capped at
    10,000 MCI per writ (Art. 118.1)."""
    return call(platform.mci, view=lambda uow, actor, rows: _mci_view(rows))


@blp.route("/settings/mci/<int:year>", methods=["PUT"])
@blp.arguments(schemas.MciIn)
@blp.answers(200, responses.MciList, "401 403 422")
def put_mci(data, year):
    """Operator: the MCI of a year as the budget law set it, with a reason (journaled)."""
    return command(c.SetMci, year, data,
                view=lambda uow, actor, row: _mci_view(platform.mci(uow, actor)))


@blp.route("/admin/tick", methods=["POST"])
@blp.answers(200, responses.Swept, "401 403")
def tick():
    """Operator: run the sweeper now (it also runs in the background)."""
    call(lambda uow, actor: access.require(actor, "operator"))
    # After this request's unit of work has ended: on SQLite it holds the write lock (BEGIN IMMEDIATE)
    # that the sweeper's own units of work wait for, and the request would hang, then fail.
    return {"done": current_app.extensions["mulik"].sweep()}
