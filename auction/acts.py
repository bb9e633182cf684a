"""Acts a person signs with his EDS (issue 14 point 2): what each act is, who signs it, and the exact bytes he
signs — the act's canonical JSON.

Art. 10.1 of the law gives a bailiff's resolution certified with his EDS the force of a paper one; the platform
asks the same of the other acts whose author it must be able to prove: a bidder's application with its Art. 80.2
declaration, the collector's Art. 85.1 application to keep the lot, the buyer's side of the Art. 83 contract.

The signed bytes are `content(act, facts)`: UTF-8 JSON with sorted keys, no spaces, no ASCII escapes, money as
text with two decimals, dates and times in ISO 8601 (UTC). The platform computes them from the facts at the
moment of the step, the person's NCALayer signs them (CMS with the content attached), and the platform checks
that the signed content is byte for byte what it computes again when the step is taken: a page left open while
the facts changed signs something else, and is refused (`eds_act_changed`). No Flask, no database here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from .errors import Conflict, RuleViolation


@dataclass(frozen=True)
class Act:
    name: str
    article: str  # the article that makes the act, cited by its refusals
    signers: tuple[str, ...]  # the roles that sign it (a sale contract: the buyer and the bailiff)
    kk: str  # the act's name in Kazakh and Russian (pages, documents)
    ru: str
    document: bool = False  # signed after the platform issued it (its PDF's SHA-256 is what is signed)


ACTS: dict[str, Act] = {a.name: a for a in (
    Act("application", "80.2", ("bidder",), "Электрондық аукционға қатысуға өтінім",
        "Заявка на участие в электронном аукционе"),
    Act("realization_order", "77.1", ("bailiff",), "Мүлікті өткізу туралы қаулы",
        "Постановление о реализации имущества"),
    Act("auction_protocol", "80.4", ("bailiff",), "Электрондық аукцион хаттамасы",
        "Протокол электронного аукциона", document=True),
    Act("results_approval", "80.4", ("bailiff",), "Электрондық аукцион қорытындыларын бекіту",
        "Утверждение итогов электронного аукциона"),
    Act("sale_contract", "83", ("bidder", "bailiff"), "Сатып алу-сату шарты", "Договор купли-продажи",
        document=True),
    Act("retention_application", "85.1", ("collector",), "Мүлікті өзіне қалдыру туралы өтініш",
        "Заявление об оставлении имущества за собой"),
)}

# Art. 80.2: what the bidder declares by signing his application (its text, signed, in both languages).
DECLARATION_KK = ("Осы өтініммен мен «Атқарушылық іс жүргізу және сот орындаушыларының мәртебесі туралы» Заңның "
                  "80-бабының 2-тармағында аталған тұлғалардың қатарына жатпайтынымды, ал өтінімде көрсетілген "
                  "мәліметтердің толық және шынайы екенін мәлімдеймін.")
DECLARATION_RU = ("Настоящей заявкой я заявляю, что не отношусь к лицам, названным в пункте 2 статьи 80 Закона "
                  "«Об исполнительном производстве и статусе судебных исполнителей», а сведения, указанные в "
                  "заявке, полны и достоверны.")


def act(name: str) -> Act:
    """The act of `name` (the code's own names: an unknown one is a programming error, not a refusal)."""
    try:
        return ACTS[name]
    except KeyError:
        raise ValueError(f"no act {name!r} is signed on the platform") from None


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("an act's times are aware datetimes")
        return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"{type(value).__name__} has no place in an act")


def canonical(obj: dict) -> bytes:
    """The one byte form of a JSON object: sorted keys, no spaces, UTF-8 (not ASCII escapes)."""
    return json.dumps(_plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content(name: str, facts: dict) -> bytes:
    """The bytes a signer of act `name` signs: its facts with the act's name, article and the platform."""
    a = act(name)
    return canonical({**facts, "act": a.name, "article": a.article, "platform": "mulik.kz"})


def check_signed_content(name: str, signed: bytes, expected: bytes) -> None:
    """The CMS's content must be the act as the platform states it now."""
    if signed != expected:
        raise Conflict(f"the signed {name} is not the act as it stands now: fetch it again and sign that",
                       article=act(name).article, code="eds_act_changed")


def signature_required(name: str) -> RuleViolation:
    a = act(name)
    return RuleViolation(f"this act ({a.name}) is taken only with its author's EDS signature (Art. 10.1)",
                         article=a.article, code="signature_required")
