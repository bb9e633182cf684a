"""Issue 10 point 11, first half: the Art. 68.2 resolution appointing the appraiser is a document every
party reads in the cabinet and is notified of by the next day."""
from __future__ import annotations

import hashlib
import re

import pytest

from service.notifier import LogMailer, deliver, follow_journal

from ..helpers import REAL_ESTATE_TITLE, error
from ..pdf import pdftotext
from .test_console_pages import log_in
from .test_pages import text


@pytest.fixture
def notify(m):
    """The notifier as the server's sweeper runs it; e-mails caught by a log mailer."""
    from web import uow_for
    mailer = LogMailer()

    def run():
        return (follow_journal(lambda: uow_for(m.app, "system:notifier")),
                deliver(lambda: uow_for(m.app, "system:notifier"), mailer))
    run.mailer = mailer
    return run


def _case(m, category="dwelling"):
    """A case with a debtor and two collectors who have accounts, one lot, an appraiser with an account."""
    bailiff = m.user("bailiff", name="Berik Bailiff")
    debtor = m.user("debtor")
    c1, c2 = m.user("collector"), m.user("collector")
    p = m.proceeding(bailiff, debtor=debtor, collectors=[
        {"name": "Alpha Bank", "iin_bin": c1.iin_bin, "kind": "other", "claim": "3000000.00", "user": c1.id},
        {"name": "Gulnar Alimony", "iin_bin": c2.iin_bin, "kind": "alimony", "claim": "500000.00", "user": c2.id}])
    lot = m.lot(bailiff, p["id"], category=category, title="Flat in Astana")
    appraiser = m.user("appraiser", name="Aigerim Appraiser")
    return bailiff, p, lot, (debtor, c1, c2), appraiser


def _documents(user, lot_id):
    return [d for d in user.ok("GET", f"/lots/{lot_id}/documents")["items"]
            if d["kind"] == "appraiser_appointment"]


def _issued(user, lot_id):
    return [e for e in user.ok("GET", f"/lots/{lot_id}/journal")["items"]
            if e["kind"] == "document.issued" and e["payload"]["document"] == "appraiser_appointment"]


def _pdf(user, doc) -> bytes:
    r = user.get(doc["url"].removeprefix("/api/v1"))
    assert r.status_code == 200 and r.data.startswith(b"%PDF-"), r.status_code
    return r.data


def test_appointing_the_appraiser_issues_the_resolution_in_kazakh_then_russian_with_its_terms(m):
    bailiff, p, lot, (debtor, c1, c2), appraiser = _case(m)
    view = bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment",
                      {"appraiser": appraiser.id, "basis": "party_proposal"})
    assert view["parties_notified_by"] == "2026-12-02"  # Tue 1 Dec 2026 + one calendar day (Art. 68.2)
    [doc] = _documents(bailiff, lot["id"])
    assert doc["number"] == f"AP-{lot['id']}-1" and doc["copies_due_on"] == "2026-12-02"
    [entry] = _issued(bailiff, lot["id"])
    assert entry["payload"]["sha256"] == doc["sha256"] and entry["payload"]["copies_due_on"] == "2026-12-02"
    pdf = _pdf(bailiff, doc)
    assert hashlib.sha256(pdf).hexdigest() == doc["sha256"]
    body = pdftotext(pdf)
    flat = re.sub(r"\s+", " ", body)
    # the state language first, Russian after it
    assert flat.index("Бағалаушыны тағайындау туралы қаулы".upper()) < flat.index("Постановление о назначении оценщика")
    assert flat.index("Қаулы етемін") < flat.index("В соответствии с пунктом 1 статьи 68")
    assert f"№ AP-{lot['id']}-1" in flat
    for shown in (p["number"], "Debtor Name", debtor.iin_bin, "Alpha Bank", c1.iin_bin, "Gulnar Alimony", c2.iin_bin,
                  "Flat in Astana", "Тұрғынжай / Жилище", REAL_ESTATE_TITLE["cadastral_number"],
                  REAL_ESTATE_TITLE["address"], "74.50 м²", "Aigerim Appraiser", appraiser.iin_bin, appraiser.email,
                  "по предложению одной из сторон исполнительного производства",
                  "01.12.2026 09:00",  # the date, Kazakhstan time
                  "Berik Bailiff"):
        assert shown in flat, shown
    # Art. 68.2: copies to the parties not later than the next day; 68.3: the parties' right to dispute
    assert "не позднее 02.12.2026" in flat and "02.12.2026 кешіктірілмей" in flat
    assert "пункт 2 статьи 68" in flat and "68-баптың 2-тармағы" in flat
    assert "экспертный совет" in flat and "сараптама кеңесіне" in flat and "пункт 3 статьи 68" in flat
    assert "статья 68 срока представления отчёта не устанавливает" in flat
    assert "возмещается за счёт должника" in flat  # the fee (Art. 68.1)
    mark = entry["payload"]
    assert f"Журнал жазбасы / Запись журнала № {mark['journal_seq']} · SHA-256 {mark['journal_hash']}" in flat


