"""The operator's pages (SPEC §8: the operator runs the platform; issue 13 point 8): every auction and
every lot with filters, the journal with the state of its hash chain (SPEC §7), the accounts and their
blocks, the figures with a chart drawn on the server. The reads are service/queries/operator.py; a block
and its lifting are the commands BlockUser and UnblockUser, as in the API.

A blocked account (service/access.py, code `blocked`) is refused on every request: a page logs the
person out and shows the login page with the reason; the API answers 403 with the same body as any
refusal."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from auction import commands as c
from auction.auctions import AuctionStatus
from auction.failures import GROUNDS
from auction.lots.model import Status
from service.access import Blocked
from service.queries import operator as shown

from . import i18n
from .api import schemas
from .forms import me
from .forms import submit as act
from .refusals import refusal
from .runner import call

bp = Blueprint("operator", __name__, url_prefix="/console/operator")


@bp.before_request
def _operators_only():
    user = me()
    if user is None:
        return redirect(url_for("cabinet.login", next=request.full_path))
    if user.role != "operator":
        abort(403)


# ---- the filters of a list --------------------------------------------------------------------------------
def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        abort(400, description=_("The filter %(name)s has no such value.", name=name))
    return value


def _day(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description=_("The filter %(name)s has no such value.", name=name))


def _number(name: str, allowed: range) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) not in allowed:
        abort(400, description=_("The filter %(name)s has no such value.", name=name))
    return int(value)


def _page() -> int:
    return _number("page", range(1, 1_000_000)) or 1


def _filters(statuses, rounds: range) -> shown.Filters:
    return shown.Filters(status=_choice("status", statuses), region=_choice("region", i18n.REGION_NAMES),
                         category=_choice("category", i18n.CATEGORY_NAMES), round=_number("round", rounds),
                         date_from=_day("from"), date_to=_day("to"), q=request.args.get("q", "").strip()[:100] or None)


def page_url(n: int) -> str:
    """This list with its filters, at page `n`."""
    args = request.args.to_dict()
    args["page"] = str(n)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# ---- lists --------------------------------------------------------------------------------------------------
@bp.route("/")
def home():
    return redirect(url_for("operator.lots"))


@bp.route("/lots")
def lots():
    f = _filters(i18n.LOT_STATUS_NAMES, range(0, 3))
    return call(shown.lots, f, _page(), view=lambda uow, actor, found: render_template(
        "console/operator_lots.html", found=found, f=f))


AUCTION_STATUSES = {v for k, v in vars(AuctionStatus).items() if k.isupper()}


@bp.route("/auctions")
def auctions():
    f = _filters(AUCTION_STATUSES, range(1, 3))
    return call(shown.auctions, f, _page(), view=lambda uow, actor, found: render_template(
        "console/operator_auctions.html", found=found, f=f))


@bp.route("/lots/<int:lot_id>")
def lot(lot_id: int):
    def view(uow, actor, found):
        if found is None:
            abort(404)
        return render_template("console/operator_lot.html", **found)
    return call(shown.lot, lot_id, _page(), view=view)


# ---- the journal --------------------------------------------------------------------------------------------
@bp.route("/journal")
def journal():
    return call(shown.journal, _page(), view=lambda uow, actor, found: render_template(
        "console/operator_journal.html", entries=found[0], verified=found[1]))


def summary(e) -> str:
    """An entry in a few words: its name, then the amounts and the lot's new status it carries."""
    p = e.payload or {}
    parts = [str(i18n.EVENT_NAMES[e.kind])] if e.kind in i18n.EVENT_NAMES else []  # else the kind says it
    if e.kind == "lot.status" and p.get("to"):
        parts.append(str(i18n.LOT_STATUS_NAMES.get(p["to"], p["to"])))
    for k in ("amount", "price", "value", "final_price"):
        if isinstance(p.get(k), str):
            try:
                parts.append(i18n.money(Decimal(p[k])))
            except ArithmeticError:
                pass
    if e.kind.startswith("user.") and p.get("user_id"):
        parts.append(_("account No. %(id)s", id=p["user_id"]))
    if e.kind == "auction.failed" and e.article in i18n.FAILURE_NAMES:  # the ground, in the page's language
        parts.append(str(i18n.FAILURE_NAMES[e.article]))
    elif p.get("reason") and isinstance(p["reason"], str):  # a reason a person typed
        parts.append(f"«{p['reason'][:80]}»")
    return " · ".join(parts) or "—"


