"""PDF documents of a realization (SPEC §7).

`pdf` takes the plain data of any kind (`auction.documents.data`) and returns the PDF as
bytes; the same data and `issued_at` always give the same bytes, so `sha256(pdf)` journaled as
a "document.issued" entry can be checked again later. `build_*` return the document
model (its `text()` is what the PDF shows) without rendering.

    pdf = docs.pdf(data, issued_at=clock())  # or docs.auction_protocol(data, ...): the same renderer
    journal entry payload: {"document": kind_of(data), "sha256": sha256(pdf)}
"""
from .after_sale import (
                         build_auction_protocol,
                         build_distribution_statement,
                         build_retention_act,
                         build_sale_contract,
                         failure_text,
)
from .application import build_auction_application
from .appointment import AppraiserAppointmentData, build_appraiser_appointment
from .before_sale import build_auction_announcement, build_realization_order, build_self_sale_permission
from .data import (
                         AuctionAnnouncementData,
                         AuctionApplicationData,
                         AuctionProtocolData,
                         Bailiff,
                         DistributionLine,
                         DistributionStatementData,
                         EdsSignature,
                         EncumbranceInfo,
                         LotInfo,
                         Party,
                         ProtocolBid,
                         ProtocolParticipant,
                         RealEstateInfo,
                         RealizationOrderData,
                         RetentionActData,
                         SaleContractData,
                         SelfSalePermissionData,
                         ValuationBasis,
)
from .kinds import KINDS, build, kind_of, pdf, with_signatures
from .layout import TIMEZONE, Document, JournalMark, sha256, to_html

# Each kind's name reads as what it issues — `docs.sale_contract(data, issued_at=...)` — and is the
# one renderer: `pdf`, which picks the builder by the data's type.
appraiser_appointment = realization_order = self_sale_permission = auction_announcement = pdf
auction_protocol = sale_contract = retention_act = distribution_statement = auction_application = pdf

__all__ = [
    "appraiser_appointment", "build_appraiser_appointment", "AppraiserAppointmentData", "RealEstateInfo",
    "realization_order", "self_sale_permission", "auction_announcement", "auction_protocol",
    "sale_contract", "retention_act", "distribution_statement", "sha256",
    "build_realization_order", "build_self_sale_permission", "build_auction_announcement",
    "build_auction_protocol", "build_sale_contract", "build_retention_act",
    "build_distribution_statement", "failure_text", "Document", "TIMEZONE",
    "JournalMark", "to_html", "KINDS", "build", "kind_of", "pdf",
    "Party", "Bailiff", "LotInfo", "RealizationOrderData", "SelfSalePermissionData",
    "AuctionAnnouncementData", "AuctionProtocolData", "ProtocolBid", "ProtocolParticipant",
    "SaleContractData", "RetentionActData", "DistributionLine", "DistributionStatementData", "ValuationBasis",
    "EncumbranceInfo", "AuctionApplicationData", "EdsSignature", "build_auction_application", "with_signatures",
    "auction_application",
]
