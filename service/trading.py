"""Applications and bids (SPEC §2.4, §3; Art. 80.1–80.3): an application with its Art. 80.2 declaration
and its deposit, presence in the room, the ascending round's bids, the descending round's acceptance,
and auto-bid (platform addition, SPEC §3): a participant sets a ceiling; whenever outbid, the server
raises by one step on the participant's behalf up to the ceiling, each raise an ordinary bid (ordered
in the database, journaled, broadcast). The auction's own course is service/auctions.py."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select, update

from auction import acts
from auction import calendar as cal
from auction import commands as c
from auction import journal as jr
from auction.auctions import Application, Auction, AuctionStatus
from auction.bidding import ascending, descending
from auction.eligibility import check_application
from auction.errors import BadRequest, Conflict, DomainError, InvalidTransition, RuleViolation, Unavailable
from auction.events import ApplicationFiled, BidAccepted, CeilingSet, PriceAccepted
from auction.identity import is_bin, require_iin_bin
from auction.lots.model import Lot
from auction.money import fmt, from_tiyn, money, to_tiyn

from . import access, auctions, deposits, documents, eligibility, load, payment_requests, signing
from .orm import Bid, User
from .queries import accounts
from .uow import UnitOfWork


# ---- applications (Art. 80.1, 80.2) ----------------------------------------------------------
def _application(uow: UnitOfWork, actor, cmd: c.Apply, *, lock: bool):
    """The auction, its lot, the applicant's IIN/BIN and declaration, and the act he signs (auction/acts.py)."""
    access.require(actor, "bidder")
    a = load.auction(uow, cmd.auction_id, lock=lock)
    a.check_accepting_applications(uow.now)
    lot = uow.get(Lot, a.lot_id)
    iin_bin = require_iin_bin(cmd.iin_bin or actor.iin_bin or "", "iin_bin")
    if actor.iin_bin and iin_bin != actor.iin_bin:
        raise BadRequest("apply with the IIN/BIN of your account", code="iin_mismatch")
    declaration = cmd.declaration
    declaration.update(iin_bin=iin_bin, is_entity=is_bin(iin_bin))
    facts = {"auction_id": a.id, "round": a.round, "lot_id": lot.id, "lot_title": lot.title,
             "starting_price": a.start_price, "deposit": a.deposit, "starts_at": a.starts_at,
             "applicant": {"iin_bin": iin_bin, "name": actor.full_name, "account": actor.email},
             "declaration": {k: declaration.get(k) for k in ("spouse", "close_relatives", "employers", "founded",
                                                              "people")},
             "statement_kk": acts.DECLARATION_KK, "statement_ru": acts.DECLARATION_RU}
    return a, lot, iin_bin, declaration, facts


def application_act(uow: UnitOfWork, actor, cmd: c.Apply) -> bytes:
    """The bytes the bidder signs with his EDS to file `cmd` (Art. 80.2): his application as it would be now."""
    *_, facts = _application(uow, actor, cmd, lock=False)
    return acts.content("application", facts)


def apply(uow: UnitOfWork, actor, cmd: c.Apply) -> Application:
    a, lot, iin_bin, declaration, facts = _application(uow, actor, cmd, lock=True)
    if a.application_of(actor.id):
        raise Conflict("you have already applied for this auction", code="duplicate_application")
    decl = eligibility.declaration_of(declaration)  # validates every declared number
    _, case = eligibility.case_parties(uow, lot)
    others = [eligibility.declaration_of(o) for o in a.applications if o.status in ("pending_deposit", "admitted")]
    conflicts = check_application(decl, case, others)
    if conflicts:
        raise RuleViolation("you may not take part: " + "; ".join(c.reason for c in conflicts), article="80.2",
                            code="ineligible")
    signature = signing.settle(uow, actor, "application", facts, cmd.cms, lot_id=lot.id, auction_id=a.id,
                               role="bidder")
    number = (max((o.participant_no for o in a.applications), default=0)) + 1
    app = Application(user_id=actor.id, iin_bin=iin_bin, is_entity=decl.is_entity, declaration=declaration,
                      deposit=a.deposit, participant_no=number, created_at=uow.now,
                      keep_in_wallet=bool(cmd.keep_in_wallet))
    a.applications.append(app)
    uow.flush()
    a._record(ApplicationFiled(participant_no=number, deposit=fmt(a.deposit)))
    if signature is not None:  # the signed act's printed form (an unsigned one is the application row alone:
        documents.auction_application(uow, lot, a, app, actor, signature)  # docs/decisions.md "Signed acts")
    if not deposits.take_deposit_from_wallet(uow, a, app, required=bool(cmd.from_wallet)):
        payment_requests.request(uow, kind="deposit", amount=a.deposit, lot_id=a.lot_id, user_id=actor.id,
                         auction_id=a.id, application_id=app.id, due_on=cal.local_date(a.applications_close_at))
    uow.commit()
    return app


