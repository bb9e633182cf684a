"""Retention (Art. 85): after a failed auction each collector may keep the lot at its value. The
earliest queue is chosen first; the chosen collector pays his Art. 85.3 charge (his share of the
expenses and of the private bailiff's fee, and the value above what the case owes him) before the lot
is his; unpaid in time, the next collector who applied is chosen. The sweeper decides a window that
ran out and lapses an unpaid charge."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from auction import acts
from auction import calendar as cal
from auction import commands as c
from auction.auctions import Auction
from auction.distribution import Line
from auction.errors import BadRequest, Conflict, InvalidTransition, RuleViolation
from auction.events import (
    CollectorRefuses,
    CollectorRetains,
    RetentionChargeRequested,
    RetentionLapsed,
    RetentionSettled,
)
from auction.fees import private_bailiff_fee
from auction.lots.model import Lot, Status
from auction.money import CENT, ZERO, fmt, money
from auction.proceedings import Proceeding

from . import access, distribution, documents, load, payment_requests, settings, signing
from .orm import Distribution, Payment, RetentionRequest
from .uow import UnitOfWork


# ---- the collectors' answers and the choice (Art. 85.1, 85.2) ----------------------------------------
def _retention(uow: UnitOfWork, actor, cmd: c.AnswerRetention, *, lock: bool):
    """The lot, its proceeding, the collector, the round, the law's checks of his answer (nothing changed),
    and the facts of his application to keep the lot (auction/acts.py; a refusal is not an act he signs)."""
    lot = load.lot(uow, cmd.lot_id, lock=lock)
    p = uow.get(Proceeding, lot.proceeding_id)
    access.require(actor, "collector")
    collector = access.collector_of(actor, p)
    if collector is None:
        raise access.Forbidden("you are not a collector of this proceeding", article="85.1", code="not_a_party")
    window_open(uow, lot)
    decision = cmd.decision
    if decision not in ("retain", "refuse"):
        raise BadRequest("decision is 'retain' or 'refuse'", article="85.1", code="bad_decision")
    round_no = 1 if lot.status == Status.RETENTION_1 else 2
    exists = uow.session.execute(select(RetentionRequest).where(
        RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no,
        RetentionRequest.collector_id == collector.id)).scalar_one_or_none()
    if exists:
        raise Conflict("you have already answered in this retention window", article="85.1", code="duplicate")
    failed = uow.session.execute(select(Auction).where(Auction.lot_id == lot.id)
                                 .order_by(Auction.id.desc()).limit(1)).scalar_one_or_none()
    facts = {"lot_id": lot.id, "lot_title": lot.title, "round": round_no,
             "failed_auction": None if failed is None else {"id": failed.id, "round": failed.round,
                                                            "reason": failed.failure_reason},
             "collector": {"name": collector.name, "iin_bin": collector.iin_bin, "queue": collector.queue},
             "valuation": lot.value, "decision": decision}
    return lot, p, collector, round_no, failed, facts


def retention_act(uow: UnitOfWork, actor, cmd: c.AnswerRetention) -> bytes:
    """The bytes the collector signs with his EDS to keep the lot at its value (Art. 85.1), as they stand now."""
    *_, facts = _retention(uow, actor, cmd, lock=False)
    if cmd.decision != "retain":
        raise BadRequest("only the application to keep the lot is signed; a refusal carries no signature",
                         article="85.1", code="bad_decision")
    return acts.content("retention_application", facts)


def retention(uow: UnitOfWork, actor, cmd: c.AnswerRetention):
    lot, p, collector, round_no, failed, facts = _retention(uow, actor, cmd, lock=True)
    decision = cmd.decision
    if decision == "retain":  # printed on the retention act when the lot is his (documents.retention_act)
        signing.settle(uow, actor, "retention_application", facts, cmd.cms, lot_id=lot.id,
                       auction_id=failed.id if failed else None, role="collector")
    elif cmd.cms:
        raise BadRequest("only the application to keep the lot is signed; a refusal carries no signature",
                         article="85.1", code="bad_decision")
    uow.session.add(RetentionRequest(lot_id=lot.id, round=round_no, collector_id=collector.id, decision=decision,
                                     at=uow.now))
    answer = CollectorRetains if decision == "retain" else CollectorRefuses
    uow.record(answer(lot_id=lot.id, collector_id=collector.id, round=round_no))
    uow.flush()
    answered = uow.session.execute(select(func.count()).select_from(RetentionRequest).where(
        RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no)).scalar_one()
    if answered >= len(p.collectors):  # everyone answered: decide now rather than wait for the window's end
        decide_retention(uow, lot)
    uow.commit()
    return lot


def window_open(uow: UnitOfWork, lot: Lot) -> None:
    """Art. 85.1: the collectors answer while the lot's retention window is open, else a refusal."""
    if lot.status not in (Status.RETENTION_1, Status.RETENTION_2):
        raise InvalidTransition(f"no retention window is open (the lot is {lot.status})", article="85.1",
                                code="invalid_state", facts={"lot_status": lot.status})
    if uow.today > lot.retention_ends_on:
        raise RuleViolation(f"the retention window ended on {lot.retention_ends_on}", article="85.1", code="expired",
                            facts={"ended_on": lot.retention_ends_on})


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
    charge = retention_charge(uow, lot, p, collector)
    if money(charge["total"]) > 0:
        request_retention_charge(uow, lot, collector, charge)
        return
    _retain(uow, lot, p, collector, charge, paid=False)


