"""Kazakh identification numbers: the IIN of a person and the BIN of a legal entity — checking one
(each refusal says what is wrong with it) and, for demo data and tests, making a valid one.

IIN/BIN format (Rules for forming identification numbers, Government Decree No 406 of
2007): 12 digits, the 12th a check digit. IIN: YYMMDD birth date, then the century/sex
digit 1-6 (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd male, even female), a 4-digit serial,
the check digit. The decree defines no 0 for the 7th digit, so 0 is rejected. BIN: YYMM
of registration, the entity type 4 (resident legal entity), 5 (non-resident legal
entity) or 6 (joint individual entrepreneurship), the division 0 (head office),
1 (branch), 2 (representative office) or 3 (peasant farm), a 5-digit serial, the check
digit. An IIN's 5th digit (tens of the day) is 0-3 and a BIN's is 4-6, so one number is
never both.
"""
from __future__ import annotations

from datetime import date

from .errors import BadRequest

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def check_digit(first11: str) -> int | None:
    """The check digit of the first 11 digits, or None when no digit is possible.

    Sum of digit x weight (1..11) mod 11; when that is 10, again with the weights
    3,4,5,6,7,8,9,10,11,1,2; when that is 10 too, the number is never issued.
    """
    if len(first11) != 11 or not (first11.isascii() and first11.isdigit()):
        raise ValueError(f"need 11 digits, got {first11!r}")
    digits = [int(c) for c in first11]
    for weights in (_WEIGHTS_1, _WEIGHTS_2):
        result = sum(d * w for d, w in zip(digits, weights)) % 11
        if result != 10:
            return result
    return None


def _structure_problem(value: str) -> str | None:
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        return "must be 12 digits"
    if check_digit(value[:11]) != int(value[11]):
        return "has a wrong check digit"
    return None


def iin_problem(iin: str) -> str | None:
    """Why `iin` is not a valid IIN, or None when it is."""
    problem = _structure_problem(iin)
    if problem:
        return problem
    century = _CENTURY.get(int(iin[6]))
    if century is None:
        return "has a 7th digit (century and sex) outside 1-6"
    try:
        date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return "does not start with a valid birth date (YYMMDD)"
    return None


def bin_problem(bin_: str) -> str | None:
    """Why `bin_` is not a valid BIN, or None when it is."""
    problem = _structure_problem(bin_)
    if problem:
        return problem
    if not 1 <= int(bin_[2:4]) <= 12:
        return "does not start with a registration year and month (YYMM)"
    if bin_[4] not in "456":
        return "has a 5th digit (entity type) outside 4-6"
    if bin_[5] not in "0123":
        return "has a 6th digit (division) outside 0-3"
    return None


def validate_iin(iin: str) -> bool:
    return isinstance(iin, str) and iin_problem(iin) is None


def validate_bin(bin_: str) -> bool:
    return isinstance(bin_, str) and bin_problem(bin_) is None


def validate_iin_bin(value: str) -> bool:
    return validate_iin(value) or validate_bin(value)


def is_bin(value: str) -> bool:
    """True for a BIN (a legal entity's number), False for an IIN; assumes a valid number."""
    return value[4] in "456"


def require_iin_bin(value: str, field: str = "iin_bin") -> str:
    """`value` without whitespace if it is a valid IIN or BIN; otherwise a 400 error."""
    if not isinstance(value, str):
        raise BadRequest(f"{field}: an IIN/BIN is a string of 12 digits", code="invalid_iin_bin")
    value = "".join(value.split())
    if validate_iin_bin(value):
        return value
    looks_like_bin = len(value) == 12 and value[4:5] in ("4", "5", "6")
    problem = bin_problem(value) if looks_like_bin else iin_problem(value)
    kind = "BIN" if looks_like_bin else "IIN/BIN"
    raise BadRequest(f"{field}: {value!r} is not a valid {kind}: it {problem}", code="invalid_iin_bin")


def _with_check_digit(first11: str) -> str:
    digit = check_digit(first11)
    if digit is None:
        raise ValueError(f"{first11}: this serial gives no valid check digit; use another serial")
    return first11 + str(digit)


def make_iin(birth: date, sex: str, serial: int) -> str:
    """A valid IIN for a person born on `birth`, `sex` "M" or "F", 4-digit `serial`.

    Raises ValueError for the rare serial whose check digit would be 10 twice.
    """
    base = {1800: 1, 1900: 3, 2000: 5}.get(birth.year // 100 * 100)
    if base is None:
        raise ValueError(f"an IIN encodes births in 1800-2099, not {birth.year}")
    sex = sex.strip().upper()[:1]
    if sex not in ("M", "F"):
        raise ValueError("sex is 'M' or 'F'")
    if not 0 <= serial <= 9999:
        raise ValueError("an IIN serial has 4 digits")
    century_sex = base + (sex == "F")
    return _with_check_digit(f"{birth:%y%m%d}{century_sex}{serial:04d}")


def make_bin(registered: date, serial: int, *, kind: int = 4, division: int = 0) -> str:
    """A valid BIN registered in `registered`'s month, 5-digit `serial`.

    `kind`: 4 resident legal entity, 5 non-resident, 6 joint individual entrepreneurship;
    `division`: 0 head office, 1 branch, 2 representative office, 3 peasant farm.
    """
    if kind not in (4, 5, 6) or division not in (0, 1, 2, 3):
        raise ValueError("BIN kind is 4-6 and division 0-3")
    if not 0 <= serial <= 99999:
        raise ValueError("a BIN serial has 5 digits")
    return _with_check_digit(f"{registered:%y%m}{kind}{division}{serial:05d}")


def mask(number: str | None) -> str | None:
    """An IIN/BIN where the public reads it: its first two and last two digits ("90********28")."""
    return None if not number else number[:2] + "*" * 8 + number[-2:]
