"""Documents of a result: the auction protocol (Art. 80.3–80.4, 84), the sale contract (Art. 83, 74.2),
the retention act (Art. 85) and the distribution statement (Art. 108, 110–123).

Official acts of the proceeding: written in Kazakh, the state language, first and in Russian after it
(issue 13) — each label "Kazakh / Russian", each paragraph in both, each amount in figures and in words
in the language of its sentence (words.py), the articles as "80.3-бап" and "ст. 80.3", the law's own
terms (/work/shared/law).
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..failures import ground
from . import words
from .common import bailiff_signature, both, day, lot_fields, party
from .data import (
    AuctionProtocolData,
    Bailiff,
    DistributionStatementData,
    EncumbranceInfo,
    RetentionActData,
    SaleContractData,
)
from .layout import Document, Fields, Heading, Paragraph, Signatures, Table, local

_HASH = re.compile(r"[0-9a-f]{64}")

# The lines of a distribution statement (auction/distribution.Line.kind): what is paid (Art. 108.1).
LINE_KINDS = {
    "fine": ("Борышкерге салынған айыппұлдар", "Штрафы, наложенные на должника"),
    "bailiff_fee": ("Жеке сот орындаушысының қызметіне ақы төлеу",
                    "Оплата деятельности частного судебного исполнителя"),
    "expenses": ("Орындау жөніндегі шығыстар", "Расходы по исполнению"),
    "collector": ("Өндіріп алушының талабы", "Требование взыскателя"),
    "debtor": ("Борышкерге қайтарылатын қалдық", "Остаток, возвращаемый должнику"),
}
# Who receives a line the data names no one for.
RECIPIENTS = {
    "fine": ("мемлекеттік бюджет", "государственный бюджет"),
    "expenses": ("шығыстарды шеккен тұлғалар (114-бап)", "лица, понёсшие расходы (ст. 114)"),
    "collector": ("өндіріп алушы", "взыскатель"),
    "debtor": ("борышкер", "должник"),
}
# Where the money distributed came from (service/distribution.distribute_proceeds).
SOURCES = {
    "auction": ("электрондық аукционда сату", "продажа на электронном аукционе"),
    "self_sale": ("борышкердің мүлікті дербес өткізуі (74.2-бап)",
                  "самостоятельная реализация имущества должником (ст. 74.2)"),
    "retention": ("өндіріп алушының мүлікті өзіне қалдыруы (85.3-бап)",
                  "оставление имущества взыскателем за собой (ст. 85.3)"),
    "retention_excess": ("мүлікті өзіне қалдыру: бағалау құнының өндіріп алушы талабынан асатын бөлігі (85-бап)",
                         "оставление имущества за собой: часть оценочной стоимости сверх требования взыскателя "
                         "(ст. 85)"),
}
# The article of each collectors' queue (Art. 111, 112).
QUEUE_ARTICLES = {1: "111", 2: "112.1", 3: "112.2", 4: "112.3", 5: "112.4"}
# Whose encumbrance (Art. 74.2): a writ of this proceeding or of another, or a court's claim security.
ENCUMBRANCES = {
    "this_writ": ("осы атқарушылық іс жүргізудің атқарушылық құжаты",
                  "исполнительный документ данного исполнительного производства"),
    "writ": ("басқа атқарушылық іс жүргізудің атқарушылық құжаты",
             "исполнительный документ другого исполнительного производства"),
    "court_security": ("талап қоюды қамтамасыз ету мақсатында сот салған шара", "мера, принятая судом в целях "
                       "обеспечения иска"),
}
YES_NO = {True: "иә / да", False: "жоқ / нет", None: "—"}


def _art_kk(article: str | None) -> str:
    """"80.3-бап"; several: "108.1, 118-баптар"."""
    if article and "," in article:
        return f"{article}-баптар"
    return words.art_kk(article)


def _art(article: str | None) -> str:
    """"80.3-бап / ст. 80.3"."""
    return both(_art_kk(article), words.art_ru(article)) if article else "—"


def _queue(q: int | None) -> str:
    return both(f"{q}-кезек", f"{q}-я очередь") if q else "—"


def _account(b: Bailiff) -> tuple[str, str]:
    """Where the money recovered is paid (Art. 108.2, 122): the territorial body's control account of cash,
    or, for a private bailiff, his current account for the sums recovered for the collectors."""
    if b.private:
        return "жеке сот орындаушысының ағымдағы шотына", "на текущий счёт частного судебного исполнителя"
    return "аумақтық органның бақылау шотына", "на контрольный счёт территориального органа"


def failure_text(reason: str) -> str:
    """The ground of Art. 84 in the Law's words, Kazakh then Russian:
    "84.2-бап: «сатып алушылардың ешқайсысы ... қолдамаса»" and "ст. 84.2: «ни один из покупателей ...»"."""
    g = ground(reason)
    return f"{words.art_kk(g.paragraph)}: «{g.kazakh}»\n{words.art_ru(g.paragraph)}: «{g.russian}»"


# --- the protocol (Art. 80.3–80.4, 84) ----------------------------------------------------

def build_auction_protocol(d: AuctionProtocolData) -> Document:
    if (d.winner_no is None) == (d.failure_reason is None):
        raise ValueError("a protocol names either a winner or a failure reason (Art. 84)")
    if d.winner_no is not None and d.winner_no not in {p.no for p in d.participants}:
        raise ValueError(f"winner No {d.winner_no} is not a participant")
    if not _HASH.fullmatch(d.chain_head):
        raise ValueError("chain_head must be a SHA-256 hex digest")
    descending = d.round == 2
    kind = (both("қайталап өткізілетін, мүліктің құнын белгіленген қадаммен төмендету арқылы (80.3-бап)",
                 "повторный, с понижением стоимости имущества на установленный шаг (ст. 80.3)") if descending
            else both("бірінші, мүліктің құнын белгіленген қадаммен көтеру арқылы (80.3-бап)",
                      "первый, с повышением стоимости имущества на установленный шаг (ст. 80.3)"))
    fields = [
        ("Электрондық аукцион / Электронный аукцион", f"№ {d.auction_id}: {kind}"),
        ("Басталды / Начало", local(d.starts_at, seconds=True)),
        ("Аяқталды / Окончание", local(d.ended_at, seconds=True)),
        ("Мүліктің бастапқы құны / Начальная стоимость имущества", words.both(d.starting_price)),
        ("Құнды өзгерту қадамы (80.3-бап) / Шаг изменения стоимости (ст. 80.3)", words.both(d.step)),
    ]
    if descending:
        fields.append(("Құнның төменгі шегі (80.3-бап) / Нижний предел стоимости (ст. 80.3)", words.both(d.floor)))
    fields.append(("Өткізген / Провёл", d.bailiff.title))
    if d.failure_reason is not None:
        g = ground(d.failure_reason)
        result = [("Нәтижесі / Итог",
                   "ЭЛЕКТРОНДЫҚ АУКЦИОН ӨТКІЗІЛМЕДІ ДЕП ЖАРИЯЛАНДЫ (84-бап)\n"
                   "ЭЛЕКТРОННЫЙ АУКЦИОН ОБЪЯВЛЕН НЕСОСТОЯВШИМСЯ (ст. 84)"),
                  ("Негізі / Основание", failure_text(g.paragraph))]
        if d.cancelled:
            result.append(("Белгі / Отметка", "аукционның күшін сот орындаушысы жойды / аукцион отменён судебным "
                                              "исполнителем"))
        outcome_ru = f"объявлен несостоявшимся ({words.art_ru(g.paragraph)})"
    else:
        result = [("Нәтижесі / Итог", "МҮЛІК САТЫЛДЫ / ИМУЩЕСТВО ПРОДАНО"),
                  ("Электрондық аукцион жеңімпазы / Победитель электронного аукциона",
                   f"№ {d.winner_no} қатысушы / участник № {d.winner_no}"),
                  ("Сатып алу бағасы / Покупная цена", words.both(d.final_price)),
                  ("Төлеу мерзімі (80.4-бап) / Срок оплаты (ст. 80.4)", local(d.payment_due_at))]
        outcome_ru = f"победитель — участник № {d.winner_no}"
    if d.approved_at:
        result.append(("Қорытындылар бекітілді / Итоги утверждены", local(d.approved_at)))
    if d.final_price is not None:
        sold_kk = (f"Электрондық аукцион жеңімпазы — № {d.winner_no} қатысушы; сатып алу бағасы — "
                   f"{words.kk(d.final_price)}. Жеңімпаз сатып алған мүліктің ақысын электрондық аукцион "
                   "қорытындылары бекітілгеннен кейін бес жұмыс күні ішінде төлейді; оның кепілдік жарнасы сатып "
                   "алу бағасының есебіне жатқызылады (80.1, 80.4-баптар). Егер жеңімпаз белгіленген мерзімде "
                   "төлемесе, оның кепілдік жарнасы қайтарылмайды (80.4-бап).")
        sold_ru = (f"Победитель электронного аукциона — участник № {d.winner_no}; покупная цена — "
                   f"{words.ru(d.final_price)}. Оплата приобретённого имущества производится победителем в течение "
                   "пяти рабочих дней после утверждения итогов электронного аукциона; его гарантийный взнос "
                   "засчитывается в счёт покупной цены (ст. 80.1, 80.4). Если победитель не оплатит в установленный "
                   "срок, его гарантийный взнос не возвращается (ст. 80.4).")
        outcome = (Paragraph(sold_kk), Paragraph(sold_ru))
    else:
        outcome = (Paragraph("Сот орындаушысы электрондық аукционды 84-баптың негізінде өткізілмеді деп жариялады. "
                             "Өндіріп алушы электрондық аукцион өткізілмеді деп танылған күннен бастап бес жұмыс "
                             "күні ішінде мүлікті бағалау құны бойынша өзіне қалдыруға құқылы (85.1-бап)."),
                   Paragraph("Судебный исполнитель объявил электронный аукцион несостоявшимся на основании статьи "
                             "84. Взыскатель вправе в течение пяти рабочих дней со дня объявления электронного "
                             "аукциона несостоявшимся оставить имущество за собой по оценочной стоимости "
                             "(ст. 85.1)."))
    return Document(
        title="Протокол электронного аукциона",
        title_kk="Электрондық аукцион хаттамасы",
        number=f"Аукцион № {d.auction_id}",
        subject=f"Протокол электронного аукциона № {d.auction_id}, лот № {d.lot.lot_id}, {outcome_ru}, "
                f"хэш журнала {d.chain_head}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Heading(f"Қатысушылар ({len(d.participants)}), тек нөмірлері бойынша / "
                    f"Участники ({len(d.participants)}), только по номерам"),
            Table(("Қатысушы № / Участник №", "Ашылған кезде онлайн режимде (84.4-бап) / "
                                               "В режиме онлайн при открытии (ст. 84.4)"),
                  tuple((f"№ {p.no}", YES_NO[p.online]) for p in d.participants),
                  widths=(1, 2), empty="қатысушылар жоқ / участников нет"),
            Heading(f"Баға ұсыныстары ({len(d.bids)}); уақыты Алматы бойынша / "
                    f"Ценовые предложения ({len(d.bids)}); время Алматы"),
            Table(("Реттік № / № п/п", "Сомасы, теңге / Сумма, тенге", "Қатысушы № / Участник №",
                   "Уақыты / Время"),
                  tuple((str(b.seq), words.short(b.amount), f"№ {b.participant_no}",
                         local(b.at, seconds=True)) for b in d.bids),
                  widths=(1, 3, 2, 3), align=("R", "R", "C", "L"),
                  empty="баға ұсыныстары жоқ / ценовых предложений нет"),
            Heading("Аукцион нәтижесі / Итог аукциона"),
            Fields(tuple(result)),
            *outcome,
            Heading("Платформа журналы / Журнал платформы"),
            Paragraph("Аукцион аяқталған кездегі журнал тізбегінің соңғы хэші (SHA-256) / "
                      f"Последний хэш цепочки журнала (SHA-256) на момент окончания аукциона:\n{d.chain_head}"),
            Paragraph("Жоғарыдағы әрбір баға ұсынысы платформаның хэштер тізбегімен байланысқан журналының жазбасы "
                      "болып табылады; тізбекті осы хэшке дейін тексеруге болады."),
            Paragraph("Каждое ценовое предложение выше — запись журнала платформы, связанного цепочкой хэшей; "
                      "цепочку можно проверить до этого хэша."),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )


# --- the sale contract (Art. 83, 74.2) ----------------------------------------------------

def build_sale_contract(d: SaleContractData) -> Document:
    if d.paid != d.price:
        raise ValueError(f"the contract is signed after full payment (Art. 83): paid {d.paid}, "
                         f"price {d.price}")
    via_auction = d.auction_id is not None
    if via_auction:
        basis = both(f"№ {d.auction_id} электрондық аукционның нәтижелері (83-бап)",
                     f"итоги электронного аукциона № {d.auction_id} (ст. 83)")
        seller = f"{d.bailiff.title}, борышкердің атынан / от имени должника"
    else:
        basis = both("борышкердің тыйым салынған мүлікті дербес өткізуі (74.2-бап)",
                     "самостоятельная реализация арестованного имущества должником (ст. 74.2)")
        seller = party(d.debtor)
    fields = [
        ("Күні / Дата", local(d.concluded_at)),
        ("Жасалған орны / Место заключения", d.place or "—"),
        ("Негізі / Основание", basis),
        ("Сатушы / Продавец", seller),
        ("Борышкер (меншік иесі) / Должник (собственник)", party(d.debtor)),
        ("Сатып алушы / Покупатель", party(d.buyer)),
        ("Сатып алу бағасы / Покупная цена", words.both(d.price)),
    ]
    if via_auction:
        fields += [
            ("Есепке жатқызылған кепілдік жарна (80.1-бап) / Засчитанный гарантийный взнос (ст. 80.1)",
             words.both(d.deposit_credited)),
            ("Кепілдік жарнаны қоса алғанда, толық төленді / Оплачено полностью, включая гарантийный взнос",
             words.both(d.paid)),
        ]
    else:
        fields.append(("Толық төленді / Оплачено полностью", words.both(d.paid)))
    signers = [bailiff_signature(d.bailiff), ("Сатып алушы / Покупатель", d.buyer.name)]
    if not via_auction:
        signers.insert(0, ("Борышкер (сатушы) / Должник (продавец)", d.debtor.name))
    return Document(
        title="Договор купли-продажи имущества",
        title_kk="Мүлікті сатып алу-сату шарты",
        number=f"№ {d.number}",
        subject=f"Договор купли-продажи имущества № {d.number}, лот № {d.lot.lot_id}, "
                f"цена {words.figures(d.price)} тенге",
        blocks=(
            Fields(tuple(fields)),
            Heading("Шарттың нысанасы / Предмет договора"),
            lot_fields(d.lot),
            Heading("Шарттың талаптары / Условия договора"),
            Paragraph(f"Сатушы жоғарыда сипатталған мүлікті сатып алушыға {words.kk(d.price)} бағамен береді; "
                      "баға осы шартқа қол қойылғанға дейін толық төленді. Осы шарт сатып алушының алған мүлкіне "
                      "оның меншік құқығын (меншік құқығының ауысуын) мемлекеттік органдарда тіркеу үшін негіз "
                      "болып табылады (83-бап). Басқа атқарушылық құжаттар шеңберінде салынған ауыртпалықтардың "
                      "күшін сот орындаушысы жояды; талап қоюды қамтамасыз ету мақсатында сот салған "
                      "ауыртпалықтар сақталады (74.2-бап)."),
            Paragraph(f"Продавец передаёт покупателю описанное выше имущество по цене {words.ru(d.price)}, "
                      "оплаченной полностью до подписания настоящего договора. Настоящий договор является "
                      "основанием для регистрации права собственности (перехода права собственности) покупателя на "
                      "приобретённое имущество в государственных органах (ст. 83). Обременения, наложенные в рамках "
                      "других исполнительных документов, снимает судебный исполнитель; обременения, наложенные "
                      "судом в целях обеспечения иска, сохраняются (ст. 74.2)."),
            *_encumbrance_blocks(d),
            Signatures(tuple(signers)),
        ),
    )


def _encumbrance(e: EncumbranceInfo) -> str:
    kk, ru = ENCUMBRANCES["this_writ" if e.this_proceeding else e.basis]
    return f"- {kk} / {ru} № {e.document_no}, {day(e.document_date)}, {e.issuer}"


def _encumbrance_blocks(d: SaleContractData) -> tuple:
    """Art. 74.2: what the self-sale lifted and what stays with the property."""
    if d.auction_id is not None:
        return ()
    none = "тіркелмеген / не зарегистрированы"
    lifted = "\n".join(_encumbrance(e) for e in d.encumbrances_lifted) or none
    kept = "\n".join(_encumbrance(e) for e in d.encumbrances_kept) or none
    return (Heading("Ауыртпалықтар (74.2-бап) / Обременения (ст. 74.2)"),
            Paragraph("Сот орындаушысы күшін жойған (атқарушылық құжаттар шеңберінде салынған) / "
                      f"Сняты судебным исполнителем (наложены в рамках исполнительных документов):\n{lifted}"),
            Paragraph("Сақталатын (талап қоюды қамтамасыз ету мақсатында сот салған) / "
                      f"Сохраняются (наложены судом в целях обеспечения иска):\n{kept}"))


# --- the retention act (Art. 85) ----------------------------------------------------------

def build_retention_act(d: RetentionActData) -> Document:
    to_kk, to_ru = _account(d.bailiff)
    paid = d.difference_paid + d.expenses_share + d.fee_share
    queue = d.collector_queue
    fee = d.bailiff.private or d.fee_share > 0
    fields = [
        ("Күні / Дата", local(d.retained_at)),
        ("Жасаған / Составил", d.bailiff.title),
        ("Борышкер / Должник", party(d.debtor)),
        ("Өндіріп алушы / Взыскатель", party(d.collector)),
        ("Өндіріп алушының кезегі / Очередь взыскателя",
         f"{_queue(queue)} ({_art(QUEUE_ARTICLES.get(queue))})" if queue else "—"),
        ("Өткізілмеді деп жарияланған аукцион / Аукцион, объявленный несостоявшимся",
         f"№ {d.failed_auction_id}" if d.failed_auction_id else "—"),
        ("Бағалау құны бойынша қалдырылды (85.1-бап) / Оставлено по оценочной стоимости (ст. 85.1)",
         words.both(d.lot.valuation)),
        ("Өндіріп алушыға тиесілі сома / Сумма, причитающаяся взыскателю", words.both(d.owed_to_collector)),
        (f"Құнның талаптан асатын бөлігі, {to_kk} енгізілді / Часть стоимости сверх требования, внесённая {to_ru}",
         words.both(d.difference_paid)),
        ("Атқарушылық әрекеттер жасау жөніндегі шығыстардың үлесі (85.3-бап) / "
         "Доля расходов по совершению исполнительных действий (ст. 85.3)", words.both(d.expenses_share)),
    ]
    if fee:
        fields.append(("Жеке сот орындаушысының қызметіне ақы төлеудің үлесі (85.3, 118-баптар) / "
                       "Доля оплаты деятельности частного судебного исполнителя (ст. 85.3, 118)",
                       words.both(d.fee_share)))
    fields.append((f"Өндіріп алушы барлығы {to_kk} енгізді / Всего внесено взыскателем {to_ru}", words.both(paid)))
    costs_kk = ("атқарушылық әрекеттер жасау жөніндегі шығыстар сомасын және жеке сот орындаушысының қызметіне ақы "
                "төлеу сомасын" if fee else "атқарушылық әрекеттер жасау жөніндегі шығыстар сомасын")
    costs_ru = ("сумму расходов по совершению исполнительных действий и сумму оплаты деятельности частного "
                "судебного исполнителя" if fee else "сумму расходов по совершению исполнительных действий")
    return Document(
        title="Акт об оставлении взыскателем за собой нереализованного имущества",
        title_kk="Өткізілмеген мүлікті өндіріп алушының өзіне қалдыруы туралы акт",
        number=f"№ {d.number}",
        subject=f"Акт об оставлении имущества за собой № {d.number}, лот № {d.lot.lot_id}, "
                f"взыскатель {d.collector.name}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Paragraph("Электрондық аукцион өткізілмеді деп жарияланғандықтан (84-бап), өндіріп алушы бес жұмыс күні "
                      "ішінде сот орындаушысына өтініш беру арқылы мүлікті бағалау құны бойынша — "
                      f"{words.kk(d.lot.valuation)} — өзіне қалдырды (85.1-бап). Мүлік өндіріп алушыға беріледі; "
                      "оның талабы есепке жатқызылған құнға азаяды. Өндіріп алушы мүліктің берілген құнына "
                      f"мөлшерлес {costs_kk} өтеді (85.3-бап); бұл сома кейіннен борышкерден өндіріп алынуға "
                      "жатады. Құнның өндіріп алушы талабынан асатын бөлігі бөлінеді (55.5-бап); өндіріп алушы "
                      f"барлығы {words.kk(paid)} енгізді."),
            Paragraph("В связи с объявлением электронного аукциона несостоявшимся (ст. 84) взыскатель в течение пяти "
                      "рабочих дней путём подачи заявления судебному исполнителю оставил имущество за собой по "
                      f"оценочной стоимости — {words.ru(d.lot.valuation)} (ст. 85.1). Имущество передаётся "
                      "взыскателю; его требование уменьшается на зачтённую стоимость. Взыскатель возместил "
                      f"{costs_ru} соразмерно переданной стоимости имущества (ст. 85.3); эта сумма подлежит "
                      "последующему взысканию с должника. Часть стоимости, превышающая требование взыскателя, "
                      f"распределяется (ст. 55.5); всего взыскатель внёс {words.ru(paid)}."),
            Signatures((bailiff_signature(d.bailiff), ("Өндіріп алушы / Взыскатель", d.collector.name))),
        ),
    )


# --- the distribution statement (Art. 108, 110–123) ---------------------------------------

def _source(d: DistributionStatementData) -> str:
    kk, ru = SOURCES.get(d.source, (d.source, d.source))
    if d.source == "auction" and d.auction_id is not None:
        again = d.auction_round == 2
        kk = f"№ {d.auction_id} {'қайталап өткізілген ' if again else ''}электрондық аукционда сату"
        ru = f"продажа на {'повторном ' if again else ''}электронном аукционе № {d.auction_id}"
    return both(kk, ru)


def _recipient(d: DistributionStatementData, kind: str, name: str | None) -> str:
    if kind == "bailiff_fee":
        return f"{name or d.bailiff.name} (жеке сот орындаушысы / частный судебный исполнитель)"
    if name:
        return name
    return both(*RECIPIENTS.get(kind, ("—", "—")))


def build_distribution_statement(d: DistributionStatementData) -> Document:
    total = sum((line.amount for line in d.lines), Decimal("0.00"))
    if total != d.recovered:
        raise ValueError(f"distribution lines add up to {total}, not the {d.recovered} recovered")
    rows = tuple(
        (str(i), both(*LINE_KINDS.get(line.kind, (line.kind, line.kind))), _recipient(d, line.kind, line.recipient),
         _queue(line.queue), words.short(line.amount), _art(line.article))
        for i, line in enumerate(d.lines, 1))
    rows += (("", "Барлығы / Итого", "", "", words.short(total), ""),)
    fee_kk = ("жеке сот орындаушысының қызметіне ақы төлеу жөніндегі сомалар және орындау жөніндегі шығыстар"
              if d.bailiff.private else "орындау жөніндегі шығыстар")
    fee_ru = ("суммы по оплате деятельности частного судебного исполнителя и расходы по исполнению"
              if d.bailiff.private else "расходы по исполнению")
    to_kk, to_ru = _account(d.bailiff)
    return Document(
        title="Расчёт распределения взысканных денежных сумм",
        title_kk="Өндіріп алынған ақша сомаларын бөлу туралы есеп",
        number=f"№ {d.number}",
        subject=f"Расчёт распределения взысканных денежных сумм № {d.number}, лот № {d.lot.lot_id}, "
                f"итого {words.figures(total)} тенге",
        blocks=(
            Fields((("Күні / Дата", local(d.distributed_at)), ("Жасаған / Составил", d.bailiff.title),
                    ("Борышкер / Должник", party(d.debtor)), ("Ақшаның көзі / Источник средств", _source(d)),
                    ("Өндіріп алынған сома / Взысканная сумма", words.both(d.recovered)))),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Heading("Бөлу (108, 110–112, 55.5-баптар) / Распределение (ст. 108, 110–112, 55.5)"),
            Table(("№ / №", "Төлем / Платёж", "Алушы / Получатель", "Кезек / Очередь",
                   "Сомасы, теңге / Сумма, тенге", "Бап / Статья"), rows,
                  widths=(1, 5, 5, 3, 4, 4), align=("R", "L", "L", "C", "R", "L")),
            Fields((("Барлығы бөлінді / Всего распределено", words.both(total)),)),
            Paragraph(f"Өндіріп алынған сомадан — {words.kk(total)} — ең алдымен борышкерге салынған айыппұлдар "
                      f"өтеледі, содан соң {fee_kk} төленеді (108-бап). Өндіріп алушылардың талаптары кезектілік "
                      "тәртібімен қанағаттандырылады: әрбір келесі кезектің талаптары алдыңғы кезектің талаптары "
                      "толық өтелгеннен кейін, бір кезектің ішінде әрбір өндіріп алушыға тиесілі сомаға барабар "
                      "(110–112-баптар). Барлық талаптар қанағаттандырылғаннан кейін қалған сома борышкерге "
                      f"қайтарылады (55.5, 108-баптар). Сомалар {to_kk} есептеліп, содан кейін беріледі немесе "
                      "аударылады (108-баптың 2-тармағы, 122-бап)."),
            Paragraph(f"Из взысканной суммы — {words.ru(total)} — в первую очередь погашаются штрафы, наложенные на "
                      f"должника, затем оплачиваются {fee_ru} (ст. 108). Требования взыскателей удовлетворяются в "
                      "порядке очерёдности: требования каждой последующей очереди — после полного удовлетворения "
                      "требований предыдущей, в пределах одной очереди — пропорционально причитающейся каждому "
                      "взыскателю сумме (ст. 110–112). Оставшаяся после удовлетворения всех требований сумма "
                      f"возвращается должнику (ст. 55.5, 108). Суммы зачисляются {to_ru}, а затем выдаются или "
                      "перечисляются (пункт 2 статьи 108, статья 122)."),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )
