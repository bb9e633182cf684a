"""The cabinet of the other parties (SPEC §8): the debtor's self-sale (Art. 74.2), the collector's
retention of an unsold lot (Art. 85.1), the operator's confirmation of a bank payment by hand.

Each form calls the API's use case with the API's schema; a refusal is shown with its article. A
decision that cannot be undone (keeping or refusing a failed lot, a self-sale contract, the bailiff's
approval of the results) takes two steps: the form's first post shows what it will do with its
figures and article (`confirm`) and changes nothing; the confirmation posts again with `confirmed=yes`.
Where the decision is an act signed with the EDS (the collector's keeping of the lot, the bailiff's approval;
issue 14 point 2), the confirming step signs it (static/eds-sign.js) and posts the CMS as `cms`.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from auction import commands as c
from auction.errors import DomainError, NotFound
from service import accounts, following
from service.queries import auctions as auction_rows
from service.queries import cabinet as cabinet_rows
from service.queries import cases
from valuation.commands import FileReport, OpenDispute, SignAgreement

from .api import schemas
from .auth import PASSWORDS
from .cabinet import act_signing
from .forms import form_errors, load_form, me, run, submit
from .i18n import day, money
from .refusals import refusal as refusal_of
from .runner import call

bp = Blueprint("parties", __name__, url_prefix="/cabinet")


@bp.before_request
def _logged_in_forms():
    if me() is None:
        return redirect(url_for("cabinet.login", next=url_for("cabinet.cabinet")))


def _form(*names) -> dict:
    return {k: request.form[k].strip() for k in names if request.form.get(k, "").strip()}


# ---- the debtor ------------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/self-sale", methods=["POST"])
def self_sale(lot_id: int):
    submit(schemas.SelfSaleIn(), _form("price"), c.ApplySelfSale, lot_id,
            done=_("Application for self-sale filed (Art. 74.2): the bailiff grants or refuses it."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/lots/<int:lot_id>/self-sale/contract", methods=["POST"])
def self_sale_contract(lot_id: int):
    data = _form("price", "buyer")
    if not confirmed():
        try:
            loaded = load_form(schemas.SelfSaleContract(), data)
        except ValidationError as exc:
            flash(form_errors(exc), "error")
            return redirect(url_for("cabinet.cabinet"))
        lot, refusal = _read(cases.lot, lot_id, view=lambda uow, actor, x: (x.title, x.self_sale_ends_on))
        if refusal:
            flash(refusal, "error")
            return redirect(url_for("cabinet.cabinet"))
        title, ends_on = lot
        return confirm(
            _("Record the sale contract of “%(title)s”?", title=title), request.path, data,
            facts=[(_("Buyer"), loaded["buyer"]), (_("Price in the contract, KZT"), money(loaded["price"]))],
            note=_("Once recorded, the buyer pays the full price, %(amount)s, into the control account by "
                   "%(date)s; the sale is done when the money comes (Art. 74.2).",
                   amount=money(loaded["price"]), date=day(ends_on)),
            button=_("Confirm and record the contract"))
    submit(schemas.SelfSaleContract(), data, c.RecordSelfSaleContract, lot_id,
            done=_("Contract recorded: the buyer pays the full price into the control account (Art. 74.2)."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the collector ---------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/retention", methods=["POST"])
def retention(lot_id: int):
    decision = request.form.get("decision", "retain")
    if not confirmed():
        found, refusal = _read(cabinet_rows.retention_quote, lot_id, view=lambda uow, actor, r: (r[0].title, r[1]))
        if refusal:
            flash(refusal, "error")
            return redirect(url_for("cabinet.cabinet"))
        title, charge = found
        if decision != "retain":
            return confirm(_("Refuse the lot “%(title)s”?", title=title), request.path, {"decision": decision},
                           facts=[(_("Valuation"), money(charge["value"]))],
                           note=_("You give up keeping this lot in this retention window; the answer cannot be "
                                  "changed (Art. 85.1)."),
                           button=_("Confirm the refusal"))
        eds = _signed_on_confirming("retention_application", url_for("cases.retention_act", lot_id=lot_id), "POST",
                                    _("Sign with EDS and keep the lot"))
        if charge["total"] == "0.00":  # the whole value is set off against his claim
            return confirm(_("Keep the lot “%(title)s”?", title=title), request.path, {"decision": decision},
                           facts=retention_facts(charge), total=(_("You pay in"), money(charge["total"])),
                           note=_("You pay nothing in: the whole value is set off against your claim, which is "
                                  "reduced by %(set_off)s once the lot is yours (Art. 85.3).",
                                  set_off=money(charge["set_off"])),
                           button=_("Confirm: keep the lot"), eds=eds)
        return confirm(_("Keep the lot “%(title)s”?", title=title), request.path, {"decision": decision},
                       facts=retention_facts(charge), total=(_("You pay in"), money(charge["total"])),
                       note=_("If you are chosen (the earliest queue first), you pay in %(amount)s within 5 working "
                              "days; then the lot is yours and your claim is reduced by %(set_off)s. Unpaid in "
                              "time, the next collector who applied is chosen (Art. 85.3).",
                              amount=money(charge["total"]), set_off=money(charge["set_off"])),
                       button=_("Confirm: keep the lot and pay %(amount)s", amount=money(charge["total"])),
                       eds=eds)
    signed = {"cms": request.form["cms"].strip()} if request.form.get("cms", "").strip() else {}
    submit(schemas.RetentionIn(), {"decision": decision, **signed}, c.AnswerRetention, lot_id,
            done=_("Your application to keep the lot at its valuation is recorded (Art. 85.1).") if decision == "retain"
            else _("Your refusal is recorded (Art. 85.1)."))
    return redirect(url_for("cabinet.cabinet"))


def retention_facts(charge: dict) -> list[tuple[str, str]]:
    """The figures of the Art. 85.3 charge as service/retention.py computes them, one line each."""
    facts = [(_("Valuation"), money(charge["value"])), (_("Set off against your claim"), money(charge["set_off"])),
             (_("The value above your claim"), money(charge["excess"])),
             (_("Your share of the execution expenses"), money(charge["expenses_share"]))]
    if charge["fee_share"] != "0.00":
        facts.append((_("Your share of the private bailiff's fee"), money(charge["fee_share"])))
    return facts


# ---- two steps for what cannot be undone ---------------------------------------------------------------------
def _read(fn, *args, view):
    """A read for the confirmation, shown inside its unit of work; (shown, None) or (None, refusal)."""
    try:
        return call(fn, *args, view=view), None
    except DomainError as exc:
        return None, refusal_of(exc)


def confirmed() -> bool:
    return request.form.get("confirmed") == "yes"


def confirm(heading: str, action: str, fields: dict, *, facts, note: str, button: str, total=None, back=None,
            eds=None):
    """The second step of a decision: what it does, its figures and article; nothing is changed yet. `eds`: where
    the decision is an act signed with the EDS, the confirming step signs it (static/eds-sign.js): the settings of
    `act_signing` with the act's route (`url`, `method`) and the label of the button that signs."""
    return render_template("confirm.html", heading=heading, action=action, fields=fields, facts=facts, note=note,
                           button=button, total=total, back=back or url_for("cabinet.cabinet"), eds=eds)


