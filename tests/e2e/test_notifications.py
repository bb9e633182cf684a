"""Notifications (issue 4): followed from the journal into the cabinet and the e-mail outbox, once
each, in the reader's language; an e-mail is in the language the person reads the pages in, or in
Kazakh, Russian and English for someone the pages do not know."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from service.notifier import LogMailer, deliver, follow_journal
from service.orm import OutboxMail

from .test_cabinet_pages import csrf
from .test_console_pages import log_in, post
from .test_pages import text


@pytest.fixture
def notify(m):
    """Run the notifier as the server's sweeper does; the e-mails are caught by a log mailer."""
    from web import uow_for
    mailer = LogMailer()

    def run():
        made = follow_journal(lambda: uow_for(m.app, "system:notifier"))
        sent = deliver(lambda: uow_for(m.app, "system:notifier"), mailer)
        return made, sent
    run.mailer = mailer
    return run


def kinds(mailer, to: str) -> list[str]:
    return [body for t, _s, body in mailer.sent if t == to]


def test_a_watcher_is_told_when_the_lot_is_announced_in_the_cabinet_and_by_e_mail_once(client, m, notify):
    bailiff, _, lot = m.ordered_lot(value="1000000.00", title="Lada Granta 2020")
    watcher = m.user("bidder")
    log_in(client, watcher)
    post(client, f"/cabinet/lots/{lot['id']}/watch")
    assert "You watch this lot" in text(client.get(f"/lots/{lot['id']}?lang=en"))
    notify()
    auction = m.announce(bailiff, lot["id"])
    assert notify() == (1, 1)
    assert notify() == (0, 0)  # following the journal again tells nobody twice
    shown = text(client.get("/cabinet?lang=en"))
    assert "The auction of “Lada Granta 2020” is announced for 14.12.2026 11:00 (Kazakhstan time)." in shown
    assert "Объявлен аукцион «Lada Granta 2020»: 14.12.2026 11:00" in text(client.get("/cabinet?lang=ru"))
    [mail] = kinds(notify.mailer, watcher.email)  # logged in on an English page: the e-mail is in English
    assert "The auction of “Lada Granta 2020” is announced" in mail and "Объявлен" not in mail
    assert auction["starts_at"] == "2026-12-14T06:00:00Z"
    # the header counts the unread ones until they are marked read
    assert 'class="badge live"' in client.get("/?lang=en").get_data(as_text=True)
    post(client, "/cabinet/notifications/read")
    assert 'class="badge live"' not in client.get("/?lang=en").get_data(as_text=True)


