"""The bailiff's console: own proceedings and lots, the deadlines due and overdue, and each step of
a lot from arrest to announcement and after (valuation, realization order in the Art. 72 queue or on
an Art. 72.4 ground, auction scheduling on the dates the law allows, results approval, documents).

Each form calls the same use case as the API (service.lifecycle, service.trading), with the same
input schema; a refusal is shown with its article and changes nothing. Where the platform verifies EDS
signatures (issue 14 point 2), the realization order, the approval of the results (on its confirming step)
and the documents the bailiff signs after their issue (the protocol, the sale contract) are signed with
NCALayer by static/eds-sign.js, and the handler passes the CMS (`cms`) to the use case.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from auction import calendar as cal
from auction import commands as c
from auction.auctions import Auction
from auction.bidding import descending
from auction.lots.model import FINAL, Lot, Status
from service import accounts, photos, protocols, settings
from service.queries import console as shown
from valuation.commands import AppointAppraiser, FileReport, ResolveDispute

from .api import schemas
from .cabinet import act_signing
from .forms import form_errors, load_form, me, run
from .forms import submit as act
from .parties import confirm_approval
from .runner import call

bp = Blueprint("console", __name__, url_prefix="/console")


def start_times(hours) -> list[time]:
    """Every half hour from the opening to the latest start (operator settings, SPEC §3)."""
    out, t = [], datetime.combine(date(2000, 1, 3), hours.opens)
    while t.time() <= hours.latest_start and t.date() == date(2000, 1, 3):
        out.append(t.time())
        t += timedelta(minutes=30)
    return out


@bp.before_request
def _bailiffs_only():
    user = me()
    if user is None:
        return redirect(url_for("cabinet.login", next=request.full_path))
    if user.role != "bailiff":
        abort(403)


def _today() -> date:
    return cal.local_date(current_app.extensions["mulik"]["clock"]())


# ---- the dashboard -----------------------------------------------------------------------------------------
def deadlines(lots: list[Lot], auctions: list[Auction], today: date) -> list[dict]:
    """What the bailiff must do, with its legal deadline: overdue first, then the soonest."""
    out = []
    for lot in lots:
        if lot.status == Status.ARRESTED and lot.valuation_appointed_on is None:
            out.append({"lot": lot, "on": lot.valuation_due_on, "what": _("Appoint an appraiser (Art. 68.1)")})
        if lot.status == Status.FAILED_1 and lot.repeat_auction_from:
            out.append({"lot": lot, "on": lot.repeat_auction_from, "what": _("Announce the repeat auction (Art. 85.2)"),
                        "from": True})
        if lot.status in (Status.RETENTION_1, Status.RETENTION_2) and lot.retention_ends_on:
            out.append({"lot": lot, "on": lot.retention_ends_on,
                        "what": _("Collectors may apply to keep the lot until this day (Art. 85.1)"), "info": True})
        if lot.self_sale_status in ("open", "contracted") and lot.self_sale_ends_on:
            out.append({"lot": lot, "on": lot.self_sale_ends_on,
                        "what": _("The debtor's self-sale window ends (Art. 74.2)"), "info": True})
    by_id = {x.id: x for x in lots}
    for a in auctions:
        if a.status == "closed" and a.payment_due_on is None:
            out.append({"lot": by_id[a.lot_id], "on": cal.local_date(a.closed_at),
                        "what": _("Approve the results (Art. 80.4)")})
        elif a.status == "closed" and a.payment_due_on:
            out.append({"lot": by_id[a.lot_id], "on": a.payment_due_on,
                        "what": _("The winner pays by this day (Art. 80.4)"), "info": True})
    for d in out:
        d["overdue"] = not d.get("info") and not d.get("from") and d["on"] < today
    return sorted(out, key=lambda d: (not d["overdue"], d["on"]))


@bp.route("/office", methods=["POST"])
def office():
    """The bailiff's office address and telephone, shown on the public pages of his lots (PUT /me/office)."""
    f = request.form
    try:
        data = load_form(schemas.OfficeIn(), {k: f.get(k, "").strip() for k in ("office", "phone")})
    except ValidationError as exc:
        flash(form_errors(exc), "error")
    else:
        _r, refusal = run(accounts.set_office, accounts.SetOffice(data["office"], data["phone"]))
        flash(refusal or _("Your office contact is saved; the pages of your lots show it."),
              "error" if refusal else "ok")
    return redirect(url_for("console.dashboard"))


