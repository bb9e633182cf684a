"""Use cases of the auctions: announcement, applications, bids and acceptances, opening and
closing, approval, default, retention (SPEC §2.4–2.6, Art. 79–85)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import lazyload

from auction import calendar as cal
from auction.auctions import Application, Auction, AuctionStatus
from auction.bidding import ascending, check_start_time, descending
from auction.disqualification import ground_of
from auction.eligibility import CaseParties, Declaration, check_application, require_iin_bin
from auction.errors import BadRequest, Conflict, InvalidTransition, RuleViolation
from auction.lots.model import FINAL, Lot, Status
from auction.money import CENT, fmt, money, percent
from auction.proceedings import Proceeding

from . import access, documents, payments, settings
from .orm import Bid, Payment, ProceedingTransfer, RetentionRequest, User
from .uow import UnitOfWork

ANNOUNCED_OR_LIVE = (AuctionStatus.ANNOUNCED, AuctionStatus.OPEN, AuctionStatus.CLOSED)


def _auction(uow: UnitOfWork, auction_id: int, *, lock: bool = False, applications: bool = True) -> Auction:
    q = select(Auction).where(Auction.id == auction_id)
    if lock:
        q = q.with_for_update()
    if not applications:  # loaded on first use only
        q = q.options(lazyload(Auction.applications))
    return access.found(uow.session.execute(q).scalar_one_or_none(), "auction", auction_id)


def live_auction(uow: UnitOfWork, lot_id: int) -> Auction | None:
    return uow.session.execute(select(Auction).where(
        Auction.lot_id == lot_id, Auction.status.in_(ANNOUNCED_OR_LIVE))).scalar_one_or_none()


def _case(uow, lot: Lot) -> tuple[Proceeding, CaseParties]:
    """The case's Art. 80.2 persons as the database holds them now: read afresh at each filing and at
    the opening, so an appraiser appointed or a pledgee recorded after an application counts. "The
    bailiffs of the case" are every bailiff who has run it: the current one and those it passed from."""
    p = uow.get(Proceeding, lot.proceeding_id)
    former = uow.session.execute(select(User.iin_bin).join(ProceedingTransfer, ProceedingTransfer.from_bailiff_id
                                                           == User.id)
                                 .where(ProceedingTransfer.proceeding_id == p.id)).scalars().all()
    bailiffs = {b for b in (p.bailiff_iin, uow.get(User, p.bailiff_id).iin_bin, *former) if b}
    appraisers = {v.appraiser_iin for v in lot.valuations if v.appraiser_iin} | ({lot.appraiser_iin} if lot.appraiser_iin else set())
    return p, CaseParties(debtor=p.debtor_iin_bin, bailiffs=frozenset(bailiffs),
                          judge=p.judge_iin, appraisers=frozenset(appraisers), pledgee=p.pledgee_bin)


