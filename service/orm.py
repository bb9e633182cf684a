"""Persistence: the domain classes are mapped imperatively (they stay plain Python), the
platform's own records (users, payments, ledger, journal, calendar overrides) are declarative.

Money is stored as integer tiyn, times as UTC.
"""
from __future__ import annotations

from datetime import timezone
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import registry, relationship
from sqlalchemy.types import TypeDecorator

from auction.auctions import Application, Auction
from auction.lots.coowners import CoOwner
from auction.lots.encumbrances import Encumbrance
from auction.lots.model import InventoryItem, Lot
from auction.money import from_tiyn, to_tiyn
from auction.proceedings import ClaimChange, Collector, Proceeding
from valuation.model import Valuation

NAMING = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
mapper_registry = registry(metadata=metadata)
Base = mapper_registry.generate_base()


class Money(TypeDecorator):
    """Decimal KZT in the domain, integer tiyn in the database (never float)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else to_tiyn(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else from_tiyn(value)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, whatever the database keeps (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the clock (aware UTC)")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _pk():
    return Column("id", Integer, primary_key=True)


# ---- domain tables (imperative mapping) --------------------------------------------------
proceedings = Table(
    "proceedings", metadata, _pk(),
    Column("number", String(64), nullable=False, unique=True),
    Column("bailiff_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("bailiff_iin", String(12), nullable=False),
    Column("private_bailiff", Boolean, nullable=False),
    Column("debtor_name", String(200), nullable=False),
    Column("debtor_iin_bin", String(12), nullable=False),
    Column("debtor_is_entity", Boolean, nullable=False),
    Column("debtor_user_id", ForeignKey("users.id"), index=True),
    Column("judge_iin", String(12)),
    Column("pledgee_bin", String(12)),
    Column("fines", Money, nullable=False),
    Column("expenses", Money, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("suspension_reason", Text),
    Column("suspended_at_collector_request", Boolean, nullable=False),
    Column("collector_application_on", Date),  # Art. 44 item 8
    Column("mediation_agreement", Boolean, nullable=False),
    Column("suspension_ends_on", Date),
    Column("bankruptcy_pending", Boolean, nullable=False),
    Column("self_sale_used", Boolean, nullable=False),
    Column("lease_until", UTCDateTime),
)

collectors = Table(
    "collectors", metadata, _pk(),
    Column("proceeding_id", ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("user_id", ForeignKey("users.id"), index=True),
    Column("name", String(200), nullable=False),
    Column("iin_bin", String(12), nullable=False),
    Column("kind", String(32), nullable=False),  # Art. 111–112: the queue follows from it
    Column("fee_category", String(32), nullable=False),  # Art. 118.4: the rate table's category of the writ
    Column("fee_charged", Money, nullable=False),  # the fee this writ bore so far (the cap holds per writ)
    Column("queue", Integer, nullable=False),
    Column("claim", Money, nullable=False),
    Column("paid", Money, nullable=False),
    Column("order", Integer, nullable=False),
)

claim_changes = Table(  # a claim's history, kept: its amount (Art. 99.1) or its kind corrected (Art. 111–112)
    "claim_changes", metadata, _pk(),
    Column("collector_id", ForeignKey("collectors.id"), nullable=False, index=True),
    Column("what", String(16), nullable=False),  # "arrears" | "kind"
    Column("old_claim", Money, nullable=False),
    Column("new_claim", Money, nullable=False),
    Column("arrears", Money),  # the arrears' columns: set on "arrears"
    Column("penalty", Money),
    Column("resolution_no", String(64)),
    Column("resolution_date", Date),
    Column("old_kind", String(32)),  # the kind's columns: set on "kind"
    Column("new_kind", String(32)),
    Column("basis", String(1000)),  # the writ or document that shows the kind
    Column("reason", String(2000)),
    Column("at", UTCDateTime, nullable=False),
    Column("by", String(64), nullable=False),
)

lots = Table(
    "lots", metadata, _pk(),
    Column("proceeding_id", ForeignKey("proceedings.id"), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(32), nullable=False),
    Column("priority", Integer, nullable=False),  # Art. 72: derived from the category and the debtor
    Column("priority_article", String(16), nullable=False),
    Column("used_in_production", Boolean, nullable=False),
    Column("pledged", Boolean, nullable=False),
    Column("perishable", Boolean, nullable=False),
    # Art. 63.2: real estate is described by its title instead of inventory items (NULL for movables).
    Column("cadastral_number", String(64)),
    Column("address", String(300)),
    Column("area", Numeric(14, 2)),  # m²
    Column("title_reg_no", String(64)),
    Column("title_reg_date", Date),
    Column("custodian", String(200), nullable=False),
    Column("storage_place", String(300), nullable=False),
    Column("viewing", Text, nullable=False),  # how and when the property can be seen (public)
    Column("photos", JSON, nullable=False),
    Column("region", String(32), index=True),
    Column("status", String(32), nullable=False, index=True),
    Column("status_before_suspension", String(32)),
    Column("arrested_on", Date, nullable=False),
    Column("ownership_established_on", Date, nullable=False),
    Column("valuation_due_on", Date, nullable=False),
    Column("appraiser_id", ForeignKey("users.id")),
    Column("appraiser_iin", String(12)),
    Column("valuation_appointed_on", Date),
    Column("parties_notified_by", Date),
    Column("dispute_open", Boolean, nullable=False),
    Column("agreement_value", Money),
    Column("agreement_signers", JSON, nullable=False),
    Column("common_share", Boolean, nullable=False),
    Column("coowners_notifiable", Boolean, nullable=False),  # Art. 60.3
    Column("preemption_ends_on", Date),  # Art. 60.2–60.3: derived from the notifications, never typed
    Column("preemption_declined", Boolean, nullable=False),
    Column("realization_ordered_on", Date),
    Column("priority_override_ground", String(32)),  # Art. 72.4
    Column("priority_override_reason", Text),
    Column("self_sale_status", String(16)),
    Column("self_sale_ends_on", Date, index=True),
    Column("self_sale_price", Money),
    Column("self_sale_buyer", String(200)),
    Column("self_sale_application", String(16)),  # Art. 74.2: applied | granted | refused
    Column("self_sale_applied_on", Date),
    Column("self_sale_expected_price", Money),
    Column("self_sale_granted_on", Date),
    Column("self_sale_refusal_ground", String(32)),
    Column("self_sale_refusal_reason", Text),
    Column("auction_count", Integer, nullable=False),
    Column("first_auction_on", Date),
    Column("repeat_auction_from", Date),
    Column("retention_ends_on", Date, index=True),
    Column("sale_price", Money),
    Column("retained_by_collector_id", ForeignKey("collectors.id")),
    Column("retention_charge", JSON),  # Art. 85.3: the pending charge of the chosen collector
    Column("realized_on", Date),
    Column("lease_until", UTCDateTime),
)

lot_encumbrances = Table(  # Art. 74.2: what stands on the property, on whose basis
    "lot_encumbrances", metadata, _pk(),
    Column("lot_id", ForeignKey("lots.id"), nullable=False, index=True),
    Column("basis", String(16), nullable=False),  # writ | court_security
    Column("document_no", String(100), nullable=False),
    Column("document_date", Date, nullable=False),
    Column("issuer", String(300), nullable=False),
    Column("this_proceeding", Boolean, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("lifted_on", Date),
)

lot_coowners = Table(  # Art. 60: each co-owner of a share, when notified, what he decided
    "lot_coowners", metadata, _pk(),
    Column("lot_id", ForeignKey("lots.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("iin_bin", String(12), nullable=False),
    Column("notified_on", Date),
    Column("decision", String(16)),  # None | declined | bought
    Column("decided_on", Date),
)

inventory_items = Table(
    "inventory_items", metadata, _pk(),
    Column("lot_id", ForeignKey("lots.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("marks", Text, nullable=False),
    Column("price", Money, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
)

valuations = Table(
    "valuations", metadata, _pk(),
    Column("lot_id", ForeignKey("lots.id"), nullable=False, index=True),
    Column("value", Money, nullable=False),
    Column("method", String(16), nullable=False),
    Column("report_no", String(64)),
    Column("report_date", Date, nullable=False),
    Column("appraiser_id", ForeignKey("users.id")),
    Column("appraiser_iin", String(12)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("superseded", Boolean, nullable=False),
)

auctions = Table(
    "auctions", metadata, _pk(),
    Column("lot_id", ForeignKey("lots.id"), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("announced_at", UTCDateTime, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False, index=True),
    Column("applications_close_at", UTCDateTime, nullable=False),
    Column("start_price", Money, nullable=False),
    Column("step", Money, nullable=False),
    Column("deposit", Money, nullable=False),
    Column("floor", Money),
    Column("interval_s", Integer, nullable=False),
    Column("quiet_s", Integer, nullable=False),
    Column("private_bailiff", Boolean, nullable=False),
    Column("current_price", Money, nullable=False),
    Column("ends_at", UTCDateTime, index=True),
    Column("leader_no", Integer),
    Column("leader_user_id", ForeignKey("users.id")),
    Column("seq", Integer, nullable=False),
    Column("bids_count", Integer, nullable=False),
    Column("opened_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("final_price", Money),
    Column("winner_no", Integer),
    Column("winner_user_id", ForeignKey("users.id")),
    Column("failure_reason", String(8)),
    Column("approved_at", UTCDateTime),
    Column("payment_due_on", Date, index=True),
    Column("refunds_due_on", Date),
    Column("lease_until", UTCDateTime),
)

applications = Table(
    "applications", metadata, _pk(),
    Column("auction_id", ForeignKey("auctions.id"), nullable=False, index=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("participant_no", Integer, nullable=False),
    Column("iin_bin", String(12), nullable=False),
    Column("is_entity", Boolean, nullable=False),
    Column("declaration", JSON, nullable=False),
    Column("deposit", Money, nullable=False),
    Column("keep_in_wallet", Boolean, nullable=False),
    Column("status", String(24), nullable=False),
    Column("deposit_state", String(16), nullable=False),
    Column("deposit_paid_at", UTCDateTime),
    Column("last_seen_at", UTCDateTime),
    Column("auto_bid_ceiling", Money),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disqualified_at", UTCDateTime),  # Art. 80.4, third part
    Column("disqualification_ground", String(32)),  # auction.disqualification.GROUNDS (Art. 80.2)
    Column("disqualification_reason", Text),
    UniqueConstraint("auction_id", "participant_no"),
)


# ---- platform records (declarative) -------------------------------------------------------
class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(200), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(16), nullable=False)
    full_name = Column(String(200), nullable=False)
    iin_bin = Column(String(12))
    api_token_hash = Column(String(64), unique=True)
    created_at = Column(UTCDateTime, nullable=False)
    office = Column(String(300))  # a bailiff's office address (public on his lots' pages)
    phone = Column(String(32))  # a bailiff's office telephone (public on his lots' pages)
    language = Column(String(2))  # kk | ru | en: the language of the person's last page login or choice; e-mails
    blocked_at = Column(UTCDateTime)  # set by an operator (SPEC §8): no login, no token, no session, no bid
    blocked_reason = Column(Text)


class Bid(Base):
    """An accepted bid or acceptance; (auction_id, seq) is gap-free with the auction's seq."""

    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("auction_id", "client_id"),)
    id = Column(Integer, primary_key=True)
    auction_id = Column(ForeignKey("auctions.id"), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    application_id = Column(ForeignKey("applications.id"), nullable=False)
    participant_no = Column(Integer, nullable=False)
    amount = Column(Money, nullable=False)
    kind = Column(String(8), nullable=False)  # bid | accept | auto
    client_id = Column(String(64), nullable=False)
    at = Column(UTCDateTime, nullable=False)


class Payment(Base):
    """Money owed to the platform: deposit, winner balance, self-sale price, retention excess."""

    __tablename__ = "payments"
    id = Column(Integer, primary_key=True)
    kind = Column(String(24), nullable=False)
    user_id = Column(ForeignKey("users.id"), index=True)
    amount = Column(Money, nullable=False)
    status = Column(String(16), nullable=False, default="pending")  # pending | paid | cancelled
    lot_id = Column(ForeignKey("lots.id"), index=True)
    auction_id = Column(ForeignKey("auctions.id"))
    application_id = Column(ForeignKey("applications.id"))
    collector_id = Column(ForeignKey("collectors.id"))
    due_on = Column(Date)
    reference = Column(String(64), nullable=False, unique=True)
    idempotency_key = Column(String(128), unique=True)
    paid_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False)


