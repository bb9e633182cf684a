"""The documents before a sale in Kazakh, then Russian (issue 13 point 1): read back from the PDF as a
reader or a court would (pdftotext), every amount in figures and in words in each language, the
kinds of property and the Art. 72.4 grounds by their names, no English sentence."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal as D

import pytest

from auction import documents as docs
from auction.documents import common, words
from auction.documents.before_sale import OVERRIDE_GROUNDS
from auction.lots.priority import CATEGORIES as LOT_CATEGORIES
from auction.lots.priority import OVERRIDE_GROUNDS as LAW_GROUNDS

from ..pdf import pdfinfo, pdftotext
from .test_documents import CASES, T, flat, render

BEFORE_SALE = ("realization_order", "self_sale_permission", "auction_announcement")
# English words that have no place in an act of a Kazakh state body (proper names in the data aside).
STOP = ("the", "and", "of", "to", "by", "is", "Lot", "Auction", "Price", "Deposit", "Debtor", "Bailiff", "Collector",
        "Date", "Art.", "No", "KZT", "until", "valuables", "vehicle", "auction", "Journal", "page", "Generated")


def test_an_amount_reads_in_figures_and_in_words_in_each_language():
    nb = "\u00a0"  # thousands are grouped by a no-break space: a number is never split over two lines
    assert words.kk(D("1200000.00")) == f"1{nb}200{nb}000,00 теңге (бір миллион екі жүз мың теңге 00 тиын)"
    assert words.ru(D("1200000.00")) == f"1{nb}200{nb}000,00 тенге (один миллион двести тысяч тенге 00 тиынов)"
    assert words.ru(D("2.03")).endswith("(два тенге 03 тиына)")
    assert words.ru(D("1251.21")).endswith("(одна тысяча двести пятьдесят один тенге 21 тиын)")
    assert words.ru(D("0.12")).endswith("(ноль тенге 12 тиынов)")
    assert words.kk(D("31500000.11")).endswith("(отыз бір миллион бес жүз мың теңге 11 тиын)")


def test_money_in_a_document_is_a_decimal_and_never_negative():
    with pytest.raises(TypeError):
        words.kk(1200000.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        words.ru(D("-1.00"))


def test_every_kind_of_property_and_every_art_72_4_ground_has_its_kazakh_and_russian_name():
    assert set(LOT_CATEGORIES) <= set(common.CATEGORIES)
    assert set(LAW_GROUNDS) == set(OVERRIDE_GROUNDS)
    assert all(kk and ru and kk != ru for kk, ru in [*common.CATEGORIES.values(), *OVERRIDE_GROUNDS.values()])


@pytest.mark.parametrize("name", BEFORE_SALE)
def test_a_document_before_the_sale_has_no_english_word(name):
    text = pdftotext(render(name))
    for proper in ("Toyota Camry", "Almaty city chamber", "pledged property (Art. 72.4)"):  # typed by people
        text = text.replace(proper, "")
    found = sorted({w for w in STOP if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", text)})
    assert found == []


@pytest.mark.parametrize("name, amount_kk, amount_ru", [
    ("realization_order", "сегіз миллион бес жүз мың теңге 00 тиын", "восемь миллионов пятьсот тысяч тенге 00 тиынов"),
    ("self_sale_permission", "алты миллион үш жүз жетпіс бес мың теңге 00 тиын",
     "шесть миллионов триста семьдесят пять тысяч тенге 00 тиынов"),
    ("auction_announcement", "төрт жүз жиырма бес мың теңге 00 тиын", "четыреста двадцать пять тысяч тенге 00 тиынов"),
])
def test_the_document_s_own_amount_is_in_words_kazakh_first(name, amount_kk, amount_ru):
    text = flat(pdftotext(render(name)))
    assert amount_kk in text and amount_ru in text
    assert text.index(amount_kk) < text.index(amount_ru)
    assert "Көлік құралы / Транспортное средство" in text  # the kind of property by its name, not "vehicle"


def test_the_realization_order_names_the_art_72_4_ground_and_the_method_in_both_languages():
    data = replace(CASES["realization_order"], priority_ground="pledged", priority_article="72.1.2")
    text = flat(pdftotext(docs.realization_order(data, issued_at=T)))
    assert "мүлік кепілге немесе міндеттемені қамтамасыз ету ретінде берілген" in text
    assert "имущество передано в залог или в качестве обеспечения обязательства" in text
    assert "Өткізу тәсілі / Способ реализации электрондық аукцион / электронный аукцион" in text
    assert "2-кезек / 2-я очередь" in text and "72.1.2-бап / ст. 72.1.2" in text
    assert "Заңның 77-бабының 1-тармағы негізінде" in text and "На основании пункта 1 статьи 77 Закона" in text
    perishable = flat(pdftotext(docs.realization_order(replace(data, method="commission"), issued_at=T)))
    assert "комиссиялық сауда (77-баптың 2-тармағы) / комиссионная торговля (пункт 2 статьи 77)" in perishable


def test_the_self_sale_permission_states_the_minimum_price_and_the_window_in_both_languages():
    text = flat(pdftotext(render("self_sale_permission")))
    assert "(бір ай) / Срок самостоятельной реализации (один месяц)" in text
    assert "02.04.2026 10:00 дейін / до 02.04.2026 10:00" in text
    assert "Бұл құқық бір атқарушылық іс жүргізуде бір рет пайдаланылады." in text
    assert "Это право используется один раз в исполнительном производстве." in text


def test_the_announcement_says_how_to_take_part_in_both_languages():
    text = flat(pdftotext(render("auction_announcement")))
    assert "бірінші аукцион, баға өседі (80-баптың 3-тармағы)" in text
    assert "первый аукцион на повышение цены (пункт 3 статьи 80)" in text
    assert "Сауда-саттық ұсыныссыз өткен уақыттан кейін аяқталады" in text and "10 мин" in text
    assert "Жеңімпаз қорытындылар бекітілгеннен кейін 5 жұмыс күні ішінде толық бағаны төлейді" in text
    assert "Победитель оплачивает полную цену в течение 5 рабочих дней" in text


def test_the_appraiser_s_appointment_has_no_english_word_either():
    from .test_appraiser_appointment import DATA, MARK
    from .test_appraiser_appointment import T as APPOINTED
    text = pdftotext(docs.appraiser_appointment(DATA, issued_at=APPOINTED, journal=MARK)).replace("Toyota Camry", "")
    assert sorted({w for w in STOP if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", text)}) == []
    assert pdfinfo(docs.appraiser_appointment(DATA, issued_at=APPOINTED))["Subject"].startswith(
        "Постановление о назначении оценщика № AP-7-1")
