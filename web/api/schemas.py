"""Request schemas (marshmallow). Unknown fields are refused; money is a decimal string; every
field is strict (web/api/fields.py): text without control characters, integers not truncated,
booleans true or false, decimals as ASCII digits."""
from __future__ import annotations

from decimal import Decimal

from marshmallow import validate
from marshmallow.fields import List, Nested

from auction.claims import CLAIM_KINDS
from auction.disqualification import GROUNDS
from auction.lots.model import CATEGORIES, OVERRIDE_GROUNDS, Status
from auction.lots.regions import REGIONS
from service.catalogue import SORTS

from .fields import (
    DB_INT_MAX,
    AccountRef,
    AwareDateTime,
    Bool,
    Date,
    Email,
    Int,
    Number,
    QuerySchema,
    Schema,
    Text,
    money_field,
)

__all__ = ["DB_INT_MAX", "money_field", "Schema"]

MAX_PAGE = 10_000  # paging: page 10 000 of 100 is the millionth lot; beyond, a query, not paging


class Register(Schema):
    email = Email(required=True, validate=validate.Length(max=200))
    password = Text(required=True, validate=validate.Length(min=8, max=200))
    full_name = Text(required=True, validate=validate.Length(min=1, max=200))
    iin_bin = Text(required=True, validate=validate.Length(equal=12))


class CreateUser(Register):
    role = Text(required=True, validate=validate.OneOf(
        ["bidder", "debtor", "collector", "appraiser", "bailiff", "operator"]))
    office = Text(load_default=None, validate=validate.Length(max=300), metadata={
        "description": "a bailiff's office address, public on his lots' pages"})
    phone = Text(load_default=None, validate=validate.Regexp(r"^\+?[0-9 ()-]{5,32}$", error="not a telephone number"),
                 metadata={"description": "a bailiff's office telephone, public on his lots' pages"})


class Login(Schema):
    email = Email(required=True)
    password = Text(required=True)


class EdsLogin(Schema):
    nonce = Text(required=True, validate=validate.Length(min=1, max=64), metadata={
        "description": "the nonce of a challenge (POST /auth/eds/challenge)"})
    cms = Text(required=True, validate=validate.Length(min=1, max=90_000), metadata={
        "description": "base64 of a DER CMS SignedData over the nonce's UTF-8 bytes, attached, with the signer's "
                       "certificate (NCALayer's createCMSSignatureFromBase64 with the authentication key)"})
    email = Email(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "which account, when several hold the certificate's IIN/BIN"})


class Party(Schema):
    name = Text(required=True, validate=validate.Length(max=200))
    iin_bin = Text(required=True)
    # Read from the number (a BIN is a legal entity's); if given, it must agree (Art. 72.1 / 72.2).
    is_entity = Bool(load_default=None)
    user = AccountRef(load_default=None)  # account id or e-mail


class CollectorIn(Schema):
    name = Text(required=True, validate=validate.Length(max=200))
    iin_bin = Text(required=True)
    # Checked by the domain (auction/claims.py), which refuses an unknown kind citing Art. 110.
    kind = Text(required=True, validate=validate.Length(max=32), metadata={
        "enum": list(CLAIM_KINDS), "description": "the kind of the claim; its Art. 111–112 queue follows from it"})
    claim = money_field(required=True)
    user = AccountRef(load_default=None)
    fee_category = Text(load_default=None, validate=validate.Length(min=1, max=32), metadata={
        "description": "the writ's category in the Art. 118 rate table; by default read from the kind"})


class ProceedingIn(Schema):
    number = Text(required=True, validate=validate.Length(min=1, max=64))
    private_bailiff = Bool(load_default=False)
    debtor = Nested(Party, required=True)
    collectors = List(Nested(CollectorIn), required=True, validate=validate.Length(min=1))
    judge_iin = Text(load_default=None)
    pledgee_bin = Text(load_default=None)
    fines = money_field(load_default="0.00")
    expenses = money_field(load_default="0.00")


class Item(Schema):
    name = Text(required=True, validate=validate.Length(max=300))
    marks = Text(load_default="")
    price = money_field(required=True)
    kind = Text(load_default="other", validate=validate.Length(max=64))
    quantity = Int(load_default=1, validate=validate.Range(1, DB_INT_MAX))


class EncumbranceIn(Schema):
    """Art. 74.2: an encumbrance and the document behind it; the domain checks the basis."""
    basis = Text(required=True, validate=validate.Length(max=16),
                 metadata={"enum": ["writ", "court_security"]})
    document_no = Text(required=True, validate=validate.Length(max=100))
    document_date = Date(required=True)
    issuer = Text(required=True, validate=validate.Length(max=300))
    this_proceeding = Bool(load_default=False, metadata={"description": "the writ of this proceeding"})