def join(uow: UnitOfWork, actor, cmd: c.Join) -> Application:
    """A participant's presence in the auction room (Art. 84.4); the live layer calls it on join."""
    access.require(actor, "bidder")
    a = load.auction(uow, cmd.auction_id)
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
    previous = uow.session.execute(select(Bid).where(Bid.auction_id == a.id, Bid.client_id == client_id)
                                   ).scalar_one_or_none()
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


def place_bid(uow: UnitOfWork, actor, cmd: c.PlaceBid) -> Bid:
    """Ascending bid: exactly current + step. Ordered by one conditional update of the auction row.

    On PostgreSQL the whole decision is one call of the stored function `mulik_place_bid` (one round trip,
    committed with the call: _place_bid_in_database), which reads and checks the caller's account too: the
    runner passes it unread (access.AccountId). Elsewhere (SQLite) the same steps run here. After a
    participant's own bid, the auto-bids it outbid answer, each an ordinary bid."""
    auction_id, amount, client_id, kind = cmd.auction_id, cmd.amount, cmd.client_id, cmd.kind
    in_database = uow.dialect == "postgresql"
    if not in_database:
        actor = accounts.account(uow, actor)
    if not isinstance(actor, access.AccountId):
        _may_bid(actor)  # an auto-bidder's account (a caller's the runner read has been checked)
    # The caller's account is refused before his input, on both databases: on PostgreSQL the call checks
    # the account, and input refused here never reaches it, so only then is the account read first.
    try:
        client_id, amount = _client_id(client_id), money(amount)
    except BadRequest:
        if isinstance(actor, access.AccountId):
            _may_bid(accounts.account(uow, actor))
        raise
    if in_database:
        return _place_bid_in_database(uow, actor.id, auction_id, amount, client_id, kind)
    a = load.auction(uow, auction_id, applications=False)
    mine = _application_of(uow, a.id, actor.id)
    previous = _replay(uow, a, client_id, actor, mine)
    if previous is not None:
        return previous
    app = _participant(a, actor, mine)
    if a.round != 1:
        raise InvalidTransition("the repeat auction takes acceptances, not bids", article="80.3", code="wrong_round")
    ascending.check_bid(status=a.status, now=uow.now, starts_at=a.starts_at, ends_at=a.ends_at,
                        current=a.current_price, step=a.step, amount=amount,
                        bidder_is_leader=a.leader_no == app.participant_no)
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
                            f"{fmt(current + step)}", article="80.3", code="outbid",
                            facts={"price": current, "next_bid": current + step})
    bid = Bid(auction_id=a.id, seq=seq, application_id=app.id, participant_no=app.participant_no, amount=amount,
              kind=kind, client_id=client_id, at=uow.now)
    uow.session.add(bid)
    uow.record(bid_event(lot_id=a.lot_id, auction_id=a.id, seq=seq, amount=amount, participant_no=app.participant_no,
                         ends_at=jr.iso_utc(new_end), at=uow.now, kind=kind))
    _publish_bid(uow, a.id, seq, amount, app.participant_no, new_end, a.step, kind)
    uow.session.expire(a)
    uow.commit()
    if kind != "auto":
        answer(uow, auction_id)
    return bid


def bid_event(*, lot_id, auction_id, seq, amount, participant_no, ends_at: str, at, kind) -> BidAccepted:
    """The journal's record of an accepted bid; the stored function writes the same payload, byte for byte."""
    return BidAccepted(lot_id=lot_id, auction_id=auction_id, seq=seq, amount=fmt(amount), participant_no=participant_no,
                       ends_at=ends_at, at=jr.iso_utc(at), auto=kind == "auto")


def _publish_bid(uow, auction_id, seq, amount, participant_no, ends_at, step, kind) -> None:
    uow.publish(auction_id, {"kind": "bid", "seq": seq, "amount": fmt(amount), "participant_no": participant_no,
                             "at": uow.now.isoformat(), "ends_at": ends_at.isoformat(),
                             "next_price": fmt(ascending.next_price(amount, step)), "auto": kind == "auto"})