# ---- announcement (Art. 79) ----------------------------------------------------------------
def schedule_auction(uow: UnitOfWork, actor, lot_id: int, data: dict) -> Auction:
    """Announce the lot's next auction. What the bailiff leaves empty comes from the operator's
    settings (service/settings.py): step, quiet period, interval, floor, application cut-off."""
    lot = access.found(uow.session.execute(select(Lot).where(Lot.id == lot_id).with_for_update()).scalar_one_or_none(),
                       "lot", lot_id)
    p = uow.get(Proceeding, lot.proceeding_id)
    access.own_bailiff(actor, p)
    round_no = lot.check_can_announce(today=uow.today, suspended=p.status == "suspended")
    starts_at = data["starts_at"]
    if starts_at.tzinfo is None:
        raise BadRequest("starts_at needs a time zone (ISO 8601, e.g. 2026-12-10T05:00:00Z)", code="naive_time")
    defaults = settings.load(uow.session)
    check_start_time(starts_at, defaults.trading_hours, uow.calendar.is_working_day)
    start = lot.value
    step = money(data["step"]) if data.get("step") else max(CENT, percent(start, defaults.step_percent))
    floor = None
    if round_no == 1 and data.get("floor_percent") is not None:
        raise RuleViolation("the first auction has no floor: its price only rises from the valuation by the step",
                            article="80.3", code="floor_in_first_auction")
    if round_no == 2:
        # Art. 80.3: the floor is a limit; the operator's default applies when the bailiff gives none.
        pct = Decimal(str(data.get("floor_percent") or defaults.floor_percent(lot.is_real_estate)))
        descending.check_floor_percent(pct, real_estate=lot.is_real_estate,
                                       real_estate_setting=defaults.floor_percent_real_estate)
        floor = descending.floor_price(start, pct)
        if (start - floor) / step > 1000:
            raise RuleViolation("the step is too small: more than 1000 price ticks to the floor", article="80.3",
                                code="bad_step")
    a = Auction(lot_id=lot.id, round_no=round_no, announced_at=uow.now, starts_at=starts_at, start_price=start,
                step=step, floor=floor,
                interval=timedelta(seconds=int(data.get("interval_seconds") or defaults.interval_minutes * 60)),
                quiet_period=timedelta(seconds=int(data.get("quiet_seconds") or defaults.quiet_minutes * 60)),
                application_cutoff=timedelta(minutes=int(data.get("application_cutoff_minutes")
                                                         or defaults.application_cutoff_minutes)),
                calendar=uow.calendar, private_bailiff=p.private_bailiff)
    if a.applications_close_at <= uow.now:
        raise RuleViolation("applications would already be closed", article="80.1", code="bad_cutoff")
    lot.auction_announced(round_no=round_no, auction_on=cal.local_date(starts_at))
    uow.session.add(a)
    uow.flush()
    a._record("auction.announced", "79", round=round_no, starts_at=starts_at.isoformat(), start_price=fmt(start),
              step=fmt(step), deposit=fmt(a.deposit), floor=fmt(floor) if floor else None,
              applications_close_at=a.applications_close_at.isoformat(), quiet_seconds=a.quiet_s,
              interval_seconds=a.interval_s)
    documents.auction_announcement(uow, lot, a)
    uow.commit()
    return a


def cancel_auction(uow: UnitOfWork, auction: Auction, *, reason: str, article: str) -> None:
    """Cancel an announced or live auction and free every deposit (SPEC §2.3, 2.7)."""
    lot = uow.get(Lot, auction.lot_id)
    auction.cancel(uow.now, reason, article)
    for app in auction.applications:
        payments.free_deposit(uow, auction, app)
        payments.cancel_pending(uow, application_id=app.id)
    if lot.status in (Status.AUCTION_1, Status.AUCTION_2):
        lot.auction_cancelled(round_no=auction.round)


def cancel_by_bailiff(uow: UnitOfWork, actor, auction_id: int, data: dict) -> Auction:
    """The bailiff stops an announced or live auction (e.g. a court order); deposits are refunded."""
    a = _auction(uow, auction_id, lock=True)
    lot = uow.get(Lot, a.lot_id)
    access.own_bailiff(actor, uow.get(Proceeding, lot.proceeding_id))
    reason = (data.get("reason") or "").strip()
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


# ---- applications (Art. 80.1, 80.2) ----------------------------------------------------------
def declaration_of(app_or_data) -> Declaration:
    d = app_or_data.declaration if isinstance(app_or_data, Application) else app_or_data
    return Declaration(iin_bin=d["iin_bin"], is_entity=bool(d.get("is_entity")), spouse=d.get("spouse") or None,
                       close_relatives=frozenset(d.get("close_relatives") or ()),
                       employers=frozenset(d.get("employers") or ()), founded=frozenset(d.get("founded") or ()),
                       people=frozenset(d.get("people") or ()))


