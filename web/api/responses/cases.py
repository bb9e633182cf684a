"""Proceedings, lots, valuation, journal, documents, distribution (web/api/cases.py)."""
from __future__ import annotations

from marshmallow import fields

from .accounts import Payment
from .base import ALL, Bool, Day, Free, Int, Many, Money, One, Out, Str, Time, Views, ViewSchema


# ---- proceedings -------------------------------------------------------------------------------------
class Debtor(Out):
    name = Str(metadata={"description": "\"(hidden)\" in the public view"})
    iin_bin = Str(metadata={"description": "masked in the public view (first two and last two digits)"})
    is_entity = Bool()


class Determination(Out):
    """Art. 99.1: a resolution that set the claim's amount."""
    old_claim = Money()
    new_claim = Money()
    arrears = Money(null=True)
    penalty = Money(null=True)
    resolution_no = Str(null=True)
    resolution_date = Day(null=True)
    at = Time()


class KindCorrection(Out):
    old_kind = Str(null=True)
    new_kind = Str(null=True)
    basis = Str(null=True)
    reason = Str(null=True)
    at = Time()
    by = Str()


class Collector(Out):
    id = Int()
    name = Str()
    iin_bin = Str()
    kind = Str()
    queue = Int(metadata={"description": "the Art. 111–112 queue, derived from the kind"})
    queue_article = Str()
    fee_category = Str()
    fee_charged = Money()
    claim = Money()
    paid = Money()
    outstanding = Money()
    user_id = Int(null=True)
    determinations = Many(Determination)
    kind_corrections = Many(KindCorrection)


class SuspensionState(Out):
    at_collector_request = Bool()
    application_on = Day(null=True)
    mediation_agreement = Bool()
    ends_on = Day(null=True)


class Transfer(Out):
    """The proceeding passed to another bailiff (Order No 211 of 28.02.2026; Art. 123.6)."""
    at = Time()
    from_bailiff_id = Int()
    from_private = Bool()
    to_bailiff_id = Int()
    to_private = Bool()
    basis = Str(null=True)
    moved = Free(metadata={"description": "the lots, live auctions, deposits and money that moved with it"})


PROCEEDING_PUBLIC = ("id", "number", "status", "private_bailiff", "debtor", "self_sale_used", "suspension_ends_on",
                     "lots")


class Proceeding(ViewSchema):
    """public: anyone (the debtor's name hidden, the IIN/BIN masked); party: the case's debtor and
    collectors, its bailiff and operators."""
    id = Int()
    number = Str()
    status = Str()
    private_bailiff = Bool()
    debtor = One(Debtor)
    self_sale_used = Bool()
    suspension_ends_on = Day(null=True, metadata={"description": "Art. 44 item 8: resumed the day after at the latest"})
    lots = Many(fields.Integer(), required=False, metadata={"description": "the lots' ids (GET only)"})
    bailiff_id = Int()
    judge_iin = Str(null=True)
    pledgee_bin = Str(null=True)
    fines = Money()
    expenses = Money()
    suspension_reason = Str(null=True)
    suspension = One(SuspensionState)
    collectors = Many(Collector)
    transfers = Many(Transfer, required=False, metadata={"description": "GET and the transfer's answer"})

    views = {"public": PROCEEDING_PUBLIC, "party": ALL}


# ---- lots --------------------------------------------------------------------------------------------
class Valuation(Out):
    value = Money()
    method = Str()
    report_no = Str(null=True)
    report_date = Day(null=True)


class PastValuation(Valuation):
    id = Int()
    superseded = Bool()


class InventoryItem(Out):
    name = Str()
    marks = Str()
    price = Money()
    kind = Str()
    quantity = Int()


class RealEstate(Out):
    """Art. 63.2: real estate is described by its title (public: it is in the register)."""
    cadastral_number = Str()
    address = Str(null=True)
    area = Str(null=True, metadata={"description": "m²", "pattern": r"^[0-9]+(\.[0-9]+)?$"})
    title_reg_no = Str(null=True)
    title_reg_date = Day(null=True)


class SelfSaleWindow(Out):
    status = Str()
    ends_on = Day(null=True)


class LotAuction(Out):
    id = Int()
    round = Int()
    status = Str()
    starts_at = Time()


class Deadlines(Out):
    valuation_due_on = Day(null=True)
    self_sale_ends_on = Day(null=True)
    retention_ends_on = Day(null=True)
    repeat_auction_from = Day(null=True)
    preemption_ends_on = Day(null=True)


class AgreementState(Out):
    value = Money(null=True)
    signed_by = Many(fields.String())


class SelfSaleApplication(Out):
    """Art. 74.2: the debtor's application and the bailiff's answer."""
    status = Str()
    applied_on = Day(null=True)
    expected_price = Money(null=True)
    granted_on = Day(null=True)
    refusal_ground = Str(null=True)
    refusal_reason = Str(null=True)


class Encumbrance(Out):
    id = Int()
    basis = Str()
    document_no = Str()
    document_date = Day()
    issuer = Str()
    this_proceeding = Bool()
    recorded_on = Day()
    lifted_on = Day(null=True)
    stays = Bool()