class Refund(Base):
    """A deposit freed to the bidder's wallet and due to be paid out (SPEC §2.4 deposit wallet)."""

    __tablename__ = "refunds"
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"), nullable=False, index=True)
    application_id = Column(ForeignKey("applications.id"))
    amount = Column(Money, nullable=False)
    pay_from = Column(Date, nullable=False, index=True)  # the sweeper pays out from this day
    due_on = Column(Date, nullable=False)  # the legal deadline (Art. 80.1: 5 working days)
    status = Column(String(16), nullable=False, default="due")  # due | paid | cancelled (deposit forfeited, Art. 80.4)
    paid_at = Column(UTCDateTime)
    lease_until = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False)


class Posting(Base):
    """One leg of a double-entry transaction; the legs of a txn sum to zero."""

    __tablename__ = "postings"
    id = Column(Integer, primary_key=True)
    txn = Column(String(36), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    account = Column(String(64), nullable=False, index=True)
    amount = Column(Money, nullable=False)
    reference = Column(String(64))
    lot_id = Column(ForeignKey("lots.id"), index=True)
    at = Column(UTCDateTime, nullable=False)


class ProceedingTransfer(Base):
    """A proceeding passed to another bailiff (Order No 211 of 28.02.2026; Art. 25.4, 123.6), with what moved."""

    __tablename__ = "proceeding_transfers"
    id = Column(Integer, primary_key=True)
    proceeding_id = Column(ForeignKey("proceedings.id"), nullable=False, index=True)
    from_bailiff_id = Column(ForeignKey("users.id"), nullable=False)
    from_private = Column(Boolean, nullable=False)
    to_bailiff_id = Column(ForeignKey("users.id"), nullable=False)
    to_private = Column(Boolean, nullable=False)
    basis = Column(Text, nullable=False)
    moved = Column(JSON, nullable=False)
    actor_id = Column(ForeignKey("users.id"), nullable=False)
    at = Column(UTCDateTime, nullable=False)


class RetentionRequest(Base):
    """A collector's application to keep unsold property at its valuation (Art. 85.1)."""

    __tablename__ = "retention_requests"
    __table_args__ = (UniqueConstraint("lot_id", "round", "collector_id"),)
    id = Column(Integer, primary_key=True)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    round = Column(Integer, nullable=False)
    collector_id = Column(ForeignKey("collectors.id"), nullable=False)
    decision = Column(String(8), nullable=False)  # retain | refuse
    at = Column(UTCDateTime, nullable=False)


class Dispute(Base):
    __tablename__ = "valuation_disputes"
    id = Column(Integer, primary_key=True)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    valuation_id = Column(ForeignKey("valuations.id"), nullable=False)
    party = Column(String(32), nullable=False)
    user_id = Column(ForeignKey("users.id"), nullable=False)
    forum = Column(String(16), nullable=False)  # expert_council | court
    grounds = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="open")  # open | upheld | invalid
    resolved_at = Column(UTCDateTime)
    created_at = Column(UTCDateTime, nullable=False)