def _retain(uow: UnitOfWork, lot: Lot, p: Proceeding, collector, charge: dict, *, paid: bool) -> None:
    lot.retention_charge = None
    lot.retained(collector_id=collector.id, today=uow.today)
    payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
    settle_retention(uow, lot, p, collector, charge, paid=paid)
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
    payment_requests.cancel_retention_charge(uow, lot_id=lot.id)
    round_no = 1 if lot.status == Status.RETENTION_1 else 2
    for r in uow.session.execute(select(RetentionRequest).where(
            RetentionRequest.lot_id == lot.id, RetentionRequest.round == round_no,
            RetentionRequest.collector_id == charge["collector_id"])).scalars():
        r.decision = "lapsed"
    uow.record(RetentionLapsed(lot_id=lot.id, collector_id=charge["collector_id"], charge=charge["total"],
                               due_on=charge["due_on"]))
    lot.retention_charge = None
    decide_retention(uow, lot)
    return True


# ---- the chosen collector's charge (Art. 85.3) ------------------------------------------------------
def retention_charge(uow: UnitOfWork, lot, p, collector) -> dict:
    """Art. 85.3: what the collector chosen to keep the lot pays before it is his. From the value of the
    property he takes he reimburses, in proportion to that value, the execution expenses and the
    private bailiff's fee (his writ's fee on the value set off against it, Art. 118), and he pays the
    part of the value above what the case owes him (Art. 55.5). Proportion: the value set off against
    his claim over all the claims the case still owes (docs/decisions.md)."""
    value = lot.value
    owed = collector.outstanding
    set_off = min(value, owed)
    excess = value - set_off
    expenses_left = max(p.expenses - _expenses_paid(uow, p), ZERO)
    total_owed = sum((c.outstanding for c in p.collectors), ZERO)
    share = min(Decimal(1), set_off / total_owed) if total_owed > 0 else Decimal(0)
    expenses_share = (expenses_left * share).quantize(CENT, rounding=ROUND_HALF_UP)
    fee_share, rate, mci, mci_year = ZERO, None, None, None
    if p.private_bailiff and set_off > 0:
        mci_year, mci = settings.mci_for(uow.session, uow.today)
        f = private_bailiff_fee(set_off, category=collector.fee_category, mci=mci, claim_amount=collector.claim,
                                already_charged=collector.fee_charged)
        fee_share, rate = f.amount, f.rate
    return {"collector_id": collector.id, "value": fmt(value), "owed": fmt(owed), "set_off": fmt(set_off),
            "excess": fmt(excess), "expenses_share": fmt(expenses_share), "fee_share": fmt(fee_share),
            "fee_rate": None if rate is None else format(rate.normalize(), "f"),
            "mci": None if mci is None else fmt(mci), "mci_year": mci_year,
            "total": fmt(excess + expenses_share + fee_share)}


def _expenses_paid(uow, p) -> Decimal:
    rows = uow.session.execute(select(Distribution).where(Distribution.lot_id.in_(
        select(Lot.id).where(Lot.proceeding_id == p.id)))).scalars().all()
    return sum((Decimal(ln["amount"]) for d in rows for ln in d.statement["lines"] if ln["kind"] == "expenses"), ZERO)


def request_retention_charge(uow: UnitOfWork, lot, collector, charge: dict) -> Payment:
    due = uow.calendar.deadline_within(uow.today, cal.RETENTION_CHARGE_WD)
    lot.retention_charge = dict(charge, due_on=due.isoformat())
    uow.record(RetentionChargeRequested(lot_id=lot.id, charge=lot.retention_charge))
    return payment_requests.request(uow, kind="retention_charge", amount=money(charge["total"]), lot_id=lot.id,
                   user_id=collector.user_id, collector_id=collector.id, due_on=due)


def settle_retention(uow: UnitOfWork, lot, p, collector, charge: dict, *, paid: bool) -> None:
    """The lot is the collector's (Art. 85.1, 85.3): his claim is reduced by the value set off; the
    expenses and fee he bore become his claim against the debtor ("this sum is later recovered from
    the debtor", Art. 85.3); what he paid is distributed, his shares off the top."""
    set_off, excess = money(charge["set_off"]), money(charge["excess"])
    expenses_share, fee_share = money(charge["expenses_share"]), money(charge["fee_share"])
    collector.paid += set_off
    collector.claim += expenses_share + fee_share
    uow.record(RetentionSettled(lot_id=lot.id, collector_id=collector.id, value=charge["value"], set_off=fmt(set_off),
                                excess=fmt(excess), expenses_share=fmt(expenses_share), fee_share=fmt(fee_share),
                                claim_against_debtor=fmt(expenses_share + fee_share)))
    if not paid:
        return
    first = []
    if fee_share > 0:
        first.append(Line("bailiff_fee", fee_share, collector.id, collector.id, article="85.3, 118", due=fee_share,
                          rate=Decimal(charge["fee_rate"])))
    if expenses_share > 0:
        first.append(Line("expenses", expenses_share, article="85.3, 113", due=expenses_share))
    distribution.distribute_proceeds(uow, lot, money(charge["total"]), source="retention", first=tuple(first))