def test_an_appraiser_without_an_account_is_named_by_his_iin_and_name(m):
    bailiff, p, lot, _parties, _appraiser = _case(m, category="movable")
    from ..helpers import iin
    number = iin()
    bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment",
               {"appraiser_iin": number, "appraiser_name": "Nurlan Valuer"})
    [doc] = _documents(bailiff, lot["id"])
    flat = re.sub(r"\s+", " ", pdftotext(_pdf(bailiff, doc)))
    assert "Nurlan Valuer" in flat and number in flat and "жоқ / нет" in flat
    assert "Жылжымалы мүлік / Движимое имущество" in flat and "по выбору судебного исполнителя" in flat


def test_each_party_and_the_appraiser_download_the_resolution_and_an_outsider_cannot(m, client):
    bailiff, p, lot, parties, appraiser = _case(m)
    bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment", {"appraiser": appraiser.id})
    [doc] = _documents(bailiff, lot["id"])
    for person in (*parties, appraiser):
        assert [d["id"] for d in _documents(person, lot["id"])] == [doc["id"]], person.role
        assert hashlib.sha256(_pdf(person, doc)).hexdigest() == doc["sha256"]
    path = doc["url"].removeprefix("/api/v1")
    for outsider in (m.user("appraiser"), m.user("debtor"), m.user("collector"), m.user("bidder")):
        error(outsider.get(path), 403, "forbidden")
        assert _documents(outsider, lot["id"]) == []
    error(m.public.get(path), 401)
    # in the cabinet: the link to the PDF and the day the copy is due
    for person in (*parties, appraiser):
        log_in(client, person)
        page = client.get("/cabinet?lang=en")
        assert f'href="/documents/{doc["id"]}.pdf"' in page.get_data(as_text=True), person.role
        assert (f"Resolution appointing the appraiser No AP-{lot['id']}-1" in text(page)
                and "copies to the parties by" in text(page) and "(Art. 68.2)" in text(page)), person.role
        r = client.get(f"/documents/{doc['id']}.pdf")
        assert r.status_code == 200 and hashlib.sha256(r.data).hexdigest() == doc["sha256"]
        client.post("/logout", data={"csrf_token": _csrf(client)})
    log_in(client, m.user("appraiser"))
    assert client.get(f"/documents/{doc['id']}.pdf").status_code == 403
    assert f'/documents/{doc["id"]}.pdf' not in client.get("/cabinet?lang=en").get_data(as_text=True)


def _csrf(client):
    from .test_cabinet_pages import csrf
    return csrf(client, "/cabinet")


