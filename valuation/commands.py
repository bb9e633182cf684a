"""The Art. 68 use cases as typed commands (frozen dataclasses), handled one each by
`service.valuation`, on the base of auction/commands.py: built from a schema's loaded data with
`of(target_id, data)`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from auction.commands import Command


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
