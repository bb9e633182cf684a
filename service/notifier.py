"""Notifications (issue 4): who is told what, followed from the journal, off the bidding path.

`follow_journal` reads the journal entries written since its cursor (a `locks` row, locked for
the run, so two processes never notify twice), turns each into the notifications it implies, and
writes each with its e-mail into the outbox in the same transaction. `deliver` then sends the
outbox through a `Mailer` (SMTP in production, the log in development). A notification is stored
as a kind and its parameters and shown in the reader's language; an e-mail is in the person's language
(`users.language`, set by the pages), or in all three for someone who never used the pages.

| journal entry | who is told |
| --- | --- |
| auction.announced | the people who watch the lot |
| payment.received (deposit) | the bidder: deposit confirmed |
| auction.opened | the admitted participants: the auction has started |
| bid.accepted | the participant whose bid it outbid |
| auction.closed | the winner |
| auction.approved | the winner: the payment and its deadline (Art. 80.4) |
| deposit.refunded | the bidder |
| lot.status -> RETENTION_1/2 | the collectors with an account: the retention window (Art. 85.1) |
| application.disqualified | the participant: disqualified, the deposit not returned (Art. 80.2, 80.4) |
| proceeding.transferred | the new bailiff and the old one (Art. 25.4) |
| self_sale.applied | the case's bailiff: the debtor's application awaits an answer (Art. 74.2) |
| self_sale.opened / self_sale.refused | the debtor: the self-sale granted (window's end) or refused |
| document.issued (appraiser_appointment) | the debtor and each collector with an account: the copy of the resolution
  (Art. 68.2); the appraiser with an account: his appointment (Art. 68.1) |
"""
from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from typing import Protocol

from babel.numbers import format_decimal
from sqlalchemy import func, select

from auction import calendar as cal
from auction.auctions import Application, Auction
from auction.lots.model import Lot, Status
from auction.proceedings import Proceeding

from .orm import Bid, JournalCursor, JournalEntry, JournalHead, Lease, Notification, OutboxMail, Payment, User, Watch

BATCH = 500
CURRENCY = {"kk": "₸", "ru": "₸", "en": "KZT"}

