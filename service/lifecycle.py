"""Use cases from arrest to the realization order: proceedings, lots, valuation, self-sale,
suspension and release (SPEC §2.1–2.3, 2.7). Each handler: check access, load, call the
domain, commit. An auction's own course is auctions.py; applications and bids trading.py; money
payment_requests.py, deposits.py, payments.py and distribution.py.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from auction import acts
from auction import commands as c
from auction.errors import RuleViolation
from auction.events import (
    ABSENT,
    ArrearsDetermined,
    LotArrested,
    ProceedingCreated,
    ProceedingReleased,
    ProceedingResumed,
    ProceedingSuspended,
    ViewingDescribed,
)
from auction.identity import require_iin_bin
from auction.lots.coowners import CoOwner
from auction.lots.model import FINAL, SELF_SALE_FROM, InventoryItem, Lot, Status
from auction.lots.property import exclusion, real_estate_title
from auction.money import fmt as money_text
from auction.money import money
from auction.proceedings import Collector, Proceeding

from . import access, auctions, documents, load, payment_requests, signing
from .orm import Payment
from .runner import actor_label
from .uow import UnitOfWork


# ---- proceedings and lots ---------------------------------------------------------------------
def create_proceeding(uow: UnitOfWork, actor, cmd: c.CreateProceeding) -> Proceeding:
    access.require(actor, "bailiff")
    debtor = cmd.debtor
    debtor_user = load.user_ref(uow, debtor.user, "debtor")
    p = Proceeding(
        number=cmd.number, bailiff_id=actor.id, bailiff_iin=require_iin_bin(actor.iin_bin or "", "bailiff iin"),
        private_bailiff=bool(cmd.private_bailiff), debtor_name=debtor.name,
        debtor_iin_bin=require_iin_bin(debtor.iin_bin, "debtor.iin_bin"), debtor_is_entity=debtor.is_entity,
        debtor_user_id=debtor_user.id if debtor_user else None,
        judge_iin=require_iin_bin(cmd.judge_iin, "judge_iin") if cmd.judge_iin else None,
        pledgee_bin=require_iin_bin(cmd.pledgee_bin, "pledgee_bin") if cmd.pledgee_bin else None,
        fines=money(cmd.fines), expenses=money(cmd.expenses), created_at=uow.now)
    if uow.session.execute(select(Proceeding.id).where(Proceeding.number == p.number)).first():
        raise RuleViolation(f"proceeding number {p.number} already exists", code="duplicate")
    for i, x in enumerate(cmd.collectors, start=1):
        user = load.user_ref(uow, x.user, "collector")
        p.collectors.append(Collector(name=x.name, iin_bin=require_iin_bin(x.iin_bin, "collector iin_bin"),
                                      kind=x.kind, claim=money(x.claim), order=i,
                                      user_id=user.id if user else None, fee_category=x.fee_category))
    if not p.collectors:
        raise RuleViolation("a proceeding has at least one collector", article="1", code="no_collector")
    uow.session.add(p)
    uow.flush()
    uow.record(ProceedingCreated(proceeding_id=p.id, number=p.number,
                                 collectors=[[c.id, c.queue, str(c.claim), c.kind, c.queue_article]
                                             for c in p.collectors]))
    uow.commit()
    return p


def create_lot(uow: UnitOfWork, actor, cmd: c.CreateLot) -> Lot:
    p = load.proceeding(uow, cmd.proceeding_id)
    access.own_bailiff(actor, p)
    p.ensure_active()
    items = [InventoryItem(i.name, i.marks, money(i.price), i.kind, int(i.quantity)) for i in cmd.items]
    coowners = [CoOwner(x.name, require_iin_bin(x.iin_bin, "coowner iin_bin"), x.notified_on) for x in cmd.coowners]
    lot = Lot(proceeding_id=p.id, title=cmd.title, description=cmd.description,
              category=cmd.category, debtor_is_entity=p.debtor_is_entity,
              used_in_production=bool(cmd.used_in_production), pledged=bool(cmd.pledged), items=items,
              arrested_on=cmd.arrested_on or uow.today,
              ownership_established_on=cmd.ownership_established_on, calendar=uow.calendar,
              perishable=bool(cmd.perishable), common_share=bool(cmd.common_share),
              coowners_notifiable=bool(cmd.coowners_notifiable), coowners=coowners,
              real_estate=real_estate_title(cmd.real_estate_title), custodian=cmd.custodian,
              storage_place=cmd.storage_place, viewing=cmd.viewing,
              photos=None if cmd.photos is None else list(cmd.photos), region=cmd.region)
    if lot.arrested_on > uow.today:
        raise RuleViolation("the arrest date cannot be in the future", article="62", code="bad_date")
    uow.add(lot)
    uow.flush()
    uow.record(LotArrested(
        lot_id=lot.id, title=lot.title, category=lot.category, priority=lot.priority,
        priority_article=lot.priority_article, used_in_production=lot.used_in_production, pledged=lot.pledged,
        valuation_due_on=lot.valuation_due_on.isoformat(),
        inventory_total=str(sum((i.price * i.quantity for i in items), Decimal("0.00"))),
        real_estate=None if lot.cadastral_number is None else {
            "cadastral_number": lot.cadastral_number, "address": lot.address, "area": str(lot.area),
            "title_reg_no": lot.title_reg_no, "title_reg_date": lot.title_reg_date.isoformat()},
        coowners=[[c.name, c.notified_on.isoformat() if c.notified_on else None] for c in coowners],
        preemption_ends_on=lot.preemption_ends_on.isoformat() if lot.preemption_ends_on else None))
    for e in cmd.encumbrances:  # Art. 74.2: what stands on the property at the arrest
        _encumber(uow, lot, e)
    if lot.perishable:  # Art. 77.2: straight from the arrest, without a valuation
        lot.send_to_commission_sale(today=uow.today)
    uow.commit()
    return lot


def record_coowner_notified(uow, actor, cmd: c.RecordCoOwnerNotified) -> Lot:
    """Art. 60.2: the day this co-owner was notified; the pre-emption end is derived from it."""
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    lot.record_coowner_notified(_coowner_index(lot, cmd.coowner_id), notified_on=cmd.notified_on, today=uow.today)
    uow.commit()
    return lot


def record_coowner_decision(uow, actor, cmd: c.RecordCoOwnerDecision) -> Lot:
    """Art. 60.1: a co-owner declined the share or bought it at the specialist's value."""
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    lot.record_coowner_decision(_coowner_index(lot, cmd.coowner_id), decision=cmd.decision, today=uow.today)
    if lot.status == "SOLD_TO_COOWNER":
        payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
    uow.commit()
    return lot


