"""Unit of work: one transaction; rolls back unless told to commit.

On commit it turns the events the aggregates recorded into journal entries (in the same
transaction, so a state change and its journal entry land together or not at all), then
hands auction events to the publisher after the commit (broadcasts never precede it).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Callable

from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from auction import calendar as cal
from auction import journal as jr
from auction import ledger as lg
from auction.auctions import Application, Auction
from auction.events import Event, LedgerPosted
from auction.ledger import Transaction
from auction.lots.model import Lot
from auction.money import ZERO
from auction.proceedings import Proceeding

from .orm import CalendarOverride, JournalEntry, JournalHead, LedgerAccount, Posting


class Publisher:
    """Where auction events go after the commit (the live layer subscribes here)."""

    def publish(self, auction_id: int, event: dict) -> None:  # pragma: no cover - interface
        pass


@event.listens_for(Session, "loaded_as_persistent")
@event.listens_for(Session, "pending_to_persistent")
def _keep(session, obj) -> None:
    """An aggregate loaded or added in a unit of work's session, kept in its list (UnitOfWork.__enter__): one
    listener for every session, not two registered per unit of work (60 us of a bid's, bench/micro.py)."""
    kept = session.info.get("aggregates")
    if kept is not None and isinstance(obj, (Lot, Auction, Proceeding)):
        kept.append(obj)


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker, clock: Callable[[], datetime],
                 publisher: Publisher | None = None, actor: str | None = None,
                 online: Callable[[int], set[int]] | None = None, signing=None):
        self.session_factory, self.clock, self.publisher = session_factory, clock, publisher or Publisher()
        self.signing = signing  # the EDS signing of acts (service/signing.Signing); None: no act can be signed
        self.actor = actor
        # Who is connected to an auction room now (participant numbers), from the live layer;
        # None where no live layer runs (the opening then uses the last time each was seen).
        self.online = online
        self._session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        # The session's identity map holds objects weakly: once flushed, an aggregate that no
        # caller still references would be dropped with the events it recorded, and its
        # journal entries lost. Every aggregate of this unit of work is kept alive until it ends (_keep).
        self._aggregates: list = []
        self._session: Session | None = None  # opened on first use (the bid on PostgreSQL needs none)
        self.now = self.clock()
        self.today: date = cal.local_date(self.now)
        self._calendar: cal.WorkingCalendar | None = None
        self._entries: list[dict] = []
        self._published: list[tuple[int, dict]] = []
        return self

    def __exit__(self, *exc) -> None:
        if self._session is not None:
            self._session.rollback()
            self._session.close()

    @property
    def session(self) -> Session:
        """This unit of work's session, opened when first used: a use case that only calls the database's own
        function (the bid on PostgreSQL: call_committed) opens none (~20 us of a bid's CPU)."""
        if self._session is None:
            self._session = self.session_factory(info={"aggregates": self._aggregates})
        return self._session

    @property
    def dialect(self) -> str:
        """The database's kind, "postgresql" or "sqlite", without opening the session."""
        return self.session_factory.kw["bind"].dialect.name

    # ---- reads -------------------------------------------------------------------------------
    @property
    def calendar(self) -> cal.WorkingCalendar:
        if self._calendar is None:
            rows = self.session.execute(select(CalendarOverride.day, CalendarOverride.working)).all()
            self._calendar = cal.WorkingCalendar({d: w for d, w in rows})
        return self._calendar

    def get(self, cls, ident):
        return self.session.get(cls, ident)

    def call_committed(self, statement: str, params: dict):
        """The first row of `statement` (psycopg placeholders, `%(name)s`), run by itself on an autocommit
        connection of the pool (PostgreSQL's bid function, one round trip per bid: service/db.py
        call_autocommitted). What this unit of work read before is let go first (its read-only transaction
        committed, the objects kept): the statement is never part of a larger transaction."""
        from .db import call_autocommitted
        if self._session is not None and self._session.in_transaction():
            self._session.commit()
        return call_autocommitted(self.session_factory.kw["bind"], statement, params)

    # The few reads and writes a use case needs by name, so that its handler runs on a fake unit of
    # work in the unit tests (tests/unit/fakes.py), no database (cosmicpython's repository, kept small).
    def find(self, cls, ident, *, lock: bool = False):
        """The `cls` (Lot, Proceeding, Auction, Dispute, User…) with id `ident`, or None. `lock`: SELECT
        … FOR UPDATE on PostgreSQL, so two transactions changing it see each other's result."""
        if not lock:
            return self.session.get(cls, ident)
        return self.session.execute(select(cls).where(cls.id == ident).with_for_update()).scalar_one_or_none()

    def user_by_email(self, email: str):
        """The account of `email` (stored lower-case), or None."""
        from .orm import User
        return self.session.execute(select(User).where(User.email == email.lower())).scalar_one_or_none()

    def users_by_iin_bin(self, number: str) -> list:
        """The accounts holding an IIN/BIN (a person may hold more than one: a bidder and a debtor)."""
        from .orm import User
        return list(self.session.execute(select(User).where(User.iin_bin == number).order_by(User.id)).scalars())

    def eds_challenge(self, nonce: str, *, lock: bool = False):
        """The EDS challenge of `nonce`, or None; `lock`: FOR UPDATE on PostgreSQL (two sign-ins naming it
        at once: the second sees it spent)."""
        from .orm import EdsChallenge
        query = select(EdsChallenge).where(EdsChallenge.nonce == nonce)
        return self.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()

    def forget_eds_challenges(self, *, before: datetime) -> None:
        """The EDS challenges that ran out before `before`: nobody can use them any more."""
        from sqlalchemy import delete

        from .orm import EdsChallenge
        self.session.execute(delete(EdsChallenge).where(EdsChallenge.expires_at < before))

    def add(self, obj) -> None:
        """A new row, written at the next flush (its id known after it)."""
        self.session.add(obj)

    def balance(self, account: str):
        total = self.session.execute(select(func.sum(Posting.amount)).where(Posting.account == account)).scalar_one()
        return total if total is not None else ZERO

    def reserved(self, account: str):
        """Money of `account` promised elsewhere: a bidder's wallet holds the deposits of the auctions he
        is admitted to until they are freed, applied or forfeited (Art. 80.1)."""
        user_id = lg.deposit_owner(account)
        if user_id is None:
            return ZERO
        held = self.session.execute(select(func.sum(Application.deposit)).where(
            Application.user_id == user_id, Application.deposit_state == "held")).scalar_one()
        return held if held is not None else ZERO

    def lock_accounts(self, *accounts: str) -> None:
        """Lock the row of each account until this transaction ends, in a fixed order (no deadlock
        between two transactions locking the same accounts): whatever this transaction then reads of
        their balances and reservations no other can change before it commits. On PostgreSQL a row
        lock (SELECT ... FOR UPDATE); on SQLite every transaction already holds the write lock from
        its BEGIN IMMEDIATE (service/db.py), which serialises them all."""
        for account in sorted(set(accounts)):
            q = select(LedgerAccount).where(LedgerAccount.account == account).with_for_update()
            if self.session.execute(q).scalar_one_or_none() is not None:
                continue
            # The account's first use: concurrent transactions may all find no row. Each tries to make
            # it in a savepoint; a loser waits for the winner's commit, then locks the winner's row.
            try:
                with self.session.begin_nested():
                    self.session.add(LedgerAccount(account=account))
            except IntegrityError:
                pass
            self.session.execute(q).scalar_one()

    def hold(self, account: str, amount, kind: str) -> None:
        """Reserve `amount` of `account` (a deposit taken from the wallet): refused with Overdraft unless
        the account has it free, read under the account's lock. The caller records the reservation
        (the application's deposit held) in the same transaction."""
        self.lock_accounts(account)
        lg.check_hold(kind, account, amount, self.balance(account), self.reserved(account))

    # ---- writes ------------------------------------------------------------------------------
    def record(self, event: Event) -> None:
        """Journal `event` (auction/events.py) when this unit of work commits; an aggregate's own events
        are collected from it instead."""
        self._entries.append(dict(kind=event.kind, article=event.article, lot_id=getattr(event, "lot_id", None),
                                  auction_id=getattr(event, "auction_id", None), payload=event.payload))

    def publish(self, auction_id: int, event: dict) -> None:
        self._published.append((auction_id, event))

    def post(self, txn: Transaction, *, lot_id: int | None = None) -> None:
        """Write a balanced ledger transaction; refuse (Overdraft) one that would take an account that
        must stay non-negative below zero, or below what is reserved on it — checked under the lock
        of every account it takes money from, so two transactions cannot both spend the same money."""
        txn.validate()
        self.lock_accounts(*lg.accounts_debited(txn))
        lg.check_covered(txn, self.balance, self.reserved)
        key = str(uuid.uuid4())
        for p in txn.postings:
            self.session.add(Posting(txn=key, kind=txn.kind, account=p.account, amount=p.amount,
                                     reference=txn.reference, lot_id=lot_id, at=self.now))
        self.record(LedgerPosted(lot_id=lot_id, txn=key, txn_kind=txn.kind, reference=txn.reference,
                                 postings=[[p.account, str(p.amount)] for p in txn.postings]))

    def _collect_events(self) -> None:
        self.session.flush()
        for obj in list(self.session.identity_map.values()):
            events = getattr(obj, "events", None)
            if not events:
                continue
            if isinstance(obj, Lot):
                ids = dict(lot_id=obj.id)
            elif isinstance(obj, Auction):
                ids = dict(lot_id=obj.lot_id, auction_id=obj.id)
            elif isinstance(obj, Proceeding):
                ids = dict(proceeding_id=obj.id)
            else:
                ids = {}
            for ev in events:
                payload = dict(ev.payload)
                lot_id, auction_id = ids.get("lot_id"), ids.get("auction_id")
                if "proceeding_id" in ids:
                    payload["proceeding_id"] = ids["proceeding_id"]
                self._entries.append(dict(kind=ev.kind, article=ev.article, lot_id=lot_id,
                                          auction_id=auction_id, payload=payload))
                if auction_id is not None:
                    self._published.append((auction_id, {"kind": ev.kind, "article": ev.article, **payload}))
            obj.events = []

    def _write_journal(self) -> None:
        """Append the recorded entries, each to its lot's chain (or the platform's), in the order recorded.
        Each chain's head row is locked for the rest of the transaction (so its seq is gap-free), the heads
        in a fixed order (no deadlock between two transactions writing the same chains)."""
        if not self._entries:
            return
        heads = {chain: self.journal_head(chain) for chain in sorted({jr.chain_of(e["lot_id"]) for e in self._entries})}
        for e in self._entries:
            chain = jr.chain_of(e["lot_id"])
            head = heads[chain]
            entry = jr.make_entry(head.hash, seq=head.seq + 1, at=self.now, kind=e["kind"], actor=self.actor,
                                  lot_id=e["lot_id"], auction_id=e["auction_id"], article=e["article"],
                                  payload=_jsonable(e["payload"]), chain=chain)
            self.session.add(JournalEntry(chain=chain, seq=entry.seq, at=entry.at, kind=entry.kind, actor=entry.actor,
                                          lot_id=entry.lot_id, auction_id=entry.auction_id, article=entry.article,
                                          payload=entry.payload, prev_hash=entry.prev_hash, hash=entry.hash))
            head.seq, head.hash = entry.seq, entry.hash
        self._entries = []

    def journal_head(self, chain: str) -> JournalHead:
        """The head row of `chain`, locked until this transaction ends (SELECT ... FOR UPDATE on PostgreSQL;
        SQLite's BEGIN IMMEDIATE already serialises every writer)."""
        query = (select(JournalHead).where(JournalHead.chain == chain).with_for_update()
                 .execution_options(populate_existing=True))  # a head read earlier in this session is stale
        head = self.session.execute(query).scalar_one_or_none()
        if head is not None:
            return head
        # The chain's first entry: concurrent transactions may all find no head row. Each tries to create
        # it in a savepoint; a loser waits for the winner's commit, then locks the winner's row.
        try:
            with self.session.begin_nested():
                self.session.add(JournalHead(chain=chain, seq=0, hash=jr.GENESIS))
        except IntegrityError:
            pass
        return self.session.execute(query).scalar_one()

    def flush(self) -> None:
        self._collect_events()

    def commit(self) -> None:
        session = self._session
        if self._entries or (session is not None and (session.in_transaction() or session.identity_map
                                                      or session.new or session.deleted)):
            self._collect_events()
            self._write_journal()
            self.session.commit()
        # else nothing to write, nor any aggregate with events (the bid on PostgreSQL, committed by its own
        # call): the broadcast alone, without a flush and an empty transaction (~50 us of a bid's CPU)
        published, self._published = self._published, []
        for auction_id, ev in published:
            self.publisher.publish(auction_id, ev)

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()
        self._entries, self._published = [], []


def _jsonable(value):
    from decimal import Decimal
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