# kind -> language -> text; {title} {price} {amount} {starts} {due} {ends} {value} {no}
TEXTS = {
    "announced": {
        "kk": "«{title}» аукционы жарияланды: {starts} (Қазақстан уақыты).",
        "ru": "Объявлен аукцион «{title}»: {starts} (время Казахстана).",
        "en": "The auction of “{title}” is announced for {starts} (Kazakhstan time)."},
    "deposit_confirmed": {
        "kk": "«{title}» бойынша {amount} кепілдік жарнаңыз расталды; сіз № {no} қатысушысыз (80.1-бап).",
        "ru": "Гарантийный взнос {amount} по лоту «{title}» подтверждён; вы участник № {no} (ст. 80.1).",
        "en": "Your deposit of {amount} for “{title}” is confirmed; you are participant No. {no} (Art. 80.1)."},
    "auction_opened": {
        "kk": "«{title}» аукционы басталды; сіз № {no} қатысушысыз.",
        "ru": "Аукцион «{title}» начался; вы участник № {no}.",
        "en": "The auction of “{title}” has started; you are participant No. {no}."},
    "outbid": {
        "kk": "«{title}» бойынша ұсынысыңыз асырылды: баға енді {price}.",
        "ru": "Вашу ставку по лоту «{title}» перебили: цена теперь {price}.",
        "en": "You were outbid on “{title}”: the price is now {price}."},
    "won": {
        "kk": ("Сіз «{title}» аукционында {price} бағасымен жеңдіңіз. "
               "Қорытындылар бекітілгеннен кейін 5 жұмыс күні ішінде төлеңіз (80.4-бап)."),
        "ru": ("Вы выиграли аукцион «{title}» по цене {price}. "
               "Оплатите в течение 5 рабочих дней после утверждения итогов (ст. 80.4)."),
        "en": "You won “{title}” at {price}. Pay within 5 working days after the results are approved (Art. 80.4)."},
    "payment_due": {
        "kk": "«{title}» үшін {amount} соманы {due} дейін төлеңіз (80.4-бап); әйтпесе кепілдік жарна қайтарылмайды.",
        "ru": "Оплатите {amount} за «{title}» до {due} (ст. 80.4); иначе гарантийный взнос не возвращается.",
        "en": "Pay {amount} for “{title}” by {due} (Art. 80.4); unpaid, the deposit is forfeited."},
    "refunded": {
        "kk": "{amount} кепілдік жарнаңыз қайтарылды.",
        "ru": "Ваш гарантийный взнос {amount} возвращён.",
        "en": "Your deposit of {amount} was refunded."},
    "retention_open": {
        "kk": ("«{title}» аукционы өткізілмеді. "
               "Лотты {value} бағасымен {ends} дейін өзіңізге қалдыра аласыз (85.1-бап)."),
        "ru": "Аукцион «{title}» не состоялся. Вы можете оставить лот за собой за {value} до {ends} (ст. 85.1).",
        "en": "The auction of “{title}” failed. You may keep the lot at {value} by {ends} (Art. 85.1)."},
    "disqualified": {
        "kk": ("Сіз «{title}» аукционынан шеттетілдіңіз (№ {no} қатысушы): "
               "аукционға қатысуға құқығыңыз болмаған (80.2-бап). Кепілдік жарна қайтарылмайды (80.4-бап)."),
        "ru": ("Вы отстранены от аукциона «{title}» (участник № {no}): у вас не было права участвовать (ст. 80.2). "
               "Гарантийный взнос не возвращается (ст. 80.4)."),
        "en": ("You are disqualified from the auction of “{title}” (participant No. {no}): "
               "you had no right to take part (Art. 80.2). The deposit is not returned (Art. 80.4).")},
    "case_transferred": {
        "kk": "№ {number} атқарушылық іс жүргізу басқа сот орындаушысына берілді: {basis}.",
        "ru": "Исполнительное производство № {number} передано другому судебному исполнителю: {basis}.",
        "en": "Proceeding No {number} has passed to another bailiff: {basis}."},
    "self_sale_applied": {
        "kk": ("Борышкер «{title}» мүлкін дербес өткізуге жазбаша өтініш берді; "
               "рұқсат беріңіз немесе дәлелді бас тартыңыз (74.2-бап)."),
        "ru": ("Должник подал письменное заявление о самостоятельной реализации «{title}»; "
               "разрешите или мотивированно откажите (ст. 74.2)."),
        "en": ("The debtor applied in writing to sell “{title}” himself; "
               "grant it or refuse it with reasons (Art. 74.2).")},
    "self_sale_granted": {
        "kk": ("«{title}» мүлкін дербес өткізуге рұқсат берілді: "
               "{ends} дейін, бағалау құнының 75%-ынан төмен емес (74.2-бап)."),
        "ru": "Самостоятельная реализация «{title}» разрешена до {ends}, не ниже 75% оценки (ст. 74.2).",
        "en": "Your self-sale of “{title}” is granted until {ends}, at no less than 75% of the valuation (Art. 74.2)."},
    "self_sale_refused": {
        "kk": "«{title}» мүлкін дербес өткізуге өтінішіңізден бас тартылды: {reason} (74.2-бап).",
        "ru": "В самостоятельной реализации «{title}» отказано: {reason} (ст. 74.2).",
        "en": "Your application to sell “{title}” yourself was refused: {reason} (Art. 74.2)."},
    "appraiser_appointed": {
        "kk": ("«{title}» мүлкін бағалау үшін бағалаушы тағайындалды: {appraiser}. "
               "№ {number} қаулының көшірмесі кабинетте; оны {due} кешіктірмей алуыңыз тиіс (68.2-бап). "
               "Бағалаумен келіспесеңіз, сараптама кеңесіне немесе сотқа жүгіне аласыз (68.3-бап)."),
        "ru": ("Для оценки «{title}» назначен оценщик: {appraiser}. "
               "Копия постановления № {number} — в кабинете; она направляется не позднее {due} (ст. 68.2). "
               "Не согласные с оценкой вправе обратиться в экспертный совет или в суд (ст. 68.3)."),
        "en": ("An appraiser is appointed to value “{title}”: {appraiser}. "
               "The copy of resolution No {number} is in your cabinet, due to you by {due} (Art. 68.2). "
               "If you disagree with the valuation you may go to the expert council or to court (Art. 68.3).")},
    "appointed_you": {
        "kk": ("Сіз № {number} қаулымен «{title}» мүлкін бағалауға тағайындалдыңыз (68.1-бап). "
               "Қаулы мен бағалау туралы есеп нысаны кабинетте."),
        "ru": ("Постановлением № {number} вы назначены оценщиком «{title}» (ст. 68.1). "
               "Постановление и форма отчёта об оценке — в кабинете."),
        "en": ("Resolution No {number} appoints you to value “{title}” (Art. 68.1). "
               "The resolution and the report form are in your cabinet.")},
}
SUBJECT = {"kk": "Mulik: хабарлама", "ru": "Mulik: уведомление", "en": "Mulik: notification"}


