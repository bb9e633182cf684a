"""Documents before a sale: the realization order (Art. 77.1, 72), the self-sale permission
(Art. 74.2) and the announcement of the auction (Art. 79, 80). Acts of a state body addressed to the
parties and the public: Kazakh, the state language, first, then Russian (issue 13)."""
from __future__ import annotations

from . import words
from .common import METHODS, bailiff_signature, both, lot_fields, party
from .data import AuctionAnnouncementData, RealizationOrderData, SelfSalePermissionData
from .layout import Document, Fields, Heading, Paragraph, Signatures, local, local_date

ALMATY = "Алматы уақыты / время Алматы"
# Art. 72.4: the grounds on which the queue of realization changes (auction/lots/priority.py's keys).
OVERRIDE_GROUNDS = {
    "pledged": ("мүлік кепілге немесе міндеттемені қамтамасыз ету ретінде берілген",
                "имущество передано в залог или в качестве обеспечения обязательства"),
    "writ_not_satisfied": ("кезектілік тәртібімен өткізу атқарушылық құжат талаптарының толық орындалуына "
                           "әкелмейді",
                           "реализация в порядке очерёдности не приведёт к полному исполнению требований "
                           "исполнительного документа"),
    "time_limits": ("кезектілік тәртібімен өткізу Заңда белгіленген орындау мерзімдерін ұлғайтады",
                    "реализация в порядке очерёдности увеличит установленные Законом сроки исполнения"),
}


def _queue_article(article: str) -> str:
    """"72.1.2" → the paragraph as each language cites it."""
    return both(f"{article}-бап", f"ст. {article}")


