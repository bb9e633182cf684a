"""Server-rendered pages: the public catalogue with its filters, the lot page (photos, inventory,
auctions with their countdowns, public documents, the public timeline) and the auction room.
Every page is in Kazakh, Russian or English (web/i18n.py) and shows only public data (SPEC §8)."""
from __future__ import annotations

from math import ceil
from urllib.parse import urlencode

from babel.dates import format_date
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from auction import calendar as cal
from auction.errors import DomainError
from service.queries import auctions as auction_rows
from service.queries import cases

from . import i18n
from .api import schemas, views
from .cabinet import act_signing
from .charts import chart as price_chart
from .forms import load_form
from .i18n import EVENT_NAMES
from .live import snapshot
from .refusals import field_errors
from .runner import call

bp = Blueprint("pages", __name__)
PER_PAGE = 20
FILTERS = ("q", "category", "region", "status", "price_min", "price_max", "auction_from", "auction_to", "sort")
SORT_NAMES = (("", _l("Lot number")), ("auction", _l("Nearest auction")), ("price", _l("Price: low to high")),
              ("price_desc", _l("Price: high to low")), ("newest", _l("Newest first")))
CALENDAR_DAYS = 21  # the catalogue's auction calendar: today and the next 20 days (three weeks)


def _ext():
    return current_app.extensions["mulik"]


@bp.route("/")
def index():
    """The catalogue: every filter and order of GET /api/v1/lots, as a form; 20 lots a page, each with its
    first photo and, while its auction is open, the auction's current price; the auction calendar of
    the coming days."""
    form = {k: request.args.get(k, "").strip() for k in FILTERS}
    given = {k: v for k, v in form.items() if v}
    page_arg = request.args.get("page", "1")
    page = int(page_arg) if page_arg.isascii() and page_arg.isdigit() and len(page_arg) < 9 else 0
    page = page if 1 <= page <= schemas.MAX_PAGE else 1  # a link's page out of range: the first page
    now = _ext()["clock"]()
    try:
        filters = load_form(schemas.LotsQuery(), {**given, "page": page, "per_page": PER_PAGE})
    except ValidationError as exc:
        labels = {"q": _("Search"), "category": _("Category"), "region": _("Region"), "status": _("Status"),
                  "price_min": _("Price from, KZT"), "price_max": _("Price to, KZT"), "auction_from": _("Auction from"),
                  "auction_to": _("Auction to")}
        errors = [(labels.get(k, k), text) for k, text in field_errors(exc.messages).items()]
        return render_template("index.html", form=form, errors=errors, rows=[], total=0, page=1, pages=0,
                               given=given, days=[], SORT_NAMES=SORT_NAMES, server_time=views.t(now)), 400
    today = cal.local_date(now)

    def page_url(n: int) -> str:
        return f"{request.path}?{urlencode({**given, 'page': n})}"

    def shown(uow, actor, found):
        (lots, total, auctions), days = found
        rows = []
        for x in lots:
            a = auctions[x.id][-1] if auctions[x.id] else None
            rows.append({"lot": x, "auction": a, "photo": x.photos[0] if x.photos else None,
                         # the live price: the leading bid, or the descending auction's price now (Art. 80.3)
                         "live_price": a.price_at(now) if a is not None and a.status == "open" else None})
        calendar = [{"day": d, "count": n, "label": format_date(d, "EEE, d MMM", locale=i18n.lang()),
                     "url": f"{request.path}?{urlencode({'auction_from': d.isoformat(), 'auction_to': d.isoformat()})}",
                     "chosen": form["auction_from"] == form["auction_to"] == d.isoformat()} for d, n in days]
        return render_template("index.html", form=form, errors=None, rows=rows, total=total, page=page,
                               pages=ceil(total / PER_PAGE), page_url=page_url, given=given, days=calendar,
                               SORT_NAMES=SORT_NAMES, server_time=views.t(now))
    return call(lambda uow, actor: (cases.catalogue(uow, actor, filters, page, PER_PAGE),
                                    cases.auction_calendar(uow, actor, today, CALENDAR_DAYS)), view=shown)


@bp.route("/photos/<int:photo_id>")
def photo(photo_id: int):
    """A lot's uploaded photo (public, like the lot page); its bytes never change, so caches keep it."""
    def shown(uow, actor, p):
        if p is None:
            abort(404)
        return Response(p.content, mimetype=p.content_type,
                        headers={"Cache-Control": "public, max-age=31536000, immutable", "ETag": p.sha256,
                                 "X-Content-Type-Options": "nosniff"})
    return call(cases.photo, photo_id, view=shown)


@bp.route("/documents/<int:document_id>.pdf")
def document_pdf(document_id: int):
    """A stored document for the person logged in on the pages (the API's rule, `may_read`)."""
    try:
        return call(cases.document, document_id, view=lambda uow, actor, doc: Response(
            doc.content, mimetype="application/pdf",
            headers={"Content-Disposition": f"inline; filename={doc.kind}-{doc.number}.pdf"}))
    except DomainError as exc:  # not found, not logged in, not his (the API's answers, as pages)
        abort(exc.status)


@bp.route("/lots/<int:lot_id>")
def lot_page(lot_id: int):
    now = _ext()["clock"]()

    def shown(uow, actor, found):
        if found is None:
            abort(404)
        charts = {}
        for a in found["auctions"]:
            if a.status in ("closed", "sold", "failed") and a.opened_at is not None:
                drawn = price_chart(a, found["bid_entries"], gettext("Price of auction No. %(id)s over time", id=a.id),
                                    fmt_price=i18n.money, fmt_time=i18n.clock)
                if drawn is not None:
                    charts[a.id] = drawn
        return render_template("lot.html", lot=found["lot"], auctions=found["auctions"], documents=found["documents"],
                               timeline=found["timeline"], applications=found["applications"], charts=charts,
                               watching=found["watching"], bailiff=found["bailiff"], private=found["private"],
                               now=now, server_time=views.t(now), eds_sign=act_signing("application"))
    return call(cases.lot_page, lot_id, [*EVENT_NAMES, "lot.status"], view=shown)


@bp.route("/auctions/<int:auction_id>")
def auction_room(auction_id: int):
    """The live room (SPEC §3): the page carries a first snapshot and the ladder, so it shows the
    auction at once; web/static/room.js then follows it over Socket.IO `/live`."""
    ext = _ext()
    state = snapshot(current_app, auction_id)  # first, so the ladder read next holds every bid it counts
    if state.get("status") == "unknown":
        abort(404)

    def shown(uow, actor, found):
        a, lot, bids = found
        auction = views.auction(a, ext["clock"]())  # the public view: no personal data
        auction.update(opened_at=views.t(a.opened_at), lot={"id": lot.id, "title": lot.title, "category": lot.category})
        return auction, [dict(views.bid(b), client_id=None) for b in bids]
    auction, ladder = call(auction_rows.room, auction_id, view=shown)
    return render_template("room.html", auction=auction, room={"auction": auction, "state": state, "ladder": ladder})
