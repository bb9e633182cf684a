"""Response schemas: what every answer of the API holds (issue 11 point 6; SPEC §8, §9).

One schema per resource. A resource seen differently by role has views, as CTFd's schemas do
(`views = {"public": [...], "party": ALL}`): the route chooses the view from the caller's place in
the case (web/api/cases.py, trading.py) and returns `Viewed(view, data)`; the view's schema
(`Lot.view("public")`, in the document `LotPublic`) dumps its own fields only. `data` is built by
web/api/views.py, whose public functions never build personal data; a key the chosen view does not
declare, or a required one missing, is a `ResponseShapeWarning` (an error under the tests) and the
undeclared key is not sent: the document and the answers cannot drift apart.

Money is a string with two decimals (SPEC §9), times ISO 8601 UTC, days ISO dates.
"""
from .accounts import (
    BlockedUser,
    CalendarDay,
    CalendarDayRemoved,
    CalendarDays,
    Done,
    EdsChallenge,
    LoggedIn,
    MciList,
    Payment,
    Payments,
    Settings,
    Swept,
    User,
    WalletFree,
    WalletRefund,
)
from .base import ResponseShapeWarning, Viewed, Views, documented, dump
from .cases import (
    Dispute,
    DisputeResolved,
    Distributions,
    Documents,
    Journal,
    Lot,
    LotPage,
    Proceeding,
    SelfSaleContracted,
)
from .trading import (
    ActContent,
    Applied,
    Auction,
    AuctionPage,
    AutoBid,
    BidAnswer,
    Bids,
    DocumentSigned,
    MyApplications,
    Presence,
    Replay,
    State,
)

__all__ = ["ActContent", "Applied", "Auction", "AuctionPage", "AutoBid", "BidAnswer", "Bids", "BlockedUser",
           "CalendarDay", "CalendarDayRemoved",
           "CalendarDays", "Dispute", "DisputeResolved", "Distributions", "DocumentSigned", "Documents", "Done",
           "EdsChallenge",
           "Journal", "LoggedIn",
           "Lot", "LotPage", "MciList", "MyApplications", "Payment", "Payments", "Presence", "Proceeding", "Replay",
           "ResponseShapeWarning", "SelfSaleContracted", "Settings", "State", "Swept", "User", "Viewed", "Views",
           "WalletFree", "WalletRefund", "documented", "dump"]