def apply(uow: UnitOfWork, actor, auction_id: int, data: dict) -> Application:
    access.require(actor, "bidder")
    a = _auction(uow, auction_id, lock=True)
    a.check_accepting_applications(uow.now)
    if a.application_of(actor.id):
        raise Conflict("you have already applied for this auction", code="duplicate_application")
    lot = uow.get(Lot, a.lot_id)
    iin_bin = require_iin_bin(data.get("iin_bin") or actor.iin_bin or "", "iin_bin")
    if actor.iin_bin and iin_bin != actor.iin_bin:
        raise BadRequest("apply with the IIN/BIN of your account", code="iin_mismatch")
    declaration = {k: data.get(k) for k in ("spouse", "close_relatives", "employers", "founded", "people")}
    declaration.update(iin_bin=iin_bin, is_entity=iin_bin[4] in "456")
    decl = declaration_of(declaration)  # validates every declared number
    _, case = _case(uow, lot)
    others = [declaration_of(o) for o in a.applications if o.status in ("pending_deposit", "admitted")]
    conflicts = check_application(decl, case, others)
    if conflicts:
        raise RuleViolation("you may not take part: " + "; ".join(c.reason for c in conflicts), article="80.2",
                            code="ineligible")
    number = (max((o.participant_no for o in a.applications), default=0)) + 1
    app = Application(user_id=actor.id, iin_bin=iin_bin, is_entity=decl.is_entity, declaration=declaration,
                      deposit=a.deposit, participant_no=number, created_at=uow.now,
                      keep_in_wallet=bool(data.get("keep_in_wallet")))
    a.applications.append(app)
    uow.flush()
    a._record("application.filed", "80.1", participant_no=number, deposit=fmt(a.deposit))
    if not payments.take_deposit_from_wallet(uow, a, app, required=bool(data.get("from_wallet"))):
        payments.request(uow, kind="deposit", amount=a.deposit, lot_id=a.lot_id, user_id=actor.id,
                         auction_id=a.id, application_id=app.id, due_on=cal.local_date(a.applications_close_at))
    uow.commit()
    return app


def join(uow: UnitOfWork, actor, auction_id: int) -> Application:
    """A participant's presence in the auction room (Art. 84.4); the live layer calls it on join."""
    access.require(actor, "bidder")
    a = _auction(uow, auction_id)
    app = a.application_of(actor.id)
    if app is None or app.status != "admitted":
        raise access.Forbidden("only admitted participants join the auction as bidders", article="80.1",
                               code="not_a_participant")
    app.last_seen_at = uow.now
    uow.commit()
    return app


# ---- bids (Art. 80.3) ----------------------------------------------------------------------------
_LOOKUP = object()


def _application_of(uow, auction_id: int, user_id: int) -> Application | None:
    """`Auction.application_of` without loading every participant's application (the bid path)."""
    return uow.session.execute(select(Application).where(
        Application.auction_id == auction_id, Application.user_id == user_id,
        Application.status != "withdrawn")).scalars().first()


def _replay(uow, a: Auction, client_id: str, actor, mine=_LOOKUP):
    """The bid this participant already sent with `client_id` (a retry gets the first answer)."""
    previous = uow.session.execute(select(Bid).where(Bid.auction_id == a.id, Bid.client_id == client_id)).scalar_one_or_none()
    mine = a.application_of(actor.id) if mine is _LOOKUP else mine
    if previous is not None and (mine is None or previous.application_id != mine.id):
        # another participant's id: not a retry, and their bid is not this sender's answer
        raise Conflict("this client_id was already used in this auction by another participant; send a new one",
                       code="client_id_taken")
    return previous


def _participant(a: Auction, actor, mine=_LOOKUP) -> Application:
    app = a.application_of(actor.id) if mine is _LOOKUP else mine
    if app is None or app.status != "admitted":
        raise access.Forbidden("only admitted participants with a confirmed deposit bid", article="80.1",
                               code="not_a_participant")
    return app


