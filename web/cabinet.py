"""Account pages: log in, register, log out, and the bidder's cabinet (applications, deposits,
the deposit wallet and its refund, auctions won with their payment deadline).

The forms post to these pages with the session cookie and a CSRF token (Flask-WTF); each action
calls the same use case as the API, and a refusal is shown with its article and changes nothing.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from marshmallow import ValidationError

from auction import acts
from auction import calendar as cal
from auction import commands as c
from auction.errors import Unauthorized
from auction.lots.self_sale import SELF_SALE_FROM
from service import accounts, deposits
from service.queries import auctions
from service.queries import cabinet as cabinet_page

from .api import schemas
from .auth import PASSWORDS
from .forms import form_errors, load_form, me, run, unread
from .i18n import lang, remember_language
from .refusals import EDS_REFUSALS, GENERIC, REFUSALS, field_errors
from .runner import call

bp = Blueprint("cabinet", __name__)
csrf = CSRFProtect()


def _check_csrf():
    """Every form of the pages carries the session's CSRF token (a 400 page otherwise); the JSON API
    (bearer token, 415 for a form body) and the socket transport are not forms."""
    if request.method == "POST" and not request.path.startswith(("/api/", "/socket.io")):
        csrf.protect()


def _safe_next(target: str | None, role: str | None = None) -> str:
    """Only a path on this site (no open redirect to another host); else the person's home page."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("console.dashboard") if role == "bailiff" else url_for("cabinet.cabinet")


# ---- log in, register, log out --------------------------------------------------------------------------
def eds_sentences() -> dict[str, str]:
    """What the EDS scripts (static/eds-login.js, eds-sign.js) tell the person, by refusal code, in the page's
    language: NCALayer's own outcomes (cancelled, unreachable) and the server's eds_* refusals."""
    sentences = {code: str(REFUSALS[code]) for code in EDS_REFUSALS}
    sentences.update(refused=str(GENERIC), cancelled=_("Signing was cancelled in NCALayer."),
                     unreachable=_("NCALayer did not answer: make sure it is running on your computer, then try "
                                   "again."))
    return sentences


def login_page(next_: str, email: str) -> str:
    """The login page: the password form, and the EDS sign-in its script (static/eds-login.js) runs with
    NCALayer at `NCALAYER_URL`, its refusals told in the page's language."""
    safe = next_ if next_ and _safe_next(next_) == next_ else ""
    return render_template("login.html", next=next_, email=email, ncalayer_url=current_app.config["NCALAYER_URL"],
                           next_url=safe, eds_sentences=eds_sentences())


def act_signing(act: str) -> dict | None:
    """How a page's form signs act `act` (auction/acts.py) with NCALayer (static/eds-sign.js): None where the
    platform verifies no EDS (no trust anchors, MULIK_EDS_TRUST_ANCHORS), and the form files unsigned; else
    NCALayer's URL, whether the deployment takes the act only signed (MULIK_EDS_SIGNED_ACTS: without NCALayer
    the form is then not sent) and the sentences in the page's language."""
    signing = current_app.extensions["mulik"].get("signing")
    if signing is None or signing.verifier is None or not signing.verifier.anchors:
        return None
    sentences = eds_sentences()
    sentences["required"] = _("NCALayer did not answer: this application is filed only with your EDS signature. "
                              "Start NCALayer on your computer, then apply again.") if act == "application" else _(
        "NCALayer did not answer: this act is taken only with your EDS signature. Start NCALayer on your computer, "
        "then try again.")
    # a document signed after its issue (auction/acts.py `document=True`): its form exists only to sign it
    required = signing.requires(act) or acts.act(act).document
    return {"ncalayer": current_app.config["NCALAYER_URL"], "required": required, "sentences": sentences}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return login_page(request.args.get("next", ""), "")
    email, password = request.form.get("email", "").strip().lower(), request.form.get("password", "")
    try:
        uid, role = call(accounts.log_in, accounts.LogIn(email, password), PASSWORDS,
                         view=lambda uow, actor, done: (done.user.id, done.user.role))
    except Unauthorized:
        flash(_("Wrong e-mail or password."), "error")
        return login_page(request.form.get("next", ""), email), 401
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
    """A bidder's account. After an EDS sign-in whose certificate no account holds (`eds_no_account`), the
    IIN/BIN and name the verified certificate gave (kept in the session by the API's EDS login) fill the
    form, and the IIN/BIN stays the certificate's whatever the form sends."""
    form = {k: request.form.get(k, "").strip() for k in ("email", "full_name", "iin_bin")}
    certified = session.get("eds_registration") or {}
    if certified.get("iin_bin"):
        form["iin_bin"] = certified["iin_bin"]
        if request.method == "GET":
            form["full_name"] = certified.get("full_name", "")
    if request.method == "GET":
        return render_template("register.html", form=form, errors={}, certified=bool(certified.get("iin_bin")))
    try:
        data = load_form(schemas.Register(), {**form, "password": request.form.get("password", "")})
    except ValidationError as exc:
        labels = {"full_name": _("Full name or company name"), "iin_bin": _("IIN / BIN (12 digits)"),
                  "email": _("E-mail"), "password": _("Password (at least 8 characters)")}
        errors = {labels.get(k, k): [text] for k, text in field_errors(exc.messages).items()}
        return render_template("register.html", form=form, errors=errors,
                               certified=bool(certified.get("iin_bin"))), 400
    user, refusal = run(accounts.register, accounts.Register.of(data, "bidder"), PASSWORDS)
    if refusal:
        return render_template("register.html", form=form, errors={"_": [refusal]},
                               certified=bool(certified.get("iin_bin"))), 422
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
    if user.role == "bidder":  # before the page's own unit of work: SQLite takes its lock at BEGIN
        wallet, _refused = run(lambda uow, actor: deposits.wallet_free(uow, actor.id))
    today = cal.local_date(current_app.extensions["mulik"]["clock"]())
    return call(cabinet_page.page, view=lambda uow, actor, shown: render_template(
        "cabinet.html", user=user, wallet=wallet, dev_payments=current_app.config["DEV_PAYMENTS"], today=today,
        eds_document=act_signing("sale_contract"),
        self_sale_from=set(SELF_SALE_FROM), **shown))


