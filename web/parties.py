"""The cabinet of the other parties (SPEC §8): the debtor's self-sale (Art. 74.2), the collector's
retention of an unsold lot (Art. 85.1), the operator's confirmation of a bank payment by hand.

Each form calls the API's use case with the API's schema; a refusal is shown with its article.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from auction import commands as c
from auction.errors import NotFound
from service import accounts, following
from valuation.commands import FileReport, OpenDispute, SignAgreement

from .api import schemas
from .auth import PASSWORDS
from .forms import me, run, submit
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
    submit(schemas.SelfSaleContract(), _form("price", "buyer"), c.RecordSelfSaleContract, lot_id,
            done=_("Contract recorded: the buyer pays the full price into the control account (Art. 74.2)."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the collector ---------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/retention", methods=["POST"])
def retention(lot_id: int):
    decision = request.form.get("decision", "retain")
    submit(schemas.RetentionIn(), {"decision": decision}, c.AnswerRetention, lot_id,
            done=_("Your application to keep the lot at its valuation is recorded (Art. 85.1).") if decision == "retain"
            else _("Your refusal is recorded (Art. 85.1)."))
    return redirect(url_for("cabinet.cabinet"))


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
