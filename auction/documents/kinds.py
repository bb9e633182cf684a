"""The documents of SPEC §7 by kind, and the one way any of them becomes a PDF: `pdf(data)` picks
the builder of the data's type, lays the model out (layout.render) and returns the bytes. The same
data, `issued_at` and journal mark always give the same bytes."""
from __future__ import annotations

from datetime import datetime

from .after_sale import build_auction_protocol, build_distribution_statement, build_retention_act, build_sale_contract
from .application import build_auction_application
from .appointment import AppraiserAppointmentData, build_appraiser_appointment
from .before_sale import build_auction_announcement, build_realization_order, build_self_sale_permission
from .data import (
    AuctionAnnouncementData,
    AuctionApplicationData,
    AuctionProtocolData,
    DistributionStatementData,
    EdsSignature,
    RealizationOrderData,
    RetentionActData,
    SaleContractData,
    SelfSalePermissionData,
)
from .layout import Document, Heading, JournalMark, Paragraph, Table, local, render

# The data of each kind, its name (stored with the document and journaled) and its builder.
KINDS = {
    AppraiserAppointmentData: ("appraiser_appointment", build_appraiser_appointment),  # Art. 68.1-68.2
    RealizationOrderData: ("realization_order", build_realization_order),  # Art. 72, 77
    SelfSalePermissionData: ("self_sale_permission", build_self_sale_permission),  # Art. 74.2
    AuctionAnnouncementData: ("auction_announcement", build_auction_announcement),  # Art. 79
    AuctionApplicationData: ("auction_application", build_auction_application),  # Art. 80.1-80.2
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


def with_signatures(doc: Document, signatures: tuple[EdsSignature, ...]) -> Document:
    """`doc` with its EDS signatures printed after its text (issue 14): the act, the signer and his IIN/BIN,
    the time, the certificate's serial and issuer, and the SHA-256 of the bytes he signed."""
    if not signatures:
        return doc
    rows = tuple((f"{s.act_kk} / {s.act_ru}", f"{s.signer}, ЖСН/БСН / ИИН/БИН {s.iin_bin}",
                  local(s.signed_at, seconds=True), f"{s.serial} ({s.issuer})", s.sha256) for s in signatures)
    return Document(title=doc.title, title_kk=doc.title_kk, number=doc.number, subject=doc.subject, blocks=(
        *doc.blocks,
        Heading("Электрондық цифрлық қолтаңбалар / Электронные цифровые подписи"),
        Table(("Акт / Акт", "Қол қойған / Подписал", "Уақыты / Время", "Сертификат / Сертификат",
               "Қол қойылған деректердің SHA-256 / SHA-256 подписанных данных"), rows, widths=(3, 4, 2, 3, 4)),
        Paragraph("Қолтаңбаларды «Мүлік» платформасының /verify бетінде немесе `mulik documents verify` командасымен "
                  "тексеруге болады. / Подписи проверяются на странице /verify платформы «Мүлік» или командой "
                  "`mulik documents verify`."),
    ))


def pdf(data, *, issued_at: datetime, journal: JournalMark | None = None, compress: bool = True,
        signatures: tuple[EdsSignature, ...] = ()) -> bytes:
    """The document of `data` as an A4 PDF, issued at `issued_at` with the journal mark printed, and the EDS
    signatures it carries."""
    return render(with_signatures(build(data), signatures), issued_at=issued_at, journal=journal, compress=compress)