class Distribution(Base):
    """The distribution statement of one sale (Art. 108, 110–112), stored as issued."""

    __tablename__ = "distributions"
    id = Column(Integer, primary_key=True)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    recovered = Column(Money, nullable=False)
    statement = Column(JSON, nullable=False)
    fee_rate = Column(String(64))  # the Art. 118 rate(s) applied, one per writ that bore a fee
    mci = Column(Money)  # the monthly calculation index the cap was computed with (private bailiff)
    mci_year = Column(Integer)
    created_at = Column(UTCDateTime, nullable=False)


class JournalEntry(Base):
    """An entry of the audit journal (auction/journal.py): `seq` is its number in its `chain` (`lot:<id>` or
    `platform`), gap-free there; `id` orders all entries as they were written."""

    __tablename__ = "journal"
    __table_args__ = (UniqueConstraint("chain", "seq"),)
    id = Column(Integer, primary_key=True)
    chain = Column(String(24), nullable=False, default="platform")
    seq = Column(Integer, nullable=False)
    at = Column(UTCDateTime, nullable=False)
    kind = Column(String(48), nullable=False)
    actor = Column(String(48))
    lot_id = Column(Integer, index=True)
    auction_id = Column(Integer, index=True)
    article = Column(String(16))
    payload = Column(JSON, nullable=False)
    prev_hash = Column(String(64), nullable=False)
    hash = Column(String(64), nullable=False)