def _signed_on_confirming(act: str, url: str, method: str, label: str) -> dict | None:
    sign = act_signing(act)
    return {**sign, "url": url, "method": method, "label": label} if sign else None


def confirm_approval(lot_id: int, auction_id: str, sign: dict | None = None):
    """The bailiff's approval of the results (Art. 80.4), from the console's lot page: the confirmation, signed
    with his EDS where the platform verifies it (`sign`, web/cabinet.py `act_signing`)."""
    if not auction_id.isdigit():
        abort(400)
    found = call(auction_rows.find, int(auction_id), view=lambda uow, actor, a: None if a is None or a.lot_id != lot_id
                 else (a.id, a.winner_no, a.final_price))
    if found is None:
        abort(404)
    aid, winner, price = found
    back = url_for("console.lot", lot_id=lot_id)
    return confirm(_("Approve the results of auction No. %(id)s?", id=aid), back,
                   {"action": "approve", "auction_id": aid},
                   facts=[(_("Winner"), _("No. %(no)s", no=winner) if winner is not None else "—"),
                          (_("Final price"), money(price))],
                   note=_("Once approved, the winner has 5 working days to pay the rest of the price; unpaid, the "
                          "deposit is forfeited (Art. 80.4, 84.3)."),
                   button=_("Confirm: approve the results"), back=back,
                   eds={**sign, "url": url_for("trading.approval_act", auction_id=aid), "method": "GET",
                        "label": _("Sign with EDS and approve the results")} if sign else None)


