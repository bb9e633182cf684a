"""An auction's own course (SPEC §2.4–2.6, Art. 79–84): announcement, cancellation, opening with the
eligibility check again, closing, approval of the results, the winner's payment or default, and a
failure. Applications and bids are service/trading.py; what the money does, service/deposits.py and
service/distribution.py."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from auction import acts
from auction import calendar as cal
from auction import commands as c
from auction.auctions import Auction, AuctionStatus
from auction.bidding import check_start_time, descending
from auction.disqualification import ground_of
from auction.eligibility import check_application
from auction.errors import BadRequest, InvalidTransition, RuleViolation
from auction.events import AuctionAnnounced, DisqualifiedAtOpening
from auction.lots.model import FINAL, Lot, Status
from auction.money import CENT, fmt, money, percent
from auction.proceedings import Proceeding

from . import access, deposits, distribution, documents, eligibility, load, payment_requests, settings, signing
from .orm import User
from .uow import UnitOfWork


# ---- announcement (Art. 79) ----------------------------------------------------------------
def schedule_auction(uow: UnitOfWork, actor, cmd: c.ScheduleAuction) -> Auction:
    """Announce the lot's next auction. What the bailiff leaves empty comes from the operator's
    settings (service/settings.py): step, quiet period, interval, floor, application cut-off."""
    lot = load.lot(uow, cmd.lot_id, lock=True)
    p = uow.get(Proceeding, lot.proceeding_id)
    access.own_bailiff(actor, p)
    round_no = lot.check_can_announce(today=uow.today, suspended=p.status == "suspended")
    starts_at = cmd.starts_at
    if starts_at.tzinfo is None:
        raise BadRequest("starts_at needs a time zone (ISO 8601, e.g. 2026-12-10T05:00:00Z)", code="naive_time")
    defaults = settings.load(uow.session)
    check_start_time(starts_at, defaults.trading_hours, uow.calendar.is_working_day)
    start = lot.value
    step = money(cmd.step) if cmd.step else max(CENT, percent(start, defaults.step_percent))
    floor = None
    if round_no == 1 and cmd.floor_percent is not None:
        raise RuleViolation("the first auction has no floor: its price only rises from the valuation by the step",
                            article="80.3", code="floor_in_first_auction")
    if round_no == 2:
        # Art. 80.3: the floor is a limit; the operator's default applies when the bailiff gives none.
        pct = Decimal(str(cmd.floor_percent or defaults.floor_percent(lot.is_real_estate)))
        descending.check_floor_percent(pct, real_estate=lot.is_real_estate,
                                       real_estate_setting=defaults.floor_percent_real_estate)
        floor = descending.floor_price(start, pct)
        if (start - floor) / step > 1000:
            raise RuleViolation("the step is too small: more than 1000 price ticks to the floor", article="80.3",
                                code="bad_step")
    a = Auction(lot_id=lot.id, round_no=round_no, announced_at=uow.now, starts_at=starts_at, start_price=start,
                step=step, floor=floor,
                interval=timedelta(seconds=int(cmd.interval_seconds or defaults.interval_minutes * 60)),
                quiet_period=timedelta(seconds=int(cmd.quiet_seconds or defaults.quiet_minutes * 60)),
                application_cutoff=timedelta(minutes=int(cmd.application_cutoff_minutes
                                                         or defaults.application_cutoff_minutes)),
                calendar=uow.calendar, private_bailiff=p.private_bailiff)
    if a.applications_close_at <= uow.now:
        raise RuleViolation("applications would already be closed", article="80.1", code="bad_cutoff")
    lot.auction_announced(round_no=round_no, auction_on=cal.local_date(starts_at))
    uow.session.add(a)
    uow.flush()
    a._record(AuctionAnnounced(round=round_no, starts_at=starts_at.isoformat(), start_price=fmt(start), step=fmt(step),
                               deposit=fmt(a.deposit), floor=fmt(floor) if floor else None,
                               applications_close_at=a.applications_close_at.isoformat(), quiet_seconds=a.quiet_s,
                               interval_seconds=a.interval_s))
    documents.auction_announcement(uow, lot, a)
    uow.commit()
    return a


def cancel_auction(uow: UnitOfWork, auction: Auction, *, reason: str, article: str) -> None:
    """Cancel an announced or live auction and free every deposit (SPEC §2.3, 2.7)."""
    lot = uow.get(Lot, auction.lot_id)
    auction.cancel(uow.now, reason, article)
    for app in auction.applications:
        deposits.free_deposit(uow, auction, app)
        payment_requests.cancel_pending(uow, application_id=app.id)
    if lot.status in (Status.AUCTION_1, Status.AUCTION_2):
        lot.auction_cancelled(round_no=auction.round)


def cancel_by_bailiff(uow: UnitOfWork, actor, cmd: c.CancelAuction) -> Auction:
    """The bailiff stops an announced or live auction (e.g. a court order); deposits are refunded."""
    a = load.auction(uow, cmd.auction_id, lock=True)
    lot = uow.get(Lot, a.lot_id)
    access.own_bailiff(actor, uow.get(Proceeding, lot.proceeding_id))
    reason = (cmd.reason or "").strip()
    if not reason:
        raise BadRequest("a cancellation states its reason", code="reason_required")
    if a.status == AuctionStatus.CLOSED and a.approved_at is not None:
        raise InvalidTransition("the results are approved; the sale can no longer be cancelled here",
                                article="80.4", code="invalid_state")
    cancel_auction(uow, a, reason=reason, article="42")
    p = uow.get(Proceeding, lot.proceeding_id)
    if p.status == "suspended" and lot.status not in FINAL:
        # An auction that went on through a suspension at the collector's request (Art. 42, last part) and is
        # cancelled leaves no result: its lot now waits with the proceeding's other lots.
        lot.suspend(reason=p.suspension_reason or "suspended", article="42")
    uow.commit()
    return a


# ---- opening, closing, approval, default (Art. 80.4, 84) ---------------------------------------------
def open_auction(uow: UnitOfWork, a: Auction) -> None:
    lot = uow.get(Lot, a.lot_id)
    _recheck_eligibility(uow, a, lot)
    a.open(uow.now, online_nos=uow.online(a.id) if uow.online is not None else None)
    if a.status == AuctionStatus.FAILED:
        after_failure(uow, a, lot)


def _recheck_eligibility(uow, a: Auction, lot: Lot) -> None:
    """SPEC §5: checked again at the opening; a violation disqualifies and forfeits (Art. 80.4)."""
    _, case = eligibility.case_parties(uow, lot)
    admitted = a.admitted
    for app in admitted:
        others = [eligibility.declaration_of(o) for o in admitted if o is not app and o.status == "admitted"]
        conflicts = check_application(eligibility.declaration_of(app), case, others)
        if conflicts:
            reason = "; ".join(c.reason for c in conflicts)
            app.status, app.disqualified_at, app.disqualification_reason = "disqualified", uow.now, reason
            app.disqualification_ground = ground_of(conflicts[0])
            a._record(DisqualifiedAtOpening(participant_no=app.participant_no, reason=reason,
                                            ground=app.disqualification_ground))
            deposits.forfeit_deposit(uow, a, app)


def close_auction(uow: UnitOfWork, a: Auction) -> None:
    lot = uow.get(Lot, a.lot_id)
    a.close(uow.now)
    if a.status == AuctionStatus.FAILED:
        after_failure(uow, a, lot)
        return
    refunds_from = cal.local_date(uow.now)
    a.refunds_due_on = uow.calendar.deadline_within(refunds_from, cal.REFUND_WD)
    for app in a.admitted:
        if app.participant_no != a.winner_no:
            deposits.free_deposit(uow, a, app)


def _approval(uow: UnitOfWork, actor, cmd: c.ApproveResults, *, lock: bool):
    """The auction, its lot, the law's checks of the approval (nothing changed), and the facts of the approval
    the bailiff signs (auction/acts.py): the result as the closing protocol states it."""
    a = load.auction(uow, cmd.auction_id, lock=lock)
    lot = uow.get(Lot, a.lot_id)
    access.own_bailiff(actor, uow.get(Proceeding, lot.proceeding_id))
    a.check_can_approve()
    required = getattr(uow, "signing", None) or signing.NO_SIGNING
    if required.requires("auction_protocol") and not signing.signed(uow.session, "auction_protocol",
                                                                    auction_id=a.id):
        raise RuleViolation("the results are approved on the closing protocol signed by the bailiff with his EDS: "
                            f"sign the protocol first (GET /auctions/{a.id}/protocol.pdf, then its document's act)",
                            article="80.4", code="protocol_not_signed")
    facts = {"auction_id": a.id, "round": a.round, "lot_id": lot.id, "lot_title": lot.title,
             "winner_no": a.winner_no, "final_price": a.final_price, "closed_at": a.closed_at,
             "chain_head": documents.close_head(uow, a), "bids": documents.bid_count(uow, a)}
    return a, lot, facts


def results_approval_act(uow: UnitOfWork, actor, cmd: c.ApproveResults) -> bytes:
    """The bytes the bailiff signs with his EDS to approve the results (Art. 80.4) as they stand now."""
    *_, facts = _approval(uow, actor, cmd, lock=False)
    return acts.content("results_approval", facts)


def approve_results(uow: UnitOfWork, actor, cmd: c.ApproveResults) -> Auction:
    """Art. 80.4: the bailiff approves the results; the winner's payment is requested, the protocol issued."""
    a, lot, facts = _approval(uow, actor, cmd, lock=True)
    signature = signing.settle(uow, actor, "results_approval", facts, cmd.cms, lot_id=lot.id, auction_id=a.id,
                               role="bailiff")
    a.approve_results(now=uow.now, calendar=uow.calendar)
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    payment_requests.request(uow, kind="winner", amount=a.final_price - winner.deposit, lot_id=lot.id,
                     user_id=a.winner_user_id, auction_id=a.id, application_id=winner.id, due_on=a.payment_due_on)
    # the approved protocol, with the chain head at the close and the approval's signature
    documents.auction_protocol(uow, lot, a, signatures=[signature])
    uow.commit()
    return a