def place_bid(uow: UnitOfWork, actor, auction_id: int, amount, client_id: str, kind: str = "bid") -> Bid:
    """Ascending bid: exactly current + step. Ordered by one conditional update of the auction row.

    After a participant's own bid, the auto-bids it outbid answer, each an ordinary bid."""
    access.require(actor, "bidder")
    client_id = _client_id(client_id)
    a = _auction(uow, auction_id, applications=False)
    mine = _application_of(uow, a.id, actor.id)
    previous = _replay(uow, a, client_id, actor, mine)
    if previous is not None:
        return previous
    app = _participant(a, actor, mine)
    if a.round != 1:
        raise InvalidTransition("the repeat auction takes acceptances, not bids", article="80.3", code="wrong_round")
    amount = money(amount)
    ascending.check_bid(status=a.status, now=uow.now, starts_at=a.starts_at, ends_at=a.ends_at,
                        current=a.current_price, step=a.step, amount=amount, bidder_is_leader=a.leader_no == app.participant_no)
    new_end = ascending.soft_close_end(uow.now, a.quiet_period)
    seq = uow.session.execute(
        update(Auction).where(Auction.id == a.id, Auction.status == AuctionStatus.OPEN,
                              Auction.current_price == a.current_price, Auction.ends_at > uow.now)
        .values(current_price=amount, leader_no=app.participant_no, leader_user_id=actor.id,
                ends_at=new_end, seq=Auction.seq + 1, bids_count=Auction.bids_count + 1)
        .returning(Auction.seq).execution_options(synchronize_session=False)).scalar_one_or_none()
    if seq is None:  # someone else's bid committed first
        # Read back only what the answer needs (the rollback expired the loaded auction, and
        # reloading it with every participant's application costs more than the bid itself).
        app_id, step = app.id, a.step
        uow.session.rollback()
        previous = uow.session.execute(select(Bid).where(Bid.auction_id == auction_id, Bid.client_id == client_id)
                                       ).scalar_one_or_none()
        if previous is not None:  # the same client_id, resent while the first was in flight
            if previous.application_id != app_id:
                raise Conflict("this client_id was already used in this auction by another participant; send a new "
                               "one", code="client_id_taken")
            return previous
        current = uow.session.execute(select(Auction.current_price).where(Auction.id == auction_id)).scalar_one()
        raise RuleViolation(f"outbid: the price is now {fmt(current)}; the next bid is "
                            f"{fmt(current + step)}", article="80.3", code="outbid")
    bid = Bid(auction_id=a.id, seq=seq, application_id=app.id, participant_no=app.participant_no, amount=amount,
              kind=kind, client_id=client_id, at=uow.now)
    uow.session.add(bid)
    uow.journal("bid.accepted", "80.3", lot_id=a.lot_id, auction_id=a.id, seq=seq, amount=fmt(amount),
                participant_no=app.participant_no, ends_at=new_end.isoformat(), at=uow.now.isoformat(),
                auto=kind == "auto")
    uow.publish(a.id, {"kind": "bid", "seq": seq, "amount": fmt(amount), "participant_no": app.participant_no,
                       "at": uow.now.isoformat(), "ends_at": new_end.isoformat(),
                       "next_price": fmt(ascending.next_price(amount, a.step)), "auto": kind == "auto"})
    uow.session.expire(a)
    uow.commit()
    if kind != "auto":
        from . import autobid
        autobid.answer(uow, auction_id)
    return bid