_BID_CALL = ("SELECT * FROM mulik_place_bid(%(auction)s, %(user)s, %(amount)s, %(client)s, %(kind)s, %(now)s, "
             "%(actor)s)")


def _place_bid_in_database(uow: UnitOfWork, user_id: int, auction_id: int, amount, client_id: str, kind: str) -> Bid:
    """The bid decided by `mulik_place_bid` (service/migrations/versions/c1d2e3f4a5b6_bid_function.py): one call
    on an autocommit connection (psycopg's cursor, not SQLAlchemy's: the call's client CPU is most of a bid's),
    so the bid, the auction's new state and the journal entry are committed when it returns and the broadcast
    follows. A refusal is named here, by the rules of auction/bidding, on the
    state the function judged under the auction row's lock (no second read)."""
    try:
        row = uow.call_committed(_BID_CALL, {"auction": auction_id, "user": user_id, "amount": to_tiyn(amount),
                                             "client": client_id, "kind": kind, "now": uow.now, "actor": uow.actor})
    except Unavailable:
        _unanswered(auction_id, client_id)
        raise
    if row.outcome == "no_account":  # the login names an account that is no more: the public
        raise access.logged_out()
    if row.outcome == "blocked":
        raise access.blocked(row.u_blocked_reason)
    if row.outcome == "not_a_bidder":
        raise access.wrong_role(row.u_role, "bidder")
    if row.outcome == "no_auction":
        access.found(None, "auction", auction_id)
    if row.outcome == "client_id_taken":
        raise Conflict("this client_id was already used in this auction by another participant; send a new one",
                       code="client_id_taken")
    if row.outcome == "refused":
        try:
            _refuse(uow, row, amount)
        except DomainError as refused:
            refused.judged = judged_state(auction_id, row)
            raise
    bid = Bid(id=row.bid_id, auction_id=auction_id, seq=row.bid_seq, application_id=row.bid_app,
              participant_no=row.bid_no, amount=from_tiyn(row.bid_amount), kind=row.bid_kind, client_id=client_id,
              at=row.bid_at)
    if row.outcome == "replayed":
        if _was_unanswered(auction_id, client_id):
            _announce_again_if_leading(uow, auction_id, bid, kind)
        return bid
    _publish_bid(uow, auction_id, row.bid_seq, amount, row.bid_no, row.ends_at, from_tiyn(row.a_step), kind)
    uow.commit()  # nothing left to write: the broadcast, after the function's commit
    if kind != "auto" and row.auto_waiting:
        answer(uow, auction_id, known=True)
    return bid


# The bids whose call lost its answer in this process (503 `unavailable`): a resend that finds one stored was
# maybe never announced. In this process only: behind nginx's ip_hash a client's resend reaches the same one.
_UNANSWERED: OrderedDict[tuple[int, str], None] = OrderedDict()
_UNANSWERED_KEPT = 10_000


def _unanswered(auction_id: int, client_id: str) -> None:
    _UNANSWERED[(auction_id, client_id)] = None
    while len(_UNANSWERED) > _UNANSWERED_KEPT:
        _UNANSWERED.popitem(last=False)


def _was_unanswered(auction_id: int, client_id: str) -> bool:
    try:
        del _UNANSWERED[(auction_id, client_id)]
    except KeyError:
        return False
    return True


def _announce_again_if_leading(uow: UnitOfWork, auction_id: int, bid, kind: str) -> None:
    """A resent bid whose first call lost its answer (503 `unavailable`) and that still leads its auction is
    broadcast then, and the auto-bidders it outbid answer it: the first call may have committed, and nobody
    heard of it. Any other resend is answered alone (one broadcast per bid). A bid outbid since is history."""
    a = uow.session.execute(select(Auction.status, Auction.current_price, Auction.leader_no, Auction.ends_at,
                                   Auction.step).where(Auction.id == auction_id)).one_or_none()
    if a is None or a.status != AuctionStatus.OPEN or (a.current_price, a.leader_no) != (bid.amount,
                                                                                          bid.participant_no):
        return
    _publish_bid(uow, auction_id, bid.seq, bid.amount, bid.participant_no, a.ends_at, a.step, kind)
    uow.commit()
    if kind != "auto":
        answer(uow, auction_id)