@bp.route("/")
def dashboard():
    today = _today()

    def page(uow, actor, found):
        proceedings, lots, auctions = found
        return render_template("console/dashboard.html", proceedings=proceedings, lots=lots,
                               due=deadlines(lots, auctions, today), today=today)
    return call(shown.dashboard, view=page)


# ---- proceedings and lots -------------------------------------------------------------------------------------
def _proceeding_form(form) -> dict:
    collectors = []
    for i in range(1, 4):
        name = form.get(f"collector{i}_name", "").strip()
        if name:
            collectors.append({"name": name, "iin_bin": form.get(f"collector{i}_iin_bin", "").strip(),
                               "kind": form.get(f"collector{i}_kind", ""),
                               "claim": form.get(f"collector{i}_claim", "").strip()})
    return {"number": form.get("number", "").strip(), "private_bailiff": form.get("private_bailiff") == "on",
            "debtor": {"name": form.get("debtor_name", "").strip(), "iin_bin": form.get("debtor_iin_bin", "").strip()},
            "collectors": collectors,
            **({"judge_iin": form["judge_iin"].strip()} if form.get("judge_iin", "").strip() else {}),
            **({"pledgee_bin": form["pledgee_bin"].strip()} if form.get("pledgee_bin", "").strip() else {})}


@bp.route("/proceedings/new", methods=["GET", "POST"])
def new_proceeding():
    if request.method == "POST":
        try:
            data = load_form(schemas.ProceedingIn(), _proceeding_form(request.form))
        except ValidationError as exc:
            flash(form_errors(exc), "error")
            return render_template("console/proceeding_new.html", form=request.form), 400
        p, refusal = run(c.CreateProceeding, data)
        if refusal:
            flash(refusal, "error")
            return render_template("console/proceeding_new.html", form=request.form), 422
        flash(_("Proceeding %(number)s created.", number=p.number), "ok")
        return redirect(url_for("console.proceeding", pid=p.id))
    return render_template("console/proceeding_new.html", form={})


def _own_proceeding(pid: int) -> None:
    """A proceeding of another bailiff is not found, for this one."""
    if call(shown.own_proceeding, pid) is None:
        abort(404)


@bp.route("/proceedings/<int:pid>", methods=["GET", "POST"])
def proceeding(pid: int):
    if request.method == "POST" and request.form.get("action") == "claim_kind":  # Art. 111–112
        _own_proceeding(pid)
        f = request.form
        cid = int(f["collector_id"]) if f.get("collector_id", "").isdigit() else 0
        data = {k: f[k].strip() for k in ("kind", "basis", "reason") if f.get(k, "").strip()}
        act(schemas.ClaimKindIn(), data, c.CorrectClaimKind, pid, cid,
            done=_("The kind of the claim is corrected; its queue follows from it (Art. 111–112)."))
        return redirect(url_for("console.proceeding", pid=pid))
    if request.method == "POST" and request.form.get("action") in PROCEEDING_ACTIONS:
        _own_proceeding(pid)
        schema, fn, done = PROCEEDING_ACTIONS[request.form["action"]]
        if schema is None:
            _r, refusal = run(fn, pid)
            flash(refusal or str(done), "error" if refusal else "ok")
        else:
            data = {k: v.strip() for k, v in request.form.items() if k not in ("action", "csrf_token") and v.strip()}
            for flag in ("at_collector_request", "bankruptcy", "mediation_agreement"):
                if flag in data:
                    data[flag] = data[flag] == "on"
            act(schema(), data, fn, pid, done=str(done))
        return redirect(url_for("console.proceeding", pid=pid))
    if request.method == "POST":  # a lot with its inventory (Art. 66.3)
        f = request.form
        items = [{"name": f.get(f"item{i}_name", "").strip(), "marks": f.get(f"item{i}_marks", "").strip(),
                  "quantity": f.get(f"item{i}_quantity") or 1, "price": f.get(f"item{i}_price", "").strip(),
                  "kind": f.get(f"item{i}_kind") or "other"}
                 for i in range(1, 4) if f.get(f"item{i}_name", "").strip()]
        data = {"title": f.get("title", "").strip(), "description": f.get("description", "").strip(),
                "category": f.get("category"), "items": items,
                "used_in_production": f.get("used_in_production") == "on", "pledged": f.get("pledged") == "on",
                "storage_place": f.get("storage_place", "").strip(), "custodian": f.get("custodian", "").strip(),
                "viewing": f.get("viewing", "").strip(),
                "perishable": f.get("perishable") == "on",
                **({"region": f["region"]} if f.get("region") else {})}  # photos: uploaded on the lot's page
        if act(schemas.LotIn(), data, c.CreateLot, pid, done=_("Lot recorded with its inventory.")):
            return redirect(url_for("console.proceeding", pid=pid))
    def page(uow, actor, found):
        if found is None:
            abort(404)
        p, lots = found
        return render_template("console/proceeding.html", p=p, lots=lots, form=request.form, today=_today())
    return call(shown.proceeding, pid, view=page), (400 if request.method == "POST" else 200)