class Document(Base):
    """An issued PDF (SPEC §7): stored as issued; its SHA-256 is journaled."""

    __tablename__ = "documents"
    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    auction_id = Column(ForeignKey("auctions.id"))
    number = Column(String(32), nullable=False)
    sha256 = Column(String(64), nullable=False)
    content = Column(LargeBinary, nullable=False)
    issued_at = Column(UTCDateTime, nullable=False)
    # the person the document is his (a bidder's application: he and the case's officials read it)
    owner_id = Column(ForeignKey("users.id"), index=True)


class ActSignature(Base):
    """An act signed with an EDS (issue 14 point 2, auction/acts.py): the exact bytes signed (the act's
    canonical JSON), the CMS as sent, who signed as his certificate names him, and the document that carries
    the signature (printed on it) or, for an act signed after its issue, the document signed. Journaled
    (`act.signed`) with the SHA-256 of the content and of the CMS; `mulik documents verify` checks it again."""

    __tablename__ = "act_signatures"
    id = Column(Integer, primary_key=True)
    act = Column(String(32), nullable=False)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    auction_id = Column(ForeignKey("auctions.id"), index=True)
    document_id = Column(ForeignKey("documents.id"), index=True)  # the document printing (or signed by) it
    user_id = Column(ForeignKey("users.id"), nullable=False, index=True)
    role = Column(String(16), nullable=False)
    signer_iin = Column(String(12))
    signer_bin = Column(String(12))
    signer_name = Column(String(300), nullable=False)
    cert_serial = Column(String(80), nullable=False)
    cert_issuer = Column(String(500), nullable=False)
    signed_at = Column(UTCDateTime, nullable=False)
    content = Column(LargeBinary, nullable=False)
    content_sha256 = Column(String(64), nullable=False)
    cms = Column(LargeBinary, nullable=False)