def winner_paid(uow: UnitOfWork, a: Auction) -> None:
    """Full price paid (Art. 80.4): the deposit counts toward it; sale contract (Art. 83)."""
    lot = uow.get(Lot, a.lot_id)
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    deposits.apply_deposit(uow, a, winner)
    a.mark_sold(uow.now)
    lot.auction_sold(price=a.final_price, today=uow.today)
    payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
    buyer = uow.get(User, a.winner_user_id)
    documents.sale_contract(uow, lot, buyer=documents.docs.Party(name=buyer.full_name, id_number=buyer.iin_bin),
                            price=a.final_price, deposit=winner.deposit, auction_id=a.id)
    distribution.distribute_proceeds(uow, lot, a.final_price, source="auction", auction=a)


def winner_defaulted(uow: UnitOfWork, a: Auction) -> None:
    lot = uow.get(Lot, a.lot_id)
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    deposits.forfeit_deposit(uow, a, winner)
    payment_requests.cancel_pending(uow, application_id=winner.id)
    a.winner_defaulted(uow.now)
    after_failure(uow, a, lot)


def after_failure(uow, a: Auction, lot: Lot) -> None:
    """A failed auction (Art. 84) frees every deposit still held, cancels what is awaited, and the lot
    moves on: to the collectors' retention window (Art. 85.1)."""
    for app in a.applications:
        if app.deposit_state == "held":
            deposits.free_deposit(uow, a, app)
        payment_requests.cancel_pending(uow, application_id=app.id)
    lot.auction_failed(round_no=a.round, reason=a.failure_reason, auction_on=cal.local_date(a.starts_at),
                       calendar=uow.calendar, today=uow.today)