def build_realization_order(d: RealizationOrderData) -> Document:
    method_kk, method_ru = METHODS[d.method]
    order = [
        ("Күні / Дата", local(d.ordered_at)),
        ("Шығарған / Вынес", d.bailiff.title),
        ("Борышкер / Должник", party(d.debtor)),
        *((f"Өндіріп алушы {i} / Взыскатель {i}", party(c)) for i, c in enumerate(d.collectors, 1)),
        ("Өткізу тәсілі / Способ реализации", both(method_kk, method_ru)),
        ("Бастапқы баға (80-баптың 3-тармағы) / Начальная цена (пункт 3 статьи 80)", words.both(d.starting_price)),
        (f"Өткізу кезегі ({_queue_article(d.priority_article)}) / Очерёдность реализации",
         both(f"{d.priority_queue}-кезек", f"{d.priority_queue}-я очередь")),
    ]
    if d.priority_ground:
        kk, ru = OVERRIDE_GROUNDS.get(d.priority_ground, (d.priority_ground, d.priority_ground))
        order.append(("Кезектілікті өзгерту негізі (72-баптың 4-тармағы) / Основание изменения очерёдности "
                      "(пункт 4 статьи 72)", f"{kk}\n{ru}"))
    if d.priority_reason:
        order.append(("Мән-жайлар (72-баптың 4-тармағы) / Обстоятельства (пункт 4 статьи 72)", d.priority_reason))
    return Document(
        title="Постановление о передаче имущества на реализацию",
        title_kk="Мүлікті өткізуге беру туралы қаулы",
        number=f"№ {d.number}",
        subject=f"Постановление о передаче на реализацию № {d.number}, лот № {d.lot.lot_id}, "
                f"исполнительное производство № {d.lot.proceeding_no}",
        blocks=(
            Fields(tuple(order)),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Heading("Қаулы етемін / Постановляю"),
            Paragraph(f"Заңның 77-бабының 1-тармағы негізінде жоғарыда көрсетілген мүлік {method_kk} арқылы "
                      f"{words.kk(d.starting_price)} бастапқы бағамен өткізуге берілсін. Борышкер мүлік өткізілгенге "
                      "дейін оны 74-баптың 2-тармағына сәйкес өз бетінше өткізуге өтініш бере алады. Осы қаулыға "
                      "Қазақстан Республикасының заңнамасында белгіленген тәртіппен шағым жасалуы мүмкін "
                      "(72-баптың 4-тармағы)."),
            Paragraph(f"На основании пункта 1 статьи 77 Закона указанное имущество передать на реализацию "
                      f"({method_ru}) по начальной цене {words.ru(d.starting_price)}. Должник вправе до реализации "
                      "имущества обратиться с заявлением о его самостоятельной реализации в соответствии с пунктом 2 "
                      "статьи 74. Настоящее постановление может быть обжаловано в порядке, установленном "
                      "законодательством Республики Казахстан (пункт 4 статьи 72)."),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )


def build_self_sale_permission(d: SelfSalePermissionData) -> Document:
    window_kk, window_ru = (("үш ай (тұрғынжай)", "три месяца (жилище)") if d.lot.dwelling
                            else ("бір ай", "один месяц"))
    fields = [
        ("Күні / Дата", local(d.granted_at)),
        ("Шығарған / Вынес", d.bailiff.title),
        ("Борышкер / Должник", party(d.debtor)),
        ("Өтініш түскен күн / Дата поступления заявления", local(d.applied_at)),
        ("Бағалау туралы есептің күні / Дата отчёта об оценке", local_date(d.valuation_report_date)),
        ("Ең төменгі баға (бағалау құнының 75 %) / Минимальная цена (75 % оценки)", words.both(d.minimum_price)),
        (f"Өз бетінше өткізу мерзімі ({window_kk}) / Срок самостоятельной реализации ({window_ru})",
         f"{local(d.window_ends_at)} дейін / до {local(d.window_ends_at)} ({ALMATY})"),
    ]
    if d.control_account:
        fields.append(("Баға төленетін бақылау шоты / Контрольный счёт для оплаты цены", d.control_account))
    if d.lot.dwelling:
        consequence_kk = "Мерзім өткенге дейін тұрғынжай сауда-саттыққа шығарылмайды."
        consequence_ru = "До истечения срока жилище на торги не выставляется."
    else:
        consequence_kk = ("Өз бетінше өткізу мүлікті өткізуді тоқтатпайды: осы уақытта аукцион жариялануы және "
                          "өткізілуі мүмкін; қайсысы бірінші аяқталса, сол күшінде қалады, екіншісінің күші жойылады.")
        consequence_ru = ("Самостоятельная реализация не приостанавливает реализацию: в это время аукцион может быть "
                          "объявлен и проведён; в силе остаётся то, что завершится первым, другое отменяется.")
    return Document(
        title="Разрешение на самостоятельную реализацию арестованного имущества",
        title_kk="Мүлікті дербес өткізуге рұқсат",
        number=f"№ {d.number}",
        subject=f"Разрешение на самостоятельную реализацию № {d.number}, лот № {d.lot.lot_id}, "
                f"до {local_date(d.window_ends_at)}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Heading("Шарттар (74-баптың 2-тармағы) / Условия (пункт 2 статьи 74)"),
            Paragraph(f"Борышкер мүлікті {local(d.window_ends_at)} дейін {words.kk(d.minimum_price)} кем емес бағамен "
                      "сата алады. Сатып алушы бағаны толық бақылау шотына төлейді; содан кейін сот орындаушысы "
                      "сатып алу-сату шартын тіркейді. Бұл құқық бір атқарушылық іс жүргізуде бір рет пайдаланылады. "
                      + consequence_kk),
            Paragraph(f"Должник вправе продать имущество до {local(d.window_ends_at)} по цене не ниже "
                      f"{words.ru(d.minimum_price)}. Покупатель вносит цену полностью на контрольный счёт; после этого "
                      "судебный исполнитель регистрирует договор купли-продажи. Это право используется один раз в "
                      "исполнительном производстве. " + consequence_ru),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )


def build_auction_announcement(d: AuctionAnnouncementData) -> Document:
    descending = d.round == 2
    kind = (both("қайталама аукцион, баға төмендейді (85-баптың 4-тармағы, 80-баптың 3-тармағы)",
                 "повторный аукцион на понижение цены (пункт 4 статьи 85, пункт 3 статьи 80)") if descending
            else both("бірінші аукцион, баға өседі (80-баптың 3-тармағы)",
                      "первый аукцион на повышение цены (пункт 3 статьи 80)"))
    fields = [
        ("Аукцион / Аукцион", f"№ {d.auction_id}, {kind}"),
        ("Жарияланған күні / Дата объявления", local(d.announced_at)),
        ("Өтінімдерді қабылдау аяқталады / Приём заявок завершается", local(d.applications_close_at)),
        ("Аукцион басталады / Начало аукциона", local(d.starts_at)),
        ("Бастапқы баға / Начальная цена", words.both(d.starting_price)),
        ("Баға қадамы / Шаг цены", words.both(d.step)),
        ("Кепілдік жарна, 5 % (80-баптың 1-тармағы) / Гарантийный взнос, 5 % (пункт 1 статьи 80)",
         words.both(d.deposit)),
    ]
    if descending:
        fields.append(("Ең төменгі баға / Минимальная цена", words.both(d.floor)))
        if d.step_interval_minutes:
            fields.append(("Баға төмендейтін аралық / Цена снижается каждые",
                           f"{d.step_interval_minutes} мин"))
    elif d.quiet_period_minutes:
        fields.append(("Сауда-саттық ұсыныссыз өткен уақыттан кейін аяқталады / Торги завершаются, если нет "
                       "ставок в течение", f"{d.quiet_period_minutes} мин"))
    fields.append(("Ұйымдастырушы / Организатор", d.bailiff.title))
    if d.url:
        fields.append(("Платформадағы беті / Страница на платформе", d.url))
    return Document(
        title="Извещение о проведении электронного аукциона",
        title_kk="Электрондық аукцион өткізу туралы хабарлама",
        number=f"Аукцион № {d.auction_id}",
        subject=f"Извещение об аукционе № {d.auction_id}, лот № {d.lot.lot_id}, "
                f"начало {local(d.starts_at)} (время Алматы)",
        blocks=(
            Fields(tuple(fields)),
            Heading("Мүлік / Имущество"),
            lot_fields(d.lot),
            Heading("Қалай қатысуға болады (80-бап) / Как принять участие (статья 80)"),
            Paragraph("Өтінімдерді қабылдау аяқталғанға дейін платформада өтінім беріп, кепілдік жарнаны төлеңіз. "
                      "Кепілдік жарнасы расталған және 80-баптың 2-тармағы бойынша сатып алушы бола алатын "
                      "өтініш берушілер ғана қатысады. Жеңімпаз қорытындылар бекітілгеннен кейін 5 жұмыс күні ішінде "
                      "толық бағаны төлейді (80-баптың 4-тармағы); кепілдік жарна бағаның есебіне жатқызылады. "
                      "Қалған кепілдік жарналар 5 жұмыс күні ішінде қайтарылады. Уақыт Алматы уақытымен көрсетілген."),
            Paragraph("До окончания приёма заявок подайте заявку на платформе и внесите гарантийный взнос. Участвуют "
                      "только заявители, чей гарантийный взнос подтверждён и которые могут быть покупателями по "
                      "пункту 2 статьи 80. Победитель оплачивает полную цену в течение 5 рабочих дней после "
                      "утверждения итогов (пункт 4 статьи 80); гарантийный взнос засчитывается в цену. Остальные "
                      "гарантийные взносы возвращаются в течение 5 рабочих дней. Время указано по времени Алматы."),
        ),
    )
