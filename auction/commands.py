"""Every state-changing use case as a typed command (a frozen dataclass), handled by one function
each (service/handlers.py; STYLE.md, model cosmicpython `domain/commands.py`).

A command names what it acts on first (the lot, the proceeding, the auction…), then what the person
said. Entry points build one from a schema's loaded data with `Command.of(*targets, data)`: the
schema has already refused unknown and ill-typed fields; keys the command does not take are ignored,
missing ones take the command's default, and a missing required one is refused. Nested parts (a
proceeding's debtor and collectors, a lot's inventory, co-owners and encumbrances) become their own
frozen dataclasses. The law's checks stay in the domain and the handlers, whoever built the command.
The Art. 68 commands are in valuation/commands.py, on the same base.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from .errors import BadRequest

Money = Decimal | str  # a schema gives a Decimal; the demo and the CLI may give "29000000.00"


class Command:
    @classmethod
    def of(cls, *args):
        """`Cmd.of(*targets, data)`: the targets fill the first fields in order, `data` (a mapping,
        or None) the rest by name."""
        if args and (args[-1] is None or isinstance(args[-1], Mapping)):
            *targets, data = args
        else:
            targets, data = list(args), None
        data = data or {}
        rest = fields(cls)[len(targets):]
        missing = [f.name for f in rest if f.name not in data and f.default is MISSING
                   and f.default_factory is MISSING]
        if missing:
            raise BadRequest(f"missing: {', '.join(missing)}", code="missing_field")
        return cls(*targets, **{f.name: _part(f, data[f.name]) for f in rest if f.name in data})


def _part(f, value):
    """A nested part from its mapping (`metadata={"part": Cls}`), a list of them as a tuple."""
    part = f.metadata.get("part")
    if part is None or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return tuple(v if isinstance(v, part) else part.of(v) for v in value)
    return value if isinstance(value, part) else part.of(value)


def parts(cls, **kw):
    """A field holding nested parts of type `cls` (a tuple; a single one if `one=True`)."""
    if kw.pop("one", False):
        return field(metadata={"part": cls}, **kw)
    return field(default=(), metadata={"part": cls}, **kw)


# ---- proceedings (Art. 1, 72, 99, 111–112; SPEC §2.1) ---------------------------------------------
@dataclass(frozen=True)
class Party(Command):
    """The debtor: the number decides individual or legal entity (Art. 72.1 / 72.2)."""
    name: str
    iin_bin: str
    is_entity: bool | None = None
    user: int | str | None = None  # his account (id or e-mail), if he has one


@dataclass(frozen=True)
class CollectorClaim(Command):
    """A collector and his claim; the kind decides the queue (Art. 111–112)."""
    name: str
    iin_bin: str
    kind: str
    claim: Money
    user: int | str | None = None
    fee_category: str | None = None  # the Art. 118 rate table's category, by default read from the kind


@dataclass(frozen=True)
class CreateProceeding(Command):
    """The bailiff opens a proceeding with its debtor and collectors."""
    number: str
    debtor: Party = parts(Party, one=True)
    collectors: tuple[CollectorClaim, ...] = parts(CollectorClaim)
    private_bailiff: bool = False
    judge_iin: str | None = None
    pledgee_bin: str | None = None
    fines: Money = "0"
    expenses: Money = "0"


@dataclass(frozen=True)
class DetermineArrears(Command):
    """Art. 99.1: the bailiff's resolution determining a collector's alimony arrears (and penalty)."""
    proceeding_id: int
    collector_id: int
    arrears: Money
    resolution_no: str
    resolution_date: date
    penalty: Money | None = None


@dataclass(frozen=True)
class CorrectClaimKind(Command):
    """Art. 111–112: the kind of a claim corrected on the document that shows it; the queue follows."""
    proceeding_id: int
    collector_id: int
    kind: str | None = None
    basis: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class SuspendProceeding(Command):
    """Art. 42 (and 44 item 8 at the collector's request; 74.3 on a bankruptcy application)."""
    proceeding_id: int
    reason: str | None = None
    at_collector_request: bool = False
    bankruptcy: bool = False
    application_on: date | None = None
    mediation_agreement: bool = False


@dataclass(frozen=True)
class ResumeProceeding(Command):
    """Art. 42: the bailiff resumes the proceeding."""
    proceeding_id: int


@dataclass(frozen=True)
class ReleaseProceeding(Command):
    """SPEC §2.7, Art. 47: the debt, fee and expenses are paid in full before the sale."""
    proceeding_id: int
    reason: str | None = None


@dataclass(frozen=True)
class TransferProceeding(Command):
    """The operator passes a proceeding to another bailiff (Order No 211; Art. 25.4, 123.6)."""
    proceeding_id: int
    bailiff: int | str | None = None
    private_bailiff: bool | None = None
    basis: str | None = None


# ---- lots (Art. 60, 62, 63.2, 66, 74.2) ------------------------------------------------------------
@dataclass(frozen=True)
class Item(Command):
    """One line of the inventory (Art. 66.3)."""
    name: str
    price: Money
    marks: str = ""
    kind: str = "other"
    quantity: int = 1


@dataclass(frozen=True)
class CoOwner(Command):
    """Art. 60: a co-owner and the day he was notified (the pre-emption end is derived)."""
    name: str
    iin_bin: str
    notified_on: date | None = None


@dataclass(frozen=True)
class Encumbrance(Command):
    """Art. 74.2: a writ or a court's security standing on the property, with its document."""
    document_date: date
    basis: str = ""
    document_no: str = ""
    issuer: str = ""
    this_proceeding: bool = False


REAL_ESTATE_TITLE = ("cadastral_number", "address", "area", "title_reg_no", "title_reg_date")


@dataclass(frozen=True)
class CreateLot(Command):
    """The arrest of a lot with its inventory, or real estate with its title (Art. 62, 63.2, 66.3)."""
    proceeding_id: int
    title: str
    category: str
    description: str = ""
    items: tuple[Item, ...] = parts(Item)
    used_in_production: bool = False
    pledged: bool = False
    cadastral_number: str | None = None
    address: str | None = None
    area: Decimal | str | None = None
    title_reg_no: str | None = None
    title_reg_date: date | None = None
    arrested_on: date | None = None
    ownership_established_on: date | None = None
    perishable: bool = False
    common_share: bool = False
    coowners_notifiable: bool = True
    coowners: tuple[CoOwner, ...] = parts(CoOwner)
    custodian: str = ""
    storage_place: str = ""
    viewing: str = ""
    photos: tuple[str, ...] | None = None
    region: str | None = None
    encumbrances: tuple[Encumbrance, ...] = parts(Encumbrance)

    @property
    def real_estate_title(self) -> dict:
        return {k: getattr(self, k) for k in REAL_ESTATE_TITLE}


@dataclass(frozen=True)
class RecordCoOwnerNotified(Command):
    """Art. 60.2: the day this co-owner was notified."""
    lot_id: int
    coowner_id: int
    notified_on: date


@dataclass(frozen=True)
class RecordCoOwnerDecision(Command):
    """Art. 60.1: a co-owner declined the share or bought it."""
    lot_id: int
    coowner_id: int
    decision: str


@dataclass(frozen=True)
class DeclinePreemption(Command):
    """Art. 60: every co-owner declined the pre-emption at once."""
    lot_id: int


@dataclass(frozen=True)
class RecordEncumbrance(Command):
    """Art. 74.2: an encumbrance found after the arrest."""
    lot_id: int
    document_date: date
    basis: str = ""
    document_no: str = ""
    issuer: str = ""
    this_proceeding: bool = False


@dataclass(frozen=True)
class DescribeViewing(Command):
    """How and when the property can be seen, written by the case's bailiff (public on the lot page)."""
    lot_id: int
    viewing: str = ""


@dataclass(frozen=True)
class WithdrawLot(Command):
    """Art. 66.4: movable property excluded from the inventory on the specialist's conclusion."""
    lot_id: int
    conclusion_no: str = ""
    conclusion_date: date | None = None
    specialist: str = ""
    reason: str | None = None

    @property
    def conclusion(self) -> dict:
        return {k: getattr(self, k) for k in ("conclusion_no", "conclusion_date", "specialist", "reason")}


# ---- realization order and self-sale (Art. 72, 74.2, 77) ------------------------------------------
@dataclass(frozen=True)
class OrderRealization(Command):
    """Art. 77.1 in the Art. 72 queue; out of it only on an Art. 72.4 ground, with the circumstances."""
    lot_id: int
    override_ground: str | None = None
    override_reason: str | None = None
    cms: str | None = None  # the bailiff's EDS signature of the order (auction/acts.py), base64 CMS


@dataclass(frozen=True)
class DeclareNotRealizable(Command):
    """The specialist's conclusion: the lot cannot be realized."""
    lot_id: int
    reason: str | None = None


@dataclass(frozen=True)
class ApplySelfSale(Command):
    """Art. 74.2: the debtor's written application, with the price he expects."""
    lot_id: int
    price: Money | None = None


@dataclass(frozen=True)
class GrantSelfSale(Command):
    """Art. 74.2: the bailiff gives the right; the window runs from today. The permission issued is the
    act; the page's note (`reason`) is not kept."""
    lot_id: int
    reason: str | None = None


@dataclass(frozen=True)
class RefuseSelfSale(Command):
    """Art. 74.2: a reasoned refusal on one of its grounds."""
    lot_id: int
    ground: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RecordSelfSaleContract(Command):
    """Art. 74.2: the debtor's contract of sale; the buyer pays the price to the bailiff's account."""
    lot_id: int
    price: Money
    buyer: str


# ---- auctions (Art. 79, 80, 84, 85) -----------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleAuction(Command):
    """Art. 79: announce the lot's next auction; what is left empty comes from the operator's settings."""
    lot_id: int
    starts_at: datetime
    step: Money | None = None
    floor_percent: Decimal | str | None = None
    interval_seconds: int | None = None
    quiet_seconds: int | None = None
    application_cutoff_minutes: int | None = None


@dataclass(frozen=True)
class CancelAuction(Command):
    """The bailiff stops an announced or live auction (e.g. a court order); deposits are refunded."""
    auction_id: int
    reason: str | None = None


@dataclass(frozen=True)
class ApproveResults(Command):
    """Art. 80.4: the bailiff approves the results; the winner's payment period runs from it."""
    auction_id: int
    cms: str | None = None  # the bailiff's EDS signature of the approval (auction/acts.py), base64 CMS


@dataclass(frozen=True)
class Apply(Command):
    """Art. 80.1–80.2: a bidder's application with his declaration of who he is not."""
    auction_id: int
    iin_bin: str | None = None
    spouse: str | None = None
    close_relatives: list[str] | None = None
    employers: list[str] | None = None
    founded: list[str] | None = None
    people: list[str] | None = None
    keep_in_wallet: bool = False
    from_wallet: bool = False
    cms: str | None = None  # the bidder's EDS signature of the application (auction/acts.py), base64 CMS

    @property
    def declaration(self) -> dict:
        return {k: getattr(self, k) for k in ("spouse", "close_relatives", "employers", "founded", "people")}


@dataclass(frozen=True)
class Join(Command):
    """Art. 84.4: an admitted participant is present in the auction room."""
    auction_id: int


@dataclass(frozen=True)
class PlaceBid(Command):
    """Art. 80.3, the ascending round: exactly the current price plus the step. `client_id` is the
    client's own id of the bid: a retry with it gets the first answer."""
    auction_id: int
    amount: Money
    client_id: str
    kind: str = "bid"  # "auto": raised by the platform for a participant's ceiling


@dataclass(frozen=True)
class Accept(Command):
    """Art. 80.3, the descending round: the first acceptance of the current price wins."""
    auction_id: int
    price: Money
    client_id: str


@dataclass(frozen=True)
class SetCeiling(Command):
    """Auto-bid (platform addition, SPEC §3): the participant's ceiling, or None to switch it off."""
    auction_id: int
    ceiling: Money | None = None


@dataclass(frozen=True)
class Disqualify(Command):
    """Art. 80.4, third part: a participant found to fall under Art. 80.2; his deposit is forfeited."""
    auction_id: int
    participant_no: int | None = None
    ground: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class AnswerRetention(Command):
    """Art. 85.1: a collector keeps the unsold lot at its value, or refuses."""
    lot_id: int
    decision: str = "retain"
    cms: str | None = None  # the collector's EDS signature of his application to keep it (acts.py), base64 CMS


@dataclass(frozen=True)
class SignDocument(Command):
    """An issued document signed by one of its signers with his EDS (auction/acts.py, `document=True`): the
    auction protocol by the case's bailiff (Art. 80.4), the sale contract by the buyer and the bailiff (Art. 83)."""
    document_id: int
    cms: str


# ---- money (SPEC §4) --------------------------------------------------------------------------------
@dataclass(frozen=True)
class PaymentNotice(Command):
    """The provider's notice, signed (HMAC-SHA256 of the raw body); its fields as the body gave them,
    checked by the handler, since nothing but the signature vouches for them."""
    secret: str
    body: bytes
    signature: str | None
    reference: object = None
    amount: object = None
    idempotency_key: object = None


@dataclass(frozen=True)
class RequestWalletRefund(Command):
    """SPEC §2.4: a bidder asks for the free balance of his wallet to be paid out."""


@dataclass(frozen=True)
class DevPay(Command):
    """The development payment provider: the payer "pays" in one click (off in production)."""
    payment_id: int


@dataclass(frozen=True)
class ConfirmPayment(Command):
    """The operator confirms a bank-statement line by hand."""
    payment_id: int
    amount: Money | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class AddPhoto(Command):
    """A photo of the lot uploaded by its bailiff: decoded, re-encoded without metadata."""
    lot_id: int
    data: bytes


# ---- the operator's settings and calendar (SPEC §3, §6; Art. 118) ------------------------------------
@dataclass(frozen=True)
class ChangeSettings(Command):
    """The operator changes some platform defaults; all or nothing, journaled with the reason."""
    changes: Mapping[str, str]
    reason: str

    @classmethod
    def of(cls, data: Mapping) -> "ChangeSettings":
        """From the form or the body: `reason` and the settings to change, side by side."""
        data = dict(data)
        if "reason" not in data:
            raise BadRequest("missing: reason", code="missing_field")
        return cls(changes={k: v for k, v in data.items() if k != "reason"}, reason=data["reason"])


@dataclass(frozen=True)
class SetMci(Command):
    """Art. 118.1: the monthly calculation index of a year, as the budget law set it."""
    year: int
    value: Money
    reason: str


@dataclass(frozen=True)
class SetCalendarDay(Command):
    """SPEC §6: the operator makes a day a working day or a day off (the government's transfers)."""
    day: date
    working: bool
    note: str = ""


@dataclass(frozen=True)
class RemoveCalendarDay(Command):
    """SPEC §6: the day follows the `holidays` package again."""
    day: date


# ---- accounts (SPEC §8: the operator manages users) -------------------------------------------------
@dataclass(frozen=True)
class BlockUser(Command):
    """SPEC §8: an operator blocks an account, with the reason the person is told: no login, no API token,
    no page session, no application, no bid until unblocked."""
    user_id: int
    reason: str


@dataclass(frozen=True)
class UnblockUser(Command):
    """SPEC §8: an operator lifts the block; the person logs in and acts again."""
    user_id: int
    reason: str = ""
