"""Server-rendered pages: the public catalogue (the full web UI is a later issue)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from auction.auctions import Auction
from auction.lots.model import Lot

bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    sessions = current_app.extensions["mulik"]["sessions"]
    with sessions() as s:
        lots = s.execute(select(Lot).order_by(Lot.id).limit(100)).scalars().all()
        auctions = {a.lot_id: a for a in s.execute(select(Auction).order_by(Auction.id)).scalars()}
        rows = [{"lot": lot, "auction": auctions.get(lot.id)} for lot in lots]
        return render_template("index.html", rows=rows)
