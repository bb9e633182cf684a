"""The catalogue and the lot page on a 360 px phone, in Kazakh and in Russian, in Debian's chromium
(issue 13 point 5): the first lot's card on the first screen with its photo, the filters and the
auction calendar folded and unfoldable, the live price; the lot page's gallery, storage place, viewing
arrangements, the bailiff's office contact and the encumbrances; nothing scrolls sideways.

The server is the deployed one over the demo's data (`mulik seed`, then `mulik run --no-demo`).
Screenshots are kept in test-artifacts/ (phone-catalogue-kk.png, phone-lot-ru.png, ...).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .test_browser_journeys import shot
from .test_browser_room import Server, _free_port, _require_chromium, _serve, _stop, launched

pytestmark = pytest.mark.xdist_group("browser-catalogue")

PHONE = {"width": 360, "height": 740}
# What each language's page says (web/translations): the folds, and the demo car's texts (web/demo.py).
WORDS = {
    "kk": {"filters": "Іздеу және сүзгілер", "calendar": "Аукциондар күнтізбесі", "region": "Өңір",
           "live": "Ағымдағы баға", "seeing": "Мүлік қайда және оны қалай көруге болады",
           "storage": "Сақтау орны (69-бап)", "viewing": "Қарау тәртібі", "office": "Сот орындаушының кеңсесі",
           "encumbrances": "Ауыртпалықтар (74.2-бап)", "court": "Талап қоюды қамтамасыз ету жөніндегі сот шарасы",
           "found": "лот табылды"},
    "ru": {"filters": "Поиск и фильтры", "calendar": "Календарь торгов", "region": "Регион",
           "live": "Текущая цена", "seeing": "Где находится имущество и как его осмотреть",
           "storage": "Место хранения (ст. 69)", "viewing": "Порядок осмотра",
           "office": "Отдел (контора) судебного исполнителя", "encumbrances": "Обременения (ст. 74.2)",
           "court": "Мера суда по обеспечению иска", "found": "лот"},
}
CAR = "Toyota Camry 2018"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's four lots (two photos each; the car with its viewing hours and two encumbrances; the
    sewing machines' auction open now), served by `mulik run`."""
    _require_chromium()
    db = tmp_path_factory.mktemp("catalogue") / "mulik.db"
    env = dict(os.environ, MULIK_DATABASE_URL=f"sqlite:///{db}", MULIK_SECRET_KEY="browser-test",
               MULIK_REDIS_URL="", PYTHONUNBUFFERED="1")
    seeded = subprocess.run([sys.executable, "-m", "web.cli", "seed"], env=env, capture_output=True, text=True,
                            timeout=120)
    if seeded.returncode:
        pytest.fail(f"`mulik seed` failed:\n{seeded.stdout}\n{seeded.stderr[-3000:]}")
    proc = _serve(db, db.with_suffix(".log"), _free_port())
    srv = Server(proc.url)
    try:
        srv.car = next(x for x in srv.http("GET", "/lots?q=Toyota")["items"])
        yield srv
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser(demo):
    yield from launched()


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    yield page
    ctx.close()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def loaded(img) -> bool:
    return img.evaluate("i => i.complete && i.naturalWidth > 0")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_on_a_phone_the_first_lot_is_on_the_first_screen_and_the_filters_unfold(phone, demo, lang):
    from playwright.sync_api import expect
    w = WORDS[lang]
    page = phone
    page.goto(f"{demo.url}/?lang={lang}")
    first = page.locator(".lot-card").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["y"] < PHONE["height"] - 80, box  # its title and photo show without scrolling
    assert loaded(first.locator(".thumb img"))  # the lot's own photo
    no_sideways_scroll(page)
    filters, calendar = page.locator("details#filters"), page.locator("details#calendar")
    assert not filters.evaluate("d => d.open") and not calendar.evaluate("d => d.open")
    expect(page.get_by_label(w["region"])).to_be_hidden()
    # the open auction's lot carries its live price
    live = page.locator(".lot-card", has=page.locator(".badge.live"))
    expect(live.locator(".live-price")).to_contain_text(w["live"])
    expect(live.locator(".live-price")).to_contain_text("₸")
    shot(page, f"phone-catalogue-{lang}")

    # unfolded: the region filter narrows the list, and the page still fits the phone
    page.get_by_text(w["filters"]).click()
    expect(page.get_by_label(w["region"])).to_be_visible()
    no_sideways_scroll(page)
    shot(page, f"phone-catalogue-filters-{lang}")
    page.get_by_label(w["region"]).select_option("astana")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator(".lot-card")).to_have_count(1)
    expect(page.locator(".lot-card h2")).to_contain_text(CAR)
    assert not page.locator("details#filters").evaluate("d => d.open")  # folded again: the result shows first
    expect(page.locator("#filters summary .badge")).to_have_text("1")

    # the calendar: a day with an auction leads to that day's lots
    page.goto(f"{demo.url}/?lang={lang}")
    page.get_by_text(w["calendar"]).click()
    busy = page.locator(".calendar li.busy a")
    expect(busy.first).to_be_visible()
    no_sideways_scroll(page)
    shot(page, f"phone-catalogue-calendar-{lang}")
    busy.last.click()
    expect(page.locator(".lot-card")).to_have_count(1)
    expect(page.locator(".lot-card h2")).to_contain_text(CAR)
    no_sideways_scroll(page)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_on_a_phone_the_lot_page_shows_gallery_storage_viewing_contact_and_encumbrances(phone, demo, lang):
    from playwright.sync_api import expect
    w = WORDS[lang]
    page = phone
    page.goto(f"{demo.url}/lots/{demo.car['id']}?lang={lang}")
    expect(page.locator("#lot-title")).to_contain_text(CAR)
    no_sideways_scroll(page)
    large = page.locator(".gallery .main-photo img")
    expect(large).to_be_visible()
    assert loaded(large) and large.bounding_box()["width"] > 300  # the first photo, across the screen
    thumbs = page.locator(".gallery .strip a")
    expect(thumbs).to_have_count(2)
    second = thumbs.nth(1).get_attribute("href")
    thumbs.nth(1).click()
    expect(large).to_have_attribute("src", second)  # shown large, on the same page
    expect(thumbs.nth(1)).to_have_attribute("aria-current", "true")
    assert page.url.endswith(f"/lots/{demo.car['id']}?lang={lang}")

    seeing = page.locator("#viewing-contact")
    expect(seeing).to_contain_text(w["seeing"])
    expect(seeing).to_contain_text(w["storage"])
    expect(page.locator("#storage-place")).to_contain_text("Астана")
    expect(seeing).to_contain_text(w["viewing"])
    expect(page.locator("#viewing")).to_contain_text("11:00")
    expect(seeing).to_contain_text(w["office"])
    expect(page.locator("#bailiff-office")).to_contain_text("Абай")
    expect(page.locator("#bailiff-phone a")).to_have_text("+7 727 255 41 18")
    expect(page.locator("#bailiff-phone a")).to_have_attribute("href", "tel:+77272554118")
    expect(page.get_by_role("heading", name=w["encumbrances"])).to_be_visible()
    items = page.locator("#encumbrance-list li")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text(w["court"])
    # the inventory: every cell inside the screen
    cells = page.locator("table.inventory td")
    assert cells.count() == 4
    for i in range(cells.count()):
        b = cells.nth(i).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"], (i, b)
    no_sideways_scroll(page)
    shot(page, f"phone-lot-{lang}")


@pytest.mark.browser
def test_on_a_wide_screen_the_filters_and_the_calendar_are_open(browser, demo):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(f"{demo.url}/?lang=ru")
        expect(page.get_by_label("Регион")).to_be_visible()
        assert page.locator("details#calendar").evaluate("d => d.open")
        page.get_by_label("Сортировка").select_option("price_desc")
        page.locator("#filters button[type=submit]").click()
        titles = page.locator(".lot-card h2").all_inner_texts()
        assert titles[0].startswith("2 бөлмелі пәтер") and titles[-1].startswith("Алтын әшекейлер"), titles
        shot(page, "wide-catalogue-ru")
    finally:
        ctx.close()
