"""Account pages: log in, register, log out, and the bidder's cabinet (applications, deposits,
the deposit wallet and its refund, auctions won with their payment deadline).

The forms post to these pages with the session cookie and a CSRF token (Flask-WTF); each action
calls the same use case as the API, and a refusal is shown with its article and changes nothing.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from marshmallow import ValidationError
from sqlalchemy import select

from auction import calendar as cal
from auction.auctions import Application, Auction
from auction.errors import DomainError
from auction.lots.model import Lot
from service import deposits, payments, settings, trading
from service.orm import Document, Payment, User

from .api import schemas
from .auth import check_password
from .i18n import lang, remember_language

bp = Blueprint("cabinet", __name__)
csrf = CSRFProtect()


def _refusal(exc: DomainError) -> str:
    from .refusals import refusal
    return refusal(exc)


def run(fn, *args):
    """A use case for the logged-in person in one unit of work; (result, None) or (None, refusal)."""
    from . import uow_for
    with uow_for(current_app) as uow:
        actor = uow.session.get(User, session["uid"]) if session.get("uid") else None
        uow.actor = f"user:{actor.id}" if actor else "public"
        try:
            return fn(uow, actor, *args), None
        except DomainError as exc:
            uow.rollback()
            return None, _refusal(exc)


def _form_errors(exc: ValidationError) -> str:
    def flat(messages, prefix=""):
        for k, v in messages.items():
            if isinstance(v, dict):
                yield from flat(v, f"{prefix}{k}.")
            else:
                yield f"{prefix}{k}: {'; '.join(map(str, v)) if isinstance(v, list) else v}"
    return _("Not saved: %(errors)s", errors=" · ".join(flat(exc.messages)))


def load_form(schema, data: dict) -> dict:
    """A page form's text through the API's schema: integers as digits, money also as the page's
    language prints it ("5 000 000,00" in kk and ru; web/api/fields.py)."""
    from .api.fields import reading
    with reading(lang()):
        return schema.load(data)


def submit(schema, data: dict, fn, *args, done: str) -> bool:
    """A form's data through the API's schema into the use case; the outcome flashed. True if done."""
    try:
        loaded = load_form(schema, data)
    except ValidationError as exc:
        flash(_form_errors(exc), "error")
        return False
    _result, refusal = run(fn, *args, loaded)
    flash(refusal or done, "error" if refusal else "ok")
    return refusal is None


def _check_csrf():
    """Every form of the pages carries the session's CSRF token (a 400 page otherwise); the JSON API
    (bearer token, 415 for a form body) and the socket transport are not forms."""
    if request.method == "POST" and not request.path.startswith(("/api/", "/socket.io")):
        csrf.protect()


def me() -> User | None:
    """The person logged in on this request (cached)."""
    if "me" not in g:
        g.me = None
        if session.get("uid"):
            with current_app.extensions["mulik"]["sessions"]() as s:
                g.me = s.get(User, session["uid"])
                if g.me is not None:
                    s.expunge(g.me)
    return g.me


def _safe_next(target: str | None, role: str | None = None) -> str:
    """Only a path on this site (no open redirect to another host); else the person's home page."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("console.dashboard") if role == "bailiff" else url_for("cabinet.cabinet")