def accept(uow: UnitOfWork, actor, auction_id: int, price, client_id: str) -> Bid:
    """Descending acceptance: the first acceptance of the current price wins (Art. 80.3)."""
    access.require(actor, "bidder")
    client_id = _client_id(client_id)
    a = _auction(uow, auction_id)
    previous = _replay(uow, a, client_id, actor)
    if previous is not None:
        return previous
    app = _participant(a, actor)
    if a.round != 2:
        raise InvalidTransition("the first auction takes bids, not acceptances", article="80.3", code="wrong_round")
    price = money(price)
    descending.check_acceptance(status=a.status, now=uow.now, starts_at=a.opened_at, start=a.start_price, step=a.step,
                                interval=a.interval, floor=a.floor, price=price, already_accepted=a.leader_no is not None)
    seq = uow.session.execute(
        update(Auction).where(Auction.id == a.id, Auction.status == AuctionStatus.OPEN, Auction.leader_no.is_(None))
        .values(current_price=price, leader_no=app.participant_no, leader_user_id=actor.id, ends_at=uow.now,
                seq=Auction.seq + 1, bids_count=Auction.bids_count + 1)
        .returning(Auction.seq).execution_options(synchronize_session=False)).scalar_one_or_none()
    if seq is None:
        uow.session.rollback()
        raise InvalidTransition("another participant has already accepted the price", article="80.3",
                                code="already_accepted")
    bid = Bid(auction_id=a.id, seq=seq, application_id=app.id, participant_no=app.participant_no, amount=price,
              kind="accept", client_id=client_id, at=uow.now)
    uow.session.add(bid)
    uow.journal("bid.accepted", "80.3", lot_id=a.lot_id, auction_id=a.id, seq=seq, amount=fmt(price),
                participant_no=app.participant_no, acceptance=True, at=uow.now.isoformat())
    uow.publish(a.id, {"kind": "bid", "seq": seq, "amount": fmt(price), "participant_no": app.participant_no,
                       "at": uow.now.isoformat(), "ends_at": uow.now.isoformat(), "next_price": None,
                       "acceptance": True, "auto": False})
    uow.session.flush()
    uow.session.expire(a)
    close_auction(uow, _auction(uow, auction_id, lock=True))
    uow.commit()
    return bid


def _client_id(client_id) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64 or not client_id.isprintable():
        raise BadRequest("client_id is a string of 1 to 64 printable characters chosen by the client",
                         code="bad_client_id")
    return client_id


# ---- opening, closing, approval, default (Art. 80.4, 84) ---------------------------------------------
def open_auction(uow: UnitOfWork, a: Auction) -> None:
    lot = uow.get(Lot, a.lot_id)
    _recheck_eligibility(uow, a, lot)
    a.open(uow.now, online_nos=uow.online(a.id) if uow.online is not None else None)
    if a.status == AuctionStatus.FAILED:
        _after_failure(uow, a, lot)


def _recheck_eligibility(uow, a: Auction, lot: Lot) -> None:
    """SPEC §5: checked again at the opening; a violation disqualifies and forfeits (Art. 80.4)."""
    _, case = _case(uow, lot)
    admitted = a.admitted
    for app in admitted:
        others = [declaration_of(o) for o in admitted if o is not app and o.status == "admitted"]
        conflicts = check_application(declaration_of(app), case, others)
        if conflicts:
            reason = "; ".join(c.reason for c in conflicts)
            app.status, app.disqualified_at, app.disqualification_reason = "disqualified", uow.now, reason
            app.disqualification_ground = ground_of(conflicts[0])
            a._record("application.disqualified", "80.2", participant_no=app.participant_no, reason=reason,
                      ground=app.disqualification_ground, by="opening check")
            payments.forfeit_deposit(uow, a, app)


def close_auction(uow: UnitOfWork, a: Auction) -> None:
    lot = uow.get(Lot, a.lot_id)
    a.close(uow.now)
    if a.status == AuctionStatus.FAILED:
        _after_failure(uow, a, lot)
        return
    refunds_from = cal.local_date(uow.now)
    a.refunds_due_on = uow.calendar.deadline_within(refunds_from, cal.REFUND_WD)
    for app in a.admitted:
        if app.participant_no != a.winner_no:
            payments.free_deposit(uow, a, app)


