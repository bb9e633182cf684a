"""What every official document shares (issue 13): the state language first, then Russian — each
label "Kazakh / Russian", each sentence in both — the people and the lot as the acts name them, the
kinds of property and the ways of realization by their names, never a code."""
from __future__ import annotations

from . import words
from .data import Bailiff, LotInfo, Party, RealEstateInfo
from .layout import Fields

# The kinds of property of Art. 72 (auction/lots/priority.py), as the pages name them (web/i18n.py).
CATEGORIES = {
    "valuables": ("Құндылықтар мен зергерлік бұйымдар", "Ценности и ювелирные изделия"),
    "securities": ("Бағалы қағаздар", "Ценные бумаги"),
    "currency": ("Валюталық құндылықтар", "Валютные ценности"),
    "decor": ("Декор және жайластыру заттары", "Предметы декора и обустройства"),
    "movable": ("Жылжымалы мүлік", "Движимое имущество"),
    "finished_goods": ("Дайын өнім (тауарлар)", "Готовая продукция (товары)"),
    "vehicle": ("Көлік құралы", "Транспортное средство"),
    "raw_materials": ("Шикізат және материалдар", "Сырьё и материалы"),
    "equipment": ("Станоктар мен жабдықтар", "Станки и оборудование"),
    "real_estate": ("Жылжымайтын мүлік", "Недвижимость"),
    "dwelling": ("Тұрғынжай", "Жилище"),
}
# How the property is realized (Art. 77): the auction of Art. 80, or the commission sale of
# perishable property (Art. 77.2).
METHODS = {
    "auction": ("электрондық аукцион", "электронный аукцион"),
    "commission": ("комиссиялық сауда (77-баптың 2-тармағы)", "комиссионная торговля (пункт 2 статьи 77)"),
}


def day(d) -> str:
    return "—" if d is None else d.strftime("%d.%m.%Y")


def both(kk: str, ru: str) -> str:
    return f"{kk} / {ru}"


def category(key: str | None) -> str:
    kk, ru = CATEGORIES.get(key or "", (key or "—", key or "—"))
    return both(kk, ru)


def party(p: Party) -> str:
    """"Name, ЖСН/БСН / ИИН/БИН 900202300028, address"."""
    return ", ".join(x for x in (p.name, p.id_number and f"ЖСН/БСН / ИИН/БИН {p.id_number}", p.address) if x)


def bailiff_signature(bailiff: Bailiff) -> tuple[str, str]:
    return (bailiff.kind, bailiff.name)


def real_estate_row(r: RealEstateInfo) -> tuple[str, str]:
    """Art. 63.2: real estate by its title (cadastral number, address, area, registration)."""
    return ("Жылжымайтын мүлік (63.2-бап) / Недвижимость (ст. 63.2)",
            f"кадастрлық нөмірі / кадастровый номер {r.cadastral_number}; {r.address}; {r.area} м²; "
            f"құқықты тіркеу / регистрация права № {r.title_reg_no}, {day(r.title_reg_date)}")


def lot_fields(lot: LotInfo) -> Fields:
    """The property: lot, proceeding, kind, real estate title or location, value and its basis."""
    rows = [
        ("Лот / Лот", f"№ {lot.lot_id}: {lot.title}"),
        ("Атқарушылық іс жүргізу / Исполнительное производство", f"№ {lot.proceeding_no}"),
    ]
    if lot.description:
        rows.append(("Сипаттамасы / Описание", lot.description))
    if lot.category:
        rows.append(("Мүліктің түрі (72-бап) / Вид имущества (ст. 72)", category(lot.category)
                     + (" — тұрғынжай / жилище" if lot.dwelling and lot.category != "dwelling" else "")))
    if lot.real_estate:
        rows.append(real_estate_row(lot.real_estate))
    if lot.location:
        rows.append(("Сақтау орны / Место хранения", lot.location))
    rows.append(("Бағасы / Оценка", words.both(lot.valuation)))
    basis = lot.valuation_report
    if basis is not None:
        rows.append(("Бағалау негізі (68-бап) / Основание оценки (ст. 68)",
                     "тараптардың келісімі (68-баптың 5-тармағы) / соглашение сторон (пункт 5 статьи 68)"
                     if basis.agreement else
                     f"бағалау туралы есеп / отчёт об оценке № {basis.report_no}, {day(basis.report_date)}"))
    return Fields(tuple(rows))
