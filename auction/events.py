"""The domain events (STYLE.md, "the shape of the house"): each fact the journal records is a frozen
dataclass named for what happened, with the article of the law behind it. An aggregate records its own
(`Lot.auction_sold` records `LotStatusChanged`, `Auction.open` records `AuctionOpened`); a use case
records the others through its unit of work (`uow.record(DepositFreed(...))`). The unit of work writes
each as a journal entry — `kind`, `article`, the entry's `lot_id` and `auction_id`, and `payload` —
in the same transaction, and hands an auction's events to the publisher after the commit.

`payload` is the journal's: the fields in the order written here (the journal stores them so, and
hashes them sorted), money and times already as text. A field left `ABSENT` is not in the payload;
an `entry()` field is the entry's own (its lot, its auction, an article that varies), not the payload's.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

from .failures import GROUNDS


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()  # a field this event does not carry: left out of the payload


def entry(default=None):
    """A field of the journal entry itself (lot_id, auction_id, a varying article), not of the payload."""
    return field(default=default, metadata={"entry": True})


def absent():
    return field(default=ABSENT)


def spread():
    """A mapping whose items go into the payload where this field stands."""
    return field(default_factory=dict, metadata={"spread": True})


def key(name: str):
    """A field whose payload key is not a Python name ("from"), or is taken ("kind")."""
    return field(metadata={"key": name})


@dataclass(frozen=True, kw_only=True)
class Event:
    kind: ClassVar[str]
    article: ClassVar[str | None] = None

    @property
    def payload(self) -> dict:
        out, last = {}, {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get("entry") or value is ABSENT:
                continue
            if f.metadata.get("spread"):
                out.update(value)
            elif f.metadata.get("last"):
                last[f.name] = value
            else:
                out[f.metadata.get("key", f.name)] = value
        return {**out, **last}


# ---- the lot (Art. 60, 62, 66-77) --------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class LotStatusChanged(Event):
    """The lot moved on; `details` are the facts of that step (its value, round, reason...)."""
    kind = "lot.status"
    article: str | None = entry()
    details: dict = spread()
    from_: str = key("from")
    to: str = key("to")


@dataclass(frozen=True, kw_only=True)
class LotArrested(Event):
    kind, article = "lot.arrested", "62"
    lot_id: int = entry()
    title: str
    category: str
    priority: int
    priority_article: str
    used_in_production: bool
    pledged: bool
    valuation_due_on: str
    inventory_total: str
    real_estate: dict | None
    coowners: list
    preemption_ends_on: str | None


@dataclass(frozen=True, kw_only=True)
class PhotoAdded(Event):
    kind, article = "lot.photo_added", "66.3"
    lot_id: int = entry()
    photo_id: int
    sha256: str
    width: int
    height: int


@dataclass(frozen=True, kw_only=True)
class ViewingDescribed(Event):
    """The bailiff wrote how and when the property can be seen (shown on the public lot page)."""
    kind = "lot.viewing"
    lot_id: int = entry()
    viewing: str


@dataclass(frozen=True, kw_only=True)
class CoOwnerNotified(Event):
    kind, article = "preemption.notified", "60.2"
    coowner: str
    notified_on: str
    ends_on: str | None


@dataclass(frozen=True, kw_only=True)
class CoOwnerDeclined(Event):
    kind, article = "preemption.coowner_declined", "60.1"
    coowner: str


@dataclass(frozen=True, kw_only=True)
class PreemptionDeclined(Event):
    kind, article = "preemption.declined", "60.1"


# ---- valuation (Art. 68) -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class AppraiserReappointed(Event):
    kind, article = "valuation.reappointed", "68.1"
    appraiser_id: int | None
    basis: str


@dataclass(frozen=True, kw_only=True)
class AgreementSigned(Event):
    kind, article = "valuation.agreement_signed", "68.5"
    signer: str
    value: str


@dataclass(frozen=True, kw_only=True)
class ValuationDisputed(Event):
    kind, article = "valuation.disputed", "68.3"
    value: str


@dataclass(frozen=True, kw_only=True)
class ValuationUpheld(Event):
    kind, article = "valuation.upheld", "68.3"


@dataclass(frozen=True, kw_only=True)
class DisputeFiled(Event):
    kind, article = "valuation.dispute_filed", "68.3"
    lot_id: int = entry()
    dispute_id: int
    party: str
    forum: str


@dataclass(frozen=True, kw_only=True)
class DisputeResolved(Event):
    kind, article = "valuation.dispute_resolved", "68.3"
    lot_id: int = entry()
    dispute_id: int
    outcome: str
    paid_by: str | None
    paid_by_article: str | None


# ---- self-sale and encumbrances (Art. 74.2) ----------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class SelfSaleApplied(Event):
    kind, article = "self_sale.applied", "74.2"
    expected_price: str | None


@dataclass(frozen=True, kw_only=True)
class SelfSaleOpened(Event):
    kind, article = "self_sale.opened", "74.2"
    granted_on: str
    ends_on: str
    months: int
    minimum: str


@dataclass(frozen=True, kw_only=True)
class SelfSaleRefused(Event):
    kind, article = "self_sale.refused", "74.2"
    ground: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SelfSaleContracted(Event):
    kind, article = "self_sale.contracted", "74.2"
    price: str


@dataclass(frozen=True, kw_only=True)
class SelfSaleLapsed(Event):
    kind, article = "self_sale.lapsed", "74.2"
    ended_on: str


@dataclass(frozen=True, kw_only=True)
class SelfSaleCancelled(Event):
    kind, article = "self_sale.cancelled", "74.2"
    reason: str


@dataclass(frozen=True, kw_only=True)
class EncumbranceRecorded(Event):
    kind, article = "encumbrance.recorded", "74.2"
    encumbrance: str
    basis: str


@dataclass(frozen=True, kw_only=True)
class EncumbranceLifted(Event):
    kind, article = "encumbrance.lifted", "74.2"
    encumbrance: str


@dataclass(frozen=True, kw_only=True)
class EncumbranceKept(Event):
    kind, article = "encumbrance.kept", "74.2"
    encumbrance: str


# ---- the auction (Art. 79-84); each carries the auction's sequence number, last -----------------------
@dataclass(frozen=True, kw_only=True)
class AuctionEvent(Event):
    seq: int = field(default=0, metadata={"last": True})  # set by the auction that records it

    def numbered(self, seq: int) -> AuctionEvent:
        return replace(self, seq=seq)


@dataclass(frozen=True, kw_only=True)
class AuctionAnnounced(AuctionEvent):
    kind, article = "auction.announced", "79"
    round: int
    starts_at: str
    start_price: str
    step: str
    deposit: str
    floor: str | None
    applications_close_at: str
    quiet_seconds: int
    interval_seconds: int


@dataclass(frozen=True, kw_only=True)
class ApplicationFiled(AuctionEvent):
    kind, article = "application.filed", "80.1"
    participant_no: int
    deposit: str


@dataclass(frozen=True, kw_only=True)
class ApplicationAdmitted(AuctionEvent):
    kind, article = "application.admitted", "80.1"
    participant_no: int
    deposit: str


@dataclass(frozen=True, kw_only=True)
class DisqualifiedAtOpening(AuctionEvent):
    """The eligibility check again at the opening (SPEC §5) found an Art. 80.2 conflict."""
    kind, article = "application.disqualified", "80.2"
    participant_no: int
    reason: str
    ground: str
    by: str = "opening check"


@dataclass(frozen=True, kw_only=True)
class ParticipantDisqualified(AuctionEvent):
    """Found without the right to take part by the bailiff or an operator (Art. 80.4, third part)."""
    kind, article = "application.disqualified", "80.4"
    participant_no: int
    ground: str
    finding: str
    by: str
    auction_status: str
    lead_to: dict = absent()


@dataclass(frozen=True, kw_only=True)
class AuctionOpened(AuctionEvent):
    kind, article = "auction.opened", "80.3"
    online: int
    online_nos: list
    ends_at: str
    opened_at: str
    participants: list


@dataclass(frozen=True, kw_only=True)
class AuctionClosed(AuctionEvent):
    kind, article = "auction.closed", "80.4"
    winner_no: int
    price: str


@dataclass(frozen=True, kw_only=True)
class ResultsApproved(AuctionEvent):
    kind, article = "auction.approved", "80.4"
    payment_due_on: str
    due: str


@dataclass(frozen=True, kw_only=True)
class AuctionSold(AuctionEvent):
    kind, article = "auction.sold", "83"
    price: str
    winner_no: int


@dataclass(frozen=True, kw_only=True)
class AuctionFailed(AuctionEvent):
    """Declared failed on an Art. 84 ground (`reason`, "84.1".."84.4": the entry's article); the payload
    says it in the platform's sentence (auction/failures.py)."""
    kind = "auction.failed"
    reason: str = entry()
    admitted: int = absent()
    winner_no: int = absent()
    disqualified_no: int = absent()
    online: int = absent()

    @property
    def article(self) -> str:
        return self.reason

    @property
    def payload(self) -> dict:
        return {"reason": GROUNDS[self.reason].said, **super().payload}


@dataclass(frozen=True, kw_only=True)
class AuctionCancelled(AuctionEvent):
    kind = "auction.cancelled"
    article: str = entry()
    reason: str


@dataclass(frozen=True, kw_only=True)
class BidAccepted(Event):
    """A bid of the ascending round (Art. 80.3), ordered by the database (`seq`)."""
    kind, article = "bid.accepted", "80.3"
    lot_id: int = entry()
    auction_id: int = entry()
    seq: int
    amount: str
    participant_no: int
    ends_at: str
    at: str
    auto: bool


@dataclass(frozen=True, kw_only=True)
class PriceAccepted(Event):
    """The first acceptance of the falling price in the repeat round (Art. 80.3): it wins."""
    kind, article = "bid.accepted", "80.3"
    lot_id: int = entry()
    auction_id: int = entry()
    seq: int
    amount: str
    participant_no: int
    acceptance: bool = True
    at: str


@dataclass(frozen=True, kw_only=True)
class CeilingSet(Event):
    """Auto-bid (platform addition, SPEC §3): the participant's ceiling, or None (off)."""
    kind = "autobid.set"
    lot_id: int = entry()
    auction_id: int = entry()
    participant_no: int
    ceiling: str | None


# ---- money: payments, deposits, refunds, the ledger (SPEC §4; Art. 80.1-80.5) -------------------------
@dataclass(frozen=True, kw_only=True)
class PaymentRequested(Event):
    kind = "payment.requested"
    lot_id: int | None = entry()
    auction_id: int | None = entry()
    payment_id: int
    kind_: str = key("kind")
    amount: str
    reference: str
    due_on: str | None


@dataclass(frozen=True, kw_only=True)
class PaymentCancelled(Event):
    kind = "payment.cancelled"
    article: str | None = entry()
    lot_id: int | None = entry()
    payment_id: int
    reference: str


@dataclass(frozen=True, kw_only=True)
class PaymentReceived(Event):
    kind = "payment.received"
    lot_id: int | None = entry()
    auction_id: int | None = entry()
    payment_id: int
    kind_: str = key("kind")
    amount: str
    reference: str
    via: str


@dataclass(frozen=True, kw_only=True)
class DepositFromWallet(Event):
    kind, article = "deposit.from_wallet", "80.1"
    lot_id: int = entry()
    auction_id: int = entry()
    participant_no: int
    amount: str


@dataclass(frozen=True, kw_only=True)
class DepositFreed(Event):
    kind, article = "deposit.freed", "80.1"
    lot_id: int = entry()
    auction_id: int = entry()
    participant_no: int
    amount: str
    refund_due_on: str
    kept_in_wallet: bool


@dataclass(frozen=True, kw_only=True)
class DepositForfeited(Event):
    kind, article = "deposit.forfeited", "80.5"
    lot_id: int = entry()
    auction_id: int = entry()
    participant_no: int
    amount: str
    to: str
    private_bailiff: bool
    bailiff_id: int


@dataclass(frozen=True, kw_only=True)
class DepositAlreadyRefunded(Event):
    """A participant disqualified after his deposit was paid back: what could not be forfeited (80.4)."""
    kind, article = "deposit.already_refunded", "80.4"
    lot_id: int = entry()
    auction_id: int = entry()
    participant_no: int
    forfeited: str
    deposit: str


@dataclass(frozen=True, kw_only=True)
class RefundCancelled(Event):
    kind, article = "refund.cancelled", "80.4"
    lot_id: int = entry()
    refund_id: int
    amount: str


@dataclass(frozen=True, kw_only=True)
class DepositRefunded(Event):
    kind, article = "deposit.refunded", "80.1"
    refund_id: int
    user_id: int
    amount: str


@dataclass(frozen=True, kw_only=True)
class WalletRefundRequested(Event):
    kind = "wallet.refund_requested"
    user_id: int
    amount: str


@dataclass(frozen=True, kw_only=True)
class LedgerPosted(Event):
    kind = "ledger.posted"
    lot_id: int | None = entry()
    txn: str
    txn_kind: str
    reference: str
    postings: list


@dataclass(frozen=True, kw_only=True)
class ProceedsDistributed(Event):
    kind, article = "distribution.made", "108"
    lot_id: int = entry()
    recovered: str
    fee_rate: str | None
    mci: str | None
    mci_year: int | None
    statement: dict


# ---- retention (Art. 85) -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class CollectorRetains(Event):
    kind, article = "retention.retain", "85.1"
    lot_id: int = entry()
    collector_id: int
    round: int


@dataclass(frozen=True, kw_only=True)
class CollectorRefuses(Event):
    kind, article = "retention.refuse", "85.1"
    lot_id: int = entry()
    collector_id: int
    round: int


@dataclass(frozen=True, kw_only=True)
class RetentionChargeRequested(Event):
    """The chosen collector's Art. 85.3 charge, every share of it (retention.retention_charge)."""
    kind, article = "retention.charge_requested", "85.3"
    lot_id: int = entry()
    charge: dict = spread()


@dataclass(frozen=True, kw_only=True)
class RetentionLapsed(Event):
    kind, article = "retention.lapsed", "85.3"
    lot_id: int = entry()
    collector_id: int
    charge: str
    due_on: str


@dataclass(frozen=True, kw_only=True)
class RetentionSettled(Event):
    kind, article = "retention.settled", "85.3"
    lot_id: int = entry()
    collector_id: int
    value: str
    set_off: str
    excess: str
    expenses_share: str
    fee_share: str
    claim_against_debtor: str


# ---- the proceeding (Art. 25.4, 42, 44, 47, 99, 111-112) ---------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ProceedingCreated(Event):
    kind = "proceeding.created"
    proceeding_id: int
    number: str
    collectors: list


@dataclass(frozen=True, kw_only=True)
class ProceedingSuspended(Event):
    """Art. 42 (74.3 with bankruptcy pending); at the collector's request also the Art. 44 item 8 end."""
    kind = "proceeding.suspended"
    article: str = entry()
    proceeding_id: int
    reason: str
    at_collector_request: bool
    application_on: str = absent()
    mediation_agreement: bool = absent()
    ends_on: str = absent()
    ends_article: str = absent()
    auctions_going_on: list = absent()


@dataclass(frozen=True, kw_only=True)
class ProceedingResumed(Event):
    kind = "proceeding.resumed"
    article: str = entry()
    proceeding_id: int
    reason: str = absent()
    suspension_ended_on: str = absent()


@dataclass(frozen=True, kw_only=True)
class ProceedingReleased(Event):
    kind, article = "proceeding.released", "47"
    proceeding_id: int
    lots: list


@dataclass(frozen=True, kw_only=True)
class ProceedingTransferred(Event):
    """The writ passed to another bailiff (Art. 25.4); `moved`: what goes with it."""
    kind, article = "proceeding.transferred", "25.4"
    proceeding_id: int
    number: str
    basis: str
    from_bailiff: dict
    to_bailiff: dict
    money_article: str | None
    moved: dict = spread()


@dataclass(frozen=True, kw_only=True)
class ArrearsDetermined(Event):
    kind, article = "claim.determined", "99.1"
    proceeding_id: int
    collector_id: int
    old_claim: str
    new_claim: str
    arrears: str
    penalty: str
    outstanding: str
    resolution_no: str
    resolution_date: str


@dataclass(frozen=True, kw_only=True)
class ClaimKindCorrected(Event):
    """Its queue re-derived (Art. 111-112): the entry's article is the new queue's."""
    kind = "claim.kind_corrected"
    article: str = entry()
    proceeding_id: int
    collector_id: int
    old_kind: str
    new_kind: str
    old_queue: int
    new_queue: int
    old_article: str
    new_article: str
    old_fee_category: str | None
    new_fee_category: str | None
    basis: str
    reason: str
    by_role: str


# ---- documents, accounts, the operator's settings ----------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class DocumentIssued(Event):
    """A document of SPEC §7 stored, with its SHA-256 and the journal mark printed on it; `recorded`:
    what its kind adds (the appointed appraiser and the day the copies are due, Art. 68.2)."""
    kind = "document.issued"
    lot_id: int = entry()
    auction_id: int | None = entry()
    document_id: int
    document: str
    number: str
    sha256: str
    journal_seq: int
    journal_hash: str
    recorded: dict = spread()


@dataclass(frozen=True, kw_only=True)
class JournalAnchored(Event):
    """The lot chains' heads that moved since the previous anchor, and the SHA-256 of every head
    (auction/journal.anchor_payload): the platform chain binds the lots' chains (SPEC §7, issue 15)."""
    kind = "journal.anchored"
    heads: list
    chains: int
    digest: str


@dataclass(frozen=True, kw_only=True)
class ActSigned(Event):
    """An act signed with an EDS (auction/acts.py): who, by which certificate, the SHA-256 of the exact bytes
    signed and of the CMS, and the document that prints the signature (or that was signed)."""
    kind = "act.signed"
    article: str | None = entry()  # the act's own article (Art. 80.2 an application, 77.1 the order, …)
    lot_id: int = entry()
    auction_id: int | None = entry()
    signature_id: int
    act: str
    user_id: int
    iin_bin: str
    cert_serial: str
    content_sha256: str
    cms_sha256: str
    document_id: int | None = absent()


@dataclass(frozen=True, kw_only=True)
class UserCreated(Event):
    kind = "user.created"
    user_id: int
    role: str


@dataclass(frozen=True, kw_only=True)
class UserBlocked(Event):
    kind = "user.blocked"
    user_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class UserUnblocked(Event):
    kind = "user.unblocked"
    user_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class CalendarOverrideSet(Event):
    kind = "calendar.override_set"
    day: str
    working: bool
    note: str | None


@dataclass(frozen=True, kw_only=True)
class CalendarOverrideRemoved(Event):
    kind = "calendar.override_removed"
    day: str


@dataclass(frozen=True, kw_only=True)
class SettingsChanged(Event):
    kind = "settings.changed"
    changes: dict
    reason: str


@dataclass(frozen=True, kw_only=True)
class MciSet(Event):
    """The monthly calculation index of a year, which the Art. 118 fee bands are counted in."""
    kind, article = "mci.set", "118"
    year: int
    old: str | None
    new: str
    reason: str | None