def approve_results(uow: UnitOfWork, actor, auction_id: int) -> Auction:
    a = _auction(uow, auction_id, lock=True)
    lot = uow.get(Lot, a.lot_id)
    access.own_bailiff(actor, uow.get(Proceeding, lot.proceeding_id))
    a.approve_results(now=uow.now, calendar=uow.calendar)
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    payments.request(uow, kind="winner", amount=a.final_price - winner.deposit, lot_id=lot.id,
                     user_id=a.winner_user_id, auction_id=a.id, application_id=winner.id, due_on=a.payment_due_on)
    documents.auction_protocol(uow, lot, a)  # the approved protocol, with the chain head at the close
    uow.commit()
    return a


def winner_paid(uow: UnitOfWork, a: Auction) -> None:
    """Full price paid (Art. 80.4): the deposit counts toward it; sale contract (Art. 83)."""
    lot = uow.get(Lot, a.lot_id)
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    payments.apply_deposit(uow, a, winner)
    a.mark_sold(uow.now)
    lot.auction_sold(price=a.final_price, today=uow.today)
    payments.cancel_pending_self_sale(uow, lot_id=lot.id)
    buyer = uow.get(User, a.winner_user_id)
    documents.sale_contract(uow, lot, buyer=documents.docs.Party(name=buyer.full_name, id_number=buyer.iin_bin),
                            price=a.final_price, deposit=winner.deposit, auction_id=a.id)
    payments.distribute_proceeds(uow, lot, a.final_price, source=f"auction No {a.id} (round {a.round})")


def winner_defaulted(uow: UnitOfWork, a: Auction) -> None:
    lot = uow.get(Lot, a.lot_id)
    winner = next(x for x in a.applications if x.participant_no == a.winner_no)
    payments.forfeit_deposit(uow, a, winner)
    payments.cancel_pending(uow, application_id=winner.id)
    a.winner_defaulted(uow.now)
    _after_failure(uow, a, lot)


def _after_failure(uow, a: Auction, lot: Lot) -> None:
    for app in a.applications:
        if app.deposit_state == "held":
            payments.free_deposit(uow, a, app)
        payments.cancel_pending(uow, application_id=app.id)
    lot.auction_failed(round_no=a.round, reason=a.failure_reason, auction_on=cal.local_date(a.starts_at),
                       calendar=uow.calendar, today=uow.today)


# ---- retention (Art. 85) ----------------------------------------------------------------------------
def retention(uow: UnitOfWork, actor, lot_id: int, data: dict):
    lot = access.found(uow.session.execute(select(Lot).where(Lot.id == lot_id).with_for_update()).scalar_one_or_none(),
                       "lot", lot_id)
    p = uow.get(Proceeding, lot.proceeding_id)
    access.require(actor, "collector")
    collector = access.collector_of(actor, p)
    if collector is None:
        raise access.Forbidden("you are not a collector of this proceeding", code="not_a_party")
    if lot.status not in (Status.RETENTION_1, Status.RETENTION_2):
        raise InvalidTransition(f"no retention window is open (the lot is {lot.status})", article="85.1",
                                code="invalid_state")
    if uow.today > lot.retention_ends_on:
        raise RuleViolation(f"the retention window ended on {lot.retention_ends_on}", article="85.1", code="expired")
    decision = data.get("decision", "retain")
    if decision not in ("retain", "refuse"):
        raise BadRequest("decision is 'retain' or 'refuse'", article="85.1", code="bad_decision")
    round_no = 1 if lot.status == Status.RETENTION_1 else 2
    exists = uow.session.execute(select(RetentionRequest).where(
        RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no,
        RetentionRequest.collector_id == collector.id)).scalar_one_or_none()
    if exists:
        raise Conflict("you have already answered in this retention window", article="85.1", code="duplicate")
    uow.session.add(RetentionRequest(lot_id=lot.id, round=round_no, collector_id=collector.id, decision=decision,
                                     at=uow.now))
    uow.journal(f"retention.{decision}", "85.1", lot_id=lot.id, collector_id=collector.id, round=round_no)
    uow.flush()
    answered = uow.session.execute(select(func.count()).select_from(RetentionRequest).where(
        RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no)).scalar_one()
    if answered >= len(p.collectors):  # everyone answered: decide now rather than wait for the window's end
        decide_retention(uow, lot)
    uow.commit()
    return lot


