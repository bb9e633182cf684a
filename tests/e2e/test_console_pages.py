"""The bailiff's console over HTTP with the session cookie: a lot from arrest to announcement
through the forms, the deadlines dashboard, and the refusals (the law's and access's)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from auction.identity import make_iin

from .test_api_contract import assert_unchanged, snapshot
from .test_cabinet_pages import csrf
from .test_pages import text


def log_in(client, user) -> None:
    """Log in, with the pages and their messages in English from then on (the language cookie)."""
    token = csrf(client, "/login?lang=en")
    r = client.post("/login", data={"csrf_token": token, "email": user.email, "password": "password123"})
    assert r.status_code == 302, r.get_data(as_text=True)


def post(client, path: str, **form):
    return client.post(path, data={"csrf_token": csrf(client, path), **form})


@pytest.fixture
def bailiff(m, client):
    b = m.user("bailiff")
    log_in(client, b)
    return b


def test_a_bailiff_takes_a_lot_from_arrest_to_announcement_through_the_console(client, m, bailiff):
    appraiser = m.user("appraiser", name="Olzhas Appraiser")
    debtor_iin, collector_iin = make_iin(date(1970, 2, 2), "M", 4001), make_iin(date(1980, 3, 3), "F", 4002)
    # the proceeding, with its debtor and a collector of the first queue
    r = post(client, "/console/proceedings/new", number="02-77-2026", debtor_name="Erlan Debtor",
             debtor_iin_bin=debtor_iin, collector1_name="Aigul Collector", collector1_iin_bin=collector_iin,
             collector1_kind="alimony", collector1_claim="5000000.00")
    assert r.status_code == 302
    pid = int(r.headers["Location"].rsplit("/", 1)[1])
    # the arrested lot with its inventory
    r = post(client, f"/console/proceedings/{pid}", title="Hyundai Tucson 2020", description="grey, 41,000 km",
             category="vehicle", region="pavlodar", storage_place="Pavlodar, impound lot",
             item1_name="Hyundai Tucson", item1_marks="VIN KMHJ*, grey", item1_quantity="1", item1_price="8500000.00")
    assert r.status_code == 302
    page = client.get(f"/console/proceedings/{pid}?lang=en")
    lot_id = int(re.search(r'href="/console/lots/(\d+)">Hyundai Tucson 2020', page.get_data(as_text=True)).group(1))
    shown = text(client.get(f"/console/lots/{lot_id}?lang=en"))
    due = m.public.ok("GET", f"/lots/{lot_id}")["deadlines"]["valuation_due_on"]
    assert "Appoint an appraiser by" in shown and "(Art. 68.1)" in shown
    # valuation: appointment, then the report
    post(client, f"/console/lots/{lot_id}", action="appoint", appraiser=str(appraiser.id), basis="bailiff")
    assert "Appraiser appointed (Art. 68.1)." in text(client.get(f"/console/lots/{lot_id}?lang=en"))
    post(client, f"/console/lots/{lot_id}", action="report", value="8200000.00", report_no="OC-77",
         report_date=m.today().isoformat())
    shown = text(client.get(f"/console/lots/{lot_id}?lang=en"))
    assert "Valuation recorded (Art. 68)." in shown and "Order the realization" in shown
    # the realization order, then the auction on the earliest date the law allows
    post(client, f"/console/lots/{lot_id}", action="order")
    page = client.get(f"/console/lots/{lot_id}?lang=en").get_data(as_text=True)
    dates = re.findall(r'<option value="(\d{4}-\d{2}-\d{2})">', page)
    assert dates[0] == "2026-12-11"  # announced Tue 1 Dec: 10 calendar days later is Fri 11 Dec (Art. 79)
    assert "2026-12-12" not in dates and "2026-12-16" not in dates  # a Saturday; Independence Day
    post(client, f"/console/lots/{lot_id}", action="schedule", day=dates[0], time="11:00", quiet_seconds="1200")
    shown = text(client.get(f"/console/lots/{lot_id}?lang=en"))
    assert "Auction announced for 11.12.2026 11:00 (Art. 79)." in shown
    lot = m.public.ok("GET", f"/lots/{lot_id}")
    assert lot["status"] == "AUCTION_1" and lot["region"] == "pavlodar"
    assert lot["auctions"][0]["starts_at"] == "2026-12-11T06:00:00Z"  # 11:00 in Almaty
    auction = m.public.ok("GET", f"/auctions/{lot['auctions'][0]['id']}")
    assert (auction["quiet_seconds"], auction["step"]) == (1200, "410000.00")  # 20 minutes; 5% of the valuation
    assert lot["valuation"]["value"] == "8200000.00" and due


def test_a_date_the_law_does_not_allow_is_refused_with_art_79_and_nothing_is_announced(client, m, bailiff):
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    before = snapshot(m)
    too_soon = (m.today() + timedelta(days=7)).isoformat()  # a form sent by hand: not one of the offered dates
    post(client, f"/console/lots/{lot['id']}", action="schedule", day=too_soon, time="11:00")
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Art. 79:" in shown and "10 calendar days" in shown
    assert_unchanged(m, before)
    post(client, f"/console/lots/{lot['id']}", action="schedule", day=(m.today() + timedelta(days=12)).isoformat(),
         time="16:00")  # after the latest start of 15:00
    assert m.public.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"


def test_a_later_priority_lot_needs_an_art_72_4_ground_while_an_earlier_one_is_unrealized(client, m, bailiff):
    p = m.proceeding(bailiff)
    first = m.lot(bailiff, p["id"])
    car = m.lot(bailiff, p["id"], category="vehicle", pledged=True)
    for x in (first, car):
        m.value(bailiff, x["id"])
    page = text(client.get(f"/console/lots/{car['id']}?lang=en"))
    assert "realization queue 2 (Art. 72.1.2)" in page and "The property is pledged or secures an obligation" in page
    post(client, f"/console/lots/{car['id']}", action="order")
    assert "Art. 72.1:" in text(client.get(f"/console/lots/{car['id']}?lang=en"))
    assert m.public.ok("GET", f"/lots/{car['id']}")["status"] == "VALUED"
    # a sentence alone is no ground
    post(client, f"/console/lots/{car['id']}", action="order", override_reason="the car is pledged")
    assert m.public.ok("GET", f"/lots/{car['id']}")["status"] == "VALUED"
    post(client, f"/console/lots/{car['id']}", action="order", override_ground="pledged",
         override_reason="pledged to the bank under agreement No 17")
    assert m.public.ok("GET", f"/lots/{car['id']}")["status"] == "REALIZATION_ORDERED"


def test_the_dashboard_lists_an_overdue_valuation_first(client, m, bailiff):
    p = m.proceeding(bailiff)
    late = m.lot(bailiff, p["id"], title="Late lot")
    m.lot(bailiff, p["id"], title="Fresh lot")
    m.advance(days=20)  # past 10 working days: the appraiser should have been appointed (Art. 68.1)
    m.lot(bailiff, p["id"], title="New lot")
    page = client.get("/console/?lang=en")
    rows = re.findall(r'<tr class="deadline( overdue)?">(.*?)</tr>', page.get_data(as_text=True), flags=re.S)
    assert [bool(o) for o, _ in rows] == [True, True, False]
    assert "Late lot" in rows[0][1] and "overdue" in rows[0][1] and "Appoint an appraiser (Art. 68.1)" in rows[0][1]
    assert late["title"] == "Late lot"


def test_only_a_bailiff_opens_the_console_and_only_for_his_own_lots(client, m):
    other = m.user("bailiff")
    p = m.proceeding(other)
    lot = m.lot(other, p["id"])
    assert client.get("/console/").headers["Location"].startswith("/login")
    log_in(client, m.user("bidder"))
    assert client.get("/console/").status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client, "/cabinet")})
    log_in(client, m.user("bailiff"))
    assert client.get(f"/console/lots/{lot['id']}").status_code == 404
    before = snapshot(m)
    r = post(client, f"/console/proceedings/{p['id']}", title="x", category="movable",
             item1_name="i", item1_price="1.00")
    assert r.status_code in (302, 400, 403, 404)
    assert_unchanged(m, before)


def test_a_bailiff_gives_his_office_contact_on_the_console_and_his_lots_show_it(client, m, bailiff):
    _, _, lot = m.ordered_lot(bailiff)
    client.get("/console/?lang=ru")
    r = post(client, "/console/office", office="г. Алматы, пр. Абая 150, каб. 214", phone="call me")
    assert r.status_code == 302
    assert "Это не номер телефона." in text(client.get("/console/"))  # refused in the page's language
    assert "пр. Абая 150" not in text(client.get(f"/lots/{lot['id']}"))  # and nothing saved
    post(client, "/console/office", office="г. Алматы, пр. Абая 150, каб. 214", phone="+7 727 255 41 18")
    assert "Контакты вашей канцелярии сохранены" in text(client.get("/console/"))
    shown = text(client.get(f"/lots/{lot['id']}"))
    assert "г. Алматы, пр. Абая 150, каб. 214" in shown and "+7 727 255 41 18" in shown
