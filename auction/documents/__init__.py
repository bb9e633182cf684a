"""PDF documents of a realization (SPEC §7).

Each function takes plain data (`auction.documents.data`) and returns the PDF as bytes;
the same data and `issued_at` always give the same bytes, so `sha256(pdf)` journaled as
a "document.issued" entry can be checked again later. `build_*` return the document
model (its `text()` is what the PDF shows) without rendering.

    pdf = auction_protocol(data, issued_at=clock())
    journal entry payload: {"document": "auction_protocol", "sha256": sha256(pdf)}
"""
from .after_sale import (auction_protocol, build_auction_protocol,
                         build_distribution_statement, build_retention_act,
                         build_sale_contract, distribution_statement, failure_text,
                         retention_act, sale_contract)
from .appointment import (AppraiserAppointmentData, RealEstateInfo, appraiser_appointment,
                          build_appraiser_appointment)
from .before_sale import (auction_announcement, build_auction_announcement,
                          build_realization_order, build_self_sale_permission,
                          realization_order, self_sale_permission)
from .data import (AuctionAnnouncementData, AuctionProtocolData, Bailiff, DistributionLine,
                   DistributionStatementData, LotInfo, Party, ProtocolBid, ProtocolParticipant,
                   RealizationOrderData, RetentionActData, SaleContractData,
                   SelfSalePermissionData)
from .layout import TIMEZONE, Document, JournalMark, render, sha256, to_html

__all__ = [
    "appraiser_appointment", "build_appraiser_appointment", "AppraiserAppointmentData", "RealEstateInfo",
    "realization_order", "self_sale_permission", "auction_announcement", "auction_protocol",
    "sale_contract", "retention_act", "distribution_statement", "sha256", "render",
    "build_realization_order", "build_self_sale_permission", "build_auction_announcement",
    "build_auction_protocol", "build_sale_contract", "build_retention_act",
    "build_distribution_statement", "failure_text", "Document", "TIMEZONE",
    "JournalMark", "to_html",
    "Party", "Bailiff", "LotInfo", "RealizationOrderData", "SelfSalePermissionData",
    "AuctionAnnouncementData", "AuctionProtocolData", "ProtocolBid", "ProtocolParticipant",
    "SaleContractData", "RetentionActData", "DistributionLine", "DistributionStatementData",
]