def _coowner_index(lot: Lot, coowner_id: int) -> int:
    return next((i for i, c in enumerate(lot.coowners) if c.id == coowner_id), -1)


def record_preemption_declined(uow, actor, cmd: c.DeclinePreemption) -> Lot:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    lot.record_preemption_declined()
    uow.commit()
    return lot


def determine_arrears(uow, actor, cmd: c.DetermineArrears) -> Proceeding:
    """Art. 99.1: the bailiff's resolution determining the alimony arrears (and the penalty)."""
    p = load.proceeding(uow, cmd.proceeding_id, lock=True)
    access.own_bailiff(actor, p)
    p.ensure_active()
    col = access.found(next((x for x in p.collectors if x.id == cmd.collector_id), None), "collector",
                       cmd.collector_id)
    change = col.determine_arrears(arrears=money(cmd.arrears), penalty=money(cmd.penalty or "0"),
                                   resolution_no=cmd.resolution_no, resolution_date=cmd.resolution_date,
                                   today=uow.today, now=uow.now, by=actor_label(actor))
    uow.flush()
    uow.record(ArrearsDetermined(proceeding_id=p.id, collector_id=col.id, old_claim=money_text(change.old_claim),
                                 new_claim=money_text(change.new_claim), arrears=money_text(change.arrears),
                                 penalty=money_text(change.penalty), outstanding=money_text(col.outstanding),
                                 resolution_no=change.resolution_no,
                                 resolution_date=change.resolution_date.isoformat()))
    uow.commit()
    return p