# ---- log in, register, log out --------------------------------------------------------------------------
@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""), email="")
    email, password = request.form.get("email", "").strip().lower(), request.form.get("password", "")
    with current_app.extensions["mulik"]["sessions"]() as s:
        u = s.execute(select(User).where(User.email == email)).scalar_one_or_none()
        ok = u is not None and check_password(u.password_hash, password)
        uid, role = (u.id, u.role) if ok else (None, None)
    if not ok:
        flash(_("Wrong e-mail or password."), "error")
        return render_template("login.html", next=request.form.get("next", ""), email=email), 401
    session.clear()
    session["uid"] = uid
    remember_language(uid, lang())
    return redirect(_safe_next(request.form.get("next"), role))


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    flash(_("You have logged out."), "ok")
    return redirect(url_for("pages.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = {k: request.form.get(k, "").strip() for k in ("email", "full_name", "iin_bin")}
    if request.method == "GET":
        return render_template("register.html", form=form, errors={})
    try:
        data = load_form(schemas.Register(), {**form, "password": request.form.get("password", "")})
    except ValidationError as exc:
        return render_template("register.html", form=form, errors=exc.messages), 400
    from .api.accounts import _create_user
    user, refusal = run(lambda uow, actor: _create_user(uow, data, "bidder"))
    if refusal:
        return render_template("register.html", form=form, errors={"_": [refusal]}), 422
    session.clear()
    session["uid"] = user.id
    remember_language(user.id, lang())
    flash(_("Your bidder account is ready. Find a lot and apply for its auction."), "ok")
    return redirect(url_for("cabinet.cabinet"))


# ---- the cabinet --------------------------------------------------------------------------------------------
@bp.route("/cabinet")
def cabinet():
    user = me()
    if user is None:
        return redirect(url_for("cabinet.login", next=request.path))
    wallet = None
    if user.role == "bidder":  # before the page's own session: SQLite takes its lock at BEGIN
        wallet, _refused = run(lambda uow, actor: deposits.wallet_free(uow, actor.id))
    with current_app.extensions["mulik"]["sessions"]() as s:
        rows = s.execute(select(Application, Auction, Lot).join(Auction, Auction.id == Application.auction_id)
                         .join(Lot, Lot.id == Auction.lot_id).where(Application.user_id == user.id)
                         .order_by(Application.id.desc())).all()
        pays = s.execute(select(Payment).where(Payment.user_id == user.id).order_by(Payment.id.desc())).scalars().all()
        won = [(a, lot) for x, a, lot in rows if a.winner_no is not None and a.winner_no == x.participant_no]
        won_documents = {}
        if won:
            for d in s.execute(select(Document).where(Document.auction_id.in_([a.id for a, _lot in won]),
                                                      Document.kind.in_(("auction_protocol", "sale_contract")))
                               .order_by(Document.id)).scalars():
                won_documents.setdefault(d.auction_id, []).append(d)
        from . import parties
        roles = {"debtor_lots": parties.debtor_lots(s, user) if user.role == "debtor" else [],
                 "collector_lots": parties.collector_lots(s, user) if user.role == "collector" else [],
                 "pending": parties.pending_payments(s) if user.role == "operator" else [],
                 "overrides": parties.overrides(s) if user.role == "operator" else [],
                 "accounts": parties.users(s) if user.role == "operator" else [],
                 "open_proceedings": parties.open_proceedings(s) if user.role == "operator" else [],
                 "bailiffs": parties.bailiffs(s) if user.role == "operator" else [],
                 "platform": settings.as_dict(settings.load(s)) if user.role == "operator" else {},
                 "appraised": parties.appraiser_lots(s, user) if user.role == "appraiser" else [],
                 "notes": parties.notifications(s, user),
                 "self_sale_from": parties.SELF_SALE_FROM}
        lot_ids = {x.id for x, *_rest in roles["debtor_lots"]} | {x.id for x, *_rest in roles["collector_lots"]} \
            | {x.id for x in roles["appraised"]}
        return render_template("cabinet.html", user=user, rows=rows, payments=pays, won=won, wallet=wallet,
                               won_documents=won_documents, lot_documents=parties.lot_documents(s, user, lot_ids),
                               dev_payments=current_app.config["DEV_PAYMENTS"], today=cal.local_date(
                                   current_app.extensions["mulik"]["clock"]()), **roles)


@bp.route("/auctions/<int:auction_id>/apply", methods=["POST"])
def apply(auction_id: int):
    """An application with the declaration of Art. 80.2 (relations), then the deposit (Art. 80.1)."""
    if me() is None:
        return redirect(url_for("cabinet.login", next=request.referrer or "/"))
    listed = {k: [v.strip() for v in request.form.get(k, "").replace(",", " ").split() if v.strip()]
              for k in ("close_relatives", "employers", "founded")}
    data = {"spouse": request.form.get("spouse", "").strip() or None, **listed,
            "keep_in_wallet": request.form.get("keep_in_wallet") == "on"}
    application, refusal = run(trading.apply, auction_id, data)
    with current_app.extensions["mulik"]["sessions"]() as s:
        a = s.get(Auction, auction_id)
        lot_id = a.lot_id if a else None
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("pages.lot_page", lot_id=lot_id) if lot_id else url_for("pages.index"))
    flash(_("Application filed: you are participant No. %(no)s. Pay the deposit to be admitted (Art. 80.1).",
            no=application.participant_no), "ok")
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/payments/<int:payment_id>/pay", methods=["POST"])
def dev_pay(payment_id: int):
    """The development payment provider: "pay" in one click (off in production)."""
    if not current_app.config["DEV_PAYMENTS"]:  # production: only the bank's notice or an operator pays
        abort(403)
    if me() is None:
        return redirect(url_for("cabinet.login", next=url_for("cabinet.cabinet")))
    _paid, refusal = run(payments.dev_pay, payment_id)
    flash(refusal or _("Payment received."), "error" if refusal else "ok")
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/wallet/refund", methods=["POST"])
def wallet_refund():
    if me() is None:
        return redirect(url_for("cabinet.login", next=url_for("cabinet.cabinet")))
    refund, refusal = run(deposits.request_wallet_refund)
    if refusal:
        flash(refusal, "error")
    else:
        from .i18n import day, money
        flash(_("Refund of %(amount)s requested; it is paid by %(date)s.", amount=money(refund.amount),
                date=day(refund.due_on)), "ok")
    return redirect(url_for("cabinet.cabinet"))


def _who_and_unread():
    """Pages only: the API, the socket and static files need neither (and a bid should not pay for it)."""
    if request.path.startswith(("/api/", "/socket.io", "/static/")):
        return
    from .parties import unread
    unread(me())


def init_cabinet(app) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # the API authenticates by token or JSON only
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    csrf.init_app(app)
    app.register_blueprint(bp)
    # who is logged in is read once per request, before a page opens its own session (SQLite takes
    # its write lock at BEGIN: a second session inside the first would wait for it)
    app.before_request(_check_csrf)
    app.before_request(_who_and_unread)
    app.jinja_env.globals.update(me=me)
