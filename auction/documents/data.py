"""Plain input data of the documents: Decimal money, aware UTC datetimes, no ORM objects.

The service layer fills these from its aggregates; the document functions only format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    """A debtor, collector or buyer. `id_number` is the IIN (person) or BIN (entity)."""
    name: str
    id_number: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Bailiff:
    name: str
    private: bool = False  # private bailiff (ЖСО) or state bailiff
    office: str | None = None  # territorial department / chamber region
    licence_no: str | None = None  # licence of a private bailiff

    @property
    def kind(self) -> str:
        """"Мемлекеттік сот орындаушысы / Государственный судебный исполнитель" (Kazakh first)."""
        return ("Жеке сот орындаушысы / Частный судебный исполнитель" if self.private
                else "Мемлекеттік сот орындаушысы / Государственный судебный исполнитель")

    @property
    def title(self) -> str:
        extra = ", ".join(x for x in (self.office, self.licence_no and f"лицензия № {self.licence_no}") if x)
        return f"{self.kind} {self.name}" + (f" ({extra})" if extra else "")


@dataclass(frozen=True)
class RealEstateInfo:
    """Art. 63.2: real estate is described by its title, not by an inventory."""
    cadastral_number: str
    address: str
    area: str  # m², as recorded ("74.50")
    title_reg_no: str
    title_reg_date: date


@dataclass(frozen=True)
class ValuationBasis:
    """What the value rests on (Art. 68): the appraiser's report, or the parties' agreement (68.5)."""
    agreement: bool = False
    report_no: str | None = None
    report_date: date | None = None


@dataclass(frozen=True)
class LotInfo:
    lot_id: int
    title: str
    proceeding_no: str
    valuation: Decimal
    description: str = ""
    category: str | None = None
    location: str | None = None
    dwelling: bool = False
    real_estate: RealEstateInfo | None = None  # Art. 63.2: its title instead of an inventory
    valuation_report: ValuationBasis | None = None


@dataclass(frozen=True)
class RealizationOrderData:
    """Art. 77.1, 72: the bailiff's resolution that starts realization."""
    number: str
    lot: LotInfo
    bailiff: Bailiff
    debtor: Party
    ordered_at: datetime
    starting_price: Decimal
    priority_queue: int  # Art. 72.1-72.2 queue 1-3
    priority_reason: str | None = None  # Art. 72.4 circumstances when an earlier queue is skipped
    priority_article: str = "72"  # the paragraph that decides the queue, e.g. "72.1.2"
    priority_ground: str | None = None  # the Art. 72.4 ground: a key of before_sale.OVERRIDE_GROUNDS
    collectors: tuple[Party, ...] = ()
    method: str = "auction"  # or "commission" (Art. 77.2): a key of common.METHODS


@dataclass(frozen=True)
class SelfSalePermissionData:
    """Art. 74.2: the debtor may sell the property himself within the window."""
    number: str
    lot: LotInfo
    bailiff: Bailiff
    debtor: Party
    applied_at: datetime
    granted_at: datetime
    window_ends_at: datetime
    minimum_price: Decimal  # 75% of the valuation
    valuation_report_date: datetime | None = None
    control_account: str | None = None


@dataclass(frozen=True)
class AuctionAnnouncementData:
    """Art. 79, 80.1, 80.3: what is published at least 10 calendar days ahead."""
    auction_id: int
    lot: LotInfo
    round: int  # 1 ascending, 2 descending (Art. 85.4)
    announced_at: datetime
    applications_close_at: datetime
    starts_at: datetime
    starting_price: Decimal
    step: Decimal
    deposit: Decimal  # 5% of the starting price (Art. 80.1)
    bailiff: Bailiff
    floor: Decimal | None = None  # descending round only
    step_interval_minutes: int | None = None  # descending round only
    quiet_period_minutes: int | None = None  # ascending round only
    url: str | None = None


@dataclass(frozen=True)
class ProtocolBid:
    seq: int
    amount: Decimal
    participant_no: int
    at: datetime


@dataclass(frozen=True)
class ProtocolParticipant:
    """By number only: participants stay anonymous on the protocol (SPEC §3)."""
    no: int
    online: bool | None = None  # present in the room at the opening (Art. 84.4)