@bp.route("/auctions/<int:auction_id>/apply", methods=["POST"])
def apply(auction_id: int):
    """An application with the declaration of Art. 80.2 (relations), then the deposit (Art. 80.1); signed with
    the bidder's EDS (`cms`, the CMS NCALayer made over the act of POST /api/v1/auctions/{id}/applications/act
    for these same fields) where the lot page's script could (`act_signing`)."""
    if me() is None:
        return redirect(url_for("cabinet.login", next=request.referrer or "/"))
    listed = {k: [v.strip() for v in request.form.get(k, "").replace(",", " ").split() if v.strip()]
              for k in ("close_relatives", "employers", "founded")}
    form = {"spouse": request.form.get("spouse", "").strip() or None, **listed,
            "keep_in_wallet": request.form.get("keep_in_wallet") == "on"}
    if request.form.get("cms", "").strip():  # signed by static/eds-sign.js with NCALayer
        form["cms"] = request.form["cms"].strip()
    lot_id = call(auctions.find, auction_id, view=lambda uow, actor, a: a.lot_id if a else None)
    try:  # the API's schema: the act the script had signed (its route's body) is the application filed
        data = load_form(schemas.ApplicationIn(), form)
    except ValidationError as exc:
        application, refusal = None, form_errors(exc)
    else:
        application, refusal = run(c.Apply, auction_id, data)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("pages.lot_page", lot_id=lot_id) if lot_id else url_for("pages.index"))
    flash(_("Application filed: you are participant No. %(no)s. Pay the deposit to be admitted (Art. 80.1).",
            no=application.participant_no), "ok")
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/documents/<int:document_id>/sign", methods=["POST"])
def sign_document(document_id: int):
    """An issued document signed with the EDS from a page (the "Sign with EDS" button beside it, for one of its
    signers: the auction protocol by the case's bailiff, the sale contract by the buyer, then the bailiff): the
    CMS NCALayer made over GET /api/v1/documents/{id}/act, filed as POST /documents/{id}/signatures files it."""
    user = me()
    if user is None:
        return redirect(url_for("cabinet.login", next=request.referrer or "/"))
    back = _safe_next(request.form.get("next"), user.role)
    try:
        data = load_form(schemas.DocumentSignatureIn(), {"cms": request.form.get("cms", "").strip()})
    except ValidationError:
        flash(str(REFUSALS["signature_required"]), "error")
        return redirect(back)
    _signed, refusal = run(c.SignDocument, document_id, data)
    flash(refusal or _("Document signed with your EDS: its signed copy, printing every signature, is issued."),
          "error" if refusal else "ok")
    return redirect(back)


@bp.route("/payments/<int:payment_id>/pay", methods=["POST"])
def dev_pay(payment_id: int):
    """The development payment provider: "pay" in one click (off in production)."""
    if not current_app.config["DEV_PAYMENTS"]:  # production: only the bank's notice or an operator pays
        abort(403)
    if me() is None:
        return redirect(url_for("cabinet.login", next=url_for("cabinet.cabinet")))
    _paid, refusal = run(c.DevPay, payment_id)
    flash(refusal or _("Payment received."), "error" if refusal else "ok")
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/wallet/refund", methods=["POST"])
def wallet_refund():
    if me() is None:
        return redirect(url_for("cabinet.login", next=url_for("cabinet.cabinet")))
    refund, refusal = run(c.RequestWalletRefund)
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
    me()  # and the unread notifications


def init_cabinet(app) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # the API authenticates by token or JSON only
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    csrf.init_app(app)
    app.register_blueprint(bp)
    # who is logged in is read once per request, before a page opens its own session (SQLite takes
    # its write lock at BEGIN: a second session inside the first would wait for it)
    app.before_request(_check_csrf)
    app.before_request(_who_and_unread)
    app.jinja_env.globals.update(me=me, unread=unread)