class CoOwnerIn(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=300))
    iin_bin = Text(required=True)
    notified_on = Date(load_default=None)


class CoOwnerNotified(Schema):
    notified_on = Date(required=True)


class CoOwnerDecision(Schema):
    decision = Text(required=True, metadata={"enum": ["declined", "bought"]})


class Exclusion(Schema):
    """Art. 66.4: the specialist's conclusion movable property is excluded on."""
    conclusion_no = Text(load_default="", validate=validate.Length(max=64))
    conclusion_date = Date(load_default=None)
    specialist = Text(load_default="", validate=validate.Length(max=300))
    reason = Text(load_default=None, metadata={"enum": ["unsaleable", "proceeds_below_expenses"]})


class LotIn(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=300))
    description = Text(multiline=True, load_default="")
    # The kind of property; the domain refuses an unknown one citing Art. 72 and derives the queue.
    category = Text(required=True, validate=validate.Length(max=32), metadata={"enum": list(CATEGORIES)})
    used_in_production = Bool(load_default=False, metadata={
        "description": "a legal entity's property used directly in production (Art. 72.2.3)"})
    pledged = Bool(load_default=False, metadata={
        "description": "pledged or given as security for an obligation (an Art. 72.4 ground)"})
    # Movable property: the inventory (Art. 66.3). Real estate: no inventory, its title instead (Art. 63.2).
    items = List(Nested(Item), load_default=list)
    cadastral_number = Text(load_default=None, validate=validate.Length(max=64))
    address = Text(load_default=None, validate=validate.Length(max=300))
    area = Number(load_default=None, max_value=Decimal("999999999.99"), what="the area", metadata={"description": "m²"})
    title_reg_no = Text(load_default=None, validate=validate.Length(max=64), metadata={
        "description": "number of the state registration of the debtor's right"})
    title_reg_date = Date(load_default=None)
    arrested_on = Date(load_default=None)
    ownership_established_on = Date(load_default=None)
    perishable = Bool(load_default=False)
    common_share = Bool(load_default=False)
    coowners_notifiable = Bool(load_default=True)
    # Art. 60: each co-owner and the day he was notified; the pre-emption end is derived, never typed.
    coowners = List(Nested(CoOwnerIn), load_default=list)
    custodian = Text(load_default="", validate=validate.Length(max=200))
    storage_place = Text(load_default="", validate=validate.Length(max=300))
    viewing = Text(multiline=True, load_default="", validate=validate.Length(max=1000), metadata={
        "description": "how and when the property can be seen (public, on the lot page)"})
    # Photos come only through the upload (service/photos.py: decoded, re-encoded without metadata) once
    # the lot exists; an address given here would put any external image on the public page.
    photos = List(Text(), load_default=list, validate=validate.Length(max=0, error=(
        "photos are not given as addresses: upload each photo on the lot's console page once the lot is "
        "recorded (JPEG or PNG, checked and stored by the platform)")),
        metadata={"description": "always empty: photos are uploaded on the lot's console page"})
    region = Text(load_default=None, validate=validate.OneOf(REGIONS))
    encumbrances = List(Nested(EncumbranceIn), load_default=list)


class ViewingIn(Schema):
    """How and when the property can be seen: the bailiff's words, public on the lot page."""
    viewing = Text(multiline=True, load_default="", validate=validate.Length(max=1000))


class OfficeIn(Schema):
    """A bailiff's office contact, shown on the pages of his lots."""
    office = Text(required=True, validate=validate.Length(min=1, max=300))
    phone = Text(required=True, validate=validate.Regexp(r"^\+?[0-9 ()-]{5,32}$", error="not a telephone number"))


class Appointment(Schema):
    appraiser = AccountRef(load_default=None)
    appraiser_iin = Text(load_default=None)
    appraiser_name = Text(load_default=None, validate=validate.Length(max=200))  # printed on the resolution
    basis = Text(load_default="bailiff", validate=validate.OneOf(["bailiff", "party_proposal", "party_commissioned"]))


class Report(Schema):
    value = money_field(required=True)
    report_no = Text(required=True, validate=validate.Length(max=64))
    report_date = Date(required=True)


class Agreement(Schema):
    value = money_field(required=True)


class DisputeIn(Schema):
    forum = Text(load_default="expert_council", validate=validate.OneOf(["expert_council", "court"]))
    grounds = Text(multiline=True, load_default="")


class Resolution(Schema):
    outcome = Text(required=True, validate=validate.OneOf(["upheld", "invalid"]))


