"""An e-auction of one lot: announcement, applications and deposits, opening, close (Art. 79–85).

The first auction raises the price by a fixed step; the second lowers it (Art. 80.3).
Bid ordering itself is decided in the database by the service layer (one conditional
update of the auction row); this class holds the rules and the results.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from . import calendar as cal
from .bidding import ascending, descending
from .errors import Conflict, InvalidTransition, RuleViolation
from .events import (
    ApplicationAdmitted,
    AuctionCancelled,
    AuctionClosed,
    AuctionEvent,
    AuctionFailed,
    AuctionOpened,
    AuctionSold,
    ParticipantDisqualified,
    ResultsApproved,
)
from .failures import FailureReason
from .money import fmt, percent

DEPOSIT_PERCENT = Decimal(5)  # Art. 80.1: guarantee deposit of 5% of the starting price
DEFAULT_APPLICATION_CUTOFF = timedelta(hours=2)  # platform default, as on state trading portals
DEFAULT_QUIET_PERIOD = timedelta(minutes=10)  # SPEC §3 soft close
DEFAULT_INTERVAL = timedelta(minutes=2)  # SPEC §3 descending interval
ARTICLE_804 = "80.4"  # the deposit of a participant without the right to take part is not returned
PRESENCE_WINDOW = timedelta(minutes=5)  # online if seen within this before the opening (Art. 84.4)


class AuctionStatus:
    ANNOUNCED = "announced"
    OPEN = "open"
    CLOSED = "closed"  # awaiting approval or payment
    SOLD = "sold"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Application:
    """A bidder's application (Art. 80.1). Admitted once the deposit is confirmed and eligible."""

    def __init__(self, *, user_id: int, iin_bin: str, is_entity: bool, declaration: dict,
                 deposit: Decimal, participant_no: int, created_at: datetime, keep_in_wallet: bool = False):
        self.user_id, self.iin_bin, self.is_entity, self.declaration = user_id, iin_bin, is_entity, declaration
        self.deposit, self.participant_no, self.created_at = deposit, participant_no, created_at
        self.keep_in_wallet = keep_in_wallet
        self.status = "pending_deposit"  # -> admitted | disqualified | withdrawn
        self.deposit_state = "due"  # due | held | applied | freed | forfeited
        self.deposit_paid_at: datetime | None = None
        self.last_seen_at: datetime | None = None
        self.auto_bid_ceiling: Decimal | None = None
        self.disqualified_at: datetime | None = None
        self.disqualification_ground: str | None = None  # auction.disqualification.GROUNDS
        self.disqualification_reason: str | None = None


