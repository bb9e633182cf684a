"""The catalogue and the lot page as people know them from the national e-auction platform (issue 13
point 5): a photo per lot, the live price, sorting, the auction calendar; on the lot page the gallery,
the inventory that fits a phone, where the property is and how to see it, the bailiff's office contact
and the encumbrances — and what of it stays private (SPEC §8)."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest

from auction.identity import make_iin

from .test_console_case_pages import _upload
from .test_console_pages import log_in, post
from .test_pages import lot_titles, text
from .test_party_pages import log_out

NBSP = "\u00a0"


def jpeg(colour=(40, 90, 160)) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (96, 64), colour).save(out, "JPEG")
    return out.getvalue()


def starts_day(auction: dict):
    """The Almaty date of an auction's start."""
    return (datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00")) + timedelta(hours=5)).date()


@pytest.fixture
def three(m):
    """Three lots of one bailiff: dear (5 M, auctioned in 25 days), cheap (1 M, auctioned in 12 days) and
    middle (3 M, no auction), recorded in that order."""
    bailiff = m.user("bailiff")
    lots = {}
    for name, value in (("Dear lot", "5000000.00"), ("Cheap lot", "1000000.00"), ("Middle lot", "3000000.00")):
        p = m.proceeding(bailiff)
        lots[name] = m.lot(bailiff, p["id"], title=name, price=value)
        m.value(bailiff, lots[name]["id"], value)
        bailiff.ok("POST", f"/lots/{lots[name]['id']}/realization-order", {})
    dear = m.announce(bailiff, lots["Dear lot"]["id"], days=25)
    cheap = m.announce(bailiff, lots["Cheap lot"]["id"], days=12)
    return {"bailiff": bailiff, "lots": lots, "dear": dear, "cheap": cheap}


# ---- sorting -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("sort, expected", [
    ("", ["Dear lot", "Cheap lot", "Middle lot"]),  # by lot number
    ("auction", ["Cheap lot", "Dear lot", "Middle lot"]),  # the coming auction first, none last
    ("price", ["Cheap lot", "Middle lot", "Dear lot"]),
    ("price_desc", ["Dear lot", "Middle lot", "Cheap lot"]),
    ("newest", ["Middle lot", "Cheap lot", "Dear lot"]),
])
def test_the_catalogue_and_the_api_sort_by_auction_date_price_and_newest(client, m, three, sort, expected):
    page = client.get(f"/?lang=en&sort={sort}")
    assert page.status_code == 200 and lot_titles(page) == expected
    if sort:
        assert re.search(rf'<option value="{sort}" selected>', page.get_data(as_text=True))
    api = m.public.ok("GET", f"/lots?sort={sort}" if sort else "/lots")
    assert [x["title"] for x in api["items"]] == expected


def test_the_sort_is_offered_in_each_language_and_a_wrong_one_is_refused(client, m, three):
    assert "Ең жақын аукцион" in text(client.get("/?lang=kk"))
    assert "Сначала ближайшие торги" in text(client.get("/?lang=ru"))
    wrong = client.get("/?lang=en&sort=cheapest")
    assert wrong.status_code == 400 and "Some filters could not be read" in text(wrong) and lot_titles(wrong) == []
    assert m.public.get("/lots?sort=cheapest").status_code == 400


def test_sorting_keeps_the_filters_and_paging_keeps_the_sort(client, three):
    page = client.get("/?lang=en&sort=price&q=lot")
    assert lot_titles(page) == ["Cheap lot", "Middle lot", "Dear lot"]
    assert 'value="lot"' in page.get_data(as_text=True)


# ---- photo thumbnails --------------------------------------------------------------------------------
def test_each_lot_card_shows_its_first_photo_or_a_neutral_placeholder(client, m, three):
    bailiff, lots = three["bailiff"], three["lots"]
    log_in(client, bailiff)
    for colour in ((200, 30, 30), (30, 200, 30)):
        assert _upload(client, lots["Cheap lot"]["id"], jpeg(colour)).status_code == 302
    log_out(client)
    photos = m.public.ok("GET", f"/lots/{lots['Cheap lot']['id']}")["photos"]
    assert len(photos) == 2
    page = client.get("/?lang=ru&sort=auction").get_data(as_text=True)
    cards = re.findall(r'<li class="card lot-card">(.*?)</li>', page, re.S)
    assert f'<img src="{photos[0]}"' in cards[0] and photos[1] not in cards[0]  # the first one only
    assert client.get(photos[0]).status_code == 200
    assert "<img" not in cards[1] and "Нет фото" in cards[1]  # the dear lot has no photo
    assert "Фото жоқ" in text(client.get("/?lang=kk"))


