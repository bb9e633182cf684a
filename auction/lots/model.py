"""The lot: one item or a set of homogeneous items sold together (Art. 77.4), and its lifecycle.

Plain Python. Each method checks the guard the law sets, changes state and records a typed
event (auction/events.py) that the unit of work journals in the same transaction.
Persistence maps these classes from outside (service/orm.py).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from valuation.model import Valuation, ValuationMixin, appointment_due_on

from .. import calendar as cal
from ..errors import InvalidTransition, RuleViolation
from ..events import CoOwnerDeclined, CoOwnerNotified, Event, LotStatusChanged, PreemptionDeclined, SelfSaleCancelled
from ..money import fmt
from .coowners import DECISIONS, CoOwner, preemption_ends_on
from .exemptions import ensure_seizable
from .priority import CATEGORIES, OVERRIDE_GROUNDS, REAL_ESTATE, check_category, realization_queue  # noqa: F401
from .property import EXCLUSION_REASONS, Exclusion, RealEstateTitle, check_description
from .regions import REGIONS
from .self_sale import REPORT_MAX_AGE_MONTHS, SELF_SALE_FROM, SELF_SALE_MIN_PERCENT, SelfSaleMixin  # noqa: F401


class Status:
    ARRESTED = "ARRESTED"
    VALUATION = "VALUATION"
    VALUED = "VALUED"
    REALIZATION_ORDERED = "REALIZATION_ORDERED"
    AUCTION_1 = "AUCTION_1"
    RETENTION_1 = "RETENTION_1"
    FAILED_1 = "FAILED_1"  # first auction failed, every collector refused: awaiting the repeat auction
    AUCTION_2 = "AUCTION_2"
    RETENTION_2 = "RETENTION_2"
    SOLD = "SOLD"
    SOLD_BY_DEBTOR = "SOLD_BY_DEBTOR"
    RETAINED = "RETAINED"
    WITHDRAWN = "WITHDRAWN"
    RELEASED = "RELEASED"
    SUSPENDED = "SUSPENDED"
    COMMISSION_SALE = "COMMISSION_SALE"
    NOT_REALIZABLE = "NOT_REALIZABLE"
    SOLD_TO_COOWNER = "SOLD_TO_COOWNER"  # Art. 60.1: a co-owner bought the share at the specialist's value


PRE_SALE = {
    Status.ARRESTED, Status.VALUATION, Status.VALUED, Status.REALIZATION_ORDERED,
    Status.AUCTION_1, Status.RETENTION_1, Status.FAILED_1, Status.AUCTION_2, Status.RETENTION_2,
}
FINAL = {
    Status.SOLD, Status.SOLD_BY_DEBTOR, Status.RETAINED, Status.WITHDRAWN, Status.RELEASED,
    Status.COMMISSION_SALE, Status.NOT_REALIZABLE, Status.SOLD_TO_COOWNER,
}

PREEMPTION_UNREACHABLE_DAYS = 30  # Art. 60.3: sale 30 days after the inventory if co-owners cannot be notified


# The article behind each state a lot ends in or waits in (WITHDRAWN and VALUED: Lot._state_article).
STATE_ARTICLES = {
    Status.NOT_REALIZABLE: "77.3", Status.COMMISSION_SALE: "77.2", Status.RELEASED: "47", Status.SUSPENDED: "42",
    Status.SOLD: "83", Status.SOLD_BY_DEBTOR: "74.2", Status.RETAINED: "85.1", Status.SOLD_TO_COOWNER: "60",
}


class InventoryItem:
    """One line of the inventory (Art. 66.3): name, distinguishing marks, individual price."""

    def __init__(self, name: str, marks: str, price: Decimal, kind: str = "other", quantity: int = 1):
        ensure_seizable(kind)
        self.name, self.marks, self.price, self.kind, self.quantity = name, marks, price, kind, quantity


class Lot(ValuationMixin, SelfSaleMixin):
    def __init__(self, *, proceeding_id: int, title: str, description: str, category: str,
                 debtor_is_entity: bool, items: list[InventoryItem], arrested_on: date,
                 ownership_established_on: date | None, calendar: cal.WorkingCalendar,
                 perishable: bool = False, common_share: bool = False,
                 coowners_notifiable: bool = True, coowners: list[CoOwner] | None = None,
                 real_estate: RealEstateTitle | None = None,
                 custodian: str = "", storage_place: str = "", viewing: str = "", photos: list | None = None,
                 region: str | None = None, used_in_production: bool = False, pledged: bool = False):
        check_category(category)
        # Art. 72: the queue follows from the kind of property and the debtor, never typed.
        queue = realization_queue(category, debtor_is_entity=debtor_is_entity, used_in_production=used_in_production)
        if perishable and category in REAL_ESTATE:
            raise RuleViolation("real estate is not perishable goods", article="77.2", code="bad_category")
        check_description(real_estate=category in REAL_ESTATE, items=items, title=real_estate)
        self.proceeding_id = proceeding_id
        self.title, self.description, self.category = title, description, category
        self.priority, self.priority_article = queue.number, queue.article
        self.used_in_production, self.pledged = used_in_production, pledged
        self.items = items
        # Art. 63.2: real estate is described by its title, not by an inventory.
        t = real_estate
        self.cadastral_number, self.address = (t.cadastral_number, t.address) if t else (None, None)
        self.area, self.title_reg_no, self.title_reg_date = ((t.area, t.title_reg_no, t.title_reg_date) if t
                                                             else (None,) * 3)
        self.perishable = perishable
        self.custodian, self.storage_place = custodian, storage_place  # Art. 69
        self.viewing = viewing  # how and when buyers may see the property (the bailiff's words)
        self.photos = list(photos or [])
        if region is not None and region not in REGIONS:
            raise RuleViolation(f"unknown region {region!r}; one of {', '.join(REGIONS)}", code="bad_region")
        self.region = region
        self.status = Status.ARRESTED
        self.status_before_suspension: str | None = None
        self.arrested_on = arrested_on
        self.ownership_established_on = ownership_established_on or arrested_on
        # Art. 68.1: appraiser appointed within 10 working days of arrest and established ownership.
        self.valuation_due_on = appointment_due_on(arrested_on=arrested_on,
                                                   ownership_established_on=self.ownership_established_on,
                                                   calendar=calendar)
        self.appraiser_id: int | None = None
        self.appraiser_iin: str | None = None
        self.valuation_appointed_on: date | None = None
        self.parties_notified_by: date | None = None
        self.valuations: list[Valuation] = []
        self.dispute_open = False
        self.agreement_value: Decimal | None = None
        self.agreement_signers: list = []
        # Art. 60: pre-emption of co-owners of a share in common property.
        self.common_share = common_share
        self.coowners_notifiable = coowners_notifiable
        self.coowners: list[CoOwner] = list(coowners or [])
        if not common_share and self.coowners:
            raise RuleViolation("co-owners are recorded for a share in common property", article="60.1",
                                code="no_preemption")
        if common_share and coowners_notifiable and not self.coowners:
            raise RuleViolation("record each co-owner to be notified, or that they cannot be notified (Art. 60.3)",
                                article="60.1", code="coowners_required")
        if any(c.notified_on is not None and c.notified_on < arrested_on for c in self.coowners):
            raise RuleViolation("a co-owner is notified of the arrest after it", article="60.2", code="bad_date")
        self.preemption_ends_on: date | None = None
        self.preemption_declined = False
        self._derive_preemption()
        self.realization_ordered_on: date | None = None
        self.priority_override_ground: str | None = None  # Art. 72.4
        self.priority_override_reason: str | None = None
        self.self_sale_status: str | None = None  # None | "open" | "contracted" | "completed" | "lapsed" | "cancelled"
        self.self_sale_ends_on: date | None = None
        self.self_sale_price: Decimal | None = None
        self.self_sale_buyer: str | None = None
        # Art. 74.2: the debtor's written application and the bailiff's answer.
        self.self_sale_application: str | None = None  # None | "applied" | "granted" | "refused"
        self.self_sale_applied_on: date | None = None
        self.self_sale_expected_price: Decimal | None = None
        self.self_sale_granted_on: date | None = None
        self.self_sale_refusal_ground: str | None = None
        self.self_sale_refusal_reason: str | None = None
        self.encumbrances: list = []  # Art. 74.2: auction.lots.encumbrances.Encumbrance
        self.auction_count = 0
        self.first_auction_on: date | None = None
        self.repeat_auction_from: date | None = None
        self.retention_ends_on: date | None = None
        self.sale_price: Decimal | None = None
        self.retained_by_collector_id: int | None = None
        # Art. 85.3: the charge the chosen collector pays before the property is his (None: none pending)
        self.retention_charge: dict | None = None
        self.realized_on: date | None = None
        self.lease_until: datetime | None = None
        self.events: list[Event] = []

    # ---- helpers -------------------------------------------------------------------------
    def _record(self, event: Event) -> None:
        if not hasattr(self, "events") or self.events is None:
            self.events = []
        self.events.append(event)

    def _move(self, to: str, article: str | None, **details) -> None:
        """Move to status `to` under `article`; `details`: the facts of this step, journaled with it."""
        moved_from = self.status
        if to in FINAL and to != Status.SOLD_BY_DEBTOR and self.self_sale_status in ("open", "contracted"):
            # Art. 74.2: realized (or ended) another way first: the debtor's self-sale is over.
            self.self_sale_status = "cancelled"
            self._record(SelfSaleCancelled(reason=f"the lot became {to}"))
        self.status = to
        self._record(LotStatusChanged(article=article, details=details, from_=moved_from, to=to))

    def _state_article(self) -> str | None:
        """The article that put the lot where it is, named when a step is refused there (issue 10)."""
        if self.status == Status.WITHDRAWN:
            return "85.4" if self.auction_count >= 2 else "66.4"
        if self.status == Status.VALUED and self.valuation is not None and self.valuation.method == "agreement":
            return "68.5"  # the parties agreed the value: no appraiser, no report
        return STATE_ARTICLES.get(self.status)

    def _require(self, *allowed: str, action: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(
                f"cannot {action} while the lot is {self.status} (allowed: {', '.join(allowed)})",
                article=self._state_article(), code="invalid_state", facts={"lot_status": self.status})

    @property
    def is_dwelling(self) -> bool:
        return self.category == "dwelling"

    @property
    def is_real_estate(self) -> bool:
        return self.category in REAL_ESTATE

    def _refuse_if_perishable(self, action: str) -> None:
        """Art. 77.2: perishable goods are handed at once to commission sale, whatever the parties want."""
        if self.perishable:
            raise RuleViolation(f"perishable goods go to commission sale at once after the arrest and the inventory: "
                                f"no {action}", article="77.2", code="perishable")

    def dwelling_self_sale_blocks_auction(self, today: date) -> bool:
        """Art. 74.2: during the three-month self-sale of a dwelling it may not go to auction."""
        return (self.is_dwelling and self.self_sale_status in ("open", "contracted")
                and self.self_sale_ends_on is not None and today <= self.self_sale_ends_on)

    # ---- pre-emption (Art. 60) -------------------------------------------------------------
    def _derive_preemption(self) -> None:
        """Art. 60.2–60.3: the end of the pre-emption follows from the notifications, never typed."""
        if self.common_share and (self.coowners or not self.coowners_notifiable):
            self.preemption_ends_on = preemption_ends_on(
                self.coowners, real_estate=self.is_real_estate, notifiable=self.coowners_notifiable,
                inventoried_on=self.arrested_on, unreachable_days=PREEMPTION_UNREACHABLE_DAYS)

    def _coowner(self, index: int) -> CoOwner:
        if not self.common_share:
            raise RuleViolation("the lot is not a share in common property", article="60", code="no_preemption")
        if not 0 <= index < len(self.coowners):
            raise RuleViolation("no such co-owner of this share", article="60.1", code="no_coowner")
        return self.coowners[index]

    def record_coowner_notified(self, index: int, *, notified_on: date, today: date) -> None:
        """Art. 60.2: the pre-emption period counts from the day this co-owner was notified."""
        c = self._coowner(index)
        if notified_on > today or notified_on < self.arrested_on:
            raise RuleViolation("a co-owner is notified of the arrest between the arrest and today", article="60.2",
                                code="bad_date")
        if c.decision is not None:
            raise RuleViolation("this co-owner has already answered the offer", article="60.1", code="coowner_decided")
        c.notified_on = notified_on
        self._derive_preemption()
        self._record(CoOwnerNotified(coowner=c.name, notified_on=notified_on.isoformat(),
                                     ends_on=self.preemption_ends_on.isoformat() if self.preemption_ends_on else None))

    def record_coowner_decision(self, index: int, *, decision: str, today: date) -> None:
        """Art. 60.1: each co-owner declines the share or buys it at the specialist's value. A purchase
        takes the share out of realization: it is sold to the co-owner, not auctioned."""
        c = self._coowner(index)
        if decision not in DECISIONS:
            raise RuleViolation("a co-owner declines or buys the share (declined, bought)", article="60.1",
                                code="bad_decision")
        if c.decision is not None:
            raise RuleViolation("this co-owner has already answered the offer", article="60.1", code="coowner_decided")
        if c.notified_on is None:
            raise RuleViolation("the co-owner answers an offer he was notified of: record the notification first",
                                article="60.1", code="coowner_not_notified")
        if decision == "bought":
            self._require(Status.VALUED, action="sell the share to a co-owner")
            if self.preemption_ends_on is not None and today > self.preemption_ends_on:
                raise RuleViolation(f"the pre-emption period ended on {self.preemption_ends_on}", article="60.2",
                                    code="preemption_over", facts={"ended_on": self.preemption_ends_on})
            c.decision, c.decided_on = decision, today
            self.sale_price, self.realized_on = self.value, today
            self._move(Status.SOLD_TO_COOWNER, "60.1", coowner=c.name, price=fmt(self.value))
            return
        c.decision, c.decided_on = decision, today
        self._record(CoOwnerDeclined(coowner=c.name))
        if all(x.decision == "declined" for x in self.coowners):
            self.preemption_declined = True
            self._record(PreemptionDeclined())

    def record_preemption_declined(self) -> None:
        if not self.common_share:
            raise RuleViolation("the lot is not a share in common property", article="60", code="no_preemption")
        for c in self.coowners:
            if c.decision is None:
                c.decision = "declined"
        self.preemption_declined = True
        self._record(PreemptionDeclined())

    def preemption_pending(self, today: date) -> bool:
        """Until every co-owner declined, or the latest period ran out (None: someone not yet notified)."""
        return self.common_share and not self.preemption_declined and (
            self.preemption_ends_on is None or today <= self.preemption_ends_on)

    # ---- realization (Art. 72, 77) --------------------------------------------------------
    def send_to_commission_sale(self, *, today: date) -> None:
        """Art. 77.2: right after the arrest and the inventory, whatever the parties want, the bailiff hands
        perishable goods to a trading entity under a commission contract: no valuation, no auction. The
        sale and its money happen outside Mulik (docs/decisions.md, issue 10)."""
        if not self.perishable:
            raise RuleViolation("only perishable goods go to commission sale", article="77.2", code="perishable")
        self._require(Status.ARRESTED, action="hand over to commission sale")
        self.realization_ordered_on = today
        self._move(Status.COMMISSION_SALE, "77.2",
                   note="handed at once to a trading entity under a commission contract")

    def order_realization(self, *, today: date, earlier_unrealized: list[int], override_ground: str | None,
                          override_reason: str | None, writ_covered_by: str | None = None) -> None:
        """Art. 77.1 realization order in the Art. 72 queue; an earlier-queue lot still unrealized
        blocks it unless one of the Art. 72.4 grounds holds. ``writ_covered_by`` (from the
        service: what the earlier lots are valued at against what the case owes) is set when the
        earlier lots alone would satisfy the writ, which rules out that ground."""
        reason = self.check_order_realization(today=today, earlier_unrealized=earlier_unrealized,
                                              override_ground=override_ground, override_reason=override_reason,
                                              writ_covered_by=writ_covered_by)
        self.realization_ordered_on = today
        self.priority_override_ground = override_ground
        self.priority_override_reason = reason if override_ground else None
        self._move(Status.REALIZATION_ORDERED, "77.1", value=fmt(self.value), queue=self.priority,
                   queue_article=self.priority_article, override_ground=self.priority_override_ground,
                   override_reason=self.priority_override_reason,
                   override_article="72.4" if self.priority_override_ground else None)

    def check_order_realization(self, *, today: date, earlier_unrealized: list[int], override_ground: str | None,
                                override_reason: str | None, writ_covered_by: str | None = None) -> str:
        """The law's checks of `order_realization`, nothing changed (the bailiff's signed order is verified
        between them and the order): raises when the order may not be made; the circumstances stated."""
        self._refuse_if_perishable("realization order")
        self._require(Status.VALUED, action="order realization")
        if self.dispute_open:
            raise RuleViolation("the valuation is disputed; realization cannot be ordered until it is resolved",
                                article="68.3", code="dispute_open")
        if self.preemption_pending(today):
            raise RuleViolation(
                f"co-owners' pre-emption runs until {self.preemption_ends_on}: the share cannot be realized yet",
                article="60", code="preemption_pending")
        reason = (override_reason or "").strip()
        if override_ground is not None:
            if override_ground not in OVERRIDE_GROUNDS:
                raise RuleViolation(f"the order of realization changes only on a ground of the law: "
                                    f"{', '.join(OVERRIDE_GROUNDS)}; not {override_ground!r}", article="72.4",
                                    code="bad_override_ground")
            if not earlier_unrealized:
                raise RuleViolation("no lot of an earlier queue is unrealized: the order of Art. 72 is kept and "
                                    "there is nothing to change", article="72.4", code="override_not_needed")
            if not reason:
                raise RuleViolation("state the circumstances of the ground in the order (they can be challenged)",
                                    article="72.4", code="override_reason_required")
            if override_ground == "pledged" and not self.pledged:
                raise RuleViolation("this lot is not recorded as pledged or given as security for an obligation",
                                    article="72.4", code="override_ground_false")
            if override_ground == "writ_not_satisfied" and writ_covered_by:
                raise RuleViolation(writ_covered_by, article="72.4", code="override_ground_false")
        elif earlier_unrealized:
            raise RuleViolation(
                f"queue {self.priority} property (Art. {self.priority_article}) cannot be ordered while lots "
                f"{', '.join(map(str, earlier_unrealized))} of an earlier queue are unrealized; the order changes "
                "only on a ground of Art. 72.4 (pledged property; the writ would not be satisfied; the time limits "
                "of execution would be extended)", article=self.priority_article.rsplit(".", 1)[0],
                code="priority_order")
        return reason

    def declare_not_realizable(self, *, reason: str) -> None:
        """Art. 77.3: a specialist finds the property has no value and is illiquid."""
        self._require(*(PRE_SALE - {Status.AUCTION_1, Status.AUCTION_2}), action="declare not realizable")
        self._move(Status.NOT_REALIZABLE, "77.3", reason=reason)

    # ---- auctions (Art. 79, 80, 84, 85) ----------------------------------------------------
    def check_can_announce(self, *, today: date, suspended: bool) -> int:
        """Which round may be announced now; raises when none may."""
        self._refuse_if_perishable("auction")
        if suspended or self.status == Status.SUSPENDED:
            raise RuleViolation("the proceeding is suspended", article="42", code="suspended")
        if self.dwelling_self_sale_blocks_auction(today):
            raise RuleViolation(
                f"the dwelling is in its self-sale window until {self.self_sale_ends_on} "
                "and may not be put up for auction",
                article="74.2", code="self_sale_window")
        if self.status == Status.REALIZATION_ORDERED:
            return 1
        if self.status == Status.RETENTION_1:
            # Art. 85.1–85.2: the repeat auction is appointed only when the collectors refused to keep the lot.
            raise RuleViolation(
                f"the collectors may apply to keep the lot until {self.retention_ends_on}; the repeat auction is "
                "appointed only when every collector has refused", article="85.2", code="retention_open")
        if self.status == Status.FAILED_1:
            if today < self.repeat_auction_from:
                # Art. 80.3, third part: "бірінші аукцион өткізілген күннен бастап он жұмыс күні өткеннен кейін".
                raise RuleViolation(
                    "the repeat auction can be held after 10 working days from the first one: "
                    f"from {self.repeat_auction_from}",
                    article="80.3", code="too_early", facts={"from_day": self.repeat_auction_from})
            return 2
        if self.auction_count >= 2 or self.status in (Status.AUCTION_2, Status.RETENTION_2, Status.WITHDRAWN):
            raise RuleViolation("a lot is never auctioned more than twice", article="85.4", code="no_third_auction")
        raise InvalidTransition(f"no auction can be announced while the lot is {self.status}: an auction follows the "
                                "realization order", article=self._state_article() or "77.1", code="invalid_state",
                                facts={"lot_status": self.status})

    def auction_announced(self, *, round_no: int, auction_on: date) -> None:
        self.auction_count = round_no
        if round_no == 1:
            self.first_auction_on = auction_on
        self._move(Status.AUCTION_1 if round_no == 1 else Status.AUCTION_2, "79", round=round_no,
                   auction_on=auction_on.isoformat())

    def auction_cancelled(self, *, round_no: int) -> None:
        """An announced auction was cancelled before it produced a result: the lot may be announced again."""
        self.auction_count = round_no - 1
        self._move(Status.REALIZATION_ORDERED if round_no == 1 else Status.FAILED_1, "42", round=round_no)

    def auction_sold(self, *, price: Decimal, today: date) -> None:
        self._require(Status.AUCTION_1, Status.AUCTION_2, action="record a sale")
        self.sale_price, self.realized_on = price, today
        self._move(Status.SOLD, "83", price=fmt(price))

    def auction_failed(self, *, round_no: int, reason: str, auction_on: date, calendar: cal.WorkingCalendar,
                       today: date) -> None:
        """Art. 84 failure: the collectors' retention window opens (Art. 85.1)."""
        self._require(Status.AUCTION_1, Status.AUCTION_2, action="record a failed auction")
        self.retention_ends_on = calendar.deadline_within(today, cal.RETENTION_WD)
        if round_no == 1:
            self.repeat_auction_from = calendar.earliest_after(auction_on, cal.REPEAT_AUCTION_WD)
        self._move(Status.RETENTION_1 if round_no == 1 else Status.RETENTION_2, "85.1", failure_reason=reason,
                   retention_ends_on=self.retention_ends_on.isoformat())

    def retained(self, *, collector_id: int, today: date) -> None:
        self._require(Status.RETENTION_1, Status.RETENTION_2, action="retain the lot")
        self.retained_by_collector_id, self.realized_on = collector_id, today
        self.sale_price = self.value
        self._move(Status.RETAINED, "85.1", collector_id=collector_id, value=fmt(self.value))

    def retention_refused(self) -> None:
        """Every collector refused: repeat auction (Art. 85.2) or, after the second, withdrawal (Art. 85.4)."""
        if self.status == Status.RETENTION_1:
            self._move(Status.FAILED_1, "85.2", repeat_auction_from=self.repeat_auction_from.isoformat())
        elif self.status == Status.RETENTION_2:
            self._move(Status.WITHDRAWN, "85.4",
                       note="enforcement on this property ends; the arrest stays until the proceeding ends")
        else:
            raise InvalidTransition(f"no retention window is open (lot is {self.status}): the collectors are asked "
                                    "after a failed auction", article="85.1", code="invalid_state",
                                    facts={"lot_status": self.status})

    # ---- side exits (Art. 42, 47, 66.4) ----------------------------------------------------
    def suspend(self, *, reason: str, article: str = "42") -> None:
        self._require(*PRE_SALE, action="suspend")
        self.status_before_suspension = self.status
        self._move(Status.SUSPENDED, article, reason=reason)

    def resume(self) -> None:
        self._require(Status.SUSPENDED, action="resume")
        back = self.status_before_suspension or Status.ARRESTED
        # A live auction cancelled by the suspension leaves the lot ready to be announced again.
        back = {Status.AUCTION_1: Status.REALIZATION_ORDERED, Status.AUCTION_2: Status.FAILED_1}.get(back, back)
        self.status_before_suspension = None
        self._move(back, "42", note="resumed")

    def release(self, *, reason: str) -> None:
        """Debt, fee and expenses paid in full before the sale: the arrest is lifted."""
        self._require(*PRE_SALE, Status.SUSPENDED, action="release")
        self._move(Status.RELEASED, "47", reason=reason)

    def withdraw(self, *, exclusion: Exclusion) -> None:
        """Art. 66.4: movable property excluded from the inventory on the specialist's conclusion."""
        if self.is_real_estate:
            raise RuleViolation("only movable property is excluded from the inventory; real estate has no inventory",
                                article="66.4", code="not_movable")
        self._require(*PRE_SALE, Status.SUSPENDED, action="withdraw")
        self._move(Status.WITHDRAWN, "66.4", reason=EXCLUSION_REASONS[exclusion.reason],
                   exclusion_reason=exclusion.reason, conclusion_no=exclusion.conclusion_no,
                   conclusion_date=exclusion.conclusion_date.isoformat(), specialist=exclusion.specialist)