class Auction:
    def __init__(self, *, lot_id: int, round_no: int, announced_at: datetime, starts_at: datetime,
                 start_price: Decimal, step: Decimal, floor: Decimal | None, interval: timedelta,
                 quiet_period: timedelta, application_cutoff: timedelta, calendar: cal.WorkingCalendar,
                 private_bailiff: bool):
        if step <= 0:
            raise RuleViolation("the step must be positive", article="80.3", code="bad_step")
        announced_on, auction_on = cal.local_date(announced_at), cal.local_date(starts_at)
        if announced_on > cal.WorkingCalendar.latest_announcement_date(auction_on):
            raise RuleViolation(
                f"the auction of {auction_on} must be announced at least 10 calendar days before "
                f"(by {cal.WorkingCalendar.latest_announcement_date(auction_on)})", article="79",
                code="announcement_too_late",
                facts={"announce_by": cal.WorkingCalendar.latest_announcement_date(auction_on)})
        self.lot_id, self.round = lot_id, round_no
        self.status = AuctionStatus.ANNOUNCED
        self.announced_at, self.starts_at = announced_at, starts_at
        self.applications_close_at = starts_at - application_cutoff
        self.start_price, self.step = start_price, step
        self.deposit = percent(start_price, DEPOSIT_PERCENT)
        self.floor = floor
        self.interval_s = int(interval.total_seconds())
        self.quiet_s = int(quiet_period.total_seconds())
        self.private_bailiff = private_bailiff
        self.current_price = start_price
        self.ends_at: datetime | None = None
        self.leader_no: int | None = None
        self.leader_user_id: int | None = None
        self.seq = 0
        self.bids_count = 0
        self.opened_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.final_price: Decimal | None = None
        self.winner_no: int | None = None
        self.winner_user_id: int | None = None
        self.failure_reason: str | None = None
        self.approved_at: datetime | None = None
        self.payment_due_on: date | None = None
        self.refunds_due_on: date | None = None
        self.lease_until: datetime | None = None
        self.applications: list[Application] = []
        self.events: list[AuctionEvent] = []

    # ---- helpers -------------------------------------------------------------------------
    def _record(self, event: AuctionEvent) -> None:
        """Record `event` numbered in this auction's sequence (the clients' resync order, SPEC §3)."""
        if getattr(self, "events", None) is None:
            self.events = []
        self.seq += 1
        self.events.append(event.numbered(self.seq))

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=self.interval_s)

    @property
    def quiet_period(self) -> timedelta:
        return timedelta(seconds=self.quiet_s)

    @property
    def admitted(self) -> list[Application]:
        return [a for a in self.applications if a.status == "admitted"]

    def application_of(self, user_id: int) -> Application | None:
        return next((a for a in self.applications if a.user_id == user_id and a.status != "withdrawn"), None)

    def price_at(self, now: datetime) -> Decimal:
        if self.round == 1 or self.status != AuctionStatus.OPEN:
            return self.current_price
        return descending.price_at(now, starts_at=self.opened_at or self.starts_at, start=self.start_price,
                                   step=self.step, interval=self.interval, floor=self.floor)

    def next_price(self, now: datetime) -> Decimal:
        if self.round == 1:
            return ascending.next_price(self.current_price, self.step)
        return self.price_at(now)

    # ---- applications (Art. 80.1, 80.2) ----------------------------------------------------
    def check_accepting_applications(self, now: datetime) -> None:
        if self.status != AuctionStatus.ANNOUNCED:
            raise InvalidTransition(f"the auction is {self.status}; applications are closed", article="80.1",
                                    code="applications_closed", facts={"auction_status": self.status})
        if now >= self.applications_close_at:
            raise RuleViolation(f"applications closed at {self.applications_close_at.isoformat()}", article="80.1",
                                code="applications_closed", facts={"closed_at": self.applications_close_at})

    def admit(self, app: Application, now: datetime) -> None:
        app.status, app.deposit_state, app.deposit_paid_at = "admitted", "held", now
        self._record(ApplicationAdmitted(participant_no=app.participant_no, deposit=fmt(app.deposit)))

    # ---- opening and closing (Art. 84) -------------------------------------------------------
    def open(self, now: datetime, online_nos: set[int] | None = None) -> None:
        """Open at starts_at; fail at once for Art. 84.1 (fewer than two admitted) or 84.4 (fewer than two online).

        `online_nos`: the participant numbers with a live connection in the auction room at this
        moment (SPEC §3). Without it (no live layer), a participant seen in the room within
        PRESENCE_WINDOW before the opening counts."""
        if self.status != AuctionStatus.ANNOUNCED:
            raise InvalidTransition(f"the auction is {self.status}; only an announced auction opens",
                                    article=self._state_article() or "80.3", code="invalid_state",
                                    facts={"auction_status": self.status})
        admitted = self.admitted
        if len(admitted) < 2:
            return self._fail(FailureReason.FEW_APPLICATIONS, now, admitted=len(admitted))
        if online_nos is not None:
            online = [a for a in admitted if a.participant_no in online_nos]
        else:
            online = [a for a in admitted if a.last_seen_at and a.last_seen_at >= self.starts_at - PRESENCE_WINDOW]
        if len(online) < 2:
            return self._fail(FailureReason.FEW_ONLINE, now, online=len(online))
        self.status, self.opened_at = AuctionStatus.OPEN, now
        if self.round == 1:
            self.ends_at = ascending.first_deadline(now, self.quiet_period)
        else:
            self.ends_at = descending.fails_at(starts_at=now, start=self.start_price, step=self.step,
                                               interval=self.interval, floor=self.floor)
        self._record(AuctionOpened(online=len(online), online_nos=sorted(a.participant_no for a in online),
                                   ends_at=self.ends_at.isoformat(), opened_at=now.isoformat(),
                                   participants=[a.participant_no for a in admitted]))

    def close_due(self, now: datetime) -> bool:
        return self.status == AuctionStatus.OPEN and self.ends_at is not None and now >= self.ends_at

    def close(self, now: datetime) -> None:
        """Close at ends_at: the last raiser wins (ascending); nobody raised/accepted -> Art. 84.2."""
        if self.status != AuctionStatus.OPEN:
            raise InvalidTransition(f"the auction is {self.status}; only an open auction closes",
                                    article=self._state_article() or "80.4", code="invalid_state",
                                    facts={"auction_status": self.status})
        if self.leader_no is None:
            return self._fail(FailureReason.NOBODY_RAISED, now)
        self.status, self.closed_at = AuctionStatus.CLOSED, now
        self.final_price, self.winner_no, self.winner_user_id = self.current_price, self.leader_no, self.leader_user_id
        self._record(AuctionClosed(winner_no=self.winner_no, price=fmt(self.final_price)))

    def approve_results(self, *, now: datetime, calendar: cal.WorkingCalendar) -> None:
        """Art. 80.4: the winner pays within 5 working days after the results are approved."""
        self.check_can_approve()
        self.approved_at = now
        self.payment_due_on = calendar.deadline_within(cal.local_date(now), cal.WINNER_PAYMENT_WD)
        self._record(ResultsApproved(payment_due_on=self.payment_due_on.isoformat(),
                                     due=fmt(self.final_price - self.deposit)))

    def check_can_approve(self) -> None:
        """Art. 80.4: only a closed auction awaiting approval is approved (nothing changed here)."""
        if self.status != AuctionStatus.CLOSED or self.approved_at is not None:
            raise InvalidTransition("only a closed auction awaiting approval can be approved; "
                                    f"this one is {self.status}"
                                    + (" and approved" if self.approved_at is not None else ""),
                                    article=self._state_article() or "80.4", code="invalid_state",
                                    facts={"auction_status": self.status})

    def mark_sold(self, now: datetime) -> None:
        if self.status != AuctionStatus.CLOSED:
            raise InvalidTransition(f"only a closed auction can be sold; this one is {self.status}",
                                    article=self._state_article() or "83", code="invalid_state",
                                    facts={"auction_status": self.status})
        self.status = AuctionStatus.SOLD
        self._record(AuctionSold(price=fmt(self.final_price), winner_no=self.winner_no))

    def winner_defaulted(self, now: datetime) -> None:
        """Art. 80.4, 84.3: the winner did not pay in time: deposit forfeited, auction failed."""
        if self.status != AuctionStatus.CLOSED:
            raise InvalidTransition(f"only a closed auction can default; this one is {self.status}",
                                    article=self._state_article() or "84.3", code="invalid_state",
                                    facts={"auction_status": self.status})
        self._fail(FailureReason.WINNER_DID_NOT_PAY, now, winner_no=self.winner_no)

    # ---- disqualification (Art. 80.4, third part) ------------------------------------------------
    def disqualify(self, app: Application | None, participant_no, *, now: datetime, ground: str, reason: str,
                   by: str, best_other: tuple[Decimal, int, int] | None = None) -> None:
        """A participant found without the right to take part (Art. 80.2) is disqualified.

        - announced: he no longer takes part; the opening counts who is left (Art. 84.1);
        - open: he leaves the auction; his bids cannot stand, so a lead of his goes back to the best
          bid of a remaining participant (`best_other`: amount, participant No, user id) or to the
          starting price, and the others get a full quiet period to answer; fewer than two left:
          failed, Art. 84.4 (fewer than two registered participants take part);
        - closed with him the winner (awaiting approval, or approved and not paid): the sale to him
          cannot stand, the price will never be paid by a buyer with the right to buy: failed,
          Art. 84.3, as when a winner does not pay — the retention window (Art. 85.1) opens;
        - sold: refused, the price is paid and the contract concluded (Art. 83): a court undoes it.
        The caller forfeits the deposit (Art. 80.4, 80.5)."""
        if self.status == AuctionStatus.SOLD:
            raise RuleViolation("the price is paid and the sale contract concluded; only a court can undo the "
                                "sale", article="83", code="sale_completed")
        if self.status not in (AuctionStatus.ANNOUNCED, AuctionStatus.OPEN, AuctionStatus.CLOSED):
            raise InvalidTransition(f"the auction is {self.status}; its deposits are settled", article=ARTICLE_804,
                                    code="invalid_state", facts={"auction_status": self.status})
        if app is None or app.status not in ("admitted", "disqualified"):
            raise RuleViolation(f"no participant No. {participant_no} takes part in this auction (an applicant "
                                "whose deposit is not confirmed is no participant)", article=ARTICLE_804,
                                code="no_such_participant", facts={"participant_no": participant_no})
        if app.status == "disqualified":
            raise Conflict(f"participant No. {app.participant_no} is already disqualified", article=ARTICLE_804,
                           code="already_disqualified", facts={"participant_no": app.participant_no})
        app.status, app.disqualified_at = "disqualified", now
        app.disqualification_ground, app.disqualification_reason = ground, reason
        lead_to = {}
        if self.status == AuctionStatus.OPEN and self.leader_no == app.participant_no:
            amount, no, user_id = best_other or (self.start_price, None, None)
            self.current_price, self.leader_no, self.leader_user_id = amount, no, user_id
            if self.round == 1:
                self.ends_at = max(self.ends_at, ascending.soft_close_end(now, self.quiet_period))
            lead_to["lead_to"] = {"price": fmt(amount), "leader_no": no, "ends_at": self.ends_at.isoformat()}
        self._record(ParticipantDisqualified(participant_no=app.participant_no, ground=ground, finding=reason, by=by,
                                             auction_status=self.status, **lead_to))
        if self.status == AuctionStatus.OPEN and len(self.admitted) < 2:
            self._fail(FailureReason.FEW_ONLINE, now, disqualified_no=app.participant_no, online=len(self.admitted))
        elif self.status == AuctionStatus.CLOSED and self.winner_no == app.participant_no:
            self._fail(FailureReason.WINNER_DID_NOT_PAY, now, winner_no=self.winner_no,
                       disqualified_no=app.participant_no)

    def _state_article(self) -> str | None:
        """The article that ended the auction, named when a step is refused after it (issue 10 point 14):
        a sale (83), a failure (its Art. 84 paragraph); a cancellation names its own in the journal."""
        if self.status == AuctionStatus.SOLD:
            return "83"
        if self.status == AuctionStatus.FAILED:
            return self.failure_reason
        return None

    def _fail(self, reason: str, now: datetime, **counts) -> None:
        self.status, self.closed_at, self.failure_reason = AuctionStatus.FAILED, now, reason
        self._record(AuctionFailed(reason=reason, **counts))

    def cancel(self, now: datetime, reason: str, article: str) -> None:
        if self.status not in (AuctionStatus.ANNOUNCED, AuctionStatus.OPEN, AuctionStatus.CLOSED):
            raise InvalidTransition(f"the auction is {self.status}: there is nothing to cancel",
                                    article=self._state_article(), code="invalid_state",
                                    facts={"auction_status": self.status})
        self.status, self.closed_at = AuctionStatus.CANCELLED, now
        self._record(AuctionCancelled(article=article, reason=reason))
