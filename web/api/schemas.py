"""Request schemas (marshmallow). Unknown fields are refused; money is a decimal string."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from auction.claims import CLAIM_KINDS
from auction.disqualification import GROUNDS
from auction.lots.model import CATEGORIES, OVERRIDE_GROUNDS, Status
from auction.lots.regions import REGIONS

DB_INT_MAX = 2**31 - 1  # the largest id or count an INTEGER column holds (PostgreSQL)

class StrictMoney(fields.Decimal):
    """Money as a string "1250000.00" (a JSON number is refused: floats cannot hold tiyn)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError('money is a string with at most two decimals, e.g. "1250000.00"')
        return super()._deserialize(value, attr, data, **kwargs)


def money_field(**kw):
    return StrictMoney(as_string=True, allow_nan=False, validate=validate.Range(min=0), **kw)


class Register(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=200))
    password = fields.String(required=True, validate=validate.Length(min=8, max=200))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    iin_bin = fields.String(required=True, validate=validate.Length(equal=12))


class CreateUser(Register):
    role = fields.String(required=True, validate=validate.OneOf(
        ["bidder", "debtor", "collector", "appraiser", "bailiff", "operator"]))


class Login(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True)


class Party(Schema):
    name = fields.String(required=True, validate=validate.Length(max=200))
    iin_bin = fields.String(required=True)
    # Read from the number (a BIN is a legal entity's); if given, it must agree (Art. 72.1 / 72.2).
    is_entity = fields.Boolean(load_default=None)
    user = fields.Raw(load_default=None)  # account id or e-mail


class CollectorIn(Schema):
    name = fields.String(required=True, validate=validate.Length(max=200))
    iin_bin = fields.String(required=True)
    # Checked by the domain (auction/claims.py), which refuses an unknown kind citing Art. 110.
    kind = fields.String(required=True, validate=validate.Length(max=32), metadata={
        "enum": list(CLAIM_KINDS), "description": "the kind of the claim; its Art. 111–112 queue follows from it"})
    claim = money_field(required=True)
    user = fields.Raw(load_default=None)
    fee_category = fields.String(load_default=None, validate=validate.Length(min=1, max=32), metadata={
        "description": "the writ's category in the Art. 118 rate table; by default read from the kind"})


class ProceedingIn(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    private_bailiff = fields.Boolean(load_default=False)
    debtor = fields.Nested(Party, required=True)
    collectors = fields.List(fields.Nested(CollectorIn), required=True, validate=validate.Length(min=1))
    judge_iin = fields.String(load_default=None)
    pledgee_bin = fields.String(load_default=None)
    fines = money_field(load_default="0.00")
    expenses = money_field(load_default="0.00")


class Item(Schema):
    name = fields.String(required=True, validate=validate.Length(max=300))
    marks = fields.String(load_default="")
    price = money_field(required=True)
    kind = fields.String(load_default="other", validate=validate.Length(max=64))
    quantity = fields.Integer(load_default=1, validate=validate.Range(1, DB_INT_MAX))


class EncumbranceIn(Schema):
    """Art. 74.2: an encumbrance and the document behind it; the domain checks the basis."""
    basis = fields.String(required=True, validate=validate.Length(max=16),
                          metadata={"enum": ["writ", "court_security"]})
    document_no = fields.String(required=True, validate=validate.Length(max=100))
    document_date = fields.Date(required=True)
    issuer = fields.String(required=True, validate=validate.Length(max=300))
    this_proceeding = fields.Boolean(load_default=False, metadata={"description": "the writ of this proceeding"})


class CoOwnerIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    iin_bin = fields.String(required=True)
    notified_on = fields.Date(load_default=None)


class CoOwnerNotified(Schema):
    notified_on = fields.Date(required=True)


class CoOwnerDecision(Schema):
    decision = fields.String(required=True, metadata={"enum": ["declined", "bought"]})


class Exclusion(Schema):
    """Art. 66.4: the specialist's conclusion movable property is excluded on."""
    conclusion_no = fields.String(load_default="", validate=validate.Length(max=64))
    conclusion_date = fields.Date(load_default=None)
    specialist = fields.String(load_default="", validate=validate.Length(max=300))
    reason = fields.String(load_default="", metadata={"enum": ["unsaleable", "proceeds_below_expenses"]})


class LotIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="")
    # The kind of property; the domain refuses an unknown one citing Art. 72 and derives the queue.
    category = fields.String(required=True, validate=validate.Length(max=32), metadata={"enum": list(CATEGORIES)})
    used_in_production = fields.Boolean(load_default=False, metadata={
        "description": "a legal entity's property used directly in production (Art. 72.2.3)"})
    pledged = fields.Boolean(load_default=False, metadata={
        "description": "pledged or given as security for an obligation (an Art. 72.4 ground)"})
    # Movable property: the inventory (Art. 66.3). Real estate: no inventory, its title instead (Art. 63.2).
    items = fields.List(fields.Nested(Item), load_default=list)
    cadastral_number = fields.String(load_default=None, validate=validate.Length(max=64))
    address = fields.String(load_default=None, validate=validate.Length(max=300))
    area = fields.Decimal(load_default=None, as_string=True, places=2, metadata={"description": "m²"})
    title_reg_no = fields.String(load_default=None, validate=validate.Length(max=64), metadata={
        "description": "number of the state registration of the debtor's right"})
    title_reg_date = fields.Date(load_default=None)
    arrested_on = fields.Date(load_default=None)
    ownership_established_on = fields.Date(load_default=None)
    perishable = fields.Boolean(load_default=False)
    common_share = fields.Boolean(load_default=False)
    coowners_notifiable = fields.Boolean(load_default=True)
    # Art. 60: each co-owner and the day he was notified; the pre-emption end is derived, never typed.
    coowners = fields.List(fields.Nested(CoOwnerIn), load_default=list)
    custodian = fields.String(load_default="", validate=validate.Length(max=200))
    storage_place = fields.String(load_default="", validate=validate.Length(max=300))
    photos = fields.List(fields.String(), load_default=list)
    region = fields.String(load_default=None, validate=validate.OneOf(REGIONS))
    encumbrances = fields.List(fields.Nested(EncumbranceIn), load_default=list)