class RealizationOrder(Schema):
    """In the Art. 72 queue; a lot of a later queue before an earlier one only on an Art. 72.4
    ground, with the circumstances (printed in the order, journaled)."""
    # Checked by the domain, which refuses any other ground citing Art. 72.4.
    override_ground = Text(load_default=None, validate=validate.Length(max=32),
                           metadata={"enum": list(OVERRIDE_GROUNDS)})
    override_reason = Text(multiline=True, load_default=None, validate=validate.Length(max=2000))
    cms = Text(load_default=None, validate=validate.Length(min=1, max=90_000), metadata={
        "description": "the bailiff's EDS signature of the order: base64 of the DER CMS NCALayer made over the "
                       "bytes of POST /lots/{id}/realization-order/act (signing key, content attached)"})


class ArrearsIn(Schema):
    """Art. 99.1: the bailiff's resolution determining the alimony arrears owed now."""
    arrears = money_field(required=True)
    penalty = money_field(load_default="0.00")
    resolution_no = Text(required=True, validate=validate.Length(min=1, max=64))
    resolution_date = Date(required=True)


class ClaimKindIn(Schema):
    """The claim's kind corrected (Art. 111–112: the queue follows from it) on the writ or document that shows it."""
    kind = Text(load_default=None, metadata={"enum": list(CLAIM_KINDS)})
    basis = Text(load_default=None, validate=validate.Length(max=1000),
                 metadata={"description": "the writ or document that shows the kind, e.g. its number and date"})
    reason = Text(multiline=True, load_default=None, validate=validate.Length(max=2000),
                  metadata={"description": "why the kind recorded was wrong"})


class Reason(Schema):
    reason = Text(multiline=True, load_default=None)


class BlockIn(Schema):
    """SPEC §8: the operator's reason for blocking an account (the person is told it)."""
    reason = Text(required=True, multiline=True, validate=validate.Length(min=1, max=500))


class UnblockIn(Schema):
    reason = Text(multiline=True, load_default=None, validate=validate.Length(max=500))


class SelfSaleIn(Schema):
    price = money_field(load_default=None)


class SelfSaleRefusal(Schema):
    ground = Text(load_default=None, metadata={"enum": ["report_too_old", "price_below_minimum",
                                                      "property_realized", "right_used"]})
    reason = Text(multiline=True, load_default="", validate=validate.Length(max=2000))


class SelfSaleContract(Schema):
    price = money_field(required=True)
    buyer = Text(required=True, validate=validate.Length(min=1, max=200))


class AuctionIn(Schema):
    starts_at = AwareDateTime(required=True)
    step = money_field(load_default=None)
    floor_percent = Number(load_default=None, max_value=Decimal(100), what="the floor percent",
                           validate=validate.Range(1, 100))
    interval_seconds = Int(load_default=None, validate=validate.Range(10, 3600))
    quiet_seconds = Int(load_default=None, validate=validate.Range(10, 7200))
    application_cutoff_minutes = Int(load_default=None, validate=validate.Range(1, 7 * 24 * 60))


class ApplicationIn(Schema):
    iin_bin = Text(load_default=None)
    spouse = Text(load_default=None)
    close_relatives = List(Text(), load_default=list)
    employers = List(Text(), load_default=list)
    founded = List(Text(), load_default=list)
    people = List(Text(), load_default=list)
    keep_in_wallet = Bool(load_default=False)
    # Take the deposit from the wallet or refuse the application (Art. 80.1); without it a wallet that
    # falls short leaves the application waiting for a deposit payment (SPEC §2.4: top it up).
    from_wallet = Bool(load_default=False)
    cms = Text(load_default=None, validate=validate.Length(min=1, max=90_000), metadata={
        "description": "the EDS signature of the application: base64 of the DER CMS NCALayer made over the "
                       "bytes of POST /auctions/{id}/applications/act (signing key, content attached)"})


class BidIn(Schema):
    amount = money_field(required=True)
    client_id = Text(required=True, validate=validate.Length(min=1, max=64))


class AcceptIn(Schema):
    price = money_field(required=True)
    client_id = Text(required=True, validate=validate.Length(min=1, max=64))


class RetentionIn(Schema):
    decision = Text(load_default="retain", validate=validate.OneOf(["retain", "refuse"]))
    cms = Text(load_default=None, validate=validate.Length(min=1, max=90_000), metadata={
        "description": "the collector's EDS signature of his application to keep the lot (decision retain): "
                       "base64 of the DER CMS over the bytes of POST /lots/{id}/retention/act"})


class ApprovalIn(Schema):
    """Art. 80.4: the bailiff's approval of the results, signed with his EDS where the platform asks it."""
    cms = Text(load_default=None, validate=validate.Length(min=1, max=90_000), metadata={
        "description": "the bailiff's EDS signature of the approval: base64 of the DER CMS over the bytes of "
                       "GET /auctions/{id}/results/approval/act (signing key, content attached)"})


class DocumentSignatureIn(Schema):
    """An issued document signed with an EDS (the protocol, the sale contract): the CMS over its act."""
    cms = Text(required=True, validate=validate.Length(min=1, max=90_000), metadata={
        "description": "base64 of the DER CMS NCALayer made over the bytes of GET /documents/{id}/act "
                       "(signing key, content attached)"})