# ---- realization order (Art. 72, 77) ------------------------------------------------------------
def _realization(uow, actor, cmd: c.OrderRealization, *, lock: bool):
    """The lot, its proceeding, the earlier-queue lots still unrealized, the law's checks of the order
    (nothing changed), and the facts of the order the bailiff signs (auction/acts.py)."""
    lot = load.lot(uow, cmd.lot_id, lock=lock)
    p = load.proceeding(uow, lot.proceeding_id)
    access.own_bailiff(actor, p)
    p.ensure_active()
    if p.bankruptcy_pending:
        raise RuleViolation("bankruptcy proceedings against the debtor are pending: realization is suspended",
                            article="74.3", code="bankruptcy")
    earlier = uow.session.execute(select(Lot).where(
        Lot.proceeding_id == p.id, Lot.priority < lot.priority, Lot.id != lot.id,
        Lot.status.not_in(list(FINAL))).order_by(Lot.id)).scalars().all()
    check = {"today": uow.today, "earlier_unrealized": [x.id for x in earlier],
             "override_ground": cmd.override_ground, "override_reason": cmd.override_reason,
             "writ_covered_by": _writ_covered_by(p, earlier)}
    reason = lot.check_order_realization(**check)
    v = lot.valuation
    facts = {"lot_id": lot.id, "lot_title": lot.title, "proceeding_number": p.number,
             "valuation": {"value": lot.value, "report_no": v.report_no, "report_date": v.report_date},
             "starting_price": lot.value, "priority_queue": lot.priority, "priority_article": lot.priority_article,
             "method": "commission" if lot.perishable else "auction"}
    if cmd.override_ground is not None:  # Art. 72.4: out of the queue, on its ground and circumstances
        facts["override"] = {"ground": cmd.override_ground, "reason": reason, "article": "72.4"}
    return lot, check, facts


def realization_order_act(uow, actor, cmd: c.OrderRealization) -> bytes:
    """The bytes the bailiff signs with his EDS to order `cmd` (Art. 77.1): the order as it would be now."""
    *_, facts = _realization(uow, actor, cmd, lock=False)
    return acts.content("realization_order", facts)


def order_realization(uow, actor, cmd: c.OrderRealization) -> Lot:
    lot, check, facts = _realization(uow, actor, cmd, lock=True)
    signature = signing.settle(uow, actor, "realization_order", facts, cmd.cms, lot_id=lot.id, role="bailiff")
    lot.order_realization(**check)
    documents.realization_order(uow, lot, signatures=[signature])
    uow.commit()
    return lot


def _writ_covered_by(p: Proceeding, earlier: list[Lot]) -> str | None:
    """Art. 72.4 "the order would not satisfy the writ": false when every earlier-queue lot is valued
    and their values together cover what the case owes (fines, expenses, the claims outstanding).
    An earlier lot without a valuation leaves the question open: the ground may be given."""
    if not earlier or any(x.value is None for x in earlier):
        return None
    values = sum((x.value for x in earlier), Decimal("0.00"))
    owed = p.fines + p.expenses + p.total_claims
    if values < owed:
        return None
    return (f"the earlier-queue lots {', '.join(str(x.id) for x in earlier)} are valued at {money_text(values)} "
            f"together, which covers the {money_text(owed)} the case owes (fines, expenses, claims): realization in "
            "the order of Art. 72 would satisfy the writ")


def declare_not_realizable(uow, actor, cmd: c.DeclareNotRealizable) -> Lot:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    lot.declare_not_realizable(reason=cmd.reason or "specialist's conclusion")
    payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
    uow.commit()
    return lot


# ---- self-sale (Art. 74.2) ------------------------------------------------------------------------
def _debtor_case(uow, actor, lot_id: int):
    lot = load.lot(uow, lot_id, lock=True)
    return lot, load.proceeding(uow, lot.proceeding_id, lock=True)


def apply_self_sale(uow, actor, cmd: c.ApplySelfSale) -> Lot:
    """The debtor's written application (Art. 74.2); the bailiff is notified and answers it."""
    lot, p = _debtor_case(uow, actor, cmd.lot_id)
    access.require(actor, "debtor")
    if p.debtor_user_id != actor.id:
        raise access.Forbidden("only the debtor of this proceeding applies for self-sale", article="74.2",
                               code="not_a_party")
    price = money(cmd.price) if cmd.price not in (None, "") else None
    lot.apply_self_sale(today=uow.today, proceeding_used=p.self_sale_used, price=price)
    uow.commit()
    return lot