# ---- accounts and their blocks ----------------------------------------------------------------------------
@bp.route("/users")
def users():
    role = _choice("role", i18n.ROLE_NAMES)
    blocked = request.args.get("blocked") == "1"
    q = request.args.get("q", "").strip()[:100] or None
    return call(shown.users, role, q, blocked, _page(), view=lambda uow, actor, found: render_template(
        "console/operator_users.html", found=found, role=role, q=q or "", blocked=blocked))


def _back():
    target = request.form.get("back", "")
    return target if target.startswith("/console/operator/") and not target.startswith("//") \
        else url_for("operator.users")


@bp.route("/users/<int:user_id>/block", methods=["POST"])
def block(user_id: int):
    act(schemas.BlockIn(), {"reason": request.form.get("reason", "").strip()}, c.BlockUser, user_id,
        done=_("Account blocked: the person cannot log in, apply or bid until it is unblocked."))
    return redirect(_back())


@bp.route("/users/<int:user_id>/unblock", methods=["POST"])
def unblock(user_id: int):
    data = {"reason": request.form["reason"].strip()} if request.form.get("reason", "").strip() else {}
    act(schemas.UnblockIn(), data, c.UnblockUser, user_id, done=_("Account unblocked: the person may log in again."))
    return redirect(_back())


# ---- figures ------------------------------------------------------------------------------------------------
@bp.route("/figures")
def figures():
    def view(uow, actor, fig):
        order = [s for s in vars(Status).values() if isinstance(s, str) and s.isupper()]
        statuses = [(s, fig.by_status[s]) for s in order if fig.by_status.get(s)]
        ways = [(_("Auction, round %(round)s", round=r), n, total) for r, (n, total) in fig.by_round.items()]
        ways += [(i18n.LOT_STATUS_NAMES["SOLD_BY_DEBTOR"], *fig.self_sale),
                 (i18n.LOT_STATUS_NAMES["RETAINED"], *fig.retention)]
        if fig.coowner[0]:
            ways.append((_("Bought by a co-owner"), *fig.coowner))
        chart = bars([(str(i18n.LOT_STATUS_NAMES.get(s, s)), Decimal(n), str(n)) for s, n in statuses],
                     _("Lots by status"))
        money_chart = bars([(str(w), total, i18n.money(total)) for w, _n, total in ways if total],
                           _("Money realized, by the way the lot was realized"))
        return render_template("console/operator_figures.html", fig=fig, statuses=statuses, ways=ways,
                               failures=[(g, fig.failures.get(g, 0)) for g in GROUNDS], chart=chart,
                               money_chart=money_chart)
    return call(shown.figures, view=view)


ROW, BAR_W, WIDTH = 42, 230, 360  # sized for a phone: the label above its bar, the value after it


def bars(rows: list[tuple[str, Decimal, str]], label: str) -> Markup | None:
    """A horizontal bar chart as inline SVG (no script, no library): one bar per (label, value, value as
    shown) with its label above it, the longest bar for the largest value; `label` names the chart."""
    if not rows:
        return None
    top = max(v for _l, v, _s in rows) or Decimal(1)
    height = ROW * len(rows) + 6
    out = [f'<svg class="price-chart figures-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, value, said) in enumerate(rows):
        y = 4 + i * ROW
        w = max(Decimal(BAR_W) * value / top, Decimal(1))
        out.append(f'<text x="4" y="{y + 13}" font-size="13" fill="#33414f">{escape(name[:52])}</text>'
                   f'<rect x="4" y="{y + 18}" width="{w:.1f}" height="16" rx="2" fill="#1a5fa8"/>'
                   f'<text x="{w + 10:.1f}" y="{y + 31}" font-size="13" fill="#33414f">{escape(said)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


# ---- a blocked account, on every page and route -------------------------------------------------------------
def blocked_response(exc: Blocked):
    """The API: 403 with the refusal's body. A page: the person is logged out and sees the login page with
    the reason of the block."""
    if request.path.startswith(("/api/", "/socket.io")):
        from .api import error_response
        return error_response(exc)
    session.clear()
    flash(refusal(exc), "error")
    if getattr(exc, "reason", ""):
        flash(_("The operator's reason: %(reason)s", reason=exc.reason), "error")
    from .cabinet import login_page  # the login page with its EDS sign-in, as GET /login shows it
    return login_page("", ""), 403


def init_operator(app) -> None:
    app.jinja_env.globals.update(journal_summary=summary, operator_page_url=page_url)
    app.register_error_handler(Blocked, blocked_response)
    app.register_blueprint(bp)
