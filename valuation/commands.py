"""The Art. 68 use cases as typed commands (frozen dataclasses), handled one each by
`service.valuation`. Built from a schema's loaded data with `of(target_id, data)`."""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import date
from decimal import Decimal

from auction.errors import BadRequest


class Command:
    @classmethod
    def of(cls, target_id: int, data: dict | None = None):
        """The command for the lot (or dispute) `target_id` from a schema's loaded data; keys the
        command does not take are ignored, missing ones take the command's default."""
        data = data or {}
        _target, *rest = fields(cls)
        missing = [f.name for f in rest if f.name not in data and f.default is MISSING]
        if missing:
            raise BadRequest(f"missing: {', '.join(missing)}", code="missing_field")
        return cls(target_id, **{f.name: data[f.name] for f in rest if f.name in data})


@dataclass(frozen=True)
class AppointAppraiser(Command):
    """Art. 68.1: the bailiff's resolution appointing the appraiser of a lot."""
    lot_id: int
    appraiser: int | str | None = None  # the appraiser's account (id or e-mail), if he has one
    appraiser_iin: str | None = None
    appraiser_name: str | None = None  # printed on the resolution when he has no account
    basis: str = "bailiff"


@dataclass(frozen=True)
class FileReport(Command):
    """Art. 68.1: the appointed appraiser (or the bailiff for him) files the valuation report."""
    lot_id: int
    value: Decimal
    report_no: str
    report_date: date


@dataclass(frozen=True)
class SignAgreement(Command):
    """Art. 68.5: a party signs the written agreement on the value."""
    lot_id: int
    value: Decimal


@dataclass(frozen=True)
class OpenDispute(Command):
    """Art. 68.3: a party disputes the valuation before the expert council or the court."""
    lot_id: int
    forum: str = "expert_council"
    grounds: str = ""


@dataclass(frozen=True)
class ResolveDispute(Command):
    """Art. 68.3: the bailiff records the conclusion or the ruling."""
    dispute_id: int
    outcome: str
