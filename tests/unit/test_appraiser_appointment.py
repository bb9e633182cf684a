"""The Art. 68.1–68.2 resolution appointing the appraiser: deterministic, Kazakh first, its copies due the next
calendar day."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal as D

from auction import calendar as cal
from auction import documents as docs

from ..pdf import pdftotext

T = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)  # Friday 4 December 2026, 17:00 in Almaty
MARK = docs.JournalMark(41, "ab" * 32)
DATA = docs.AppraiserAppointmentData(
    number="AP-7-1", lot=docs.LotInfo(7, "Toyota Camry 2018", "ИС-2026/0042", D("0.00"), description="Ақ түсті",
                                      category="vehicle"),
    bailiff=docs.Bailiff("Асқар Нұрланұлы", private=True), debtor=docs.Party("Серік Әлиев", "880101300123"),
    collectors=(docs.Party("Айгүл Бекова", "870303400789"),), appraiser=docs.Party("Гүлнар Қасымова", "900202400456"),
    appraiser_account=None, basis="party_commissioned", appointed_at=T, copies_due_on=date(2026, 12, 5),
    arrested_on=date(2026, 11, 16), appointment_due_on=date(2026, 11, 30), late=True)


def test_the_copies_are_due_the_next_calendar_day_even_a_saturday_or_the_new_year():
    assert cal.appointment_copies_due_on(date(2026, 12, 4)) == date(2026, 12, 5)  # Friday -> Saturday
    assert cal.appointment_copies_due_on(date(2026, 12, 31)) == date(2027, 1, 1)  # a public holiday too


def test_the_resolution_is_deterministic_and_reads_kazakh_then_russian_with_the_articles():
    pdf = docs.appraiser_appointment(DATA, issued_at=T, journal=MARK)
    assert pdf == docs.appraiser_appointment(DATA, issued_at=T, journal=MARK)
    assert pdf != docs.appraiser_appointment(replace(DATA, copies_due_on=date(2026, 12, 6)), issued_at=T, journal=MARK)
    text = re.sub(r"\s+", " ", pdftotext(pdf))
    assert text.index("БАҒАЛАУШЫНЫ ТАҒАЙЫНДАУ ТУРАЛЫ ҚАУЛЫ") < text.index("Постановление о назначении оценщика")
    assert "04.12.2026 17:00" in text  # Almaty time
    assert "Жеке сот орындаушысы / Частный судебный исполнитель Асқар Нұрланұлы" in text
    assert "Көлік құралы / Транспортное средство" in text and "Гүлнар Қасымова, ЖСН/БСН / ИИН/БИН 900202400456" in text
    assert "путём поручения одной из сторон исполнительного производства провести оценку" in text
    assert "30.11.2026 дейін / до 30.11.2026 — мерзімі өткен / срок пропущен" in text  # late: Art. 68.1
    assert "05.12.2026 кешіктірілмей / не позднее 05.12.2026" in text  # Art. 68.2
    assert "жоқ / нет" in text  # no platform account
    assert "Журнал жазбасы / Запись журнала № 41 · SHA-256 " + "ab" * 32 in text