def render(kind: str, params: dict, lang: str) -> str:
    """The text of a notification in `lang`, money and dates formatted for it."""
    def value(k, v):
        if k in ("price", "amount", "value") and v is not None:
            number = format_decimal(Decimal(v), format="#,##0.00", locale=lang)
            return f"{number}\u00a0{CURRENCY[lang]}"
        if k in ("due", "ends") and v:
            return date.fromisoformat(v).strftime("%d.%m.%Y")
        if k == "starts" and v:
            return cal.local_time(datetime.fromisoformat(v)).strftime("%d.%m.%Y %H:%M")
        return v
    return TEXTS[kind][lang].format(**{k: value(k, v) for k, v in params.items()})


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class LogMailer:
    """Development: the e-mail goes to the log."""

    def __init__(self, logger: logging.Logger | None = None):
        self.logger = logger or logging.getLogger("mulik.mail")
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to, subject, body):
        self.sent.append((to, subject, body))
        self.logger.info("e-mail to %s: %s\n%s", to, subject, body)


class SmtpMailer:
    def __init__(self, host: str, port: int = 25, sender: str = "noreply@mulik.kz", user: str | None = None,
                 password: str | None = None, starttls: bool = True):
        self.host, self.port, self.sender, self.user, self.password, self.starttls = \
            host, port, sender, user, password, starttls

    def send(self, to, subject, body):
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, to, subject
        msg.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(msg)


# ---- following the journal ---------------------------------------------------------------------------
def follow_journal(uow_factory) -> int:
    """Notify for every journal entry since the last run, chain by chain (each lot's, the platform's: a cursor
    per chain, since entries of two chains commit in no global order); the number of notifications made."""
    made = 0
    with uow_factory() as uow:
        s = uow.session
        lock = s.execute(select(Lease).where(Lease.name == "notifier").with_for_update()).scalar_one_or_none()
        if lock is None:  # one follower at a time: a second waits here, then finds the cursors moved
            s.add(Lease(name="notifier", value=0))
            s.flush()
            s.execute(select(Lease).where(Lease.name == "notifier").with_for_update()).scalar_one()
        behind = s.execute(
            select(JournalHead.chain, func.coalesce(JournalCursor.seq, 0))
            .outerjoin(JournalCursor, (JournalCursor.chain == JournalHead.chain) & (JournalCursor.reader == READER))
            .where(JournalHead.seq > func.coalesce(JournalCursor.seq, 0)).order_by(JournalHead.chain)).all()
        left = BATCH
        for chain, seq in behind:
            if left <= 0:
                break
            entries = s.execute(select(JournalEntry).where(JournalEntry.chain == chain, JournalEntry.seq > seq)
                                .order_by(JournalEntry.seq).limit(left)).scalars().all()
            for e in entries:
                for user_id, kind, params in _recipients(s, e):
                    made += _notify(uow, e, user_id, kind, params)
            if entries:
                left -= len(entries)
                cursor = s.get(JournalCursor, (READER, chain))
                if cursor is None:
                    s.add(JournalCursor(reader=READER, chain=chain, seq=entries[-1].seq))
                else:
                    cursor.seq = entries[-1].seq
        uow.commit()
    return made


READER = "notifier"


def _notify(uow, e, user_id: int, kind: str, params: dict) -> int:
    user = uow.session.get(User, user_id)
    if user is None:
        return 0
    n = Notification(user_id=user_id, kind=kind, params=params, lot_id=e.lot_id, auction_id=e.auction_id,
                     journal_id=e.id, created_at=uow.now)
    uow.session.add(n)
    uow.session.flush()
    # in the person's language when the pages know it (their last login or choice there), else in all three
    langs = (user.language,) if user.language in SUBJECT else ("kk", "ru", "en")
    body = "\n\n".join(render(kind, params, lang) for lang in langs)
    uow.session.add(OutboxMail(notification_id=n.id, to=user.email, subject=" / ".join(SUBJECT[x] for x in langs),
                               body=body, status="pending", attempts=0))
    return 1


def _title(s, lot_id) -> str:
    lot = s.get(Lot, lot_id) if lot_id else None
    return lot.title if lot else ""