class Appointment(Schema):
    appraiser = fields.Raw(load_default=None)
    appraiser_iin = fields.String(load_default=None)
    appraiser_name = fields.String(load_default=None, validate=validate.Length(max=200))  # printed on the resolution
    basis = fields.String(load_default="bailiff", validate=validate.OneOf(["bailiff", "party_proposal", "party_commissioned"]))


class Report(Schema):
    value = money_field(required=True)
    report_no = fields.String(required=True, validate=validate.Length(max=64))
    report_date = fields.Date(required=True)


class Agreement(Schema):
    value = money_field(required=True)


class DisputeIn(Schema):
    forum = fields.String(load_default="expert_council", validate=validate.OneOf(["expert_council", "court"]))
    grounds = fields.String(load_default="")


class Resolution(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(["upheld", "invalid"]))


class RealizationOrder(Schema):
    """In the Art. 72 queue; a lot of a later queue before an earlier one only on an Art. 72.4
    ground, with the circumstances (printed in the order, journaled)."""
    # Checked by the domain, which refuses any other ground citing Art. 72.4.
    override_ground = fields.String(load_default=None, validate=validate.Length(max=32),
                                    metadata={"enum": list(OVERRIDE_GROUNDS)})
    override_reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class ArrearsIn(Schema):
    """Art. 99.1: the bailiff's resolution determining the alimony arrears owed now."""
    arrears = money_field(required=True)
    penalty = money_field(load_default="0.00")
    resolution_no = fields.String(required=True, validate=validate.Length(min=1, max=64))
    resolution_date = fields.Date(required=True)


class ClaimKindIn(Schema):
    """The claim's kind corrected (Art. 111–112: the queue follows from it) on the writ or document that shows it."""
    kind = fields.String(load_default=None, metadata={"enum": list(CLAIM_KINDS)})
    basis = fields.String(load_default=None, validate=validate.Length(max=1000),
                          metadata={"description": "the writ or document that shows the kind, e.g. its number and date"})
    reason = fields.String(load_default=None, validate=validate.Length(max=2000),
                           metadata={"description": "why the kind recorded was wrong"})


class Reason(Schema):
    reason = fields.String(load_default=None)


class SelfSaleIn(Schema):
    price = money_field(load_default=None)


class SelfSaleRefusal(Schema):
    ground = fields.String(load_default="", metadata={"enum": ["report_too_old", "price_below_minimum",
                                                             "property_realized", "right_used"]})
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class SelfSaleContract(Schema):
    price = money_field(required=True)
    buyer = fields.String(required=True, validate=validate.Length(min=1, max=200))


class AuctionIn(Schema):
    starts_at = fields.AwareDateTime(required=True)
    step = money_field(load_default=None)
    floor_percent = fields.Decimal(load_default=None, validate=validate.Range(1, 100))
    interval_seconds = fields.Integer(load_default=None, validate=validate.Range(10, 3600))
    quiet_seconds = fields.Integer(load_default=None, validate=validate.Range(10, 7200))
    application_cutoff_minutes = fields.Integer(load_default=None, validate=validate.Range(1, 7 * 24 * 60))


