"""The domain events (auction/events.py): every journal entry is made from a typed, frozen event, and
each event's payload is what the journal stored before the types (the same keys in the same order)."""
from __future__ import annotations

import ast
import dataclasses
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from auction import events as ev
from auction.auctions import Application, Auction
from auction.calendar import WorkingCalendar
from auction.failures import GROUNDS

ROOT = Path(__file__).resolve().parents[2]
EVENTS = [c for c in vars(ev).values() if isinstance(c, type) and issubclass(c, ev.Event) and hasattr(c, "kind")]


def test_every_event_has_a_kind_and_is_frozen():
    assert len(EVENTS) > 50
    for cls in EVENTS:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", cls.kind), cls
        assert cls.__dataclass_params__.frozen, cls


def test_no_entry_is_journaled_but_from_a_typed_event():
    """No `uow.journal("kind", ...)` and no `_record("kind", ...)`: each goes through a class of
    auction/events.py (`uow.record(DepositFreed(...))`, `self._record(AuctionOpened(...))`)."""
    found = []
    for package in ("auction", "valuation", "service", "web"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    untyped = node.func.attr == "journal" or (
                        node.func.attr in ("_record", "record") and node.args
                        and not isinstance(node.args[0], (ast.Call, ast.Name)))
                    if untyped:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found


def test_the_kinds_the_notifier_and_the_replay_read_are_kinds_of_events():
    kinds = {cls.kind for cls in EVENTS}
    for module in ("service/notifier.py", "auction/replay.py"):
        lines = (ROOT / module).read_text(encoding="utf-8").splitlines()
        read = {k for line in lines if "kind" in line for k in re.findall(r'"([a-z_]+\.[a-z_]+)"', line)}
        assert read and read <= kinds, (module, read - kinds)


def test_a_payload_keeps_the_journal_order_and_leaves_out_what_the_event_does_not_carry():
    moved = ev.LotStatusChanged(article="79", details={"round": 1, "auction_on": "2026-12-14"},
                                from_="REALIZATION_ORDERED", to="AUCTION_1")
    assert (moved.kind, moved.article) == ("lot.status", "79")
    assert list(moved.payload.items()) == [("round", 1), ("auction_on", "2026-12-14"), ("from", "REALIZATION_ORDERED"),
                                          ("to", "AUCTION_1")]
    failed = ev.AuctionFailed(reason="84.4", disqualified_no=3, online=1).numbered(9)
    assert failed.article == "84.4"
    assert list(failed.payload.items()) == [("reason", GROUNDS["84.4"].said), ("disqualified_no", 3), ("online", 1),
                                           ("seq", 9)]
    paid = ev.PaymentRequested(lot_id=1, auction_id=2, payment_id=3, kind_="deposit", amount="5.00", reference="D-1",
                               due_on=None)
    assert list(paid.payload) == ["payment_id", "kind", "amount", "reference", "due_on"]  # lot and auction: columns
    with pytest.raises(dataclasses.FrozenInstanceError):
        paid.amount = "6.00"


def test_an_auction_numbers_its_events_in_its_own_sequence():
    now = datetime(2026, 12, 1, 5, tzinfo=timezone.utc)
    a = Auction(lot_id=1, round_no=1, announced_at=now, starts_at=now + timedelta(days=12),
                start_price=Decimal("1000.00"), step=Decimal("10.00"), floor=None, interval=timedelta(minutes=2),
                quiet_period=timedelta(minutes=10),
                application_cutoff=timedelta(hours=2), calendar=WorkingCalendar(), private_bailiff=False)
    for no in (1, 2):
        app = Application(user_id=no, iin_bin="x", is_entity=False, declaration={}, deposit=a.deposit,
                          participant_no=no, created_at=now)
        a.applications.append(app)
        a.admit(app, now)
    a.open(now + timedelta(days=12), online_nos=set())
    assert [(type(e).__name__, e.seq) for e in a.events] == [("ApplicationAdmitted", 1), ("ApplicationAdmitted", 2),
                                                              ("AuctionFailed", 3)]
    assert (a.events[-1].article, a.events[-1].payload) == ("84.4", {"reason": GROUNDS["84.4"].said, "online": 0,
                                                                      "seq": 3})