# ---- the live price ----------------------------------------------------------------------------------
def test_a_lot_whose_auction_is_open_shows_the_current_price_of_the_auction(client, m):
    bailiff, _, lot = m.ordered_lot(value="1000000.00", title="Live lot")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    before = text(client.get("/?lang=ru"))
    assert f"Текущая цена: 1{NBSP}000{NBSP}000,00{NBSP}₸" in before  # the starting price, nobody bid yet
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "c1"})
    after = text(client.get("/?lang=ru"))
    assert f"Текущая цена: 1{NBSP}050{NBSP}000,00{NBSP}₸" in after
    assert f"Ағымдағы баға: 1{NBSP}050{NBSP}000,00{NBSP}₸" in text(client.get("/?lang=kk"))
    # an announced auction has no live price
    other_bailiff, _, quiet = m.ordered_lot(title="Quiet lot")
    m.announce(other_bailiff, quiet["id"])
    cards = re.findall(r'<li class="card lot-card">.*?</li>', client.get("/?lang=en&q=Quiet").get_data(as_text=True),
                       re.S)
    assert len(cards) == 1 and "Quiet lot" in cards[0] and "Current price" not in cards[0]


# ---- the auction calendar ----------------------------------------------------------------------------
def test_the_calendar_counts_the_auctions_of_each_coming_day_and_links_to_that_day(client, m, three):
    day = starts_day(three["cheap"])
    page = client.get("/?lang=ru")
    html = page.get_data(as_text=True)
    calendar = re.search(r'<details class="fold card" id="calendar".*?</details>', html, re.S).group(0)
    link = f'/?auction_from={day.isoformat()}&amp;auction_to={day.isoformat()}'
    assert f'<a href="{link}"><time datetime="{day.isoformat()}">' in calendar
    assert re.search(rf'{re.escape(link)}.*?1 аукцион</span>', calendar, re.S)
    assert calendar.count('<li class="busy"') == 1  # the dear lot's auction is 25 days away: beyond the 3 weeks
    assert len(re.findall(r"<li", calendar)) == 21
    that_day = client.get(link.replace("&amp;", "&") + "&lang=ru")
    assert lot_titles(that_day) == ["Cheap lot"]
    assert 'aria-current="date"' in that_day.get_data(as_text=True)
    assert "Аукциондар күнтізбесі" in text(client.get("/?lang=kk"))


def test_a_cancelled_auction_leaves_the_calendar(client, m, three):
    three["bailiff"].ok("POST", f"/auctions/{three['cheap']['id']}/cancellation", {"reason": "court order"})
    calendar = re.search(r'id="calendar".*?</details>', client.get("/?lang=en").get_data(as_text=True), re.S).group(0)
    assert 'class="busy"' not in calendar


# ---- folded filters ----------------------------------------------------------------------------------
def test_the_filters_are_folded_in_the_page_and_say_how_many_are_given(client, three):
    html = client.get("/?lang=en&region=almaty&q=lot").get_data(as_text=True)
    fold = re.search(r'<details class="fold card" id="filters"[^>]*>\s*<summary>(.*?)</summary>', html, re.S)
    assert fold and not re.search(r"\sopen[\s>]", fold.group(0))  # closed; catalogue.js opens it on a wide screen
    assert 'Search and filters <span class="badge">2</span>' in fold.group(1)
    assert '<script src="/static/catalogue.js">' in html
    assert "data-wide-open" in fold.group(0)


