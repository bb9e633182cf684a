"""Strict input fields: what the API and the pages' forms accept, and nothing more (issue 11.5).

- Text refuses control characters (NUL and the rest of Unicode Cc) and lone surrogates, which
  PostgreSQL cannot store; multi-line free text (descriptions, reasons, grounds) keeps line breaks
  and tabs, a browser's CRLF read as LF.
- Integers are integers: 1.5, "1" or true for an integer field is refused, never truncated.
- Booleans are JSON true / false.
- Money and other decimals are strings of ASCII digits with at most two decimals after a point
  ("1250000.00"): no sign, exponent, underscore, space, or other script's digits; bounded in size.

Query strings and page forms carry only text: there an integer is its ASCII digits, a boolean is
true / false / 1 / 0 (a form's checkbox also "on"). A page form also takes money as the page
prints it in its language (Babel: "5 000 000,00" in kk and ru, with a space, NBSP or narrow NBSP).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timezone
from decimal import Decimal

import marshmallow
from marshmallow import ValidationError, fields

from auction.money import MAX as MONEY_MAX

DB_INT_MAX = 2**31 - 1  # the largest id or count an INTEGER column holds (PostgreSQL)
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)  # dates the calendar and the database handle
MONEY_OUT_PATTERN = r"^[0-9]{1,17}\.[0-9]{2}$"  # money as the API answers it: always two decimals (SPEC §9)

# None: a JSON body; "query": a query string; otherwise the language of the page whose form it is.
_INPUT: ContextVar[str | None] = ContextVar("mulik_input", default=None)

CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # \t and \n allowed
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
SPACES = re.compile("[ \u00a0\u202f]")  # a space, NBSP, narrow NBSP: the kk/ru grouping as typed or pasted


@contextmanager
def reading(source: str | None):
    """Load schemas from a query string ("query") or from a page's form (its language code)."""
    token = _INPUT.set(source)
    try:
        yield
    finally:
        _INPUT.reset(token)


def _text_input() -> bool:
    return _INPUT.get() is not None


def _form_locale() -> str | None:
    source = _INPUT.get()
    return None if source in (None, "query") else source


def control_character(value: str, multiline: bool = False) -> str | None:
    """The first character a text field refuses, as "U+0000", or None."""
    bad = (CONTROL_MULTI_LINE if multiline else CONTROL_ONE_LINE).search(value)
    return f"U+{ord(bad.group()):04X}" if bad else None


def _check_text(value: str, multiline: bool) -> str:
    if multiline:
        value = value.replace("\r\n", "\n")
    bad = control_character(value, multiline)
    if bad:
        allowed = "only line breaks and tabs are allowed" if multiline else "a single line of text"
        raise ValidationError(f"control character {bad} is not allowed ({allowed})")
    return value


class Schema(marshmallow.Schema):
    """The base of every input schema: unknown fields are refused (marshmallow's default)."""


class QuerySchema(Schema):
    """A query string's parameters: every value arrives as text."""

    def load(self, *args, **kwargs):
        with reading(_INPUT.get() or "query"):  # a page's form keeps its language
            return super().load(*args, **kwargs)


class Text(fields.String):
    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return _check_text(super()._deserialize(value, attr, data, **kwargs), self.multiline)


class Email(fields.Email):
    def _deserialize(self, value, attr, data, **kwargs):
        return _check_text(super()._deserialize(value, attr, data, **kwargs), False)


class Int(fields.Integer):
    """An integer; JSON true/false and 1.5 are refused. Bounded by what an INTEGER column holds."""

    default_error_messages = {"invalid": "an integer is required (digits 0-9, no decimals)"}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if _text_input() and isinstance(value, str):
            if not ASCII_DIGITS.fullmatch(value):
                raise self.make_error("invalid")
            value = int(value)
        if value is True or value is False:
            raise self.make_error("invalid")
        out = super()._deserialize(value, attr, data, **kwargs)
        if not -DB_INT_MAX - 1 <= out <= DB_INT_MAX:
            raise ValidationError(f"an integer between {-DB_INT_MAX - 1} and {DB_INT_MAX} is required")
        return out


