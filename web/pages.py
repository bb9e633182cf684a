"""Server-rendered pages: the public catalogue with its filters, the lot page (photos, inventory,
auctions with their countdowns, public documents, the public timeline) and the auction room.
Every page is in Kazakh, Russian or English (web/i18n.py) and shows only public data (SPEC §8)."""
from __future__ import annotations

from math import ceil
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import defer

from auction.auctions import Auction
from auction.lots.model import Lot
from service import catalogue
from service.documents import may_read
from service.orm import Bid, Document, JournalEntry, Photo, Watch

from flask_babel import gettext

from .api import schemas, views
from .cabinet import load_form
from .charts import chart as price_chart
from . import i18n
from .i18n import EVENT_NAMES
from .live import snapshot

bp = Blueprint("pages", __name__)
PER_PAGE = 20
FILTERS = ("q", "category", "region", "status", "price_min", "price_max", "auction_from", "auction_to")


def _ext():
    return current_app.extensions["mulik"]


@bp.route("/")
def index():
    """The catalogue: every filter of GET /api/v1/lots, as a form; 20 lots a page."""
    form = {k: request.args.get(k, "").strip() for k in FILTERS}
    given = {k: v for k, v in form.items() if v}
    page_arg = request.args.get("page", "1")
    page = int(page_arg) if page_arg.isascii() and page_arg.isdigit() and len(page_arg) < 9 else 0
    page = page if 1 <= page <= schemas.MAX_PAGE else 1  # a link's page out of range: the first page
    now = _ext()["clock"]()
    try:
        filters = load_form(schemas.LotsQuery(), {**given, "page": page, "per_page": PER_PAGE})
    except ValidationError as exc:
        errors = [(k, "; ".join(v) if isinstance(v, list) else str(v)) for k, v in exc.messages.items()]
        return render_template("index.html", form=form, errors=errors, rows=[], total=0, page=1, pages=0,
                               server_time=views.t(now)), 400
    with _ext()["sessions"]() as s:
        lots, total = catalogue.search(s, catalogue.Filters.of(filters), page, PER_PAGE)
        latest: dict[int, Auction] = {}
        if lots:
            for a in s.execute(select(Auction).where(Auction.lot_id.in_([x.id for x in lots])).order_by(Auction.id)).scalars():
                latest[a.lot_id] = a
        rows = [{"lot": x, "auction": latest.get(x.id)} for x in lots]

        def page_url(n: int) -> str:
            return f"{request.path}?{urlencode({**given, 'page': n})}"

        return render_template("index.html", form=form, errors=None, rows=rows, total=total, page=page,
                               pages=ceil(total / PER_PAGE), page_url=page_url, server_time=views.t(now))


@bp.route("/photos/<int:photo_id>")
def photo(photo_id: int):
    """A lot's uploaded photo (public, like the lot page); its bytes never change, so caches keep it."""
    with _ext()["sessions"]() as s:
        p = s.get(Photo, photo_id)
        if p is None:
            abort(404)
        return Response(p.content, mimetype=p.content_type,
                        headers={"Cache-Control": "public, max-age=31536000, immutable", "ETag": p.sha256,
                                 "X-Content-Type-Options": "nosniff"})


@bp.route("/documents/<int:document_id>.pdf")
def document_pdf(document_id: int):
    """A stored document for the person logged in on the pages (the API's rule, `may_read`)."""
    from .cabinet import me
    user = me()
    with _ext()["sessions"]() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            abort(404)
        if not may_read(s, user, doc):
            abort(403 if user else 401)
        return Response(doc.content, mimetype="application/pdf",
                        headers={"Content-Disposition": f"inline; filename={doc.kind}-{doc.number}.pdf"})


@bp.route("/lots/<int:lot_id>")
def lot_page(lot_id: int):
    now = _ext()["clock"]()
    with _ext()["sessions"]() as s:
        lot = s.get(Lot, lot_id)
        if lot is None:
            abort(404)
        auctions = s.execute(select(Auction).where(Auction.lot_id == lot_id).order_by(Auction.id)).scalars().all()
        from .cabinet import me
        user = me()  # loaded before this session (web/cabinet.py)
        documents = [d for d in s.execute(select(Document).options(defer(Document.content))
                                          .where(Document.lot_id == lot_id).order_by(Document.id))
                     .scalars() if may_read(s, user, d)]
        timeline = s.execute(select(JournalEntry).where(JournalEntry.lot_id == lot_id,
                                                        JournalEntry.kind.in_([*EVENT_NAMES, "lot.status"]))
                             .order_by(JournalEntry.seq)).scalars().all()
        bid_entries = s.execute(select(JournalEntry).where(JournalEntry.lot_id == lot_id,
                                                           JournalEntry.kind == "bid.accepted")
                                .order_by(JournalEntry.seq)).scalars().all()
        charts = {}
        for a in auctions:
            if a.status in ("closed", "sold", "failed") and a.opened_at is not None:
                drawn = price_chart(a, bid_entries, gettext("Price of auction No. %(id)s over time", id=a.id),
                                    fmt_price=i18n.money, fmt_time=i18n.clock)
                if drawn is not None:
                    charts[a.id] = drawn
        applications = {a.id: x for a in auctions for x in a.applications if user and x.user_id == user.id}
        watching = user is not None and s.execute(select(Watch.id).where(Watch.user_id == user.id,
                                                                          Watch.lot_id == lot_id)).first() is not None
        return render_template("lot.html", lot=lot, auctions=auctions, documents=documents, timeline=timeline,
                               applications=applications, charts=charts, watching=watching, now=now,
                               server_time=views.t(now))


@bp.route("/auctions/<int:auction_id>")
def auction_room(auction_id: int):
    """The live room (SPEC §3): the page carries a first snapshot and the ladder, so it shows the
    auction at once; web/static/room.js then follows it over Socket.IO `/live`."""
    ext = _ext()
    state = snapshot(current_app, auction_id)  # first, so the ladder read next holds every bid it counts
    if state.get("status") == "unknown":
        abort(404)
    with ext["sessions"]() as s:
        a = s.get(Auction, auction_id)
        lot = s.get(Lot, a.lot_id)
        auction = views.auction(a, ext["clock"]())  # the public view: no personal data
        auction.update(opened_at=views.t(a.opened_at), lot={"id": lot.id, "title": lot.title, "category": lot.category})
        ladder = [dict(views.bid(b), client_id=None) for b in
                  s.execute(select(Bid).where(Bid.auction_id == auction_id).order_by(Bid.seq)).scalars()]
    return render_template("room.html", auction=auction, room={"auction": auction, "state": state, "ladder": ladder})