# ---- the lot page ------------------------------------------------------------------------------------
@pytest.fixture
def described(m, client):
    """A movable lot with two photos, an inventory, a storage place, a custodian, viewing arrangements,
    an encumbrance of another writ, and a bailiff whose office contact is recorded."""
    bailiff = m.user("bailiff", name="Nurlan Bailiff")
    bailiff.ok("PUT", "/me/office", {"office": "Almaty, Abay avenue 150, room 214", "phone": "+7 727 255 41 18"})
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], title="Sewing machines", storage_place="Shymkent, sewing shop",
                custodian="Serik Custodian", viewing="Weekdays 10:00-17:00 by appointment",
                items=[{"name": "Juki DDL-8700", "marks": "2019, in working order", "price": "200000.00",
                        "quantity": 12},
                       {"name": "Overlock Siruba", "marks": "2020", "price": "150000.00"}],
                encumbrances=[{"basis": "writ", "document_no": "2-4471/2026", "document_date": "2026-10-01",
                               "issuer": "Esil district court of Astana"}])
    log_in(client, bailiff)
    for colour in ((200, 30, 30), (30, 200, 30)):
        assert _upload(client, lot["id"], jpeg(colour)).status_code == 302
    log_out(client)
    return {"bailiff": bailiff, "lot": m.public.ok("GET", f"/lots/{lot['id']}")}


def test_the_lot_page_shows_a_gallery_of_all_its_photos_the_first_large(client, described):
    lot = described["lot"]
    html = client.get(f"/lots/{lot['id']}?lang=en").get_data(as_text=True)
    gallery = re.search(r'<section class="gallery".*?</section>', html, re.S).group(0)
    first, second = lot["photos"]
    assert re.search(rf'<figure class="main-photo"><a href="{first}"><img src="{first}"', gallery)
    strip = re.search(r'<ul class="strip">.*?</ul>', gallery, re.S).group(0)
    assert re.findall(r'<a href="(/photos/\d+)"', strip) == [first, second]
    assert 'alt="Photo 2 of Sewing machines"' in strip
    assert '<script src="/static/catalogue.js">' in html


def test_the_lot_page_says_where_the_property_is_how_to_see_it_and_whom_to_call(client, described):
    lot = described["lot"]
    shown = text(client.get(f"/lots/{lot['id']}?lang=en"))
    assert "Where the property is and how to see it" in shown
    assert "Storage place (Art. 69) Shymkent, sewing shop" in shown
    assert "Viewing Weekdays 10:00-17:00 by appointment" in shown
    assert "Bailiff Nurlan Bailiff" in shown
    assert "Bailiff's office Almaty, Abay avenue 150, room 214" in shown
    assert "Telephone +7 727 255 41 18" in shown
    assert 'href="tel:+77272554118"' in client.get(f"/lots/{lot['id']}").get_data(as_text=True)
    assert "Serik Custodian" not in shown  # a person's name: the case's people only (SPEC §8)
    ru = text(client.get(f"/lots/{lot['id']}?lang=ru"))
    assert "Место хранения (ст. 69) Shymkent, sewing shop" in ru
    assert "Порядок осмотра Weekdays" in ru and "Отдел (контора) судебного исполнителя Almaty, Abay avenue 150" in ru
    assert "Телефон +7 727 255 41 18" in ru
    kk = text(client.get(f"/lots/{lot['id']}?lang=kk"))
    assert "Мүлік қайда және оны қалай көруге болады" in kk and "Қарау тәртібі" in kk


def test_the_case_bailiff_sees_the_custodian_on_the_lot_page(client, described):
    log_in(client, described["bailiff"])
    assert "Custodian (Art. 69) Serik Custodian" in text(client.get(f"/lots/{described['lot']['id']}?lang=en"))


def test_the_encumbrances_are_public_without_the_documents_number(client, described):
    lot = described["lot"]
    shown = text(client.get(f"/lots/{lot['id']}?lang=en"))
    assert "Encumbrances (Art. 74.2) Arrest under a writ of another proceeding: Esil district court of Astana, " \
           "Oct 1, 2026" in shown
    assert "2-4471/2026" not in shown
    assert "Тыйым салу басқа іс жүргізудің атқарушылық құжаты бойынша" in text(client.get(f"/lots/{lot['id']}?lang=kk"))
    assert "encumbrances" not in lot and "custodian" not in lot  # the API's public view: as before


def test_a_lot_without_them_says_so_in_plain_words(client, m):
    _, _, lot = m.ordered_lot(title="Bare lot")
    shown = text(client.get(f"/lots/{lot['id']}?lang=ru"))
    assert "Порядок осмотра По договорённости с отделом судебного исполнителя." in shown
    assert "Ауыртпалықтар" not in shown and "Обременения (ст. 74.2) Не записано." in shown


