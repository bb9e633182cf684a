"""The cabinet of the other parties (SPEC §8): the debtor's self-sale (Art. 74.2), the collector's
retention of an unsold lot (Art. 85.1), the operator's confirmation of a bank payment by hand.

Each form calls the API's use case with the API's schema; a refusal is shown with its article.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer

from auction.lots.model import Lot, Status
from auction.lots.self_sale import SELF_SALE_FROM as _SELF_SALE_FROM
from auction.proceedings import Collector, Proceeding
from service import calendar_admin, lifecycle, payments, settings, transfer, valuation
from service import retention as retention_
from service.documents import copies_due_on, may_read
from service.orm import CalendarOverride, Document, Notification, Payment, RetentionRequest, User, Watch
from valuation.commands import FileReport, OpenDispute, SignAgreement

from .api import schemas
from .cabinet import me, run, submit

bp = Blueprint("parties", __name__, url_prefix="/cabinet")
SELF_SALE_FROM = set(_SELF_SALE_FROM)  # after the valuation, before the realization (Art. 74.2)


@bp.before_request
def _logged_in_forms():
    if me() is None:
        return redirect(url_for("cabinet.login", next=url_for("cabinet.cabinet")))


def _form(*names) -> dict:
    return {k: request.form[k].strip() for k in names if request.form.get(k, "").strip()}


# ---- what each party sees in the cabinet -----------------------------------------------------------------------
def debtor_lots(s, user) -> list[tuple[Lot, Proceeding, Payment | None]]:
    rows = s.execute(select(Lot, Proceeding).join(Proceeding, Proceeding.id == Lot.proceeding_id)
                     .where(Proceeding.debtor_user_id == user.id).order_by(Lot.id)).all()
    pays = {p.lot_id: p for p in s.execute(select(Payment).where(
        Payment.kind == "self_sale", Payment.lot_id.in_([x.id for x, _p in rows]))).scalars()} if rows else {}
    return [(x, p, pays.get(x.id)) for x, p in rows]


def collector_lots(s, user) -> list[tuple[Lot, Collector, RetentionRequest | None]]:
    rows = s.execute(select(Lot, Collector).join(Collector, Collector.proceeding_id == Lot.proceeding_id)
                     .where(Collector.user_id == user.id).order_by(Lot.id)).all()
    answers = {(r.lot_id, r.collector_id, r.round): r for r in s.execute(select(RetentionRequest).where(
        RetentionRequest.collector_id.in_({c.id for _x, c in rows}))).scalars()} if rows else {}
    out = []
    for x, c in rows:
        round_no = 1 if x.status == Status.RETENTION_1 else 2
        out.append((x, c, answers.get((x.id, c.id, round_no))))
    return out


def appraiser_lots(s, user) -> list[Lot]:
    return s.execute(select(Lot).where(Lot.appraiser_id == user.id).order_by(Lot.id)).scalars().all()


def lot_documents(s, user, lot_ids) -> dict[int, list[tuple[Document, date | None]]]:
    """The documents of the person's lots he may read (`may_read`), each with the day its copy is due to
    the parties where the law sets one (Art. 68.2: the appraiser's appointment, by the next day)."""
    if not lot_ids:
        return {}
    out: dict[int, list] = {}
    for d in s.execute(select(Document).options(defer(Document.content)).where(Document.lot_id.in_(lot_ids))
                       .order_by(Document.id)).scalars():
        if may_read(s, user, d):
            out.setdefault(d.lot_id, []).append((d, copies_due_on(d.kind, d.issued_at)))
    return out


def overrides(s) -> list[CalendarOverride]:
    return s.execute(select(CalendarOverride).order_by(CalendarOverride.day)).scalars().all()


def users(s) -> list[User]:
    return s.execute(select(User).order_by(User.id.desc()).limit(100)).scalars().all()


def open_proceedings(s) -> list[tuple[Proceeding, User]]:
    """The proceedings not ended, with their bailiff: what an operator may pass to another bailiff."""
    return s.execute(select(Proceeding, User).join(User, User.id == Proceeding.bailiff_id)
                     .where(Proceeding.status != "closed").order_by(Proceeding.id.desc()).limit(200)).all()


def bailiffs(s) -> list[User]:
    return s.execute(select(User).where(User.role == "bailiff").order_by(User.full_name)).scalars().all()


def pending_payments(s) -> list[Payment]:
    return s.execute(select(Payment).where(Payment.status == "pending").order_by(Payment.id)).scalars().all()


# ---- the debtor ------------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/self-sale", methods=["POST"])
def self_sale(lot_id: int):
    submit(schemas.SelfSaleIn(), _form("price"), lifecycle.apply_self_sale, lot_id,
            done=_("Application for self-sale filed (Art. 74.2): the bailiff grants or refuses it."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/lots/<int:lot_id>/self-sale/contract", methods=["POST"])
def self_sale_contract(lot_id: int):
    submit(schemas.SelfSaleContract(), _form("price", "buyer"), lifecycle.record_self_sale_contract, lot_id,
            done=_("Contract recorded: the buyer pays the full price into the control account (Art. 74.2)."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the collector ---------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/retention", methods=["POST"])
def retention(lot_id: int):
    decision = request.form.get("decision", "retain")
    submit(schemas.RetentionIn(), {"decision": decision}, retention_.retention, lot_id,
            done=_("Your application to keep the lot at its valuation is recorded (Art. 85.1).") if decision == "retain"
            else _("Your refusal is recorded (Art. 85.1)."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the operator ------------------------------------------------------------------------------------------------
@bp.route("/payments/<int:payment_id>/confirm", methods=["POST"])
def confirm_payment(payment_id: int):
    if me().role != "operator":
        abort(403)
    submit(schemas.Confirm(), _form("amount"), payments.confirm, payment_id,
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
    submit(schemas.TransferIn(), data, transfer.transfer_proceeding, pid,
           done=_("The proceeding passed to the new bailiff with its lots, auctions, deposits and money "
                  "(Art. 123.6); from now on only that bailiff acts in it."))
    return redirect(url_for("cabinet.cabinet") + "#transfer")


# ---- the debtor and the collectors: the valuation ---------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/agreement", methods=["POST"])
def agreement(lot_id: int):
    """The debtor or a collector signs the agreed value (Art. 68.5)."""
    submit(schemas.Agreement(), _form("value"), valuation.entry(SignAgreement), lot_id,
           done=_("Value agreement signed (Art. 68.5)."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/lots/<int:lot_id>/dispute", methods=["POST"])
def dispute(lot_id: int):
    """The debtor or a collector disputes the valuation (Art. 68.3)."""
    submit(schemas.DisputeIn(), _form("forum", "grounds"), valuation.entry(OpenDispute), lot_id,
           done=_("Dispute filed (Art. 68.3): the realization waits for its outcome."))
    return redirect(url_for("cabinet.cabinet"))


# ---- the appraiser ----------------------------------------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/report", methods=["POST"])
def report(lot_id: int):
    submit(schemas.Report(), _form("value", "report_no", "report_date"), valuation.entry(FileReport), lot_id,
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
    submit(schemas.OverrideIn(), data, calendar_admin.set_override, day,
            done=_("Calendar changed: every deadline computed from now on counts it (SPEC §6)."))
    return redirect(url_for("cabinet.cabinet"))


@bp.route("/calendar/<day>/remove", methods=["POST"])
def calendar_remove(day: str):
    _operator()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    _r, refusal = run(calendar_admin.remove_override, when)
    flash(refusal or _("The day follows the standard calendar again."), "error" if refusal else "ok")
    return redirect(url_for("cabinet.cabinet"))


SETTING_FIELDS = ("step_percent", "quiet_minutes", "interval_minutes", "application_cutoff_minutes", "opens",
                  "latest_start", "floor_percent_movable", "floor_percent_real_estate")


@bp.route("/settings", methods=["POST"])
def change_settings():
    """The platform defaults (SPEC §3): only the fields that differ are changed; the reason is journaled."""
    _operator()
    data = _form("reason", *SETTING_FIELDS)

    def handler(uow, actor, loaded):
        reason = loaded.pop("reason")
        return settings.change(uow, actor, loaded, reason=reason)
    submit(schemas.SettingsIn(), data, handler,
           done=_("Settings saved: auctions announced from now on take them; announced auctions keep theirs."))
    return redirect(url_for("cabinet.cabinet") + "#settings")


@bp.route("/users", methods=["POST"])
def create_user():
    _operator()
    from .api.accounts import _create_user
    data = _form("email", "password", "full_name", "iin_bin", "role")

    def handler(uow, actor, loaded):
        return _create_user(uow, loaded, loaded["role"])
    submit(schemas.CreateUser(), data, handler, done=_("Account created."))
    return redirect(url_for("cabinet.cabinet"))


# ---- everyone: watching a lot, reading notifications ---------------------------------------------------------------
@bp.route("/lots/<int:lot_id>/watch", methods=["POST"])
def watch(lot_id: int):
    """Follow a lot (told when its auction is announced), or stop following it."""
    def toggle(uow, actor):
        if uow.get(Lot, lot_id) is None:
            abort(404)
        row = uow.session.execute(select(Watch).where(Watch.user_id == actor.id, Watch.lot_id == lot_id)).scalar_one_or_none()
        if row is None:
            uow.session.add(Watch(user_id=actor.id, lot_id=lot_id, created_at=uow.now))
        else:
            uow.session.delete(row)
        uow.commit()
        return row is None
    watching, _refused = run(toggle)
    flash(_("You watch this lot: you are told when its auction is announced.") if watching
          else _("You no longer watch this lot."), "ok")
    return redirect(url_for("pages.lot_page", lot_id=lot_id))


@bp.route("/notifications/read", methods=["POST"])
def notifications_read():
    def mark(uow, actor):
        for n in uow.session.execute(select(Notification).where(Notification.user_id == actor.id,
                                                                Notification.read_at.is_(None))).scalars():
            n.read_at = uow.now
        uow.commit()
    run(mark)
    return redirect(url_for("cabinet.cabinet"))


def notifications(s, user, limit: int = 30) -> list[Notification]:
    return s.execute(select(Notification).where(Notification.user_id == user.id)
                     .order_by(Notification.id.desc()).limit(limit)).scalars().all()


def unread(user) -> int:
    """For the header: how many notifications the person has not read."""
    from flask import current_app, g
    if user is None:
        return 0
    if "unread" not in g:
        from sqlalchemy import func
        with current_app.extensions["mulik"]["sessions"]() as s:
            g.unread = s.execute(select(func.count()).select_from(Notification).where(
                Notification.user_id == user.id, Notification.read_at.is_(None))).scalar_one()
    return g.unread


def _render(n: Notification) -> str:
    from service.notifier import render
    from .i18n import lang
    return render(n.kind, n.params, lang())


def init_parties(app) -> None:
    app.jinja_env.globals.update(unread=lambda: unread(me()), render_notification=_render)
    app.register_blueprint(bp)
