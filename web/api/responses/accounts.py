"""Accounts, operator tools and payments."""
from __future__ import annotations

from marshmallow import fields

from .base import Bool, Day, Int, Many, Money, One, Out, Str, Time


# ---- accounts ------------------------------------------------------------------------------------------
class User(Out):
    """An account, as its holder (and an operator) sees it."""
    id = Int()
    email = Str()
    role = Str(metadata={"enum": ["bidder", "debtor", "collector", "appraiser", "bailiff", "operator"]})
    full_name = Str()
    iin_bin = Str()
    office = Str(null=True, metadata={"description": "a bailiff's office address (public on his lots' pages)"})
    phone = Str(null=True, metadata={"description": "a bailiff's office telephone (public on his lots' pages)"})


class BlockedUser(Out):
    """An account and its block (SPEC §8): while `blocked`, it cannot log in, its token and sessions are
    refused with the code `blocked`, and it cannot apply or bid."""
    user = One(User)
    blocked = Bool()
    blocked_at = Time(null=True)
    blocked_reason = Str(null=True)


class LoggedIn(Out):
    user = One(User)
    token = Str(metadata={"description": "the API token: send it as `Authorization: Bearer <token>`"})


class EdsChallenge(Out):
    """A one-time nonce to sign with the EDS (NCALayer), then to send to POST /auth/eds/login before it expires."""
    nonce = Str()
    expires_at = Time()


class Done(Out):
    ok = Bool()


class WalletFree(Out):
    free = Money()


class WalletRefund(Out):
    amount = Money()
    due_on = Day()


class CalendarDay(Out):
    day = Day()
    working = Bool()
    note = Str()


class CalendarDays(Out):
    items = Many(CalendarDay)


class CalendarDayRemoved(Out):
    day = Day()
    removed = Bool()


class Settings(Out):
    """The platform defaults, each as text ("20", "7.5", "10:30")."""
    step_percent = Str()
    quiet_minutes = Str()
    interval_minutes = Str()
    application_cutoff_minutes = Str()
    opens = Str()
    latest_start = Str()
    floor_percent_movable = Str()
    floor_percent_real_estate = Str()


class Mci(Out):
    year = Int()
    value = Money()
    reason = Str()
    changed_at = Time()


class MciList(Out):
    items = Many(Mci)


class Swept(Out):
    done = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                       metadata={"description": "what the sweeper did, by kind of work"})


# ---- payments ----------------------------------------------------------------------------------------
class Payment(Out):
    id = Int()
    kind = Str()
    amount = Money()
    status = Str(metadata={"enum": ["pending", "paid", "cancelled"]})
    reference = Str()
    lot_id = Int(null=True)
    auction_id = Int(null=True)
    due_on = Day(null=True)
    paid_at = Time(null=True)


class Payments(Out):
    items = Many(Payment)