# ---- one lot ------------------------------------------------------------------------------------------------
ACTIONS = {  # form action -> (schema, use case, message when done)
    "appoint": (schemas.Appointment, AppointAppraiser, _l("Appraiser appointed (Art. 68.1).")),
    "report": (schemas.Report, FileReport, _l("Valuation recorded (Art. 68).")),
    "order": (schemas.RealizationOrder, c.OrderRealization, _l("Realization ordered (Art. 77.1).")),
    "withdraw": (schemas.Exclusion, c.WithdrawLot, _l("Lot excluded from the inventory (Art. 66.4).")),
    "not_realizable": (schemas.Reason, c.DeclareNotRealizable, _l("Lot declared not realizable.")),
    "grant_self_sale": (schemas.Reason, c.GrantSelfSale,
                        _l("Self-sale granted: the window runs from today and the permission is issued (Art. 74.2).")),
    "refuse_self_sale": (schemas.SelfSaleRefusal, c.RefuseSelfSale,
                         _l("Self-sale refused with its reasons (Art. 74.2).")),
    "encumbrance": (schemas.EncumbranceIn, c.RecordEncumbrance, _l("Encumbrance recorded (Art. 74.2).")),
    "viewing": (schemas.ViewingIn, c.DescribeViewing, _l("Viewing arrangements saved; the lot page shows them.")),
}
OBJECT_ACTIONS = {  # form action -> (id field, schema, use case on that object, message when done)
    "cancel": ("auction_id", schemas.Reason, c.CancelAuction,
               _l("Auction cancelled; every deposit is refunded.")),
    "resolve": ("dispute_id", schemas.Resolution, ResolveDispute, _l("Dispute resolved (Art. 68.3).")),
    "disqualify": ("auction_id", schemas.DisqualificationIn, c.Disqualify,
                   _l("Participant disqualified: the deposit is forfeited (Art. 80.4, 80.5).")),
}
LOT_OBJECT_ACTIONS = {  # form action -> (id field, schema, use case on the lot and that object, message when done)
    "coowner_notified": ("coowner_id", schemas.CoOwnerNotified, c.RecordCoOwnerNotified, _l(
        "The co-owner's notification is recorded; the pre-emption period runs from it (Art. 60.2).")),
    "coowner_decision": ("coowner_id", schemas.CoOwnerDecision, c.RecordCoOwnerDecision,
                         _l("The co-owner's answer to the offer is recorded (Art. 60.1).")),
}
PROCEEDING_ACTIONS = {  # form action -> (schema, use case, message when done)
    "suspend": (schemas.Suspension, c.SuspendProceeding,
                _l("Proceeding suspended (Art. 42): its lots wait; live auctions were cancelled, "
                   "unless the suspension is at the collector's request.")),
    "resume": (None, c.ResumeProceeding, _l("Proceeding resumed (Art. 42).")),
    "release": (schemas.Reason, c.ReleaseProceeding,
                _l("Debt paid in full: the lots are released and announced auctions cancelled (Art. 47).")),
}


