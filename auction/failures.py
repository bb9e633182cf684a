"""Why an e-auction is declared failed (Art. 84, "өткізілмеді деп жариялайды"): the one table of its
grounds, for everything that names one — the auction (`Auction._fail`, the `auction.failed` entry), the
round's outcome (auction/bidding) and the protocol (auction/documents).

Each ground is said two ways, on purpose: `said` is the platform's own sentence (journaled in the
`auction.failed` entry, told to the room when it closes); `printed`, `kazakh` and `russian` are the
paragraph of the law, in English and in the Kazakh and Russian of the Law. The protocol prints the
Kazakh, then the Russian (issue 13); `printed` stays for what reads the English. Journal entries are
chained by their hashes and documents by their SHA-256, so no wording changes once issued."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FailureGround:
    paragraph: str  # "84.1" .. "84.4": the article every refusal and entry cites
    said: str
    printed: str
    kazakh: str
    russian: str


GROUNDS: dict[str, FailureGround] = {g.paragraph: g for g in (
    FailureGround("84.1", "no application or only one application",
                  "there was no application, or only one",
                  "өтінімдер болмаса немесе бір ғана өтінім берілсе",
                  "отсутствуют заявки или подана только одна заявка"),
    FailureGround("84.2", "no participant raised the price by the step",
                  "no participant supported the set price step",
                  "сатып алушылардың ешқайсысы мүлік құнын өзгертудің белгіленген қадамын қолдамаса",
                  "ни один из покупателей не поддержал установленный шаг изменения стоимости имущества"),
    FailureGround("84.3", "the winner did not pay the full price in time",
                  "the buyer did not pay the full price in time",
                  "сатып алушы белгіленген мерзімде мүліктің толық сатып алу құнын төлемесе",
                  "покупатель не оплатил в установленный срок полную покупную стоимость имущества"),
    FailureGround("84.4", "fewer than two registered participants took part online",
                  "fewer than two registered participants took part online",
                  "онлайн режимде екеуден аз тіркелген қатысушылар қатысса",
                  "в режиме онлайн участвовало менее двух зарегистрированных участников"),
)}


class FailureReason:
    """The grounds by name, where code decides one."""

    FEW_APPLICATIONS = "84.1"  # no application or only one
    NOBODY_RAISED = "84.2"  # no participant raised the price / accepted
    WINNER_DID_NOT_PAY = "84.3"
    FEW_ONLINE = "84.4"  # fewer than two registered participants online


def ground(paragraph: str) -> FailureGround:
    """The ground of `paragraph`, "84.2" or "Art. 84.2"; ValueError for any other."""
    key = paragraph.removeprefix("Art. ").strip()
    if key not in GROUNDS:
        raise ValueError(f"unknown failure reason {paragraph!r}: expected one of {sorted(GROUNDS)}")
    return GROUNDS[key]
