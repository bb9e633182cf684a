"""The public pages (issue 4): the catalogue with its filters and the lot page, in Kazakh, Russian
and English, with money and times formatted per language in Kazakhstan time, and no personal data."""
from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest


def text(response) -> str:
    """What a person reads on the page: tags removed, entities decoded, spaces collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    # collapse the white space of the markup, not the no-break spaces inside money
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def lot_titles(response) -> list[str]:
    return re.findall(r'<h2><a href="/lots/\d+">([^<]+)</a></h2>', response.get_data(as_text=True))


HEADINGS = {"kk": "Электрондық аукциондарда сатылатын мүлік", "ru": "Имущество, продаваемое на электронных аукционах",
            "en": "Property for sale at electronic auctions"}


# ---- languages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_home_page_is_served_in_each_language_and_the_choice_is_remembered(client, lang):
    first = client.get(f"/?lang={lang}")
    assert first.status_code == 200
    assert f'<html lang="{lang}">' in first.get_data(as_text=True)
    assert HEADINGS[lang] in text(first)
    assert f"mulik_lang={lang}" in first.headers["Set-Cookie"]
    later = client.get("/")  # no ?lang: the cookie keeps the choice
    assert HEADINGS[lang] in text(later)
    for other, heading in HEADINGS.items():
        if other != lang:
            assert heading not in text(later)


def test_without_a_choice_the_browser_language_is_used_then_kazakh(client):
    assert HEADINGS["ru"] in text(client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}))
    assert HEADINGS["en"] in text(client.get("/", headers={"Accept-Language": "en-GB"}))
    assert HEADINGS["kk"] in text(client.get("/", headers={"Accept-Language": "de-DE"}))
    assert HEADINGS["kk"] in text(client.get("/"))


def test_every_page_links_to_itself_in_the_three_languages_keeping_its_filters(client):
    page = client.get("/?category=vehicle&lang=en").get_data(as_text=True)
    for code, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        assert f'href="/?category=vehicle&amp;lang={code}" hreflang="{code}" lang="{code}"' in page
        assert name in page


# ---- the catalogue -----------------------------------------------------------------------------------
@pytest.fixture
def catalogue(m):
    """Four lots: a car in Astana auctioned in 12 days, a flat in Almaty, jewellery, a car in Almaty."""
    bailiff = m.user("bailiff")
    p, other = m.proceeding(bailiff), m.proceeding(bailiff)

    def lot(title, category, region, value, proceeding=p):
        x = m.lot(bailiff, proceeding["id"], category=category, region=region, price=value,
                  title=title)
        m.value(bailiff, x["id"], value)
        return x

    car = lot("Toyota Camry 2018", "vehicle", "astana", "9800000.00")
    flat = lot("Two-room flat", "dwelling", "almaty", "31500000.00")
    rings = lot("Gold rings", "valuables", None, "450000.00", proceeding=other)  # Art. 72: its own queue
    truck = lot("KAMAZ truck", "vehicle", "almaty", "15000000.00")
    bailiff.ok("POST", f"/lots/{rings['id']}/realization-order", {})
    bailiff.ok("POST", f"/lots/{car['id']}/realization-order", {})
    auction = m.announce(bailiff, car["id"])
    return {"car": car, "flat": flat, "rings": rings, "truck": truck, "auction": auction}


@pytest.mark.parametrize("query, expected", [
    ("", ["Toyota Camry 2018", "Two-room flat", "Gold rings", "KAMAZ truck"]),
    ("category=vehicle", ["Toyota Camry 2018", "KAMAZ truck"]),
    ("region=almaty", ["Two-room flat", "KAMAZ truck"]),
    ("category=vehicle&region=almaty", ["KAMAZ truck"]),
    ("price_min=10000000.00", ["Two-room flat", "KAMAZ truck"]),
    ("price_max=10000000", ["Toyota Camry 2018", "Gold rings"]),
    ("price_min=1000000&price_max=20000000", ["Toyota Camry 2018", "KAMAZ truck"]),
    ("q=camry", ["Toyota Camry 2018"]),
    ("status=REALIZATION_ORDERED", ["Gold rings"]),
    ("status=AUCTION_1", ["Toyota Camry 2018"]),
])
def test_each_catalogue_filter_narrows_the_list(client, catalogue, query, expected):
    page = client.get(f"/?lang=en&{query}")
    assert page.status_code == 200
    assert lot_titles(page) == expected
    assert f"{len(expected)} lot{'s' if len(expected) != 1 else ''} found" in text(page)


def test_the_auction_date_filter_finds_lots_auctioned_within_the_dates_kazakhstan_time(client, m, catalogue):
    starts = datetime.fromisoformat(catalogue["auction"]["starts_at"].replace("Z", "+00:00"))
    day = (starts + timedelta(hours=5)).date()  # the Almaty date of the start
    around = client.get(f"/?auction_from={day}&auction_to={day}")
    assert lot_titles(around) == ["Toyota Camry 2018"]
    assert lot_titles(client.get(f"/?auction_from={day + timedelta(days=1)}")) == []
    assert lot_titles(client.get(f"/?auction_to={day - timedelta(days=1)}")) == []


@pytest.mark.parametrize("query, label", [
    ("price_min=abc", "Price from, KZT"), ("region=atlantis", "Region"), ("category=spaceship", "Category"),
    ("auction_from=yesterday", "Auction from"), ("status=sold", "Status"), ("price_max=-5", "Price to, KZT"),
])
def test_a_filter_that_cannot_be_read_is_a_400_page_naming_it(client, catalogue, query, label):
    page = client.get(f"/?lang=en&{query}")
    assert page.status_code == 400
    assert "Some filters could not be read; nothing was searched:" in text(page)
    assert re.search(rf"<strong>{re.escape(label)}</strong>: \w", page.get_data(as_text=True))  # by its label
    assert lot_titles(page) == []


@pytest.mark.parametrize("lang, label, message", [
    ("ru", "Цена от, тенге", "Сумма в тенге, не более 2 знаков после запятой, например 1\u00a0250\u00a0000,00."),
    ("kk", "Баға, бастап, теңге", "Теңгедегі сома, үтірден кейін ең көбі 2 таңба, мысалы 1\u00a0250\u00a0000,00."),
])
def test_a_filter_that_cannot_be_read_is_named_and_explained_in_the_language_of_the_page(client, catalogue, lang,
                                                                                      label, message):
    page = client.get(f"/?lang={lang}&price_min=abc")
    assert page.status_code == 400
    assert f"{label} : {message}" in text(page)  # the label in bold, then the message
    assert "price_min" not in text(page) and "digits" not in text(page)


def test_the_catalogue_shows_region_category_valuation_and_the_auction_in_the_language_of_the_page(client, catalogue):
    ru = text(client.get("/?lang=ru&q=camry"))
    assert "Транспортное средство" in ru and "Астана" in ru
    assert "9\u00a0800\u00a0000,00\u00a0₸" in ru
    assert "Аукцион, тур 1: объявлен" in ru
    en = text(client.get("/?lang=en&q=camry"))
    assert "Vehicle" in en and "Astana" in en and "9,800,000.00\u00a0KZT" in en
    kk = text(client.get("/?lang=kk&q=rings"))
    assert "Өңір көрсетілмеген" in kk and "450\u00a0000,00\u00a0₸" in kk


def test_the_api_catalogue_takes_the_same_filters(m, catalogue):
    got = m.public.ok("GET", "/lots?category=vehicle&region=almaty")
    assert [x["title"] for x in got["items"]] == ["KAMAZ truck"] and got["total"] == 1
    assert got["items"][0]["region"] == "almaty"
    got = m.public.ok("GET", "/lots?price_min=1000000.00&price_max=20000000.00")
    assert [x["title"] for x in got["items"]] == ["Toyota Camry 2018", "KAMAZ truck"]
    refused = m.public.get("/lots?region=atlantis")
    assert refused.status_code in (400, 422)
    assert "region" in refused.get_data(as_text=True)


def test_a_lot_with_an_unknown_region_is_refused_and_not_created(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    r = bailiff.post(f"/proceedings/{p['id']}/lots", {"title": "x", "category": "movable",  
                                                      "region": "atlantis", "items": [{"name": "i", "price": "1.00"}]})
    assert r.status_code in (400, 422)
    assert m.public.ok("GET", f"/lots?proceeding_id={p['id']}")["total"] == 0


# ---- the lot page --------------------------------------------------------------------------------------
def test_the_lot_page_shows_the_lot_its_auction_with_a_countdown_documents_and_timeline_without_personal_data(
        client, m, catalogue):
    car = catalogue["car"]
    page = client.get(f"/lots/{car['id']}?lang=en")
    assert page.status_code == 200
    body, shown = page.get_data(as_text=True), text(page)
    assert "Toyota Camry 2018" in shown and "Vehicle" in shown and "Astana" in shown
    assert f"appraisal report No R-{car['id']}" in shown
    assert "First auction — ascending (Art. 80.3)" in shown
    auction = catalogue["auction"]
    assert "Starting price 9,800,000.00\u00a0KZT" in shown
    assert "Deposit (5%, Art. 80.1) 490,000.00\u00a0KZT" in shown  # 5% of the starting price
    # the countdown to the start runs from the server's clock, carried by the page
    assert f'data-until="{datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00")).isoformat()}"' in body
    assert f'data-server-time="{m.clock().isoformat().replace("+00:00", "Z")}"' in body
    assert f'href="/auctions/{auction["id"]}"' in body
    # public documents: the announcement, with its hash; never the debtor's name or IIN
    assert "Auction announcement No" in shown and "SHA-256" in shown
    assert "Debtor Name" not in body
    proceeding = m.public.ok("GET", f"/proceedings/{car['proceeding_id']}")
    assert proceeding["debtor"]["name"] == "(hidden)"
    debtor_iin = re.sub(r"\*+", "", proceeding["debtor"]["iin_bin"])
    assert debtor_iin[:2] + debtor_iin[-2:] not in re.findall(r"\d{12}", body)
    # the timeline in words, each step with its article
    for step in ("Arrested and listed (Art. 62)", "Status: Realization ordered (Art. 77.1)",
                 "Auction announced (Art. 79)"):
        assert step in shown


def test_the_lot_page_formats_dates_in_kazakhstan_time_per_language(client, catalogue):
    auction = catalogue["auction"]
    starts = datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00"))
    assert starts.hour == 6  # 06:00 UTC is 11:00 in Almaty
    en = text(client.get(f"/lots/{catalogue['car']['id']}?lang=en"))
    assert f"Starts {starts.strftime('%b')} {starts.day}, {starts.year}, 11:00" in en
    ru = text(client.get(f"/lots/{catalogue['car']['id']}?lang=ru"))
    assert f"Начало {starts.day} дек. {starts.year}\u202fг., 11:00" in ru  # CLDR: a narrow no-break space


def test_an_unknown_lot_is_a_404_page(client):
    assert client.get("/lots/999999").status_code == 404


# ---- the price chart of a finished auction ------------------------------------------------------------
def test_a_finished_auction_shows_its_price_over_time_drawn_from_the_journal(client, m):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    for i, (who, amount) in enumerate([(b1, "1050000.00"), (b2, "1100000.00"), (b1, "1150000.00")]):
        m.advance(minutes=1)
        who.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": amount, "client_id": f"c{i}"})
    assert 'class="price-chart"' not in client.get(f"/lots/{lot['id']}").get_data(as_text=True)  # still open
    m.advance(minutes=11)
    m.tick()
    page = client.get(f"/lots/{lot['id']}?lang=en")
    body = page.get_data(as_text=True)
    assert body.count("<circle") == 4  # the opening price and the three accepted bids
    assert 'role="img" aria-label="Price of auction No.' in body
    assert ("From 1,000,000.00\u00a0KZT at 11:00:01 to 1,150,000.00\u00a0KZT at 11:03:01: 3 price changes."
            in text(page))


def test_a_descending_auction_chart_steps_down_each_interval_to_the_acceptance(client, m):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    first = m.announce(bailiff, lot["id"])
    m.open_auction(first, [])  # nobody applied (Art. 84.1); nobody keeps the lot
    m.advance(days=20)
    m.tick()
    second = m.announce(bailiff, lot["id"], days=12, interval_seconds=120)
    b1, b2 = m.bidder_admitted(second["id"]), m.bidder_admitted(second["id"])
    m.open_auction(second, [b1, b2])
    m.advance(seconds=250)  # two drops: 1,000,000 -> 950,000 -> 900,000
    b2.ok("POST", f"/auctions/{second['id']}/acceptances", {"price": "900000.00", "client_id": "take"})
    page = client.get(f"/lots/{lot['id']}?lang=en")
    assert page.get_data(as_text=True).count("<circle") == 4  # start, two drops, the acceptance
    assert "From 1,000,000.00\u00a0KZT at 11:00:01 to 900,000.00\u00a0KZT at 11:04:11: 3 price changes." in text(page)