def test_each_party_and_the_appraiser_are_notified_of_the_resolution_by_the_next_day(m, client, notify):
    bailiff, p, lot, (debtor, c1, c2), appraiser = _case(m)
    notify()
    bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment", {"appraiser": appraiser.id})
    assert notify() == (4, 4)  # the debtor, both collectors, the appraiser
    assert notify() == (0, 0)
    [mail] = [body for to, _s, body in notify.mailer.sent if to == appraiser.email]
    assert f"Resolution No AP-{lot['id']}-1 appoints you to value “Flat in Astana” (Art. 68.1)." in mail
    assert f"№ AP-{lot['id']}-1 қаулымен «Flat in Astana» мүлкін бағалауға тағайындалдыңыз" in mail
    for person in (debtor, c1, c2):
        [mail] = [body for to, _s, body in notify.mailer.sent if to == person.email]
        # a person the pages do not know gets it in Kazakhstan's two languages and in English
        assert f"№ AP-{lot['id']}-1 қаулының көшірмесі кабинетте; оны 02.12.2026 кешіктірмей" in mail
        assert f"Копия постановления № AP-{lot['id']}-1 — в кабинете; она направляется не позднее 02.12.2026" in mail
        assert "Aigerim Appraiser" in mail
    assert not [to for to, *_ in notify.mailer.sent if to == bailiff.email]
    log_in(client, c2)
    shown = text(client.get("/cabinet?lang=en"))
    assert (f"An appraiser is appointed to value “Flat in Astana”: Aigerim Appraiser. The copy of resolution "
            f"No AP-{lot['id']}-1 is in your cabinet, due to you by 02.12.2026 (Art. 68.2).") in shown
    # sent the day it was issued: before the day the law allows (Art. 68.2)
    from sqlalchemy import select

    from auction.calendar import local_date
    from service.orm import Notification
    from web import uow_for
    with uow_for(m.app) as uow:
        made = uow.session.execute(select(Notification.created_at).where(
            Notification.kind == "appraiser_appointed")).scalars().all()
    assert len(made) == 3 and all(local_date(at).isoformat() <= "2026-12-02" for at in made)


def test_a_reappointment_issues_a_new_resolution_replacing_the_first_and_notifies_again(m, notify):
    bailiff, p, lot, parties, first = _case(m)
    bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment", {"appraiser": first.id})
    notify()
    m.advance(days=1)
    second = m.user("appraiser", name="Daniyar Second")
    view = bailiff.ok("POST", f"/lots/{lot['id']}/valuation/appointment", {"appraiser": second.id})
    assert view["status"] == "VALUATION" and view["parties_notified_by"] == "2026-12-03"
    old, new = _documents(bailiff, lot["id"])
    assert (old["number"], new["number"]) == (f"AP-{lot['id']}-1", f"AP-{lot['id']}-2")
    flat = re.sub(r"\s+", " ", pdftotext(_pdf(bailiff, new)))
    assert "Daniyar Second" in flat and second.iin_bin in flat and "Aigerim Appraiser" not in flat
    assert f"взамен постановления № AP-{lot['id']}-1" in flat and "не позднее 03.12.2026" in flat
    # each appraiser reads the resolution that appointed him; the parties read both
    assert [d["id"] for d in _documents(first, lot["id"])] == [old["id"]]
    assert [d["id"] for d in _documents(second, lot["id"])] == [new["id"]]
    error(second.get(old["url"].removeprefix("/api/v1")), 403)
    for person in parties:
        assert [d["id"] for d in _documents(person, lot["id"])] == [old["id"], new["id"]]
    assert notify() == (4, 4)
    assert [to for to, *_ in notify.mailer.sent[-4:]].count(second.email) == 1
    assert first.email not in [to for to, *_ in notify.mailer.sent[-4:]]


def test_a_refused_appointment_issues_no_resolution_and_changes_nothing(m, notify):
    bailiff, p, lot, (debtor, c1, c2), appraiser = _case(m, category="movable")
    for party in (debtor, c1, c2):  # Art. 68.5: the parties agreed the value: no appraiser, no resolution
        party.ok("POST", f"/lots/{lot['id']}/valuation/agreement", {"value": "900000.00"})
    notify()
    before = (bailiff.ok("GET", f"/lots/{lot['id']}"), bailiff.ok("GET", f"/lots/{lot['id']}/journal"))
    assert before[0]["status"] == "VALUED"
    error(bailiff.post(f"/lots/{lot['id']}/valuation/appointment", {"appraiser": appraiser.id}), 409,
          "invalid_state", "68.5")
    perishable = m.lot(bailiff, p["id"], title="Apples", perishable=True)
    error(bailiff.post(f"/lots/{perishable['id']}/valuation/appointment", {"appraiser": appraiser.id}), 422,
          "perishable", "77.2")
    assert (bailiff.ok("GET", f"/lots/{lot['id']}"), bailiff.ok("GET", f"/lots/{lot['id']}/journal")) == before
    assert _documents(bailiff, lot["id"]) == [] and _documents(bailiff, perishable["id"]) == []
    assert notify() == (0, 0)