def test_the_inventory_table_is_labelled_cell_by_cell_so_it_stacks_on_a_phone(client, described):
    html = client.get(f"/lots/{described['lot']['id']}?lang=ru").get_data(as_text=True)
    table = re.search(r'<table class="stack inventory">.*?</table>', html, re.S).group(0)
    assert '<td data-label="Количество" class="money">12</td>' in table
    assert f'<td data-label="Цена" class="money">200{NBSP}000,00{NBSP}₸</td>' in table
    css = client.get("/static/catalogue.css")
    assert css.status_code == 200 and "table.stack td::before { content: attr(data-label)" in css.get_data(as_text=True)
    css.close()


# ---- who writes the viewing arrangements and the office contact ---------------------------------------
def test_the_bailiff_rewrites_the_viewing_arrangements_through_the_api_and_the_console(client, m, described):
    bailiff, lot = described["bailiff"], described["lot"]
    answer = bailiff.ok("PUT", f"/lots/{lot['id']}/viewing", {"viewing": "Saturdays 12:00-14:00"})
    assert answer["viewing"] == "Saturdays 12:00-14:00" and answer["storage_place"] == "Shymkent, sewing shop"
    assert m.public.ok("GET", f"/lots/{lot['id']}")["viewing"] == "Saturdays 12:00-14:00"
    stranger = m.user("bailiff")
    assert stranger.put(f"/lots/{lot['id']}/viewing", {"viewing": "never"}).status_code == 403
    assert m.user("bidder").put(f"/lots/{lot['id']}/viewing", {"viewing": "never"}).status_code == 403
    assert m.public.put(f"/lots/{lot['id']}/viewing", {"viewing": "never"}).status_code == 401
    assert bailiff.put(f"/lots/{lot['id']}/viewing", {"viewing": "x" * 1001}).status_code == 400
    log_in(client, bailiff)
    r = post(client, f"/console/lots/{lot['id']}", action="viewing", viewing="Mondays, call first")
    assert r.status_code == 302
    assert "Viewing Mondays, call first" in text(client.get(f"/lots/{lot['id']}?lang=en"))
    journal = bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
    assert [e["payload"]["viewing"] for e in journal if e["kind"] == "lot.viewing"] == [
        "Saturdays 12:00-14:00", "Mondays, call first"]


def test_the_viewing_is_given_when_the_lot_is_recorded_in_the_console(client, m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    log_in(client, bailiff)
    r = post(client, f"/console/proceedings/{p['id']}", title="Console lot", category="movable",
             item1_name="Chair", item1_price="1000.00", viewing="Fridays 15:00")
    assert r.status_code == 302, text(r)
    found = m.public.ok("GET", "/lots?q=Console")["items"]
    assert [x["viewing"] for x in found] == ["Fridays 15:00"]


def test_the_office_contact_is_the_bailiffs_own_or_given_when_the_operator_opens_the_account(m):
    assert m.user("bidder").put("/me/office", {"office": "x", "phone": "+7 700 000 00 00"}).status_code == 403
    bailiff = m.user("bailiff")
    assert bailiff.put("/me/office", {"office": "Astana", "phone": "call me"}).status_code == 400
    assert bailiff.ok("PUT", "/me/office", {"office": "Astana, Kenesary 4", "phone": "8 (7172) 55-41-18"})[
        "phone"] == "8 (7172) 55-41-18"
    made = m.operator.ok("POST", "/users", {"email": "new.bailiff@example.kz", "password": "a-long-password",
                                            "full_name": "New Bailiff",
                                            "iin_bin": make_iin(date(1981, 1, 1), "M", 7777),
                                            "role": "bailiff", "office": "Shymkent, Tauke khan 5",
                                            "phone": "+7 7252 53 00 00"})
    assert (made["office"], made["phone"]) == ("Shymkent, Tauke khan 5", "+7 7252 53 00 00")
    # a bidder registering himself gives no office: the field is unknown there
    assert m.public.post("/auth/register", {"email": "b@example.kz", "password": "a-long-password", "full_name": "B",
                                            "iin_bin": make_iin(date(1990, 1, 1), "F", 7778),
                                            "office": "x"}).status_code == 400