# ---- the operator ------------------------------------------------------------------------------------------------
@bp.route("/payments/<int:payment_id>/confirm", methods=["POST"])
def confirm_payment(payment_id: int):
    if me().role != "operator":
        abort(403)
    submit(schemas.Confirm(), _form("amount"), c.ConfirmPayment, payment_id,
            done=_("Bank payment confirmed by hand; it is credited as if the bank's notice had come."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/proceedings/transfer", methods=["POST"])
def transfer_proceeding():
    """The operator records the decision passing a proceeding to another bailiff (Order No 211 of
    28.02.2026; Art. 25.4, 123.6): its lots, auctions, deposits and money go with it."""
    _operator()
    f = request.form
    pid = int(f["proceeding_id"]) if f.get("proceeding_id", "").isdigit() else 0
    data = _form("basis")
    if f.get("bailiff", "").isdigit():  # the select sends the account id
        data["bailiff"] = int(f["bailiff"])
    if f.get("private_bailiff") in ("yes", "no"):
        data["private_bailiff"] = f["private_bailiff"] == "yes"
    submit(schemas.TransferIn(), data, c.TransferProceeding, pid,
           done=_("The proceeding passed to the new bailiff with its lots, auctions, deposits and money "
                  "(Art. 123.6); from now on only that bailiff acts in it."))
    return redirect(url_for("cabinet.cabinet") + "#transfer")


# ---- the debtor and the collectors: the valuation ---------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/agreement", methods=["POST"])
def agreement(lot_id: int):
    """The debtor or a collector signs the agreed value (Art. 68.5)."""
    submit(schemas.Agreement(), _form("value"), SignAgreement, lot_id,
           done=_("Value agreement signed (Art. 68.5)."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/lots/<int:lot_id>/dispute", methods=["POST"])
def dispute(lot_id: int):
    """The debtor or a collector disputes the valuation (Art. 68.3)."""
    submit(schemas.DisputeIn(), _form("forum", "grounds"), OpenDispute, lot_id,
           done=_("Dispute filed (Art. 68.3): the realization waits for its outcome."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the appraiser ----------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/report", methods=["POST"])
def report(lot_id: int):
    submit(schemas.Report(), _form("value", "report_no", "report_date"), FileReport, lot_id,
            done=_("Valuation recorded (Art. 68)."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the operator: calendar and accounts ------------------------------------------------------------------------
def _operator():
    if me().role != "operator":
        abort(403)


@bp.route("/calendar", methods=["POST"])
def calendar_override():
    _operator()
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        flash(_("Not saved: %(errors)s", errors=_("choose a date")), "error")
        return redirect(url_for("cabinet.cabinet"))
    data = {"working": request.form.get("working") == "yes", "note": request.form.get("note", "").strip()}
    submit(schemas.OverrideIn(), data, c.SetCalendarDay, day,
            done=_("Calendar changed: every deadline computed from now on counts it (SPEC §6)."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/calendar/<day>/remove", methods=["POST"])
def calendar_remove(day: str):
    _operator()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    _r, refusal = run(c.RemoveCalendarDay, when)
    flash(refusal or _("The day follows the standard calendar again."), "error" if refusal else "ok")
    return redirect(url_for("cabinet.cabinet"))


SETTING_FIELDS = ("step_percent", "quiet_minutes", "interval_minutes", "application_cutoff_minutes", "opens",
                  "latest_start", "floor_percent_movable", "floor_percent_real_estate")


@bp.route("/settings", methods=["POST"])
def change_settings():
    """The platform defaults (SPEC §3): only the fields that differ are changed; the reason is journaled."""
    _operator()
    data = _form("reason", *SETTING_FIELDS)
    submit(schemas.SettingsIn(), data, c.ChangeSettings,
           done=_("Settings saved: auctions announced from now on take them; announced auctions keep theirs."))
    return redirect(url_for("cabinet.cabinet") + "#settings")


@bp.route("/users", methods=["POST"])
def create_user():
    _operator()
    data = _form("email", "password", "full_name", "iin_bin", "role")

    def handler(uow, actor, loaded):
        return accounts.open_account(uow, actor, accounts.Register.of(loaded), PASSWORDS)
    submit(schemas.CreateUser(), data, handler, done=_("Account created."))
    return redirect(url_for("cabinet.cabinet"))


# ---- everyone: watching a lot, reading notifications ---------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/watch", methods=["POST"])
def watch(lot_id: int):
    """Follow a lot (told when its auction is announced), or stop following it."""
    try:
        watching = call(following.toggle_watch, following.ToggleWatch(lot_id))
    except NotFound:
        abort(404)
    flash(_("You watch this lot: you are told when its auction is announced.") if watching
          else _("You no longer watch this lot."), "ok")
    return redirect(url_for("pages.lot_page", lot_id=lot_id))


@bp.route("/notifications/read", methods=["POST"])
def notifications_read():
    run(following.mark_notifications_read)
    return redirect(url_for("cabinet.cabinet"))


def _render(n) -> str:
    from service.notifier import render

    from .i18n import lang
    return render(n.kind, n.params, lang())


def init_parties(app) -> None:
    app.jinja_env.globals.update(render_notification=_render)
    app.register_blueprint(bp)
