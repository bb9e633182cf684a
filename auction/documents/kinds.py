"""The documents of SPEC §7 by kind, and the one way any of them becomes a PDF: `pdf(data)` picks
the builder of the data's type, lays the model out (layout.render) and returns the bytes. The same
data, `issued_at` and journal mark always give the same bytes."""
from __future__ import annotations

from datetime import datetime

from .after_sale import build_auction_protocol, build_distribution_statement, build_retention_act, build_sale_contract
from .appointment import AppraiserAppointmentData, build_appraiser_appointment
from .before_sale import build_auction_announcement, build_realization_order, build_self_sale_permission
from .data import (
    AuctionAnnouncementData,
    AuctionProtocolData,
    DistributionStatementData,
    RealizationOrderData,
    RetentionActData,
    SaleContractData,
    SelfSalePermissionData,
)
from .layout import Document, JournalMark, render

# The data of each kind, its name (stored with the document and journaled) and its builder.
KINDS = {
    AppraiserAppointmentData: ("appraiser_appointment", build_appraiser_appointment),  # Art. 68.1-68.2
    RealizationOrderData: ("realization_order", build_realization_order),  # Art. 72, 77
    SelfSalePermissionData: ("self_sale_permission", build_self_sale_permission),  # Art. 74.2
    AuctionAnnouncementData: ("auction_announcement", build_auction_announcement),  # Art. 79
    AuctionProtocolData: ("auction_protocol", build_auction_protocol),  # Art. 80.4, 84
    SaleContractData: ("sale_contract", build_sale_contract),  # Art. 83, 74.2
    RetentionActData: ("retention_act", build_retention_act),  # Art. 85
    DistributionStatementData: ("distribution_statement", build_distribution_statement),  # Art. 108-118
}


def _kind(data) -> tuple[str, object]:
    try:
        return KINDS[type(data)]
    except KeyError:
        raise TypeError(f"{type(data).__name__} is the data of no document kind") from None


def kind_of(data) -> str:
    """The kind of the document `data` makes: "auction_protocol", "sale_contract", ..."""
    return _kind(data)[0]


def build(data) -> Document:
    """The document model of `data` (its `text()` is what the PDF shows), not laid out."""
    return _kind(data)[1](data)


def pdf(data, *, issued_at: datetime, journal: JournalMark | None = None, compress: bool = True) -> bytes:
    """The document of `data` as an A4 PDF, issued at `issued_at` with the journal mark printed."""
    return render(build(data), issued_at=issued_at, journal=journal, compress=compress)