def grant_self_sale(uow, actor, cmd: c.GrantSelfSale) -> Lot:
    """The bailiff gives the right (Art. 74.2): the window runs from today and the permission is issued.
    A dwelling's auction that is only announced is cancelled (deposits refunded), since during the three
    months the dwelling "сауда-саттыққа шығарыла алмайды"; one already open must end first."""
    lot, p = _debtor_case(uow, actor, cmd.lot_id)
    access.own_bailiff(actor, p)
    live = load.live_auction(uow, lot.id)
    if lot.is_dwelling and live is not None and live.status == "announced" and lot.status in SELF_SALE_FROM:
        lot._require_application()
        if p.self_sale_used:
            raise RuleViolation("the right to self-sale can be used once per proceeding and was already used",
                                article="74.2", code="self_sale_used")
        if lot.report_too_old(uow.today):
            raise RuleViolation(f"the valuation report of {lot.valuation.report_date} is more than one year old",
                                article="74.2", code="report_too_old")
        auctions.cancel_auction(uow, live, reason="the dwelling's self-sale was granted", article="74.2")
        live = None
    lot.grant_self_sale(today=uow.today, proceeding_used=p.self_sale_used,
                        auction_live=live is not None and live.status != "announced")
    p.self_sale_used = True
    documents.self_sale_permission(uow, lot)
    uow.commit()
    return lot


def refuse_self_sale(uow, actor, cmd: c.RefuseSelfSale) -> Lot:
    """A reasoned refusal on a ground of Art. 74.2; it does not use the once-per-proceeding right."""
    lot, p = _debtor_case(uow, actor, cmd.lot_id)
    access.own_bailiff(actor, p)
    lot.refuse_self_sale(today=uow.today, ground=cmd.ground or "", reason=cmd.reason or "",
                         proceeding_used=p.self_sale_used)
    uow.commit()
    return lot


def record_encumbrance(uow, actor, cmd: c.RecordEncumbrance) -> Lot:
    """The case's bailiff records an encumbrance found later (Art. 74.2): a writ or a court's security."""
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    _encumber(uow, lot, cmd)
    uow.commit()
    return lot


def describe_viewing(uow, actor, cmd: c.DescribeViewing) -> Lot:
    """The case's bailiff writes (or rewrites) how and when buyers may see the property; journaled."""
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    lot.viewing = (cmd.viewing or "").strip()
    uow.record(ViewingDescribed(lot_id=lot.id, viewing=lot.viewing))
    uow.commit()
    return lot


def _encumber(uow, lot: Lot, e: c.Encumbrance | c.RecordEncumbrance) -> None:
    lot.record_encumbrance(basis=e.basis or "", document_no=e.document_no or "", document_date=e.document_date,
                           issuer=e.issuer or "", this_proceeding=bool(e.this_proceeding), today=uow.today)


def record_self_sale_contract(uow, actor, cmd: c.RecordSelfSaleContract) -> Payment:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    p = load.proceeding(uow, lot.proceeding_id)
    access.require(actor, "debtor", "bailiff")
    if actor.role == "debtor" and p.debtor_user_id != actor.id:
        raise access.Forbidden("only the debtor of this proceeding records its self-sale", article="74.2",
                               code="not_a_party")
    if actor.role == "bailiff":
        access.own_bailiff(actor, p)
    price = money(cmd.price)
    lot.record_self_sale_contract(today=uow.today, price=price, buyer=cmd.buyer)
    pay = payment_requests.request(uow, kind="self_sale", amount=price, lot_id=lot.id, user_id=None,
                           due_on=lot.self_sale_ends_on)
    uow.commit()
    return pay


def self_sale_window_ran_out(uow, lot: Lot) -> bool:
    """Art. 74.2: the self-sale window ended unsold: the right lapses and the buyer's payment, if one
    was awaited, is cancelled (journaled) — the sweeper's use case, the same steps as everyone's."""
    if lot.self_sale_status not in ("open", "contracted") or lot.self_sale_ends_on >= uow.today:
        return False
    lot.lapse_self_sale()
    payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
    return True


