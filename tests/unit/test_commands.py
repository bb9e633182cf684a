"""Typed commands (issue 12 point 1): every state-changing use case is a frozen dataclass with one
handler, built from a schema's loaded data; a missing field is refused by name."""
from __future__ import annotations

import dataclasses
import inspect
from datetime import date
from decimal import Decimal

import pytest

from auction import commands as c
from auction.errors import BadRequest
from service.handlers import HANDLERS
from valuation import commands as vc

PARTS = {c.Party, c.CollectorClaim, c.Item, c.CoOwner, c.Encumbrance}  # nested in a command, not commands


def _commands():
    for module in (c, vc):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, c.Command) and obj is not c.Command and obj not in PARTS:
                yield obj


def test_every_command_has_exactly_one_handler_that_takes_it():
    commands = set(_commands())
    assert len(commands) >= 36
    assert set(HANDLERS) == commands
    for command, handler in HANDLERS.items():
        params = list(inspect.signature(handler).parameters.values())
        assert [p.name for p in params[:2]] == ["uow", "actor"], handler
        assert params[2].annotation.split(".")[-1] == command.__name__, handler  # `cmd: c.CreateLot`
        assert all(p.default is not inspect.Parameter.empty or p.kind is p.KEYWORD_ONLY for p in params[3:])


def test_a_command_is_frozen():
    cmd = c.CancelAuction(5, reason="court order")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cmd.reason = "other"  # type: ignore[misc]


def test_a_proceeding_command_carries_its_debtor_and_collectors_as_typed_parts():
    cmd = c.CreateProceeding.of({
        "number": "02-0001-2026", "debtor": {"name": "Serik", "iin_bin": "900202300028"},
        "collectors": [{"name": "Madina", "iin_bin": "850315400017", "kind": "alimony",
                        "claim": Decimal("850000.00")}]})
    assert cmd.debtor == c.Party(name="Serik", iin_bin="900202300028")
    assert cmd.collectors == (c.CollectorClaim(name="Madina", iin_bin="850315400017", kind="alimony",
                                               claim=Decimal("850000.00")),)
    assert (cmd.fines, cmd.private_bailiff) == ("0", False)


def test_targets_fill_the_first_fields_and_the_data_the_rest():
    cmd = c.RecordCoOwnerNotified.of(20, 3, {"notified_on": date(2026, 11, 2)})
    assert cmd == c.RecordCoOwnerNotified(lot_id=20, coowner_id=3, notified_on=date(2026, 11, 2))
    assert c.ResumeProceeding.of(10) == c.ResumeProceeding(proceeding_id=10)


def test_a_missing_required_field_is_refused_by_name():
    with pytest.raises(BadRequest, match="missing: price, buyer") as refused:
        c.RecordSelfSaleContract.of(20, {})
    assert refused.value.code == "missing_field"
    with pytest.raises(BadRequest, match="missing: reason"):
        c.ChangeSettings.of({"quiet_minutes": "20"})


def test_the_settings_command_keeps_the_reason_apart_from_the_changes():
    cmd = c.ChangeSettings.of({"quiet_minutes": "20", "reason": "as on the tax-debt auctions"})
    assert (dict(cmd.changes), cmd.reason) == ({"quiet_minutes": "20"}, "as on the tax-debt auctions")


def test_a_lot_command_gives_the_real_estate_title_and_the_exclusion_its_fields():
    flat = c.CreateLot.of(10, {"title": "Flat", "category": "dwelling", "cadastral_number": "20:317",
                               "address": "Almaty", "area": Decimal("54.00"), "title_reg_no": "AL-1",
                               "title_reg_date": date(2015, 6, 18)})
    assert flat.real_estate_title == {"cadastral_number": "20:317", "address": "Almaty", "area": Decimal("54.00"),
                                      "title_reg_no": "AL-1", "title_reg_date": date(2015, 6, 18)}
    out = c.WithdrawLot.of(20, {"conclusion_no": "7", "reason": "unsaleable"})
    assert out.conclusion == {"conclusion_no": "7", "conclusion_date": None, "specialist": "", "reason": "unsaleable"}


def test_the_web_layer_reaches_every_handler_through_its_command_only():
    """Routes, pages, sockets and the demo build the command and call it (web/runner.call); none names a
    handler of service/handlers.py itself, so there is one way into each use case."""
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "web"
    sources = {p: p.read_text(encoding="utf-8") for p in web.rglob("*.py")}
    named = [(p.name, f"{h.__module__.rsplit('.', 1)[-1]}.{h.__name__}") for h in HANDLERS.values()
             for p, text in sources.items() if f"{h.__module__.rsplit('.', 1)[-1]}.{h.__name__}(" in text
             or f"{h.__module__.rsplit('.', 1)[-1]}.{h.__name__}," in text]
    assert named == []