def test_bidders_are_told_deposit_opening_outbid_win_payment_due_and_refund(client, m, notify):
    bailiff, _, lot = m.ordered_lot(value="1000000.00", title="Sewing machines")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    aid = auction["id"]
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "1"})
    b2.ok("POST", f"/auctions/{aid}/bids", {"amount": "1100000.00", "client_id": "2"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{aid}/results/approval")
    m.advance(days=8)
    m.tick()  # the loser's deposit is paid back
    notify()
    told = {b: [n.split(".")[0] for n in kinds(notify.mailer, b.email)] for b in (b1, b2)}
    english = {b: [body.split("\n\n")[2] for body in kinds(notify.mailer, b.email)] for b in (b1, b2)}
    assert english[b1] == [
        "Your deposit of 50,000.00\u00a0KZT for “Sewing machines” is confirmed; you are participant No. 1 (Art. 80.1).",
        "The auction of “Sewing machines” has started; you are participant No. 1.",
        "You were outbid on “Sewing machines”: the price is now 1,100,000.00\u00a0KZT.",
        "Your deposit of 50,000.00\u00a0KZT was refunded."]
    assert english[b2] == [
        "Your deposit of 50,000.00\u00a0KZT for “Sewing machines” is confirmed; you are participant No. 2 (Art. 80.1).",
        "The auction of “Sewing machines” has started; you are participant No. 2.",
        "You won “Sewing machines” at 1,100,000.00\u00a0KZT. Pay within 5 working days after the results are "
        "approved (Art. 80.4).",
        # approved on Mon 14 Dec: 5 working days, 16 Dec a holiday
        "Pay 1,050,000.00\u00a0KZT for “Sewing machines” by 22.12.2026 (Art. 80.4); unpaid, the deposit is forfeited."]
    assert len(told[b1]) == 4 and len(told[b2]) == 4


def test_collectors_with_an_account_are_told_the_retention_window_is_open(m, notify):
    keeper = m.user("collector")
    entry = {"name": "Keeper", "iin_bin": keeper.iin_bin, "kind": "alimony", "claim": "400000.00", "user": keeper.id}
    bailiff, _, lot = m.ordered_lot(value="1000000.00", title="Furniture", proceeding={"collectors": [entry]})
    auction = m.announce(bailiff, lot["id"])
    m.open_auction(auction, [])  # nobody applied: Art. 84.1
    notify()
    appointment, mail = kinds(notify.mailer, keeper.email)  # a party: told of the appraiser's appointment first
    assert "An appraiser is appointed to value “Furniture”" in appointment  # Art. 68.2
    assert ("The auction of “Furniture” failed. You may keep the lot at 1,000,000.00\u00a0KZT by 22.12.2026 "
            "(Art. 85.1).") in mail


class Down:
    def __init__(self):
        self.calls = 0

    def send(self, to, subject, body):
        self.calls += 1
        raise OSError("SMTP server unreachable")


def test_an_e_mail_that_cannot_be_sent_stays_in_the_outbox_and_is_given_up_after_five_tries(m, notify):
    from web import uow_for
    bailiff, _, lot = m.ordered_lot()
    follow_journal(lambda: uow_for(m.app, "system:notifier"))  # the Art. 68.2 copies: debtor, collector, appraiser
    assert deliver(lambda: uow_for(m.app, "system:notifier"), LogMailer()) == 3
    auction = m.announce(bailiff, lot["id"])
    m.bidder_admitted(auction["id"])
    follow_journal(lambda: uow_for(m.app, "system:notifier"))
    down = Down()
    for attempt in range(1, 6):
        assert deliver(lambda: uow_for(m.app, "system:notifier"), down) == 0
        with uow_for(m.app) as uow:
            [mail] = uow.session.execute(select(OutboxMail).where(OutboxMail.status != "sent")).scalars().all()
            assert (mail.attempts, mail.error) == (attempt, "SMTP server unreachable")
            assert mail.status == ("failed" if attempt == 5 else "pending")
    assert deliver(lambda: uow_for(m.app, "system:notifier"), down) == 0 and down.calls == 5
    assert notify.mailer.sent == []


def test_the_e_mail_is_in_the_language_the_person_reads_the_pages_in_or_in_all_three(client, m, notify):
    bailiff, _, lot = m.ordered_lot(value="1000000.00", title="Lada Granta 2020")
    reader, api_only = m.user("bidder"), m.user("bidder")
    log_in(client, reader)
    post(client, f"/cabinet/lots/{lot['id']}/watch")
    client.get("/cabinet?lang=ru")  # switches the pages to Russian: the e-mails follow
    client.post("/logout", data={"csrf_token": csrf(client, "/cabinet")})
    from service.orm import Watch
    from web import uow_for
    with uow_for(m.app) as uow:  # someone who uses the API only: the pages never learned a language
        uow.session.add(Watch(user_id=api_only.id, lot_id=lot["id"], created_at=uow.now))
        uow.commit()
    notify()
    m.announce(bailiff, lot["id"])
    notify()
    [mail] = kinds(notify.mailer, reader.email)
    assert "Объявлен аукцион «Lada Granta 2020»" in mail and "is announced" not in mail and "жарияланды" not in mail
    [subject] = [s for t, s, _b in notify.mailer.sent if t == reader.email]
    assert subject == "Mulik: уведомление"
    [mail] = kinds(notify.mailer, api_only.email)
    assert "жарияланды" in mail and "Объявлен аукцион" in mail and "is announced" in mail


def test_only_a_logged_in_person_watches_a_lot(client, m):
    bailiff, _, lot = m.ordered_lot()
    r = client.post(f"/cabinet/lots/{lot['id']}/watch", data={"csrf_token": csrf(client)})
    assert r.status_code == 302 and "/login" in r.headers["Location"]
