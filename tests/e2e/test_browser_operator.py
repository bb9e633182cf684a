"""The operator's journey on a 360 px phone in Debian's chromium, in Kazakh (issue 13 point 8): from the
cabinet to the lists of lots and auctions (filtered by region), a lot's own journal, the whole journal with
its chain verified, blocking a bidder (who then cannot log in), and the figures with their chart. No page
scrolls sideways. Screenshots are kept in test-artifacts/ (operator-*.png)."""
from __future__ import annotations

import pytest

from .test_browser_journeys import browser, shot  # noqa: F401  (the module's browser fixture)
from .test_browser_room import rehearsal_server
from .test_operator_pages import _scene

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def operator_server(tmp_path_factory):
    def build(m):
        _bailiff, arrested, failed, announced, _first, _second = _scene(m)
        bidder = m.user("bidder", name="Nurlan Bidder")
        return {"operator": m.operator.email, "bidder": bidder.email, "lots": (arrested, failed, announced)}
    with rehearsal_server(tmp_path_factory, "operator", build) as srv:
        yield srv


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def log_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/login?lang=kk")
    page.locator("#email").fill(email)
    page.locator("#password").fill("password123")
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
def test_an_operator_lists_lots_reads_the_journal_blocks_a_bidder_and_reads_the_figures_on_a_phone(
        browser, operator_server):  # noqa: F811
    from playwright.sync_api import expect
    srv = operator_server
    arrested, failed, announced = srv.lots
    ctx = browser.new_context(viewport=PHONE, locale="kk-KZ")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        log_in(page, srv.url, srv.operator)
        # the cabinet links to the operator's pages
        page.locator(".operator-nav a[href='/console/operator/lots']").first.click()
        expect(page.get_by_role("heading", name="Барлық лоттар")).to_be_visible()
        expect(page.locator("li[data-lot-id]")).to_have_count(3)
        expect(page.locator("li[data-lot-id]").first).to_be_in_viewport()  # the filters are folded on a phone
        page.locator("details.fold summary").click()
        page.locator("#f-region").select_option("almaty")
        page.locator("form.filters button[type=submit]").click()
        expect(page.locator("li[data-lot-id]")).to_have_count(2)
        expect(page.locator(f"li[data-lot-id='{failed['id']}']")).to_contain_text("Office furniture")
        expect(page.locator(f"li[data-lot-id='{arrested['id']}']")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("Табылды: 2")
        no_sideways_scroll(page)
        shot(page, "operator-lots")

        page.locator(".operator-nav a[href='/console/operator/auctions']").first.click()
        expect(page.get_by_role("heading", name="Барлық аукциондар")).to_be_visible()
        page.locator("details.fold summary").click()
        page.locator("#f-status").select_option("failed")
        page.locator("form.filters button[type=submit]").click()
        expect(page.locator("li[data-auction-id]")).to_have_count(1)
        expect(page.locator("li[data-auction-id]")).to_contain_text("84.1")
        no_sideways_scroll(page)
        shot(page, "operator-auctions")

        # the failed lot's page: its auctions and its own journal entries
        page.locator("li[data-auction-id] h2 a").click()
        expect(page.locator("h1")).to_contain_text("Office furniture")
        expect(page.locator(".chain.ok")).to_contain_text("Журнал тексерілді")
        expect(page.locator("ol.journal li.entry").first).to_be_visible()
        no_sideways_scroll(page)
        shot(page, "operator-lot")

        page.locator(".operator-nav a[href='/console/operator/journal']").first.click()
        expect(page.get_by_role("heading", name="Журнал")).to_be_visible()
        expect(page.locator(".chain.ok")).to_contain_text("Журнал тексерілді")
        expect(page.locator("ol.journal li.entry .hash").first).to_have_text(
            page.locator("ol.journal li.entry .hash").first.get_attribute("title"))
        no_sideways_scroll(page)
        shot(page, "operator-journal")

        # blocking a bidder, with the reason he is told
        page.locator(".operator-nav a[href='/console/operator/users']").first.click()
        page.locator("#u-q").fill("Nurlan")
        page.locator("form.filters button[type=submit]").click()
        row = page.locator("li.account").filter(has_text="Nurlan Bidder")
        row.locator("input[name=reason]").fill("банк хабарлаған алаяқтық ставкалар")
        row.locator("button.danger").click()
        expect(page.locator(".flash.ok")).to_contain_text("Тіркелгі бұғатталды")
        expect(page.locator("li.account.blocked")).to_contain_text("банк хабарлаған алаяқтық ставкалар")
        no_sideways_scroll(page)
        shot(page, "operator-block")

        page.locator(".operator-nav a[href='/console/operator/figures']").first.click()
        expect(page.get_by_role("heading", name="Көрсеткіштер")).to_be_visible()
        expect(page.locator("svg.figures-chart").first).to_be_visible()
        expect(page.locator("tr[data-article='84.1']")).to_contain_text("1")
        expect(page.locator("tr[data-status='ARRESTED']")).to_contain_text("1")
        no_sideways_scroll(page)
        shot(page, "operator-figures")
    finally:
        ctx.close()

    # the blocked bidder cannot log in: the page says why
    ctx = browser.new_context(viewport=PHONE, locale="kk-KZ")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        log_in(page, srv.url, srv.bidder)
        expect(page.locator(".flash.error").first).to_contain_text("алаң операторы бұғаттаған")
        expect(page.locator(".flashes")).to_contain_text("банк хабарлаған алаяқтық ставкалар")
        no_sideways_scroll(page)
        shot(page, "operator-blocked-login")
    finally:
        ctx.close()
