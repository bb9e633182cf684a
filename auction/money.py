"""Money: KZT with tiyn, always `Decimal` quantized to 0.01, never float (SPEC §4).

Percentages are computed on tiyn and rounded half-up. Storage uses integer tiyn.
"""
from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import BadRequest

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX = Decimal(2**63 - 1).scaleb(-2)  # 92233720368547758.07: the most a BIGINT column of tiyn holds
# Text is ASCII digits and a point; Decimal() alone would also take "1e-2", "1_000", "+5" and other
# scripts' digits ("１０００"), each of which a payer's system could read differently.
WRITTEN = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,20})?")


def money(value: "Decimal | int | str") -> Decimal:
    """Parse a money amount: Decimal, int (whole tenge) or a string like "1250000.00".

    Rejects floats (they cannot represent tiyn exactly), more than two decimals, NaN and
    infinities, and text other than ASCII digits with a point, with a 400 error.
    """
    if isinstance(value, float) or isinstance(value, bool):
        raise BadRequest("money must be a decimal string such as \"1250000.00\", not a float", code="invalid_money")
    if isinstance(value, str) and not WRITTEN.fullmatch(value):
        raise BadRequest(f"money is written with the digits 0-9 and a point, e.g. \"1250000.00\": {value[:40]!r}",
                         code="invalid_money")
    try:
        d = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        raise BadRequest(f"not a money amount: {value!r}", code="invalid_money") from None
    if not d.is_finite():
        raise BadRequest(f"not a money amount: {value!r}", code="invalid_money")
    if abs(d) > MAX:
        raise BadRequest(f"money amount too large (at most {MAX})", code="invalid_money")
    if d != d.quantize(CENT, rounding=ROUND_DOWN):
        raise BadRequest(f"money has at most two decimals (tiyn): {value!r}", code="invalid_money")
    return d.quantize(CENT)


def to_tiyn(amount: Decimal) -> int:
    return int((amount.quantize(CENT) * 100).to_integral_value())


def from_tiyn(tiyn: int) -> Decimal:
    return (Decimal(int(tiyn)) / 100).quantize(CENT)


def percent(amount: Decimal, pct: "Decimal | int | str") -> Decimal:
    """`pct` percent of `amount`, rounded half-up to the tiyn (SPEC §4)."""
    return (amount * Decimal(pct) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(amount: Decimal) -> str:
    """Money as it appears in JSON and messages: "1250000.00"."""
    return str(amount.quantize(CENT))