@dataclass(frozen=True)
class JudgedAuction:
    """An ascending auction as the bid function judged a refused bid on it (its row, read or locked by the call):
    what the room's `state` message shows of it (web/api/views.state), without another read."""
    id: int
    status: str
    round: int
    current_price: Decimal
    step: Decimal
    floor: Decimal | None
    starts_at: datetime
    ends_at: datetime | None
    seq: int
    leader_no: int | None

    def price_at(self, now: datetime) -> Decimal:
        return self.current_price  # an ascending auction's price moves by bids only (Art. 80.3)

    def next_price(self, now: datetime) -> Decimal:
        return ascending.next_price(self.current_price, self.step)


def judged_state(auction_id: int, row) -> JudgedAuction | None:
    """The refused call's auction, when its row makes the whole state: an ascending auction that has opened (an
    announced one shows its start price, and a descending one its falling price, which the row does not carry)."""
    if row.a_round != 1 or row.a_status == AuctionStatus.ANNOUNCED or row.a_seq is None:
        return None
    return JudgedAuction(id=auction_id, status=row.a_status, round=row.a_round, current_price=from_tiyn(row.a_current),
                         step=from_tiyn(row.a_step), floor=None if row.a_floor is None else from_tiyn(row.a_floor),
                         starts_at=_utc(row.a_starts_at), ends_at=_utc(row.a_ends_at), seq=row.a_seq,
                         leader_no=row.a_leader)


def _utc(at: datetime | None) -> datetime | None:
    """A time from the bid function's row, in UTC as the ORM gives it (service/orm.UTCDateTime), whatever the
    server's TimeZone (the engine sets UTC too: service/db.make_engine)."""
    return None if at is None else at.astimezone(timezone.utc)


def _refuse(uow: UnitOfWork, row, amount) -> None:
    """The rule a refused bid breaks, in the order the Python path checks them (Art. 80.1, 80.3)."""
    if row.app_id is None or row.app_status != "admitted":
        raise access.Forbidden("only admitted participants with a confirmed deposit bid", article="80.1",
                               code="not_a_participant")
    if row.a_round != 1:
        raise InvalidTransition("the repeat auction takes acceptances, not bids", article="80.3", code="wrong_round")
    current, step = from_tiyn(row.a_current), from_tiyn(row.a_step)
    if row.raced_from is not None and amount == from_tiyn(row.raced_from) + step:
        # right for the price seen when the call came, and another bid committed while it waited for the row:
        # the Python path's conditional update losing the race
        raise RuleViolation(f"outbid: the price is now {fmt(current)}; the next bid is {fmt(current + step)}",
                            article="80.3", code="outbid", facts={"price": current, "next_bid": current + step})
    ascending.check_bid(status=row.a_status, now=uow.now, starts_at=row.a_starts_at, ends_at=row.a_ends_at,
                        current=current, step=step, amount=amount, bidder_is_leader=row.a_leader == row.app_no)
    raise RuleViolation(f"outbid: the price is now {fmt(current)}; the next bid is {fmt(current + step)}",
                        article="80.3", code="outbid", facts={"price": current, "next_bid": current + step})


def accept(uow: UnitOfWork, actor, cmd: c.Accept) -> Bid:
    """Descending acceptance: the first acceptance of the current price wins (Art. 80.3)."""
    auction_id, price, client_id = cmd.auction_id, cmd.price, cmd.client_id
    access.require(actor, "bidder")
    client_id = _client_id(client_id)
    a = load.auction(uow, auction_id)
    previous = _replay(uow, a, client_id, actor)
    if previous is not None:
        return previous
    app = _participant(a, actor)
    if a.round != 2:
        raise InvalidTransition("the first auction takes bids, not acceptances", article="80.3", code="wrong_round")
    price = money(price)
    descending.check_acceptance(status=a.status, now=uow.now, starts_at=a.opened_at, start=a.start_price, step=a.step,
                                interval=a.interval, floor=a.floor, price=price,
                                already_accepted=a.leader_no is not None)
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
    uow.record(PriceAccepted(lot_id=a.lot_id, auction_id=a.id, seq=seq, amount=fmt(price),
                             participant_no=app.participant_no, at=uow.now.isoformat()))
    uow.publish(a.id, {"kind": "bid", "seq": seq, "amount": fmt(price), "participant_no": app.participant_no,
                       "at": uow.now.isoformat(), "ends_at": uow.now.isoformat(), "next_price": None,
                       "acceptance": True, "auto": False})
    uow.session.flush()
    uow.session.expire(a)
    auctions.close_auction(uow, load.auction(uow, auction_id, lock=True))
    uow.commit()
    return bid