class DisqualificationIn(Schema):
    """Art. 80.4, third part: the participant, the Art. 80.2 ground, and what was found."""

    participant_no = Int(required=True, validate=validate.Range(1, DB_INT_MAX))
    ground = Text(load_default=None, metadata={"enum": list(GROUNDS), "description": "the Art. 80.2 ground"})
    reason = Text(multiline=True, load_default=None, validate=validate.Length(max=4000),
                  metadata={"description": "what was found, and from which source (required)"})


class TransferIn(Schema):
    """A proceeding passes to another bailiff (Order No 211 of 28.02.2026; Art. 25.4, 123.6)."""

    bailiff = AccountRef(required=True, metadata={"description": "the new bailiff's account id or e-mail"})
    private_bailiff = Bool(required=True, metadata={"description": "the new bailiff is a private bailiff"})
    basis = Text(load_default=None, validate=validate.Length(max=1000),
                 metadata={"description": "the decision it rests on, e.g. the order's number and date"})


class Suspension(Schema):
    reason = Text(multiline=True, required=True)
    at_collector_request = Bool(load_default=False)
    bankruptcy = Bool(load_default=False)
    # Art. 44 item 8, at the collector's request only: when the application was received (default today)
    # and whether the parties concluded a mediation agreement (30 calendar days instead of 10).
    application_on = Date(load_default=None)
    mediation_agreement = Bool(load_default=False)


class WebhookIn(Schema):
    """The payment provider's notice (documentation: the route reads the signed body itself, SPEC §4)."""
    reference = Text(required=True, validate=validate.Length(min=1, max=64))
    amount = money_field(required=True)
    idempotency_key = Text(required=True, validate=validate.Length(min=1, max=128))


class Confirm(Schema):
    amount = money_field(load_default=None)
    idempotency_key = Text(load_default=None, validate=validate.Length(min=1, max=128))


class SettingsIn(Schema):
    """Platform defaults an operator changes (service/settings.py); each value as text, e.g. "20",
    "7.5", "10:30". Omitted ones keep their value. `reason` is journaled with the change."""
    reason = Text(required=True, validate=validate.Length(min=1, max=200))
    step_percent = Text(validate=validate.Length(max=20))
    quiet_minutes = Text(validate=validate.Length(max=20))
    interval_minutes = Text(validate=validate.Length(max=20))
    application_cutoff_minutes = Text(validate=validate.Length(max=20))
    opens = Text(validate=validate.Length(max=20))
    latest_start = Text(validate=validate.Length(max=20))
    floor_percent_movable = Text(validate=validate.Length(max=20))
    floor_percent_real_estate = Text(validate=validate.Length(max=20))


class MciIn(Schema):
    value = money_field(required=True)
    reason = Text(required=True, validate=validate.Length(min=1, max=200))


class OverrideIn(Schema):
    working = Bool(required=True)
    note = Text(load_default="", validate=validate.Length(max=200))


LOT_STATUSES = tuple(v for k, v in vars(Status).items() if k.isupper())


class LotsQuery(QuerySchema):
    """The catalogue's filters (every one optional; all given ones must hold)."""
    status = Text(load_default=None, validate=validate.OneOf(LOT_STATUSES))
    category = Text(load_default=None, validate=validate.OneOf(CATEGORIES))
    region = Text(load_default=None, validate=validate.OneOf(REGIONS))
    proceeding_id = Int(load_default=None, validate=validate.Range(1, DB_INT_MAX))
    q = Text(load_default=None, validate=validate.Length(max=200))
    price_min = money_field(load_default=None)
    price_max = money_field(load_default=None)
    auction_from = Date(load_default=None)
    auction_to = Date(load_default=None)
    sort = Text(load_default=None, validate=validate.OneOf(SORTS), metadata={
        "description": "auction: the coming auction first; price / price_desc: by the valuation; newest: the lots "
                       "recorded last first; none: by lot number"})
    page = Int(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = Int(load_default=20, validate=validate.Range(1, 100))


class AuctionsQuery(QuerySchema):
    status = Text(load_default=None, validate=validate.OneOf(
        ["announced", "open", "closed", "sold", "failed", "cancelled"]))
    lot_id = Int(load_default=None, validate=validate.Range(1, DB_INT_MAX))
    page = Int(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = Int(load_default=20, validate=validate.Range(1, 100))


class PaymentsQuery(QuerySchema):
    status = Text(load_default=None, validate=validate.OneOf(["pending", "paid", "cancelled"]))
    reference = Text(load_default=None, validate=validate.Length(max=64))
    page = Int(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = Int(load_default=50, validate=validate.Range(1, 200))


class AutoBidIn(Schema):
    ceiling = money_field(required=True, allow_none=True)
