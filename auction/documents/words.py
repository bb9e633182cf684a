"""Money and articles as a Kazakh and a Russian reader of an official act expect them (issue 13):
the amount in figures grouped by thousands with a decimal comma, then in words in that language —
"1 200 000,00 теңге (бір миллион екі жүз мың теңге 00 тиын)" — the article as "80.3-бап" and
"ст. 80.3". Words come from `num2words` (its `kz` and `ru` languages), for the whole tenge only:
the tiyn stay in figures, as Kazakhstan's documents write them, and no float is ever made."""
from __future__ import annotations

from decimal import Decimal

from num2words import num2words

NBSP = "\u00a0"  # a number is never broken across lines
CENT = Decimal("0.01")


def figures(amount: Decimal) -> str:
    """"1 200 000,00": grouped by thousands (no-break spaces), two decimals after a comma."""
    if not isinstance(amount, Decimal):
        raise TypeError("money in documents is a Decimal")
    return f"{amount.quantize(CENT):,.2f}".replace(",", NBSP).replace(".", ",")


def _parts(amount: Decimal) -> tuple[int, int]:
    cents = int(amount.quantize(CENT) * 100)
    if cents < 0:
        raise ValueError("a document states no negative amount")
    return divmod(cents, 100)


def _tiyn_ru(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "тиын"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "тиына"
    return "тиынов"


def words_kk(amount: Decimal) -> str:
    """"бір миллион екі жүз мың теңге 00 тиын"."""
    tenge, tiyn = _parts(amount)
    return f"{num2words(tenge, lang='kz')} теңге {tiyn:02d} тиын"


def words_ru(amount: Decimal) -> str:
    """"один миллион двести тысяч тенге 00 тиынов" (тенге does not decline)."""
    tenge, tiyn = _parts(amount)
    return f"{num2words(tenge, lang='ru')} тенге {tiyn:02d} {_tiyn_ru(tiyn)}"


def kk(amount: Decimal | None) -> str:
    """The amount for the Kazakh text: figures, then words."""
    return "—" if amount is None else f"{figures(amount)} теңге ({words_kk(amount)})"


def ru(amount: Decimal | None) -> str:
    """The amount for the Russian text: figures, then words."""
    return "—" if amount is None else f"{figures(amount)} тенге ({words_ru(amount)})"


def both(amount: Decimal | None) -> str:
    """A field's value read by both: the Kazakh line, then the Russian one."""
    return "—" if amount is None else f"{kk(amount)}\n{ru(amount)}"


def short(amount: Decimal | None) -> str:
    """A table cell: figures only, "1 200 000,00"."""
    return "—" if amount is None else figures(amount)


def art_kk(article: str | None) -> str:
    return f"{article}-бап" if article else "—"


def art_ru(article: str | None) -> str:
    return f"ст. {article}" if article else "—"


def art(article: str | None) -> str:
    """"80.3-бап / ст. 80.3"."""
    return f"{art_kk(article)} / {art_ru(article)}" if article else "—"