# ---- suspension, release, withdrawal (Art. 42, 47, 66.4) ------------------------------------------
def suspend_proceeding(uow, actor, cmd: c.SuspendProceeding) -> Proceeding:
    """Art. 42: the lots wait and live auctions are cancelled (deposits refunded), except at the
    collector's written request (Art. 42 item 12): then, by the last part of Art. 42, the trading
    already announced is not suspended: an auction announced, open or closed awaiting approval or
    payment runs to its end and its result stands; its lot is not suspended meanwhile."""
    p = load.proceeding(uow, cmd.proceeding_id, lock=True)
    access.own_bailiff(actor, p)
    at_collector_request = bool(cmd.at_collector_request)
    p.suspend(reason=cmd.reason or "suspended", at_collector_request=at_collector_request,
              bankruptcy=bool(cmd.bankruptcy), application_on=cmd.application_on,
              mediation_agreement=bool(cmd.mediation_agreement), today=uow.today)
    running = []
    for lot in _open_lots(uow, p.id):
        auction = load.live_auction(uow, lot.id)
        if auction is not None and at_collector_request:
            running.append(auction.id)  # Art. 42, last part: the announced trading goes on
            continue
        if auction is not None:
            auctions.cancel_auction(uow, auction, reason="proceeding suspended", article="42")
        lot.suspend(reason=p.suspension_reason, article="74.3" if p.bankruptcy_pending else "42")
    article = "74.3" if p.bankruptcy_pending else "42"
    extra = {}
    if at_collector_request:
        extra = dict(application_on=p.collector_application_on.isoformat(), mediation_agreement=p.mediation_agreement,
                     ends_on=p.suspension_ends_on.isoformat(), ends_article="44", auctions_going_on=running)
    uow.record(ProceedingSuspended(article=article, proceeding_id=p.id, reason=p.suspension_reason,
                                   at_collector_request=at_collector_request, **extra))
    uow.commit()
    return p


def resume_proceeding(uow, actor, cmd: c.ResumeProceeding) -> Proceeding:
    """The bailiff resumes the proceeding (Art. 42), before the Art. 44 period runs out if there is one."""
    p = load.proceeding(uow, cmd.proceeding_id, lock=True)
    access.own_bailiff(actor, p)
    resume(uow, p, article="42")
    uow.commit()
    return p


def resume(uow, p: Proceeding, *, article: str, reason: str = ABSENT) -> None:
    """Resume the proceeding and every lot the suspension paused; journaled with its article."""
    ends_on = p.suspension_ends_on
    p.resume()
    for lot in _open_lots(uow, p.id):
        if lot.status == Status.SUSPENDED:
            lot.resume()
    uow.record(ProceedingResumed(article=article, proceeding_id=p.id, reason=reason,
                                 suspension_ended_on=ABSENT if ends_on is None else ends_on.isoformat()))


def resume_when_period_ran_out(uow, p: Proceeding) -> bool:
    """The sweeper: the Art. 44 item 8 period of a suspension at the collector's request has run out."""
    if not p.suspension_over(uow.today):
        return False
    resume(uow, p, article="44",
           reason="the period of a suspension at the collector's request ran out (Art. 44 item 8)")
    return True


def release_proceeding(uow, actor, cmd: c.ReleaseProceeding) -> Proceeding:
    """Debt, fee and expenses paid in full before the sale: lots released, auctions cancelled,
    deposits refunded (SPEC §2.7)."""
    p = load.proceeding(uow, cmd.proceeding_id)
    access.own_bailiff(actor, p)
    released = []
    for lot in _open_lots(uow, p.id):
        auction = load.live_auction(uow, lot.id)
        if auction is not None:
            auctions.cancel_auction(uow, auction, reason="debt paid; arrest lifted", article="47")
        lot.release(reason=cmd.reason or "debt, fee and expenses paid in full")
        payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
        released.append(lot.id)
    for col in p.collectors:
        col.paid = col.claim
    p.status = "closed"
    uow.record(ProceedingReleased(proceeding_id=p.id, lots=released))
    uow.commit()
    return p


def withdraw_lot(uow, actor, cmd: c.WithdrawLot) -> Lot:
    lot = load.lot(uow, cmd.lot_id, lock=True)
    access.own_bailiff(actor, load.proceeding(uow, lot.proceeding_id))
    auction = load.live_auction(uow, lot.id)
    if auction is not None:
        auctions.cancel_auction(uow, auction, reason="lot excluded from the inventory", article="66.4")
    lot.withdraw(exclusion=exclusion(cmd.conclusion, real_estate=lot.is_real_estate, today=uow.today))
    payment_requests.cancel_pending_self_sale(uow, lot_id=lot.id)
    uow.commit()
    return lot


def _open_lots(uow, proceeding_id: int) -> list[Lot]:
    return list(uow.session.execute(select(Lot).where(
        Lot.proceeding_id == proceeding_id, Lot.status.not_in(list(FINAL))).order_by(Lot.id)).scalars())

