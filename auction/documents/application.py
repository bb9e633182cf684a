"""The bidder's application to an electronic auction (Art. 80.1–80.2), with his declaration: the act he signs
with his EDS (auction/acts.py) and the platform issues as a PDF when he files it."""
from __future__ import annotations

from .. import acts
from . import words
from .common import both, lot_fields, party
from .data import AuctionApplicationData
from .layout import Document, Fields, Heading, Paragraph, Signatures, local


def _numbers(values) -> str:
    return ", ".join(values) if values else "жоқ / нет"


def build_auction_application(d: AuctionApplicationData) -> Document:
    kind = (both("қайталама аукцион (85-баптың 4-тармағы)", "повторный аукцион (пункт 4 статьи 85)") if d.round == 2
            else both("бірінші аукцион", "первый аукцион"))
    fields = (
        ("Аукцион / Аукцион", f"№ {d.auction_id}, {kind}"),
        ("Аукцион басталады / Начало аукциона", local(d.starts_at)),
        ("Өтініш беруші / Заявитель", party(d.applicant)
         + (" — заңды тұлға / юридическое лицо" if d.is_entity else "")),
        ("Қатысушының нөмірі / Номер участника", f"№ {d.participant_no}"),
        ("Өтінім берілген күні / Дата подачи заявки", local(d.applied_at, seconds=True)),
        ("Бастапқы баға / Начальная цена", words.both(d.starting_price)),
        ("Кепілдік жарна, 5 % (80-баптың 1-тармағы) / Гарантийный взнос, 5 % (пункт 1 статьи 80)",
         words.both(d.deposit)),
        ("Ұйымдастырушы / Организатор", d.bailiff.title),
    )
    declared = (
        ("Жұбайы (зайыбы) / Супруг(а)", d.spouse or "жоқ / нет"),
        ("Жақын туыстары / Близкие родственники", _numbers(d.close_relatives)),
        ("Жұмыс берушілері / Работодатели", _numbers(d.employers)),
        ("Құрылтайшысы болып табылатын ұйымдар / Учреждённые организации", _numbers(d.founded)),
        ("Өзге байланысты тұлғалар / Иные связанные лица", _numbers(d.people)),
    )
    return Document(
        title="Заявка на участие в электронном аукционе",
        title_kk="Электрондық аукционға қатысуға өтінім",
        number=f"№ {d.number}",
        subject=f"Заявка № {d.number} на аукцион № {d.auction_id}, лот № {d.lot.lot_id}",
        blocks=(
            Fields(fields),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Heading("Өтініш берушінің мәлімдемесі (80-баптың 2-тармағы) / Заявление заявителя (пункт 2 статьи 80)"),
            Paragraph(acts.DECLARATION_KK),
            Paragraph(acts.DECLARATION_RU),
            Heading("Мәлімделген байланыстар (ЖСН/БСН) / Заявленные связи (ИИН/БИН)"),
            Fields(declared),
            Signatures((("Өтініш беруші / Заявитель", d.applicant.name),)),
        ))
