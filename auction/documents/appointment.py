"""The bailiff's resolution appointing the appraiser (Art. 68.1), whose copies go to the parties not
later than the day after it is issued (Art. 68.2).

An official act of the proceeding addressed to its parties: written in Kazakh, the state language,
first and in Russian after it (each label "Kazakh / Russian", each paragraph in both). The articles
are cited where each rule applies.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .common import category, real_estate_row
from .data import Bailiff, LotInfo, Party, RealEstateInfo
from .layout import Document, Fields, Heading, Paragraph, Signatures, local

# Art. 68.1: the three ways the law lets the bailiff appoint the appraiser.
BASES = {
    "bailiff": ("сот орындаушысының өз бетінше таңдауы бойынша (68-баптың 1-тармағы)",
                "по выбору судебного исполнителя (пункт 1 статьи 68)"),
    "party_proposal": ("атқарушылық іс жүргізу тараптарының бірінің ұсынысы бойынша (68-баптың 1-тармағы)",
                       "по предложению одной из сторон исполнительного производства (пункт 1 статьи 68)"),
    "party_commissioned": ("атқарушылық іс жүргізу тараптарының біріне борышкердің мүлкін бағалауды жүргізу "
                           "туралы тапсырма беру арқылы (68-баптың 1-тармағы)",
                           "путём поручения одной из сторон исполнительного производства провести оценку "
                           "имущества должника (пункт 1 статьи 68)"),
}
@dataclass(frozen=True)
class AppraiserAppointmentData:
    """Art. 68.1–68.2: who values which property, on what basis, and by when the parties have the copy."""
    number: str
    lot: LotInfo
    bailiff: Bailiff
    debtor: Party
    collectors: tuple[Party, ...]
    appraiser: Party  # name (when known) and IIN
    appraiser_account: str | None  # the appraiser's account on the platform (e-mail), if he has one
    basis: str  # a key of BASES
    appointed_at: datetime
    copies_due_on: date  # Art. 68.2
    arrested_on: date
    appointment_due_on: date  # Art. 68.1: 10 working days from the arrest and the established ownership
    late: bool = False  # appointed after appointment_due_on
    real_estate: RealEstateInfo | None = None
    supersedes: str | None = None  # the number of the appointment this one replaces


def _day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _party(p: Party) -> str:
    return ", ".join(x for x in (p.name, p.id_number and f"ЖСН/БСН / ИИН/БИН {p.id_number}") if x)


def _bailiff(b: Bailiff) -> str:
    kind = "Жеке сот орындаушысы / Частный судебный исполнитель" if b.private else \
        "Мемлекеттік сот орындаушысы / Государственный судебный исполнитель"
    return f"{kind} {b.name}"


def _property(d: AppraiserAppointmentData) -> Fields:
    lot = d.lot
    rows = [("Лот / Лот", f"№ {lot.lot_id}: {lot.title}")]
    rows.append(("Мүліктің түрі (72-бап) / Вид имущества (ст. 72)", category(lot.category)))
    if lot.description:
        rows.append(("Сипаттамасы / Описание", lot.description))
    if d.real_estate:
        rows.append(real_estate_row(d.real_estate))
    if lot.location:
        rows.append(("Сақтау орны (69-бап) / Место хранения (ст. 69)", lot.location))
    rows.append(("Тыйым салынған күні / Дата ареста", _day(d.arrested_on)))
    return Fields(tuple(rows))


def build_appraiser_appointment(d: AppraiserAppointmentData) -> Document:
    basis_kk, basis_ru = BASES[d.basis]
    appraiser = _party(d.appraiser)
    fields = [
        ("Күні / Дата", local(d.appointed_at)),
        ("Шығарған / Вынес", _bailiff(d.bailiff)),
        ("Атқарушылық іс жүргізу / Исполнительное производство", f"№ {d.lot.proceeding_no}"),
        ("Борышкер / Должник", _party(d.debtor)),
        *((f"Өндіріп алушы {i} / Взыскатель {i}", _party(c)) for i, c in enumerate(d.collectors, 1)),
    ]
    appointed = [
        ("Бағалаушы / Оценщик", appraiser),
        ("Платформадағы есептік жазбасы / Учётная запись на платформе",
         d.appraiser_account or "жоқ / нет"),
        ("Тағайындау негізі / Основание назначения", f"{basis_kk} / {basis_ru}"),
    ]
    if d.supersedes:
        appointed.append(("Ауыстырылатын қаулы / Заменяемое постановление", f"№ {d.supersedes}"))
    terms = [
        ("Тағайындау мерзімі (68-баптың 1-тармағы) / Срок назначения (п. 1 ст. 68)",
         f"{_day(d.appointment_due_on)} дейін / до {_day(d.appointment_due_on)}"
         + (" — мерзімі өткен / срок пропущен" if d.late else "")),
        ("Көшірмелер тараптарға (68-баптың 2-тармағы) / Копии сторонам (п. 2 ст. 68)",
         f"{_day(d.copies_due_on)} кешіктірілмей / не позднее {_day(d.copies_due_on)}"),
    ]
    return Document(
        title="Постановление о назначении оценщика",
        title_kk="Бағалаушыны тағайындау туралы қаулы",
        number=f"№ {d.number}",
        subject=f"Постановление о назначении оценщика № {d.number}, лот № {d.lot.lot_id}, исполнительное "
                f"производство № {d.lot.proceeding_no}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Мүлік / Имущество"),
            _property(d),
            Heading("Қаулы етемін / Постановляю"),
            Paragraph(f"«Атқарушылық іс жүргізу және сот орындаушыларының мәртебесі туралы» Қазақстан "
                      f"Республикасы Заңының 68-бабының 1-тармағына сәйкес жоғарыда көрсетілген мүлікті бағалау "
                      f"үшін бағалаушы тағайындалсын: {appraiser}; {basis_kk}."
                      + (f" Осы қаулы № {d.supersedes} қаулының орнына шығарылды." if d.supersedes else "")),
            Paragraph(f"В соответствии с пунктом 1 статьи 68 Закона Республики Казахстан «Об исполнительном "
                      f"производстве и статусе судебных исполнителей» назначить оценщика для оценки указанного "
                      f"имущества: {appraiser}; {basis_ru}."
                      + (f" Настоящее постановление выносится взамен постановления № {d.supersedes}."
                         if d.supersedes else "")),
            Fields(tuple(appointed)),
            Heading("Мерзімдер мен құқықтар / Сроки и права"),
            Fields(tuple(terms)),
            Paragraph("Бағалаушы бағалау туралы есепті платформада ұсынады; 68-бап есепті ұсыну мерзімін "
                      "белгілемейді. Бағалау жөніндегі көрсетілетін қызметтің ақысын төлеу атқарушылық іс "
                      "жүргізу тараптарына жүктеледі және кейіннен борышкердің есебінен өтеледі (68-баптың "
                      "1-тармағы). Осы қаулының көшірмелері атқарушылық іс жүргізу тараптарына оны шығарған "
                      f"күннен кейінгі күннен кешіктірілмей, {_day(d.copies_due_on)} дейін жіберіледі "
                      "(68-баптың 2-тармағы)."),
            Paragraph("Оценщик представляет отчёт об оценке на платформе; статья 68 срока представления отчёта "
                      "не устанавливает. Оплата услуг по оценке возлагается на стороны исполнительного "
                      "производства и впоследствии возмещается за счёт должника (пункт 1 статьи 68). Копии "
                      "настоящего постановления направляются сторонам исполнительного производства не позднее "
                      f"дня, следующего за днём его вынесения, — до {_day(d.copies_due_on)} (пункт 2 статьи 68)."),
            Paragraph("Бағалаумен келіспейтін тарап «Қазақстан Республикасындағы бағалау қызметі туралы» Заңға "
                      "сәйкес бағалау бойынша қорытынды алу үшін сараптама кеңесіне өтініш жасай алады не "
                      "әкімшілік сот ісін жүргізу туралы заңнамада белгіленген тәртіппен сотқа шағым жасай алады "
                      "(68-баптың 3-тармағы). Сараптама кеңесінің теріс қорытындысы не соттың бағалау туралы "
                      "есепті жарамсыз деп тануы жаңа бағалауды тағайындауға негіз болады; жаңа бағалаудың ақысын "
                      "шағым жасаушы тарап төлейді (68-баптың 3, 4-тармақтары). Тараптар мүліктің құны туралы "
                      "жазбаша келісім жасасса, бағалау жүргізілмейді (68-баптың 5-тармағы)."),
            Paragraph("Сторона, не согласная с оценкой, вправе обратиться в экспертный совет для получения "
                      "заключения по оценке, проведённой в соответствии с Законом «Об оценочной деятельности в "
                      "Республике Казахстан», либо обжаловать её в суд в порядке, установленном законодательством "
                      "об административном судопроизводстве (пункт 3 статьи 68). Отрицательное заключение "
                      "экспертного совета либо признание судом отчёта об оценке недействительным является "
                      "основанием для назначения новой оценки; услуги по новой оценке оплачивает обжаловавшая "
                      "сторона (пункты 3, 4 статьи 68). Если стороны заключат письменное соглашение о стоимости "
                      "имущества, оценка не проводится (пункт 5 статьи 68)."),
            Signatures(((("Жеке сот орындаушысы / Частный судебный исполнитель" if d.bailiff.private else
                           "Мемлекеттік сот орындаушысы / Государственный судебный исполнитель"), d.bailiff.name),)),
        ),
    )
