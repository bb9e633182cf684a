"""Replay an auction from its journal entries (SPEC §7): recompute the result with the same
rules and compare it with the result the platform recorded.

Takes the auction's entries in journal order (objects or dicts with `kind` and `payload`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from .bidding import ascending, descending
from .errors import DomainError
from .money import fmt


@dataclass
class Replay:
    status: str = "announced"
    round: int = 1
    price: Decimal | None = None
    winner_no: int | None = None
    failure_reason: str | None = None
    bids: int = 0
    problems: list[str] = field(default_factory=list)
    recorded: dict = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"status": self.status, "round": self.round,
                "price": fmt(self.price) if self.price is not None else None,
                "winner_no": self.winner_no, "failure_reason": self.failure_reason, "bids": self.bids,
                "consistent": self.consistent, "problems": self.problems, "recorded": self.recorded}


def _get(entry, name):
    return entry[name] if isinstance(entry, dict) else getattr(entry, name)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def replay(entries) -> Replay:
    r = Replay()
    start = step = floor = None
    quiet = interval = timedelta(0)
    opened_at = ends_at = None
    current = leader = None
    for e in entries:
        kind, p = _get(e, "kind"), _get(e, "payload") or {}
        if kind == "auction.announced":
            r.round, start, step = p["round"], Decimal(p["start_price"]), Decimal(p["step"])
            floor = Decimal(p["floor"]) if p.get("floor") else None
            quiet, interval = (timedelta(seconds=p.get("quiet_seconds", 600)),
                               timedelta(seconds=p.get("interval_seconds", 120)))
            current = start
        elif kind == "auction.opened":
            r.status, opened_at, ends_at = "open", _dt(p["opened_at"]), _dt(p["ends_at"])
        elif kind == "bid.accepted":
            at, amount, who = _dt(p["at"]), Decimal(p["amount"]), p["participant_no"]
            try:
                if r.round == 1:
                    ascending.check_bid(status=r.status, now=at, starts_at=opened_at, ends_at=ends_at, current=current,
                                        step=step, amount=amount, bidder_is_leader=leader == who)
                    ends_at = ascending.soft_close_end(at, quiet)
                else:
                    descending.check_acceptance(status=r.status, now=at, starts_at=opened_at, start=start, step=step,
                                                interval=interval, floor=floor, price=amount,
                                                already_accepted=leader is not None)
            except DomainError as exc:
                r.problems.append(f"bid seq {p.get('seq')}: {exc.message}")
            current, leader, r.bids = amount, who, r.bids + 1
        elif kind == "application.disqualified" and p.get("lead_to"):
            # the leader left (Art. 80.4, third part): his bids cannot stand, the lead went back
            lead = p["lead_to"]
            current, leader, ends_at = Decimal(lead["price"]), lead["leader_no"], _dt(lead["ends_at"])
        elif kind in ("auction.closed", "auction.failed", "auction.cancelled"):
            r.recorded = {"kind": kind, **{k: p.get(k) for k in ("winner_no", "price", "seq")},
                          "reason": _get(e, "article") if kind == "auction.failed" else None}
            _finish(r, kind, p, current, leader, _get(e, "article"))
    return r


def _finish(r: Replay, kind: str, p: dict, current, leader, article) -> None:
    if kind == "auction.cancelled":
        r.status = "cancelled"
        return
    if r.status == "announced" or (kind == "auction.failed" and r.status == "open" and p.get("disqualified_no")):
        # failed at the opening (Art. 84.1 / 84.4), or a disqualification left fewer than two: nothing to recompute
        r.status, r.failure_reason = "failed", article
        return
    if leader is None:
        r.status, r.failure_reason = "failed", "84.2"
    else:
        r.status, r.winner_no, r.price = "closed", leader, current
    if kind == "auction.failed" and article == "84.3":  # the winner defaulted after the close
        r.status, r.failure_reason = "failed", "84.3"
        return
    if kind == "auction.closed" and (p.get("winner_no") != r.winner_no or p.get("price") != fmt(current)):
        r.problems.append(f"recorded winner No {p.get('winner_no')} at {p.get('price')}, replay gives "
                          f"No {r.winner_no} at {fmt(current) if current is not None else None}")
    if kind == "auction.failed" and r.status != "failed":
        r.problems.append(f"recorded a failure ({article}) but the bids give a winner")
    elif kind == "auction.closed" and r.status != "closed":
        r.problems.append("recorded a winner but nobody raised the price")
