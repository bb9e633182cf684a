"""Server-rendered pages: the public catalogue and the auction room (the rest of the web UI
is a later issue)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import select

from auction.auctions import Auction
from auction.lots.model import Lot
from service.orm import Bid

from .api import views
from .live import snapshot

bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    sessions = current_app.extensions["mulik"]["sessions"]
    with sessions() as s:
        lots = s.execute(select(Lot).order_by(Lot.id).limit(100)).scalars().all()
        auctions = {a.lot_id: a for a in s.execute(select(Auction).order_by(Auction.id)).scalars()}
        rows = [{"lot": lot, "auction": auctions.get(lot.id)} for lot in lots]
        return render_template("index.html", rows=rows)


@bp.route("/auctions/<int:auction_id>")
def auction_room(auction_id: int):
    """The live room (SPEC §3): the page carries a first snapshot and the ladder, so it shows the
    auction at once; web/static/room.js then follows it over Socket.IO `/live`."""
    ext = current_app.extensions["mulik"]
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
