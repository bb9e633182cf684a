"""Auctions, the live state, applications, bids (web/api/trading.py)."""
from __future__ import annotations

from marshmallow import fields

from .accounts import Payment
from .base import ALL, Bool, Day, Free, Int, Many, Money, One, Out, Str, Time, Views, ViewSchema

AUCTION_STATUSES = ["announced", "open", "closed", "sold", "failed", "cancelled"]


class Disqualification(Out):
    """Art. 80.4, third part."""
    at = Time()
    ground = Str(null=True)
    reason = Str(null=True)


class Participant(Out):
    participant_no = Int(null=True)
    user_id = Int()
    iin_bin = Str()
    status = Str()
    deposit_state = Str()
    disqualification = One(Disqualification, null=True)


class AuctionLot(Out):
    id = Int()
    title = Str()
    category = Str()


AUCTION_PUBLIC = ("id", "lot_id", "round", "status", "kind", "announced_at", "starts_at", "applications_close_at",
                  "start_price", "step", "deposit", "floor", "interval_seconds", "quiet_seconds", "ends_at",
                  "final_price", "winner_no", "failure_reason", "payment_due_on", "participants", "lot")


class Auction(ViewSchema):
    """public: anyone (participants by number only); staff: the case's bailiff and operators, who
    also see the applications."""
    id = Int()
    lot_id = Int()
    round = Int()
    status = Str(metadata={"enum": AUCTION_STATUSES})
    kind = Str(metadata={"enum": ["ascending", "descending"]})
    announced_at = Time()
    starts_at = Time()
    applications_close_at = Time(null=True)
    start_price = Money()
    step = Money()
    deposit = Money()
    floor = Money(null=True)
    interval_seconds = Int(null=True)
    quiet_seconds = Int(null=True)
    ends_at = Time(null=True)
    final_price = Money(null=True)
    winner_no = Int(null=True)
    failure_reason = Str(null=True)
    payment_due_on = Day(null=True)
    participants = Int(metadata={"description": "how many are admitted"})
    lot = One(AuctionLot)
    applications = Many(Participant)

    views = {"public": AUCTION_PUBLIC, "staff": ALL}


class AuctionPage(Out):
    items = Many(Views(Auction))
    total = Int()
    page = Int()
    per_page = Int()


class State(Out):
    """The live snapshot (SPEC §9 `state`), the same over HTTP and the socket."""
    auction_id = Int()
    status = Str(metadata={"enum": AUCTION_STATUSES})
    round = Int()
    price = Money(null=True)
    next_price = Money(null=True)
    step = Money()
    floor = Money(null=True)
    ends_at = Time(null=True)
    server_time = Time()
    seq = Int()
    online = Int()
    leader_no = Int(null=True)
    my_no = Int(null=True, metadata={"description": "the caller's participant number, if admitted"})
    starts_at = Time()


class Application(Out):
    id = Int()
    auction_id = Int()
    participant_no = Int(null=True)
    status = Str()
    deposit = Money()
    deposit_state = Str()
    keep_in_wallet = Bool()
    created_at = Time()
    auction_status = Str(null=True)


class Applied(Application):
    payment = One(Payment, null=True, metadata={"description": "the deposit to pay, unless the wallet paid it"})


class MyApplications(Out):
    items = Many(Application)


class Presence(Out):
    participant_no = Int()
    online = Bool()
    online_for_seconds = Int()


class Bid(Out):
    seq = Int()
    amount = Money()
    participant_no = Int()
    kind = Str()
    client_id = Str(null=True, metadata={"description": "the bidder's own key (null in the public ladder)"})
    at = Time()


class Bids(Out):
    items = Many(Bid)


class BidAnswer(Out):
    bid = One(Bid)
    state = One(State)


class AutoBid(Out):
    participant_no = Int()
    ceiling = Money(null=True, metadata={"description": "null: auto-bid off"})


class Replay(Out):
    """SPEC §7: the result recomputed from the journal, compared with the record."""
    status = Str(null=True)
    round = Int(null=True)
    price = Money(null=True)
    winner_no = Int(null=True)
    failure_reason = Str(null=True)
    bids = Int()
    consistent = Bool()
    problems = Many(fields.String())
    recorded = Free()


class ActContent(Out):
    """An act to sign with the EDS (auction/acts.py): `content` is the base64 of the exact bytes to sign (its
    canonical JSON, `text` the same as text), for NCALayer's createCMSSignatureFromBase64 with the signing key
    and the content attached; send the CMS back as `cms` with the step."""
    act = Str()
    article = Str()
    content = Str()
    text = Str()
    sha256 = Str()


class SignatureMade(Out):
    act = Str()
    signer = Str(metadata={"description": "the signer as his certificate names him"})
    iin_bin = Str()
    signed_at = Time()
    serial = Str(metadata={"description": "the certificate's serial number"})


class SignedCopy(Out):
    id = Int()
    url = Str(metadata={"description": "the PDF"})


class DocumentSigned(Out):
    """A document signed with an EDS: the signature, and the signed copy the platform issued (the same kind
    and number, every signature printed)."""
    signature = One(SignatureMade)
    document = One(SignedCopy)