class CalendarOverride(Base):
    """Operator override of the working-day calendar (decreed transfers), SPEC §6."""

    __tablename__ = "calendar_overrides"
    day = Column(Date, primary_key=True)
    working = Column(Boolean, nullable=False)
    note = Column(String(200), nullable=False, default="")


class Watch(Base):
    """A person follows a lot: told when its auction is announced."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("user_id", "lot_id"),)
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"), nullable=False, index=True)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    created_at = Column(UTCDateTime, nullable=False)


class Notification(Base):
    """What a person is told (in the cabinet, and by e-mail through the outbox). `kind` and
    `params` are rendered in the reader's language when shown; `journal_id` is the entry it
    comes from, so following the journal twice notifies once."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "kind", "journal_id"),)
    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    params = Column(JSON, nullable=False)
    lot_id = Column(ForeignKey("lots.id"))
    auction_id = Column(ForeignKey("auctions.id"))
    journal_id = Column(Integer, nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    read_at = Column(UTCDateTime)


class OutboxMail(Base):
    """An e-mail to send (the outbox: written in the notifying transaction, sent after it)."""

    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    notification_id = Column(ForeignKey("notifications.id"), nullable=False, unique=True)
    to = Column(String(200), nullable=False)
    subject = Column(String(300), nullable=False)
    body = Column(Text, nullable=False)
    status = Column(String(8), nullable=False, default="pending", index=True)  # pending | sent | failed
    attempts = Column(Integer, nullable=False, default=0)
    sent_at = Column(UTCDateTime)
    error = Column(Text)


class Photo(Base):
    """A photo of a lot uploaded by its bailiff (SPEC §2.1 inventory): re-encoded without metadata."""

    __tablename__ = "lot_photos"
    id = Column(Integer, primary_key=True)
    lot_id = Column(ForeignKey("lots.id"), nullable=False, index=True)
    content_type = Column(String(32), nullable=False)
    content = Column(LargeBinary, nullable=False)
    sha256 = Column(String(64), nullable=False)
    width = Column(Integer, nullable=False)
    height = Column(Integer, nullable=False)
    uploaded_at = Column(UTCDateTime, nullable=False)


class Setting(Base):
    """A platform default changed by an operator (service/settings.py); absent = the built-in default."""

    __tablename__ = "settings"
    name = Column(String(40), primary_key=True)
    value = Column(String(40), nullable=False)


class MciValue(Base):
    """The monthly calculation index of a year (the budget law), kept by the operator (Art. 118.1 cap)."""

    __tablename__ = "mci_values"
    year = Column(Integer, primary_key=True, autoincrement=False)
    value = Column(Money, nullable=False)
    reason = Column(String(200), nullable=False)
    changed_at = Column(UTCDateTime, nullable=False)


class JournalHead(Base):
    """The last entry of a journal chain (its seq and hash), locked by whoever appends to it: two lots'
    writes never wait on each other."""

    __tablename__ = "journal_heads"
    chain = Column(String(24), primary_key=True)
    seq = Column(Integer, nullable=False, default=0)
    hash = Column(String(64), nullable=False)


class JournalCursor(Base):
    """How far a reader of the journal has read each chain: the notifier, and the anchors (the seq the last
    `journal.anchored` entry named), kept apart from the heads so that neither holds up a writer."""

    __tablename__ = "journal_cursors"
    reader = Column(String(16), primary_key=True)
    chain = Column(String(24), primary_key=True)
    seq = Column(Integer, nullable=False, default=0)


class Lease(Base):
    """Row locks for singletons (the notifier): one row per name."""

    __tablename__ = "locks"
    name = Column(String(32), primary_key=True)
    value = Column(Integer, nullable=False, default=0)


class EdsChallenge(Base):
    """A nonce the EDS sign-in signs (issue 14): one-time and short-lived, kept here so that any process
    of the deployment checks it; spent by the first sign-in that names it, whether it succeeds or not."""

    __tablename__ = "eds_challenges"
    id = Column(Integer, primary_key=True)
    nonce = Column(String(64), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False, index=True)
    used_at = Column(UTCDateTime)


class LedgerAccount(Base):
    """One row per ledger account that must stay non-negative, locked (SELECT ... FOR UPDATE) by every
    transaction that takes money out of the account or reserves some of it, so that those are
    serialised per account — a bidder's deposit wallet above all (Art. 80.1). It holds no balance:
    balances are derived from the postings (SPEC §4). Made on first use (UnitOfWork.lock_accounts)."""

    __tablename__ = "ledger_accounts"
    account = Column(String(64), primary_key=True)


def _with_events(cls):
    @event.listens_for(cls, "load")
    def _init_events(target, _context):
        target.events = []


_mapped = False


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    _mapped = True
    m = mapper_registry.map_imperatively
    m(ClaimChange, claim_changes)
    m(Collector, collectors, properties={
        "changes": relationship(ClaimChange, order_by=claim_changes.c.id, lazy="selectin"),
    })
    m(Proceeding, proceedings, properties={
        "collectors": relationship(Collector, order_by=collectors.c.order, lazy="selectin"),
    })
    m(InventoryItem, inventory_items)
    m(CoOwner, lot_coowners)
    m(Valuation, valuations)
    m(Encumbrance, lot_encumbrances)
    m(Lot, lots, properties={
        "items": relationship(InventoryItem, order_by=inventory_items.c.id, lazy="selectin"),
        "coowners": relationship(CoOwner, order_by=lot_coowners.c.id, lazy="selectin"),
        "valuations": relationship(Valuation, order_by=valuations.c.id, lazy="selectin"),
        "encumbrances": relationship(Encumbrance, order_by=lot_encumbrances.c.id, lazy="selectin"),
    })
    m(Application, applications)
    m(Auction, auctions, properties={
        "applications": relationship(Application, order_by=applications.c.participant_no, lazy="selectin"),
    })
    for cls in (Proceeding, Lot, Auction):
        _with_events(cls)