class Bool(fields.Boolean):
    """JSON true or false; in a query string true/false/1/0, in a page's form also a checkbox's "on"."""

    default_error_messages = {"invalid": "true or false is required"}

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        if _text_input() and isinstance(value, str):
            words = {"true": True, "1": True, "false": False, "0": False}
            if _form_locale():
                words["on"] = True
            if value in words:
                return words[value]
        raise self.make_error("invalid")


class Number(fields.Decimal):
    """A decimal written as ASCII digits with at most `places` decimals after a point, e.g. "74.50".

    A page's form may write it as the page prints numbers in its language (grouping and decimal sign)."""

    def __init__(self, *, places: int = 2, max_value: Decimal = MONEY_MAX, what: str = "a number", **kwargs):
        self.max_value, self.what, self.decimals = max_value, what, places
        int_digits = len(str(int(max_value)))
        self.pattern = re.compile(rf"[0-9]{{1,{int_digits}}}(?:\.[0-9]{{1,{places}}})?")
        self.example = f"{'1250000' if max_value > 10**7 else '75'}.{'0' * places}"
        super().__init__(places=places, as_string=True, allow_nan=False, **kwargs)

    def _message(self) -> str:
        return (f'{self.what} is a string of the digits 0-9 with at most {self.decimals} decimals after a point, '
                f'e.g. "{self.example}" (no sign, exponent, spaces or underscores)')

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError(self._message())
        text = value
        locale = _form_locale()
        if locale and not self.pattern.fullmatch(text):
            text = _from_locale(text, locale, self.decimals)
        if text is None or not self.pattern.fullmatch(text):
            raise ValidationError(self._message())
        number = Decimal(text)
        if number > self.max_value:
            raise ValidationError(f"{self.what} is at most {self.max_value}")
        return number.quantize(Decimal(1).scaleb(-self.decimals))


def _from_locale(text: str, locale: str, places: int) -> str | None:
    """`text` as the page's language writes a number ("5 000 000,50" in kk and ru) in the API's
    form ("5000000.50"), or None. Babel reads it, after a check that it is ASCII digits grouped by
    threes with the language's symbols (Babel alone would take "1e5", "1_000" or other digits)."""
    from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)
    if SPACES.fullmatch(group):
        text = SPACES.sub(group, text)
        if point == "," and "," not in text and text.count(".") == 1:
            text = text.replace(".", ",")  # "5 000 000.50": grouped by spaces, the keypad's point as the sign
    grouped = rf"[0-9]{{1,3}}(?:{re.escape(group)}[0-9]{{3}})+|[0-9]+"
    if not re.fullmatch(rf"(?:{grouped})(?:{re.escape(point)}[0-9]{{1,{places}}})?", text):
        return None
    try:
        return str(parse_decimal(text, locale=locale, strict=True))
    except NumberFormatError:
        return None


def money_field(**kw):
    from marshmallow import validate
    return Number(what="money", validate=validate.Range(min=0), **kw)


class Date(fields.Date):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("a date is required, e.g. \"2026-12-01\"")
        out = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= out <= LAST_DAY:
            raise ValidationError(f"a date between {FIRST_DAY} and {LAST_DAY} is required")
        return out


class AwareDateTime(fields.AwareDateTime):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("a time with its offset is required, e.g. \"2026-12-14T10:00:00+05:00\"")
        out = super()._deserialize(value, attr, data, **kwargs)
        first = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=timezone.utc)
        last = datetime.combine(LAST_DAY, datetime.min.time(), tzinfo=timezone.utc)
        if not first <= out <= last:
            raise ValidationError(f"a time between {FIRST_DAY} and {LAST_DAY} is required")
        return out


class AccountRef(fields.Field):
    """A person's account: its id (an integer) or its e-mail (text)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and _text_input() and ASCII_DIGITS.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValidationError("an account id (an integer) or an e-mail is required")
        if isinstance(value, int):
            if not 1 <= value <= DB_INT_MAX:
                raise ValidationError(f"an account id is between 1 and {DB_INT_MAX}")
            return value
        if len(value) > 200:
            raise ValidationError("an e-mail is at most 200 characters")
        return _check_text(value, False)