def _may_bid(account) -> None:
    """Whoever bids is logged in, a bidder and not blocked (SPEC §8), in the order the bid function checks."""
    if account is None:
        raise access.logged_out()
    access.refuse_blocked(account)
    access.require(account, "bidder")


def _client_id(client_id) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64 or not client_id.isprintable():
        raise BadRequest("client_id is a string of 1 to 64 printable characters chosen by the client",
                         code="bad_client_id")
    return client_id


# ---- auto-bid (platform addition, SPEC §3) --------------------------------------------------------
MAX_RAISES = 10_000  # a guard: two ceilings far apart still end, each raise being one step


def set_ceiling(uow: UnitOfWork, actor, cmd: c.SetCeiling) -> dict:
    auction_id, ceiling = cmd.auction_id, cmd.ceiling
    access.require(actor, "bidder")
    a = load.auction(uow, auction_id, lock=True)
    app = _participant(a, actor)
    if a.round != 1:
        raise InvalidTransition("auto-bid exists in the ascending round only", article="80.3", code="wrong_round")
    if a.status not in (AuctionStatus.ANNOUNCED, AuctionStatus.OPEN):
        raise InvalidTransition(f"the auction is {a.status}", code="invalid_state", facts={"auction_status": a.status})
    value = None if ceiling in (None, "") else money(ceiling)
    if value is not None and value < a.current_price + a.step:
        raise RuleViolation(f"the ceiling {fmt(value)} is below the next valid bid {fmt(a.current_price + a.step)}",
                            article="80.3", code="ceiling_too_low",
                            facts={"ceiling": value, "next_bid": a.current_price + a.step})
    app.auto_bid_ceiling = value
    uow.record(CeilingSet(lot_id=a.lot_id, auction_id=a.id, participant_no=app.participant_no,
                          ceiling=fmt(value) if value is not None else None))
    uow.commit()
    if value is not None and a.status == AuctionStatus.OPEN and a.leader_no not in (None, app.participant_no):
        answer(uow, auction_id)
    return {"participant_no": app.participant_no, "ceiling": fmt(value) if value is not None else None}


def my_ceiling(uow: UnitOfWork, actor, auction_id: int) -> dict:
    """The participant's own ceiling (None: auto-bid off); others' ceilings are never shown."""
    access.require(actor, "bidder")
    app = _participant(load.auction(uow, auction_id), actor)
    return {"participant_no": app.participant_no,
            "ceiling": fmt(app.auto_bid_ceiling) if app.auto_bid_ceiling is not None else None}


def answer(uow: UnitOfWork, auction_id: int, *, known: bool = False) -> int:
    """Raise for the auto-bidders who are outbid, until none can; returns the number of raises. `known`: the
    caller already knows someone can (the bid function says so), so the first look is skipped."""
    if not known and uow.session.execute(select(Application.id).where(
            Application.auction_id == auction_id, Application.status == "admitted",
            Application.auto_bid_ceiling.is_not(None)).limit(1)).first() is None:
        return 0  # nobody has a ceiling: skip loading the auction with every application after each bid
    raises, barred = 0, set()
    while raises < MAX_RAISES:
        a = uow.session.execute(select(Auction).where(Auction.id == auction_id)
                                .execution_options(populate_existing=True)).scalar_one()
        if a.status != AuctionStatus.OPEN or a.leader_no is None:
            break
        next_price = a.current_price + a.step
        able = [x for x in a.admitted if x.auto_bid_ceiling is not None and x.auto_bid_ceiling >= next_price
                and x.participant_no != a.leader_no and x.participant_no not in barred]
        if not able:
            break
        pick = max(able, key=lambda x: (x.auto_bid_ceiling, -x.participant_no))
        user = uow.get(User, pick.user_id)
        try:
            place_bid(uow, user, c.PlaceBid(auction_id, next_price, f"auto-{auction_id}-{a.seq + 1}", kind="auto"))
        except (access.Blocked, access.Forbidden, access.Unauthorized):  # the account blocked (SPEC §8), or no
            # longer a bidder's: its ceiling raises no more
            uow.session.rollback()
            barred.add(pick.participant_no)
            continue
        except Unavailable:  # the database went away: the auto-bids answer at the next bid, not in a loop now
            raise
        except DomainError:  # a manual bid won the race: look again at the new price
            uow.session.rollback()
            continue
        raises += 1
    return raises