@dataclass(frozen=True)
class AuctionProtocolData:
    auction_id: int
    lot: LotInfo
    round: int
    starts_at: datetime
    ended_at: datetime | None
    starting_price: Decimal
    step: Decimal
    participants: tuple[ProtocolParticipant, ...]
    bids: tuple[ProtocolBid, ...]
    chain_head: str  # journal hash at the end of the auction (SPEC §7)
    bailiff: Bailiff
    winner_no: int | None = None
    final_price: Decimal | None = None
    failure_reason: str | None = None  # "84.1".."84.4"
    cancelled: bool = False  # the bailiff cancelled the auction (the protocol says so)
    floor: Decimal | None = None
    payment_due_at: datetime | None = None  # 5 working days (Art. 80.4)
    approved_at: datetime | None = None


@dataclass(frozen=True)
class EncumbranceInfo:
    """An encumbrance on the property (Art. 74.2): on whose basis, and the document behind it."""
    basis: str  # "writ" or "court_security" (auction/lots/encumbrances.BASES)
    document_no: str
    document_date: date
    issuer: str
    this_proceeding: bool = False  # a writ of this very proceeding


@dataclass(frozen=True)
class SaleContractData:
    """Art. 83 (auction) or Art. 74.2 (self-sale): basis for registering ownership."""
    number: str
    lot: LotInfo
    bailiff: Bailiff
    debtor: Party
    buyer: Party
    price: Decimal
    paid: Decimal  # paid toward the price, deposit included; must equal the price
    concluded_at: datetime
    auction_id: int | None = None  # None = debtor's self-sale
    deposit_credited: Decimal = Decimal("0.00")
    place: str | None = None
    # Art. 74.2: on a self-sale, the writs' encumbrances lifted and the courts' claim securities kept.
    encumbrances_lifted: tuple[EncumbranceInfo, ...] = ()
    encumbrances_kept: tuple[EncumbranceInfo, ...] = ()


@dataclass(frozen=True)
class RetentionActData:
    """Art. 85.1, 85.3: a collector keeps unsold property at its valuation."""
    number: str
    lot: LotInfo
    bailiff: Bailiff
    debtor: Party
    collector: Party
    collector_queue: int
    retained_at: datetime
    owed_to_collector: Decimal
    difference_paid: Decimal = Decimal("0.00")  # valuation above the claim, into the control account
    expenses_share: Decimal = Decimal("0.00")
    fee_share: Decimal = Decimal("0.00")  # private bailiff's fee (Art. 55.4)
    failed_auction_id: int | None = None


@dataclass(frozen=True)
class DistributionLine:
    kind: str  # "fine", "bailiff_fee", "expenses", "collector", "debtor" (auction/distribution.Line.kind)
    recipient: str | None  # the collector's or the debtor's name; None: the document names the recipient
    amount: Decimal
    article: str | None = None
    queue: int | None = None  # collectors' priority queue 1-5 (Art. 112)


@dataclass(frozen=True)
class DistributionStatementData:
    """Art. 108, 110-112, 55.5: how the money recovered from a sale is paid out."""
    number: str
    lot: LotInfo
    bailiff: Bailiff
    debtor: Party
    recovered: Decimal
    distributed_at: datetime
    lines: tuple[DistributionLine, ...] = field(default_factory=tuple)
    source: str = "auction"  # "auction", "self_sale", "retention", "retention_excess": after_sale.SOURCES
    auction_id: int | None = None  # the auction of the sale (source "auction")
    auction_round: int | None = None  # 1 first, 2 repeat


@dataclass(frozen=True)
class EdsSignature:
    """An EDS signature printed on a document (issue 14): the act signed, the signer as his certificate
    names him, when, and by which certificate; `sha256`: of the exact bytes he signed."""
    act_kk: str
    act_ru: str
    signer: str
    iin_bin: str
    signed_at: datetime
    serial: str
    issuer: str
    sha256: str


@dataclass(frozen=True)
class AuctionApplicationData:
    """Art. 80.1–80.2: a bidder's application to an auction, with his declaration of who he is not."""
    number: str
    auction_id: int
    round: int
    lot: LotInfo
    bailiff: Bailiff
    applicant: Party
    is_entity: bool
    participant_no: int
    applied_at: datetime
    starting_price: Decimal
    deposit: Decimal
    starts_at: datetime
    spouse: str | None = None
    close_relatives: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    founded: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
