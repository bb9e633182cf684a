"""The auction protocol on request (SPEC §7): issued when the bailiff approves the results; for a failed
or cancelled auction, on the first request. Either way its SHA-256 is journaled (service/documents.py)
and the stored bytes are served."""
from __future__ import annotations

from sqlalchemy import select

from auction.errors import NotFound
from auction.lots.model import Lot

from . import documents
from .orm import Document
from .queries.auctions import auction as find_auction


def protocol(uow, actor, auction_id: int) -> bytes:
    a = find_auction(uow, actor, auction_id)
    if a.status in ("announced", "open"):
        raise NotFound("the protocol exists once the auction has ended", code="not_ready")
    doc = uow.session.execute(select(Document).where(Document.auction_id == a.id,  # the latest: approved, signed
                                                     Document.kind == "auction_protocol")
                              .order_by(Document.id.desc()).limit(1)).scalar_one_or_none()
    if doc is None:
        doc = documents.auction_protocol(uow, uow.get(Lot, a.lot_id), a)
        uow.commit()
    return doc.content
