"""PDF documents: valid, deterministic (their SHA-256 is journaled), readable text (SPEC §7)."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from auction import documents as docs
from auction.documents import (
    AuctionAnnouncementData,
    AuctionProtocolData,
    Bailiff,
    DistributionLine,
    DistributionStatementData,
    EncumbranceInfo,
    LotInfo,
    Party,
    ProtocolBid,
    ProtocolParticipant,
    RealizationOrderData,
    RetentionActData,
    SaleContractData,
    SelfSalePermissionData,
    ValuationBasis,
)
from auction.documents.layout import FONTS_DIR, LAW_KK, LAW_RU, PLATFORM
from auction.failures import GROUNDS

from ..pdf import pdfinfo, pdftotext

T = datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)  # 10:00 in Almaty
HEAD = "3f" * 32

LOT = LotInfo(7, "Toyota Camry 2018", "ИС-2026/0042", D("8500000.00"),
              description="Ақ түсті, жүрісі 120 000 км", category="vehicle", location="Алматы қ.",
              valuation_report=ValuationBasis(report_no="12-34", report_date=date(2026, 1, 5)))
BAILIFF = Bailiff("Асқар Нұрланұлы", private=True, office="Almaty city chamber", licence_no="0042")
DEBTOR = Party("Серік Әлиев", "880101300123")
BUYER = Party("Гүлнар Қасымова", "900202400456")
COLLECTOR = Party("Айгүл Бекова", "870303400789")


def protocol(**changes) -> AuctionProtocolData:
    data = AuctionProtocolData(
        auction_id=3, lot=LOT, round=1, starts_at=T, ended_at=T + timedelta(minutes=21),
        starting_price=D("8500000.00"), step=D("100000.00"),
        participants=(ProtocolParticipant(1, True), ProtocolParticipant(2, True)),
        bids=(ProtocolBid(1, D("8600000.00"), 2, T + timedelta(minutes=1)),
              ProtocolBid(2, D("8700000.00"), 1, T + timedelta(minutes=11, seconds=5))),
        chain_head=HEAD, bailiff=BAILIFF, winner_no=1, final_price=D("8700000.00"),
        payment_due_at=T + timedelta(days=7))
    return replace(data, **changes)


FAILED = dict(winner_no=None, final_price=None, bids=(), failure_reason="84.2")

CASES = {
    "realization_order": RealizationOrderData(
        "RO-1", LOT, BAILIFF, DEBTOR, T, D("8500000.00"), 2,
        priority_reason="pledged property (Art. 72.4)", collectors=(COLLECTOR,)),
    "self_sale_permission": SelfSalePermissionData(
        "SS-1", LOT, BAILIFF, DEBTOR, T - timedelta(days=1), T, T + timedelta(days=31),
        D("6375000.00"), T - timedelta(days=40)),
    "auction_announcement": AuctionAnnouncementData(
        3, LOT, 1, T, T + timedelta(days=10, hours=2), T + timedelta(days=10, hours=4),
        D("8500000.00"), D("100000.00"), D("425000.00"), BAILIFF, quiet_period_minutes=10),
    "auction_protocol": protocol(),
    "sale_contract": SaleContractData(
        "SC-1", LOT, BAILIFF, DEBTOR, BUYER, D("8700000.00"), D("8700000.00"), T, auction_id=3,
        deposit_credited=D("425000.00"), place="Алматы"),
    "retention_act": RetentionActData(
        "RA-1", LOT, BAILIFF, DEBTOR, COLLECTOR, 1, T, D("5000000.00"), D("3500000.00"),
        failed_auction_id=3),
    "distribution_statement": DistributionStatementData(
        "DS-1", LOT, BAILIFF, DEBTOR, D("8700000.00"), T, (
            DistributionLine("bailiff_fee", None, D("261000.00"), "108.1, 118"),
            DistributionLine("collector", COLLECTOR.name, D("5000000.00"), "110, 111", 1),
            DistributionLine("debtor", DEBTOR.name, D("3439000.00"), "55.5, 108.1")),
        auction_id=3, auction_round=1),
}
# The documents of a result (auction/documents/after_sale.py), in Kazakh then Russian (issue 13); the
# documents before a sale (before_sale.py) are converted on their own.
AFTER_SALE = ("auction_protocol", "sale_contract", "retention_act", "distribution_statement")
BEFORE_SALE = tuple(name for name in CASES if name not in AFTER_SALE)


def render(name: str, data=None, **kwargs) -> bytes:
    kwargs.setdefault("journal", MARK)
    return getattr(docs, name)(CASES[name] if data is None else data, issued_at=T, **kwargs)


MARK = docs.JournalMark(41, "ab" * 32)  # the journal's last entry when the document was issued


def pdf_text(pdf: bytes) -> str:
    return pdftotext(pdf)


NB = " "  # the documents group thousands with a no-break space; pdftotext reads it as a space


def flat(pdf: bytes | str) -> str:
    """The PDF's text (or a text read from one) on one line: a word broken after its hyphen joined again
    ("84-\nбап"), every run of white space (the no-break spaces of the figures included) one space."""
    text = pdftotext(pdf) if isinstance(pdf, bytes) else pdf
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))


def money_kk(amount: str) -> str:
    """What a Kazakh sentence or field says: figures, then words."""
    return " ".join(docs.words.kk(D(amount)).split())


def money_ru(amount: str) -> str:
    return " ".join(docs.words.ru(D(amount)).split())


def spoken(amount: str) -> tuple[str, ...]:
    """An amount of a field as pdftotext reads it back: its figures and its words in each language, each
    part found on its own (a wrapped value may come back between the lines of its label)."""
    tenge = docs.words.figures(D(amount)).replace("\u00a0", " ")
    kk, ru = docs.words.words_kk(D(amount)), docs.words.words_ru(D(amount))
    return f"{tenge} теңге", kk[:kk.index(" теңге")], f"{tenge} тенге", ru[:ru.index(" тенге")]


def fields(data) -> str:
    """The document model's text on one line, each field "label: value" (pdftotext may interleave the
    lines of a label and its value when both wrap, so a field is read here and its text in the PDF)."""
    return " ".join(docs.build(data).text().split())


# --- every document ------------------------------------------------------------------

@pytest.mark.parametrize("name", CASES)
def test_each_document_is_a_valid_pdf(name):
    pdf = render(name)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"+DejaVu" in render(name, compress=False)  # the vendored font is embedded (subset)
    assert pdfinfo(pdf)["Pages"] in {"1", "2", "3"}


@pytest.mark.parametrize("name", CASES)
def test_the_same_input_gives_the_same_bytes_and_hash(name):
    first, second = render(name), render(name)
    assert first == second
    assert docs.sha256(first) == docs.sha256(second)
    assert re.fullmatch(r"[0-9a-f]{64}", docs.sha256(first))
    later = getattr(docs, name)(CASES[name], issued_at=T + timedelta(seconds=1))
    assert later != first


@pytest.mark.parametrize("name", BEFORE_SALE)
def test_the_rendered_text_shows_the_kazakh_title_law_and_almaty_time(name):
    model = getattr(docs, f"build_{name}")(CASES[name])
    text = pdf_text(render(name))
    assert model.title_kk.upper() in text
    assert model.title in text
    assert "№ 261-IV Заң / Закон № 261-IV" in text
    assert "«Атқарушылық іс жүргізу және сот орындаушыларының мәртебесі туралы»" in flat(text)
    assert "02.03.2026 10:00:00 (Алматы уақыты / время Алматы)" in text  # issued_at 05:00 UTC
    assert "Асқар Нұрланұлы" in text
    # the valuation, in every document's lot block, in figures and in words, Kazakh then Russian
    assert f"8{NB}500{NB}000,00 теңге (сегіз миллион бес жүз мың теңге 00 тиын)" in flat(text)
    assert f"8{NB}500{NB}000,00 тенге (восемь миллионов пятьсот тысяч тенге 00 тиынов)" in flat(text)
    assert "бағалау туралы есеп / отчёт об оценке № 12-34, 05.01.2026" in flat(text)


@pytest.mark.parametrize("name", AFTER_SALE)
def test_a_result_document_reads_kazakh_then_russian_with_the_law_and_almaty_time(name):
    model = getattr(docs, f"build_{name}")(CASES[name])
    text = flat(render(name))
    assert text.index(model.title_kk.upper()) < text.index(model.title)  # the state language first
    assert text.index(LAW_KK) < text.index(LAW_RU)
    assert "02.03.2026 10:00:00 (Алматы уақыты / время Алматы)" in text  # issued_at 05:00 UTC
    assert "Асқар Нұрланұлы" in text
    # the valuation, in every document's lot block, in figures and in words in each language
    assert spoken("8500000.00") == ("8 500 000,00 теңге", "сегіз миллион бес жүз мың", "8 500 000,00 тенге",
                                    "восемь миллионов пятьсот тысяч")
    assert all(part in text for part in spoken("8500000.00"))
    assert "Бағасы / Оценка: 8 500 000,00 теңге (сегіз миллион бес жүз мың теңге 00 тиын) " \
           "8 500 000,00 тенге (восемь миллионов пятьсот тысяч тенге 00 тиынов)" in fields(CASES[name])
    assert model.number.startswith(("№ ", "Аукцион № "))


def test_compression_changes_the_bytes_but_not_the_metadata():
    packed, plain = render("auction_protocol"), render("auction_protocol", compress=False)
    assert len(packed) < len(plain)
    for info in (pdfinfo(packed), pdfinfo(plain)):
        assert info["Subject"].endswith("хэш журнала " + HEAD)
        assert info["Subject"].startswith("Протокол электронного аукциона № 3, лот № 7, победитель — участник № 1")
        assert info["Title"] == "Протокол электронного аукциона — Аукцион № 3"
        assert info["Author"] == PLATFORM
        assert info["CreationDate"].startswith("2026-03-02T05:00:00")  # issued_at, not the wall clock
        assert MARK.hash in info["Keywords"]


@pytest.mark.parametrize("name", BEFORE_SALE)
def test_every_page_shows_the_journal_entry_the_document_was_issued_on(name):
    pdf = render(name)
    pages = int(pdfinfo(pdf)["Pages"])
    text = pdftotext(pdf)
    assert text.count(f"Журнал жазбасы / Запись журнала № 41 · SHA-256 {MARK.hash}") == pages
    assert "Журнал платформы на момент выдачи документа: запись № 41" in flat(text)
    other = render(name, journal=docs.JournalMark(42, "cd" * 32))
    assert other != pdf and "cd" * 32 in pdftotext(other)


@pytest.mark.parametrize("name", AFTER_SALE)
def test_every_page_of_a_result_document_shows_the_journal_entry_it_was_issued_on(name):
    pdf = render(name)
    pages = int(pdfinfo(pdf)["Pages"])
    text = pdftotext(pdf)
    assert text.count(f"Журнал жазбасы / Запись журнала № 41 · SHA-256 {MARK.hash}") == pages
    assert "Құжат шығарылған кездегі платформа журналы: № 41 жазба" in flat(pdf)
    assert "Журнал платформы на момент выдачи документа: запись № 41" in flat(pdf)
    other = render(name, journal=docs.JournalMark(42, "cd" * 32))
    assert other != pdf and "cd" * 32 in pdftotext(other)


def test_a_journal_mark_is_an_entry_number_and_a_sha256():
    for seq, digest in ((-1, "ab" * 32), (1, "xyz"), (1, "AB" * 32)):
        with pytest.raises(ValueError, match="SHA-256"):
            docs.JournalMark(seq, digest)


def test_the_html_escapes_what_people_typed():
    lot = replace(LOT, title='<script>alert(1)</script> "Camry" & co')
    html = docs.to_html(docs.build_sale_contract(replace(CASES["sale_contract"], lot=lot)), issued_at=T, journal=MARK)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<script>alert(1)</script> "Camry" & co' in pdftotext(
        render("sale_contract", replace(CASES["sale_contract"], lot=lot)))


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        docs.auction_protocol(protocol(), issued_at=T.replace(tzinfo=None))
    with pytest.raises(ValueError, match="aware"):
        docs.auction_protocol(protocol(starts_at=T.replace(tzinfo=None)), issued_at=T)


# --- the protocol --------------------------------------------------------------------

def test_protocol_shows_participants_by_number_bids_winner_price_and_chain_head():
    text = flat(render("auction_protocol"))
    for expected in ("Қатысушылар (2), тек нөмірлері бойынша / Участники (2), только по номерам",
                     "Баға ұсыныстары (2); уақыты Алматы бойынша / Ценовые предложения (2); время Алматы",
                     "№ 1 қатысушы / участник № 1", "02.03.2026 10:11:05",
                     "МҮЛІК САТЫЛДЫ / ИМУЩЕСТВО ПРОДАНО", HEAD,
                     # the final price, in figures and in words in each language
                     money_kk("8700000.00"), money_ru("8700000.00"), "сегіз миллион жеті жүз мың теңге",
                     "восемь миллионов семьсот тысяч тенге",
                     "сатып алу бағасы — " + money_kk("8700000.00"), "покупная цена — " + money_ru("8700000.00"),
                     *spoken("100000.00"),
                     "бес жұмыс күні ішінде төлейді", "в течение пяти рабочих дней после утверждения итогов"):
        assert expected in text, expected
    shown = fields(protocol())
    for expected in ("Сатып алу бағасы / Покупная цена: " + money_kk("8700000.00") + " " + money_ru("8700000.00"),
                     "Мүліктің бастапқы құны / Начальная стоимость имущества: " + money_kk("8500000.00") + " "
                     + money_ru("8500000.00"),
                     "Құнды өзгерту қадамы (80.3-бап) / Шаг изменения стоимости (ст. 80.3): "
                     + money_kk("100000.00") + " " + money_ru("100000.00"),
                     "Электрондық аукцион / Электронный аукцион: № 3: бірінші, мүліктің құнын белгіленген қадаммен "
                     "көтеру арқылы (80.3-бап) / первый, с повышением стоимости имущества на установленный шаг "
                     "(ст. 80.3)",
                     "Басталды / Начало: 02.03.2026 10:00:00", "Аяқталды / Окончание: 02.03.2026 10:21:00",
                     "Төлеу мерзімі (80.4-бап) / Срок оплаты (ст. 80.4): 09.03.2026 10:00"):
        assert expected in shown, expected
    assert "8 600 000,00" in text and "8 700 000,00" in text  # the bids, figures only in the table
    model = docs.build_auction_protocol(protocol())
    assert "1 | 8\u00a0600\u00a0000,00 | № 2 | 02.03.2026 10:01:00" in model.text()
    assert "Реттік № / № п/п | Сомасы, теңге / Сумма, тенге | Қатысушы № / Участник № | Уақыты / Время" \
        in model.text()
    assert "№ 1 | иә / да" in model.text()
    for name in (DEBTOR.name, BUYER.name, BUYER.id_number):
        assert name not in text  # bidders stay anonymous on the protocol
    assert "mulik" not in text.lower()  # no developer's command in an official act


def test_failed_protocol_cites_the_paragraph_of_article_84():
    model = docs.build_auction_protocol(protocol(**FAILED))
    assert "ЭЛЕКТРОНДЫҚ АУКЦИОН ӨТКІЗІЛМЕДІ ДЕП ЖАРИЯЛАНДЫ (84-бап)" in model.text()
    assert "ЭЛЕКТРОННЫЙ АУКЦИОН ОБЪЯВЛЕН НЕСОСТОЯВШИМСЯ (ст. 84)" in model.text()
    assert "84.2-бап: «сатып алушылардың ешқайсысы мүлік құнын өзгертудің белгіленген қадамын қолдамаса»" \
        in model.text()
    assert "ст. 84.2: «ни один из покупателей не поддержал установленный шаг изменения стоимости имущества»" \
        in model.text()
    text = flat(docs.auction_protocol(protocol(**FAILED), issued_at=T))
    assert "84.2-бап" in text and "ст. 84.2" in text and HEAD in text
    assert "(баға ұсыныстары жоқ / ценовых предложений нет)" in text
    assert "мүлікті бағалау құны бойынша өзіне қалдыруға құқылы (85.1-бап)" in text
    assert "оставить имущество за собой по оценочной стоимости (ст. 85.1)" in text
    assert "объявлен несостоявшимся (ст. 84.2)" in pdfinfo(docs.auction_protocol(protocol(**FAILED), issued_at=T))[
        "Subject"]


@pytest.mark.parametrize("paragraph", sorted(GROUNDS))
def test_a_failed_protocol_prints_each_ground_of_article_84_in_kazakh_then_russian(paragraph):
    g = GROUNDS[paragraph]
    text = flat(docs.auction_protocol(protocol(**{**FAILED, "failure_reason": paragraph}), issued_at=T))
    kk, ru = f"{paragraph}-бап: «{g.kazakh}»", f"ст. {paragraph}: «{g.russian}»"
    assert kk in text and ru in text and text.index(kk) < text.index(ru)
    assert g.printed not in text  # the English wording stays in the table, off the document


def test_a_cancelled_auction_s_protocol_says_so_in_both_languages():
    assert "Белгі / Отметка: аукционның күшін сот орындаушысы жойды / аукцион отменён судебным исполнителем" in \
        fields(protocol(**FAILED, cancelled=True))
    text = flat(docs.auction_protocol(protocol(**FAILED, cancelled=True), issued_at=T))
    assert "аукционның күшін сот орындаушысы жойды" in text and "аукцион отменён судебным исполнителем" in text


def test_a_repeat_protocol_shows_the_descending_price_and_its_floor():
    data = protocol(round=2, floor=D("4250000.00"))
    text = flat(docs.auction_protocol(data, issued_at=T))
    assert "қайталап өткізілетін, мүліктің құнын белгіленген қадаммен төмендету арқылы (80.3-бап)" in text
    assert "повторный, с понижением стоимости имущества на установленный шаг (ст. 80.3)" in text
    assert all(part in text for part in spoken("4250000.00"))
    assert "Құнның төменгі шегі (80.3-бап) / Нижний предел стоимости (ст. 80.3): " + money_kk("4250000.00") + " " \
        + money_ru("4250000.00") in fields(data)


@pytest.mark.parametrize("changes, message", [
    (dict(failure_reason="84.2"), "either a winner or a failure"),
    (dict(winner_no=None), "either a winner or a failure"),
    (dict(winner_no=9), "not a participant"),
    (dict(chain_head="abc"), "SHA-256"),
    ({**FAILED, "failure_reason": "84.9"}, "unknown failure reason"),
])
def test_inconsistent_protocols_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        docs.build_auction_protocol(protocol(**changes))


def test_failure_reason_accepts_the_article_prefix():
    assert docs.failure_text("Art. 84.4") == (
        "84.4-бап: «онлайн режимде екеуден аз тіркелген қатысушылар қатысса»\n"
        "ст. 84.4: «в режиме онлайн участвовало менее двух зарегистрированных участников»")


# --- the other documents -------------------------------------------------------------

def test_sale_contract_shows_the_parties_by_number_the_price_the_dates_and_the_journal_hash():
    text = flat(render("sale_contract"))
    for expected in (DEBTOR.name, DEBTOR.id_number, BUYER.name, BUYER.id_number,
                     money_kk("8700000.00"), money_ru("8700000.00"), *spoken("425000.00"),
                     "02.03.2026", MARK.hash,
                     "№ 3 электрондық аукционның нәтижелері (83-бап) / итоги электронного аукциона № 3 (ст. 83)",
                     "мүлікті сатып алушыға " + money_kk("8700000.00") + " бағамен береді",
                     "по цене " + money_ru("8700000.00") + ", оплаченной полностью",
                     "мемлекеттік органдарда тіркеу үшін негіз болып табылады (83-бап)",
                     "для регистрации права собственности (перехода права собственности) покупателя"):
        assert expected in text, expected
    assert "сегіз миллион жеті жүз мың" in text and "восемь миллионов семьсот тысяч" in text
    assert text.index("Шарттың талаптары / Условия договора") < text.index("Сатушы жоғарыда") \
        < text.index("Продавец передаёт")
    shown = fields(CASES["sale_contract"])
    for expected in ("Сатып алу бағасы / Покупная цена: " + money_kk("8700000.00") + " " + money_ru("8700000.00"),
                     "Есепке жатқызылған кепілдік жарна (80.1-бап) / Засчитанный гарантийный взнос (ст. 80.1): "
                     + money_kk("425000.00") + " " + money_ru("425000.00"),
                     "Кепілдік жарнаны қоса алғанда, толық төленді / Оплачено полностью, включая гарантийный взнос: "
                     + money_kk("8700000.00"),
                     "Сатып алушы / Покупатель: Гүлнар Қасымова, ЖСН/БСН / ИИН/БИН 900202400456",
                     "Борышкер (меншік иесі) / Должник (собственник): Серік Әлиев, ЖСН/БСН / ИИН/БИН 880101300123",
                     "Сатушы / Продавец: Жеке сот орындаушысы / Частный судебный исполнитель Асқар Нұрланұлы",
                     "борышкердің атынан / от имени должника", "Жасалған орны / Место заключения: Алматы",
                     "Күні / Дата: 02.03.2026 10:00", "Сатып алушы / Покупатель: Гүлнар Қасымова"):
        assert expected in shown, expected


def test_retention_act_shows_the_collector_by_number_the_amounts_and_the_journal_hash():
    text = flat(render("retention_act"))
    for expected in (COLLECTOR.name, COLLECTOR.id_number, DEBTOR.id_number, "02.03.2026", MARK.hash,
                     *spoken("5000000.00"), money_kk("3500000.00"), money_ru("3500000.00"),
                     "1-кезек / 1-я очередь (111-бап / ст. 111)",
                     "мүлікті бағалау құны бойынша — " + money_kk("8500000.00") + " — өзіне қалдырды (85.1-бап)",
                     "по оценочной стоимости — " + money_ru("8500000.00") + " (ст. 85.1)",
                     "барлығы " + money_kk("3500000.00") + " енгізді",
                     "всего взыскатель внёс " + money_ru("3500000.00"),
                     "бұл сома кейіннен борышкерден өндіріп алынуға жатады",
                     "эта сумма подлежит последующему взысканию с должника"):
        assert expected in text, expected
    assert "үш миллион бес жүз мың" in text and "три миллиона пятьсот тысяч" in text
    shown = fields(CASES["retention_act"])
    for expected in ("Өндіріп алушыға тиесілі сома / Сумма, причитающаяся взыскателю: "
                     + money_kk("5000000.00") + " " + money_ru("5000000.00"),
                     "Құнның талаптан асатын бөлігі, жеке сот орындаушысының ағымдағы шотына енгізілді / Часть "
                     "стоимости сверх требования, внесённая на текущий счёт частного судебного исполнителя: "
                     + money_kk("3500000.00") + " " + money_ru("3500000.00"),
                     "Бағалау құны бойынша қалдырылды (85.1-бап) / Оставлено по оценочной стоимости (ст. 85.1): "
                     + money_kk("8500000.00") + " " + money_ru("8500000.00"),
                     "Өндіріп алушының кезегі / Очередь взыскателя: 1-кезек / 1-я очередь (111-бап / ст. 111)",
                     "Өткізілмеді деп жарияланған аукцион / Аукцион, объявленный несостоявшимся: № 3",
                     "Өндіріп алушы / Взыскатель: Айгүл Бекова, ЖСН/БСН / ИИН/БИН 870303400789",
                     "Өндіріп алушы барлығы жеке сот орындаушысының ағымдағы шотына енгізді / Всего внесено "
                     "взыскателем на текущий счёт частного судебного исполнителя: " + money_kk("3500000.00")):
        assert expected in shown, expected


def test_a_state_bailiff_s_retention_act_names_the_control_account_and_no_fee():
    data = replace(CASES["retention_act"], bailiff=replace(BAILIFF, private=False, licence_no=None),
                   expenses_share=D("12000.00"))
    text = flat(docs.retention_act(data, issued_at=T))
    assert "аумақтық органның бақылау шотына" in text and "на контрольный счёт территориального органа" in text
    assert all(part in text for part in spoken("12000.00")) and money_ru("3512000.00") in text
    shown = fields(data)
    assert "Доля расходов по совершению исполнительных действий (ст. 85.3): " + money_kk("12000.00") in shown
    assert "Өндіріп алушы барлығы аумақтық органның бақылау шотына енгізді / Всего внесено взыскателем на " \
           "контрольный счёт территориального органа: " + money_kk("3512000.00") in shown
    assert "частного судебного исполнителя" not in text


def test_distribution_statement_lists_lines_with_queue_article_and_total():
    text = docs.build_distribution_statement(CASES["distribution_statement"]).text()
    nb = "\u00a0"
    assert (f"2 | Өндіріп алушының талабы / Требование взыскателя | {COLLECTOR.name} | 1-кезек / 1-я очередь | "
            f"5{nb}000{nb}000,00 | 110, 111-баптар / ст. 110, 111") in text
    assert (f"3 | Борышкерге қайтарылатын қалдық / Остаток, возвращаемый должнику | Серік Әлиев | — | "
            f"3{nb}439{nb}000,00 | 55.5, 108.1-баптар / ст. 55.5, 108.1") in text
    assert (f"1 | Жеке сот орындаушысының қызметіне ақы төлеу / Оплата деятельности частного судебного исполнителя | "
            f"{BAILIFF.name} (жеке сот орындаушысы / частный судебный исполнитель) | — | 261{nb}000,00 | "
            "108.1, 118-баптар / ст. 108.1, 118") in text
    assert f" | Барлығы / Итого |  |  | 8{nb}700{nb}000,00 | " in text
    assert "№ / № | Төлем / Платёж | Алушы / Получатель | Кезек / Очередь | Сомасы, теңге / Сумма, тенге | " \
           "Бап / Статья" in text
    for expected in ("Барлығы бөлінді / Всего распределено: " + money_kk("8700000.00") + " "
                     + money_ru("8700000.00"),
                     "Өндіріп алынған сома / Взысканная сумма: " + money_kk("8700000.00"),
                     "Ақшаның көзі / Источник средств: № 3 электрондық аукционда сату / продажа на электронном "
                     "аукционе № 3"):
        assert expected in fields(CASES["distribution_statement"]), expected
    shown = flat(render("distribution_statement"))
    for expected in (money_kk("8700000.00"), money_ru("8700000.00"), "сегіз миллион жеті жүз мың",
                     "восемь миллионов семьсот тысяч", "1-кезек / 1-я очередь", "110, 111-баптар / ст. 110, 111",
                     "Өндіріп алынған сомадан — " + money_kk("8700000.00") + " — ең алдымен",
                     "Из взысканной суммы — " + money_ru("8700000.00") + " — в первую очередь",
                     "5 000 000,00", "3 439 000,00", "261 000,00"):
        assert expected in shown, expected


def test_a_state_bailiff_s_distribution_names_each_recipient_and_the_source_in_both_languages():
    data = replace(CASES["distribution_statement"], bailiff=replace(BAILIFF, private=False, licence_no=None),
                   source="retention", auction_id=None, auction_round=None, lines=(
                       DistributionLine("fine", None, D("1000.00"), "108.1"),
                       DistributionLine("expenses", None, D("2000.00"), "108.1, 113"),
                       DistributionLine("collector", COLLECTOR.name, D("8697000.00"), "110, 112.4", 5)))
    text = docs.build_distribution_statement(data).text()
    assert "1 | Борышкерге салынған айыппұлдар / Штрафы, наложенные на должника | мемлекеттік бюджет / " \
           "государственный бюджет | — |" in text
    assert "2 | Орындау жөніндегі шығыстар / Расходы по исполнению | шығыстарды шеккен тұлғалар (114-бап) / лица, " \
           "понёсшие расходы (ст. 114) | — |" in text
    assert "| 5-кезек / 5-я очередь |" in text
    assert "өндіріп алушының мүлікті өзіне қалдыруы (85.3-бап) / оставление имущества взыскателем за собой " \
           "(ст. 85.3)" in text
    assert "аумақтық органның бақылау шотына есептеліп" in text
    assert "частного судебного исполнителя" not in text  # a state bailiff's distribution charges no fee
    repeat = replace(CASES["distribution_statement"], auction_round=2)
    assert "№ 3 қайталап өткізілген электрондық аукционда сату / продажа на повторном электронном аукционе № 3" in \
        docs.build_distribution_statement(repeat).text()


def test_distribution_lines_must_add_up_to_the_money_recovered():
    data = replace(CASES["distribution_statement"], recovered=D("8700000.01"))
    with pytest.raises(ValueError, match="add up"):
        docs.distribution_statement(data, issued_at=T)


def test_sale_contract_is_signed_only_after_full_payment():
    data = replace(CASES["sale_contract"], paid=D("8699999.99"))
    with pytest.raises(ValueError, match="Art. 83"):
        docs.sale_contract(data, issued_at=T)


def test_self_sale_contract_names_the_debtor_as_seller():
    text = docs.build_sale_contract(replace(CASES["sale_contract"], auction_id=None)).text()
    assert "борышкердің тыйым салынған мүлікті дербес өткізуі (74.2-бап)" in text
    assert "самостоятельная реализация арестованного имущества должником (ст. 74.2)" in text
    assert "Борышкер (сатушы) / Должник (продавец): Серік Әлиев" in text
    assert "Сатушы / Продавец: Серік Әлиев, ЖСН/БСН / ИИН/БИН 880101300123" in text


def test_self_sale_contract_lists_the_encumbrances_lifted_and_kept_in_both_languages():
    data = replace(CASES["sale_contract"], auction_id=None, deposit_credited=D("0.00"), encumbrances_lifted=(
        EncumbranceInfo("writ", "W-1", date(2026, 1, 2), "Алматы қ. № 2 соты", this_proceeding=True),
        EncumbranceInfo("writ", "W-77", date(2026, 1, 3), "Астана қ. № 1 соты")), encumbrances_kept=(
        EncumbranceInfo("court_security", "CS-5", date(2026, 1, 4), "Медеу аудандық соты"),))
    text = flat(docs.sale_contract(data, issued_at=T))
    assert "Ауыртпалықтар (74.2-бап) / Обременения (ст. 74.2)" in text
    lifted, kept = text.split("Сняты судебным исполнителем (наложены в рамках исполнительных документов):")[1].split(
        "Сохраняются (наложены судом в целях обеспечения иска):")
    assert "- осы атқарушылық іс жүргізудің атқарушылық құжаты / исполнительный документ данного исполнительного " \
           "производства № W-1, 02.01.2026, Алматы қ. № 2 соты" in lifted
    assert "- басқа атқарушылық іс жүргізудің атқарушылық құжаты / исполнительный документ другого исполнительного " \
           "производства № W-77, 03.01.2026" in lifted and "CS-5" not in lifted
    assert "- талап қоюды қамтамасыз ету мақсатында сот салған шара / мера, принятая судом в целях обеспечения иска " \
           "№ CS-5, 04.01.2026, Медеу аудандық соты" in kept
    assert "кепілдік жарна" not in text  # no deposit on a self-sale
    assert "Толық төленді / Оплачено полностью " + money_kk("8700000.00") in text
    none = flat(docs.sale_contract(replace(data, encumbrances_lifted=(), encumbrances_kept=()), issued_at=T))
    assert none.count("тіркелмеген / не зарегистрированы") == 2


# The words no Kazakh or Russian act of the four prints (issue 13): the stop list.
ENGLISH = ("the", "and", "of", "Lot", "Auction", "Price", "Buyer", "Seller", "Winner", "Deposit", "Collector",
           "Debtor", "Bailiff", "Art.", "No", "KZT", "total", "none")
_ENGLISH = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![A-Za-z])",
                      re.IGNORECASE)


def _result_variants():
    yield from ((name, CASES[name]) for name in AFTER_SALE)
    yield "failed protocol", protocol(**FAILED, cancelled=True)
    yield "repeat protocol", protocol(round=2, floor=D("4250000.00"), approved_at=T)
    for paragraph in sorted(GROUNDS):
        yield f"protocol {paragraph}", protocol(**{**FAILED, "failure_reason": paragraph})
    yield "empty protocol", protocol(**{**FAILED, "participants": (), "failure_reason": "84.1"})
    yield "self-sale contract", replace(CASES["sale_contract"], auction_id=None, encumbrances_lifted=(
        EncumbranceInfo("writ", "W-1", date(2026, 1, 2), "Алматы қ. соты", this_proceeding=True),),
        encumbrances_kept=(EncumbranceInfo("court_security", "CS-5", date(2026, 1, 4), "Медеу аудандық соты"),))
    yield "bare self-sale contract", replace(CASES["sale_contract"], auction_id=None)
    state = replace(BAILIFF, private=False, licence_no=None, office=None)
    yield "state retention act", replace(CASES["retention_act"], bailiff=state, failed_auction_id=None)
    yield "state distribution", replace(CASES["distribution_statement"], bailiff=state, source="self_sale", lines=(
        DistributionLine("fine", None, D("1000.00"), "108.1"),
        DistributionLine("expenses", None, D("2000.00"), "108.1, 113"),
        DistributionLine("collector", COLLECTOR.name, D("8697000.00"), "110, 112.4", 5)))
    for source in ("retention", "retention_excess"):
        yield f"{source} distribution", replace(CASES["distribution_statement"], source=source, auction_id=None)


@pytest.mark.parametrize("name, data", [pytest.param(*v, id=v[0]) for v in _result_variants()])
def test_no_english_word_of_the_stop_list_on_a_result_document(name, data):
    pdf = docs.pdf(data, issued_at=T, journal=MARK)
    text = pdftotext(pdf)
    found = sorted({m.group(0) for m in _ENGLISH.finditer(text)})
    assert not found, (name, found)
    info = pdfinfo(pdf)
    assert not _ENGLISH.search(info["Title"] + " " + info["Subject"]), info
    assert "Asia/Almaty" not in text and "mulik " not in text.lower()


def test_self_sale_permission_for_a_dwelling_runs_three_months_and_bars_the_auction():
    data = replace(CASES["self_sale_permission"], lot=replace(LOT, dwelling=True))
    text = docs.build_self_sale_permission(data).text()
    assert "(үш ай (тұрғынжай)) / Срок самостоятельной реализации (три месяца (жилище))" in text
    assert "тұрғынжай сауда-саттыққа шығарылмайды" in text and "жилище на торги не выставляется" in text


def test_descending_announcement_shows_the_floor():
    data = replace(CASES["auction_announcement"], round=2, floor=D("4250000.00"),
                   step_interval_minutes=2)
    text = flat(pdf_text(docs.auction_announcement(data, issued_at=T)))
    assert f"4{NB}250{NB}000,00 теңге (төрт миллион екі жүз елу мың теңге 00 тиын)" in text
    assert "қайталама аукцион, баға төмендейді" in text and "повторный аукцион на понижение цены" in text
    assert "Баға төмендейтін аралық / Цена снижается каждые 2 мин" in text  # a label, then its value


def test_realization_order_cites_the_reason_to_depart_from_the_priority_order():
    text = pdf_text(render("realization_order"))
    assert "pledged property (Art. 72.4)" in text  # the bailiff's own words, as he typed them


def test_fonts_are_vendored_with_their_licence():
    assert (FONTS_DIR / "DejaVuSans.ttf").is_file()
    assert (FONTS_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert (FONTS_DIR / "LICENSE").is_file()