@bp.route("/lots/<int:lot_id>", methods=["GET", "POST"])
def lot(lot_id: int):
    if call(shown.own_lot, lot_id) is None:
        abort(404)
    if request.method == "POST":
        action, f = request.form.get("action"), request.form
        if action in ACTIONS:
            schema, fn, done = ACTIONS[action]
            data = {k: v.strip() for k, v in f.items() if k not in ("action", "csrf_token") and v.strip()}
            if data.get("appraiser", "").isdigit():  # the select sends the account id
                data["appraiser"] = int(data["appraiser"])
            act(schema(), data, fn, lot_id, done=str(done))
        elif action in OBJECT_ACTIONS:
            key, schema, fn, done = OBJECT_ACTIONS[action]
            data = {k: v.strip() for k, v in f.items() if k not in ("action", "csrf_token", key) and v.strip()}
            act(schema(), data, fn, int(f[key]) if f.get(key, "").isdigit() else 0, done=str(done))
        elif action in LOT_OBJECT_ACTIONS:
            key, schema, fn, done = LOT_OBJECT_ACTIONS[action]
            data = {k: v.strip() for k, v in f.items() if k not in ("action", "csrf_token", key) and v.strip()}
            act(schema(), data, fn, lot_id, int(f[key]) if f.get(key, "").isdigit() else 0, done=str(done))
        elif action == "photo":
            upload = request.files.get("photo")
            data = b""
            if upload:
                try:
                    data = upload.read(photos.MAX_BYTES + 1)
                finally:
                    upload.close()  # a large upload is spooled to a temporary file
            _r, refusal = run(c.AddPhoto, lot_id, data)
            flash(refusal or _("Photo added to the lot's inventory."), "error" if refusal else "ok")
        elif action == "schedule":
            schedule(lot_id, f)
        elif action == "approve":
            if f.get("confirmed") != "yes":  # two steps: the confirmation shows the winner and the price first
                return confirm_approval(lot_id, f.get("auction_id", ""), act_signing("results_approval"))
            aid = int(f["auction_id"]) if f.get("auction_id", "").isdigit() else 0
            cms = f.get("cms", "").strip() or None  # signed on the confirmation by static/eds-sign.js
            _r, refusal = run(c.ApproveResults(aid, cms=cms))
            flash(refusal or _("Results approved; the winner has 5 working days to pay (Art. 80.4)."),
                  "error" if refusal else "ok")
        else:
            abort(400)
        return redirect(url_for("console.lot", lot_id=lot_id))
    today = _today()
    eds_document = act_signing("auction_protocol")
    if eds_document:  # the closing protocol the bailiff signs before approving (Art. 80.4), issued as on request
        for aid in call(shown.awaiting_approval, lot_id):
            run(protocols.protocol, aid)

    def page(uow, actor, found):
        x, p, defaults = found["lot"], found["p"], found["defaults"]
        return render_template("console/lot.html", **found, times=start_times(defaults.trading_hours), today=today,
                               eds_order=act_signing("realization_order"), eds_document=eds_document,
                               recipients={c.id: c.name for c in p.collectors}, final=FINAL,
                               floor_default=settings.text(defaults.floor_percent(x.is_real_estate)),
                               floor_limit=settings.text(descending.floor_limit(
                                   real_estate=x.is_real_estate,
                                   real_estate_setting=defaults.floor_percent_real_estate)))
    return call(shown.lot, lot_id, view=page)


def schedule(lot_id: int, f) -> None:
    """Announce an auction on a date and time chosen from the legal ones (Art. 79, 80.3; SPEC §3)."""
    try:
        day = date.fromisoformat(f.get("day", ""))
        at = time.fromisoformat(f.get("time", ""))
    except ValueError:
        flash(_("Not saved: choose the auction's date and time."), "error")
        return
    starts = datetime.combine(day, at, tzinfo=cal.KZ_TZ)
    data = {"starts_at": starts.isoformat(), **{k: f[k].strip() for k in ("step", "quiet_seconds", "interval_seconds",
                                                          "floor_percent")
                                                if f.get(k, "").strip()}}
    act(schemas.AuctionIn(), data, c.ScheduleAuction, lot_id,
        done=_("Auction announced for %(when)s (Art. 79).", when=starts.strftime("%d.%m.%Y %H:%M")))


def init_console(app) -> None:
    from .operator import init_operator
    app.register_blueprint(bp)
    init_operator(app)  # the operator's pages, under /console/operator