class CoOwner(Out):
    id = Int()
    name = Str()
    iin_bin = Str()
    notified_on = Day(null=True)
    period_ends_on = Day(null=True)
    decision = Str(null=True)
    decided_on = Day(null=True)


LOT_PUBLIC = ("id", "proceeding_id", "title", "description", "category", "priority", "priority_article",
              "used_in_production", "status", "perishable", "photos", "region", "valuation", "items", "real_estate",
              "self_sale", "auction_count", "sale_price", "auctions", "deadlines", "storage_place", "viewing")


class Lot(ViewSchema):
    """public: anyone; party: the case's debtor and collectors, its appointed appraiser, its bailiff
    and operators."""
    id = Int()
    proceeding_id = Int()
    title = Str()
    description = Str()
    category = Str()
    priority = Int(metadata={"description": "the Art. 72 queue"})
    priority_article = Str()
    used_in_production = Bool()
    status = Str()
    perishable = Bool()
    photos = Many(fields.String())
    region = Str(null=True)
    valuation = One(Valuation, null=True)
    items = Many(InventoryItem)
    real_estate = One(RealEstate, null=True)
    self_sale = One(SelfSaleWindow, null=True)
    auction_count = Int()
    sale_price = Money(null=True)
    auctions = Many(LotAuction)
    deadlines = One(Deadlines)
    valuation_overdue = Bool(null=True)
    appraiser_id = Int(null=True)
    valuation_appointed_on = Day(null=True)
    parties_notified_by = Day(null=True)
    dispute_open = Bool()
    agreement = One(AgreementState)
    valuations = Many(PastValuation)
    realization_ordered_on = Day(null=True)
    priority_override_ground = Str(null=True)
    priority_override_reason = Str(null=True)
    pledged = Bool()
    custodian = Str()
    storage_place = Str(metadata={"description": "where the property is kept (Art. 69); public"})
    viewing = Str(metadata={"description": "how and when the property can be seen; public"})
    self_sale_price = Money(null=True)
    self_sale_buyer = Str(null=True)
    retained_by_collector_id = Int(null=True)
    common_share = Bool()
    preemption_declined = Bool()
    self_sale_application = One(SelfSaleApplication, null=True)
    encumbrances = Many(Encumbrance)
    coowners_notifiable = Bool()
    coowners = Many(CoOwner)

    views = {"public": LOT_PUBLIC, "party": ALL}


class LotPage(Out):
    items = Many(Views(Lot))
    total = Int()
    page = Int()
    per_page = Int()


class SelfSaleContracted(Out):
    payment = One(Payment)
    lot = Views(Lot, required=True)


class Dispute(Out):
    id = Int()
    lot_id = Int()
    status = Str()
    forum = Str()


class DisputeResolved(Out):
    id = Int()
    lot_id = Int()
    status = Str()


# ---- journal, documents, distribution ------------------------------------------------------------------
class JournalEntry(Out):
    """The actor only for the case's people; the public sees the payload's public keys only. `seq`: the entry's
    number in its `chain` (`lot:<id>`: a lot's entries are one chain, numbered from 1)."""
    chain = Str()
    seq = Int()
    at = Time()
    kind = Str()
    actor = Str(null=True)
    article = Str(null=True)
    lot_id = Int(null=True)
    auction_id = Int(null=True)
    payload = Free()
    hash = Str()
    prev_hash = Str(null=True)


class Journal(Out):
    items = Many(JournalEntry)


class DocumentSignature(Out):
    """An EDS signature the document prints, or given to it after its issue (issue 14 point 2)."""
    act = Str()
    signer = Str(metadata={"description": "the signer as his certificate names him"})
    iin_bin = Str(null=True, metadata={"description": "masked for the public"})
    signed_at = Time()
    cert_serial = Str()


class Document(Out):
    id = Int()
    kind = Str()
    number = Str()
    sha256 = Str()
    issued_at = Time()
    auction_id = Int(null=True)
    url = Str(metadata={"description": "the PDF"})
    copies_due_on = Day(required=False, metadata={"description": "Art. 68.2: the appraiser's appointment"})
    signatures = Many(DocumentSignature)


class Documents(Out):
    items = Many(Document)


class Line(Out):
    kind = Str(metadata={"enum": ["fine", "bailiff_fee", "expenses", "collector", "debtor"]})
    amount = Money()
    due = Money(null=True)
    claim_id = Int(null=True)
    collector_id = Int(null=True)
    queue = Int(null=True)
    article = Str()
    rate = Str(required=False, metadata={"description": "a fee line: the Art. 118 rate applied to its writ"})


class Statement(Out):
    """SPEC §4.4: one sale's distribution (Art. 108, 110–112)."""
    recovered = Money()
    total = Money()
    lines = Many(Line)
    fee_rate = Str(null=True)
    mci = Money(null=True)
    mci_year = Int(null=True)
    at = Time()


class Distributions(Out):
    lot_id = Int()
    statements = Many(Statement)