class ApplicationIn(Schema):
    iin_bin = fields.String(load_default=None)
    spouse = fields.String(load_default=None)
    close_relatives = fields.List(fields.String(), load_default=list)
    employers = fields.List(fields.String(), load_default=list)
    founded = fields.List(fields.String(), load_default=list)
    people = fields.List(fields.String(), load_default=list)
    keep_in_wallet = fields.Boolean(load_default=False)
    # Take the deposit from the wallet or refuse the application (Art. 80.1); without it a wallet that
    # falls short leaves the application waiting for a deposit payment (SPEC §2.4: top it up).
    from_wallet = fields.Boolean(load_default=False)


class BidIn(Schema):
    amount = money_field(required=True)
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class AcceptIn(Schema):
    price = money_field(required=True)
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))


class RetentionIn(Schema):
    decision = fields.String(load_default="retain", validate=validate.OneOf(["retain", "refuse"]))


class DisqualificationIn(Schema):
    """Art. 80.4, third part: the participant, the Art. 80.2 ground, and what was found."""

    participant_no = fields.Integer(required=True, validate=validate.Range(1, DB_INT_MAX))
    ground = fields.String(load_default=None, metadata={"enum": list(GROUNDS), "description": "the Art. 80.2 ground"})
    reason = fields.String(load_default=None, validate=validate.Length(max=4000),
                           metadata={"description": "what was found, and from which source (required)"})


class TransferIn(Schema):
    """A proceeding passes to another bailiff (Order No 211 of 28.02.2026; Art. 25.4, 123.6)."""

    bailiff = fields.Raw(required=True, metadata={"description": "the new bailiff's account id or e-mail"})
    private_bailiff = fields.Boolean(required=True, metadata={"description": "the new bailiff is a private bailiff"})
    basis = fields.String(load_default=None, validate=validate.Length(max=1000),
                          metadata={"description": "the decision it rests on, e.g. the order's number and date"})


class Suspension(Schema):
    reason = fields.String(required=True)
    at_collector_request = fields.Boolean(load_default=False)
    bankruptcy = fields.Boolean(load_default=False)
    # Art. 44 item 8, at the collector's request only: when the application was received (default today)
    # and whether the parties concluded a mediation agreement (30 calendar days instead of 10).
    application_on = fields.Date(load_default=None)
    mediation_agreement = fields.Boolean(load_default=False)


class Confirm(Schema):
    amount = money_field(load_default=None)
    idempotency_key = fields.String(load_default=None, validate=validate.Length(min=1, max=128))


class SettingsIn(Schema):
    """Platform defaults an operator changes (service/settings.py); each value as text, e.g. "20",
    "7.5", "10:30". Omitted ones keep their value. `reason` is journaled with the change."""
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    step_percent = fields.String(validate=validate.Length(max=20))
    quiet_minutes = fields.String(validate=validate.Length(max=20))
    interval_minutes = fields.String(validate=validate.Length(max=20))
    application_cutoff_minutes = fields.String(validate=validate.Length(max=20))
    opens = fields.String(validate=validate.Length(max=20))
    latest_start = fields.String(validate=validate.Length(max=20))
    floor_percent_movable = fields.String(validate=validate.Length(max=20))
    floor_percent_real_estate = fields.String(validate=validate.Length(max=20))


class MciIn(Schema):
    value = money_field(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class OverrideIn(Schema):
    working = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))


LOT_STATUSES = tuple(v for k, v in vars(Status).items() if k.isupper())


class LotsQuery(Schema):
    """The catalogue's filters (every one optional; all given ones must hold)."""
    status = fields.String(load_default=None, validate=validate.OneOf(LOT_STATUSES))
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORIES))
    region = fields.String(load_default=None, validate=validate.OneOf(REGIONS))
    proceeding_id = fields.Integer(load_default=None, validate=validate.Range(1, DB_INT_MAX))
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    price_min = money_field(load_default=None)
    price_max = money_field(load_default=None)
    auction_from = fields.Date(load_default=None)
    auction_to = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class AuctionsQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        ["announced", "open", "closed", "sold", "failed", "cancelled"]))
    lot_id = fields.Integer(load_default=None, validate=validate.Range(1, DB_INT_MAX))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class PaymentsQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(["pending", "paid", "cancelled"]))
    reference = fields.String(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class AutoBidIn(Schema):
    ceiling = money_field(required=True, allow_none=True)