def decide_retention(uow: UnitOfWork, lot: Lot) -> None:
    """The earliest queue first, within a queue the earliest application (platform decision). The
    chosen collector pays his Art. 85.3 charge before the lot is his; with nothing to pay it is his now."""
    if lot.retention_charge is not None:
        return  # a chosen collector's charge is awaited (or lapses, retention_charge_lapsed)
    p = uow.get(Proceeding, lot.proceeding_id)
    round_no = 1 if lot.status == Status.RETENTION_1 else 2
    requests = uow.session.execute(select(RetentionRequest).where(
        RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no,
        RetentionRequest.decision == "retain")).scalars().all()
    by_id = {c.id: c for c in p.collectors}
    if not requests:
        lot.retention_refused()
        return
    chosen = min(requests, key=lambda r: (by_id[r.collector_id].queue, r.at, r.id))
    collector = by_id[chosen.collector_id]
    charge = payments.retention_charge(uow, lot, p, collector)
    if money(charge["total"]) > 0:
        payments.request_retention_charge(uow, lot, collector, charge)
        return
    _retain(uow, lot, p, collector, charge, paid=False)


def _retain(uow: UnitOfWork, lot: Lot, p: Proceeding, collector, charge: dict, *, paid: bool) -> None:
    lot.retention_charge = None
    lot.retained(collector_id=collector.id, today=uow.today)
    payments.cancel_pending_self_sale(uow, lot_id=lot.id)
    payments.settle_retention(uow, lot, p, collector, charge, paid=paid)
    documents.retention_act(uow, lot, collector, charge)


def retention_charge_paid(uow: UnitOfWork, lot: Lot, collector_id: int) -> None:
    """The chosen collector paid his Art. 85.3 charge: the lot is his; the money is distributed."""
    p = uow.get(Proceeding, lot.proceeding_id)
    charge = lot.retention_charge
    if charge is None or charge["collector_id"] != collector_id:
        raise InvalidTransition("no retention charge of this collector is awaited", article="85.3", code="not_pending")
    collector = next(c for c in p.collectors if c.id == collector_id)
    _retain(uow, lot, p, collector, charge, paid=True)


def retention_charge_lapsed(uow: UnitOfWork, lot: Lot) -> bool:
    """The chosen collector did not pay his Art. 85.3 charge in time: he has not kept the lot; the
    next collector who applied is chosen, or, with none, every collector refused (Art. 85.2, 85.4)."""
    charge = lot.retention_charge
    if charge is None or date.fromisoformat(charge["due_on"]) >= uow.today:
        return False
    for pay in uow.session.execute(select(Payment).where(
            Payment.lot_id == lot.id, Payment.kind == "retention_charge", Payment.status == "pending")).scalars():
        pay.status = "cancelled"
        uow.journal("payment.cancelled", "85.3", lot_id=lot.id, payment_id=pay.id, reference=pay.reference)
    round_no = 1 if lot.status == Status.RETENTION_1 else 2
    for r in uow.session.execute(select(RetentionRequest).where(
            RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no,
            RetentionRequest.collector_id == charge["collector_id"])).scalars():
        r.decision = "lapsed"
    uow.journal("retention.lapsed", "85.3", lot_id=lot.id, collector_id=charge["collector_id"],
                charge=charge["total"], due_on=charge["due_on"])
    lot.retention_charge = None
    decide_retention(uow, lot)
    return True
