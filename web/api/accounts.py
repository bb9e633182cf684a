"""Accounts, sessions, tokens; operator tools (users, calendar overrides, sweeper run)."""
from __future__ import annotations

from datetime import date

from flask import session
from flask_smorest import Blueprint
from sqlalchemy import select

from auction.auctions import Application, Auction
from auction.errors import BadRequest, Conflict, Unauthorized
from auction.events import UserCreated
from auction.identity import require_iin_bin
from service import access, calendar_admin, deposits, settings
from service.orm import CalendarOverride, Payment, User

from ..auth import check_password, hash_password, new_token
from . import call, schemas, views

blp = Blueprint("accounts", __name__, description="Accounts, sessions and operator tools")


def _create_user(uow, data: dict, role: str) -> User:
    email = data["email"].lower()
    if uow.session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict("an account with this e-mail exists", code="duplicate_email")
    u = User(email=email, password_hash=hash_password(data["password"]), role=role, full_name=data["full_name"],
             iin_bin=require_iin_bin(data["iin_bin"]), created_at=uow.now)
    uow.session.add(u)
    uow.flush()
    uow.record(UserCreated(user_id=u.id, role=role))
    uow.commit()
    return u


@blp.route("/auth/register", methods=["POST"])
@blp.arguments(schemas.Register)
@blp.response(201)
def register(data):
    """Register a bidder account (other roles are created by an operator)."""
    return call(lambda uow, actor: _create_user(uow, data, "bidder"), view=lambda u, a, r: views.user(r))


@blp.route("/users", methods=["POST"])
@blp.arguments(schemas.CreateUser)
@blp.response(201)
def create_user(data):
    """Operator: create an account of any role."""
    def handler(uow, actor):
        access.require(actor, "operator")
        return _create_user(uow, data, data["role"])
    return call(handler, view=lambda u, a, r: views.user(r))


@blp.route("/auth/login", methods=["POST"])
@blp.arguments(schemas.Login)
@blp.response(200)
def login(data):
    """Log in: sets the session cookie and returns a fresh API token (Bearer)."""
    def handler(uow, actor):
        u = uow.session.execute(select(User).where(User.email == data["email"].lower())).scalar_one_or_none()
        if u is None or not check_password(u.password_hash, data["password"]):
            raise Unauthorized("wrong e-mail or password", code="bad_credentials")
        token, digest = new_token()
        u.api_token_hash = digest
        uow.commit()
        session.clear()
        session["uid"] = u.id
        return {"user": views.user(u), "token": token}
    return call(handler)


@blp.route("/auth/logout", methods=["POST"])
@blp.response(200)
def logout():
    def handler(uow, actor):
        if actor is not None:
            actor.api_token_hash = None
            uow.commit()
        session.clear()
        return {"ok": True}
    return call(handler)


@blp.route("/me", methods=["GET"])
@blp.response(200)
def me():
    return call(lambda uow, actor: views.user(access.require(actor)))


@blp.route("/me/applications", methods=["GET"])
@blp.response(200)
def my_applications():
    def handler(uow, actor):
        access.require(actor, "bidder")
        rows = uow.session.execute(select(Application, Auction).join(Auction, Auction.id == Application.auction_id)
                                   .where(Application.user_id == actor.id).order_by(Application.id)).all()
        return {"items": [views.application(x, a) for x, a in rows]}
    return call(handler)


@blp.route("/me/payments", methods=["GET"])
@blp.response(200)
def my_payments():
    def handler(uow, actor):
        access.require(actor)
        rows = uow.session.execute(select(Payment).where(Payment.user_id == actor.id).order_by(Payment.id)).scalars()
        return {"items": [views.payment(p) for p in rows]}
    return call(handler)


@blp.route("/me/wallet", methods=["GET"])
@blp.response(200)
def my_wallet():
    def handler(uow, actor):
        access.require(actor, "bidder")
        return {"free": views.m(deposits.wallet_free(uow, actor.id))}
    return call(handler)


@blp.route("/me/wallet/refund", methods=["POST"])
@blp.response(201)
def wallet_refund():
    """Ask for the free wallet balance to be paid out (within one working day)."""
    return call(lambda uow, actor: deposits.request_wallet_refund(uow, actor),
                view=lambda u, a, r: {"amount": views.m(r.amount), "due_on": views.d(r.due_on)})


@blp.route("/calendar/overrides", methods=["GET"])
@blp.response(200)
def list_overrides():
    def handler(uow, actor):
        rows = uow.session.execute(select(CalendarOverride).order_by(CalendarOverride.day)).scalars()
        return {"items": [{"day": r.day.isoformat(), "working": r.working, "note": r.note} for r in rows]}
    return call(handler)


@blp.route("/calendar/overrides/<string:day>", methods=["PUT", "DELETE"])
@blp.response(200)
def set_override(day):
    """Operator: make a day working or a day off (decreed transfers, SPEC §6)."""
    from flask import request
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise BadRequest(f"not a date: {day!r} (YYYY-MM-DD)", code="bad_date") from None

    def handler(uow, actor):
        if request.method == "DELETE":
            calendar_admin.remove_override(uow, actor, when)
            return {"day": when.isoformat(), "removed": True}
        access.require(actor, "operator")
        row = calendar_admin.set_override(uow, actor, when, schemas.OverrideIn().load(request.get_json(silent=True) or {}))
        return {"day": when.isoformat(), "working": row.working, "note": row.note}
    return call(handler)


@blp.route("/settings", methods=["GET"])
@blp.response(200)
def get_settings():
    """The platform defaults new auctions take when the bailiff leaves a field empty (public)."""
    return call(lambda uow, actor: settings.as_dict(settings.load(uow.session)))


@blp.route("/settings", methods=["PUT"])
@blp.arguments(schemas.SettingsIn)
@blp.response(200)
def put_settings(data):
    """Operator: change some defaults, with a reason (journaled); announced auctions keep theirs."""
    reason = data.pop("reason")
    return call(lambda uow, actor: settings.as_dict(settings.change(uow, actor, data, reason=reason)))


def _mci_view(rows) -> dict:
    return {"items": [{"year": r.year, "value": views.m(r.value), "reason": r.reason, "changed_at": views.t(r.changed_at)}
                      for r in rows]}


@blp.route("/settings/mci", methods=["GET"])
@blp.response(200)
def get_mci():
    """The monthly calculation index per year (public): the private bailiff's fee is capped at
    10,000 MCI per writ (Art. 118.1)."""
    return call(lambda uow, actor: _mci_view(settings.mci_values(uow.session)))


@blp.route("/settings/mci/<int:year>", methods=["PUT"])
@blp.arguments(schemas.MciIn)
@blp.response(200)
def put_mci(data, year):
    """Operator: the MCI of a year as the budget law set it, with a reason (journaled)."""
    return call(lambda uow, actor: settings.set_mci(uow, actor, year, data),
                view=lambda uow, actor, row: _mci_view(settings.mci_values(uow.session)))


@blp.route("/admin/tick", methods=["POST"])
@blp.response(200)
def tick():
    """Operator: run the sweeper now (it also runs in the background)."""
    from flask import current_app
    from service.sweeper import sweep
    from .. import uow_for

    def handler(uow, actor):
        access.require(actor, "operator")
        # End this request's transaction first: on SQLite it holds the write lock (BEGIN IMMEDIATE)
        # that the sweeper's own units of work wait for, and the request would hang, then fail.
        uow.session.rollback()
        return {"done": sweep(lambda: uow_for(current_app, "system:sweeper"))}
    return call(handler)