def _recipients(s, e) -> list[tuple[int, str, dict]]:
    p, kind = e.payload or {}, e.kind
    if kind == "auction.announced":
        watchers = s.execute(select(Watch.user_id).where(Watch.lot_id == e.lot_id)).scalars().all()
        return [(u, "announced", {"title": _title(s, e.lot_id), "starts": p.get("starts_at")}) for u in watchers]
    if kind == "payment.received" and p.get("kind") == "deposit":
        pay = s.get(Payment, p["payment_id"])
        app = s.get(Application, pay.application_id) if pay and pay.application_id else None
        if pay is None or pay.user_id is None:
            return []
        return [(pay.user_id, "deposit_confirmed", {"title": _title(s, e.lot_id), "amount": p.get("amount"),
                                                     "no": app.participant_no if app else None})]
    if kind == "auction.opened":
        apps = s.execute(select(Application).where(Application.auction_id == e.auction_id,
                                                   Application.status == "admitted")).scalars().all()
        return [(a.user_id, "auction_opened", {"title": _title(s, e.lot_id), "no": a.participant_no}) for a in apps]
    if kind == "bid.accepted" and not p.get("acceptance"):
        before = s.execute(select(Bid).where(Bid.auction_id == e.auction_id, Bid.seq < p["seq"])
                           .order_by(Bid.seq.desc()).limit(1)).scalar_one_or_none()
        if before is None or before.participant_no == p.get("participant_no"):
            return []
        app = s.get(Application, before.application_id)
        return [(app.user_id, "outbid", {"title": _title(s, e.lot_id), "price": p.get("amount")})]
    if kind in ("auction.closed", "auction.approved"):
        a = s.get(Auction, e.auction_id)
        winner = next((x for x in a.applications if x.participant_no == a.winner_no), None) if a else None
        if winner is None:
            return []
        if kind == "auction.closed":
            return [(winner.user_id, "won", {"title": _title(s, e.lot_id), "price": p.get("price")})]
        return [(winner.user_id, "payment_due", {"title": _title(s, e.lot_id), "amount": p.get("due"),
                                                  "due": p.get("payment_due_on")})]
    if kind == "application.disqualified":
        app = s.execute(select(Application).where(Application.auction_id == e.auction_id,
                                                  Application.participant_no == p.get("participant_no"))
                        ).scalar_one_or_none()
        return [(app.user_id, "disqualified", {"title": _title(s, e.lot_id), "no": app.participant_no})] if app else []
    if kind == "proceeding.transferred":
        params = {"number": p.get("number"), "basis": p.get("basis")}
        return [(b["id"], "case_transferred", params) for b in (p.get("to_bailiff"), p.get("from_bailiff")) if b]
    if kind in ("self_sale.applied", "self_sale.opened", "self_sale.refused"):
        lot = s.get(Lot, e.lot_id)
        proceeding = s.get(Proceeding, lot.proceeding_id)
        if kind == "self_sale.applied":
            return [(proceeding.bailiff_id, "self_sale_applied", {"title": lot.title})]
        if proceeding.debtor_user_id is None:
            return []
        if kind == "self_sale.opened":
            return [(proceeding.debtor_user_id, "self_sale_granted", {"title": lot.title, "ends": p.get("ends_on")})]
        return [(proceeding.debtor_user_id, "self_sale_refused", {"title": lot.title, "reason": p.get("reason")})]
    if kind == "document.issued" and p.get("document") == "appraiser_appointment":
        lot = s.get(Lot, e.lot_id)
        proceeding = s.get(Proceeding, lot.proceeding_id)
        params = {"title": lot.title, "number": p.get("number"), "due": p.get("copies_due_on"),
                  "appraiser": p.get("appraiser")}
        parties = [proceeding.debtor_user_id, *(c.user_id for c in proceeding.collectors)]
        told = [(u, "appraiser_appointed", params) for u in dict.fromkeys(parties) if u]
        if p.get("appraiser_id"):  # the appraiser is told what he is to do
            told.append((p["appraiser_id"], "appointed_you", {"title": lot.title, "number": p.get("number")}))
        return told
    if kind == "deposit.refunded":
        return [(p["user_id"], "refunded", {"amount": p.get("amount")})] if p.get("user_id") else []
    if kind == "lot.status" and p.get("to") in (Status.RETENTION_1, Status.RETENTION_2):
        lot = s.get(Lot, e.lot_id)
        proceeding = s.get(Proceeding, lot.proceeding_id)
        return [(c.user_id, "retention_open",
                 {"title": lot.title, "value": str(lot.value),
                  "ends": lot.retention_ends_on.isoformat() if lot.retention_ends_on else None})
                for c in proceeding.collectors if c.user_id]
    return []


# ---- the outbox ----------------------------------------------------------------------------------------
def deliver(uow_factory, mailer: Mailer, limit: int = 100) -> int:
    """Send pending e-mails; a failure is kept with its error and tried again (at most 5 times)."""
    sent = 0
    with uow_factory() as uow:
        s = uow.session
        lock = s.execute(select(Lease).where(Lease.name == "mailer").with_for_update()).scalar_one_or_none()
        if lock is None:
            s.add(Lease(name="mailer", value=0))
            s.flush()
        rows = s.execute(select(OutboxMail).where(OutboxMail.status == "pending").order_by(OutboxMail.id)
                         .limit(limit)).scalars().all()
        for mail in rows:
            mail.attempts += 1
            try:
                mailer.send(mail.to, mail.subject, mail.body)
            except (OSError, smtplib.SMTPException) as exc:
                mail.error = str(exc)
                if mail.attempts >= 5:
                    mail.status = "failed"
                continue
            mail.status, mail.sent_at, mail.error = "sent", uow.now, None
            sent += 1
        uow.commit()
    return sent

