"""A person's whole journey through the pages in Debian's chromium (issue 4).

The bidder's: registers, finds the lot, applies with the Art. 80.2 declaration, pays the deposit
with the development provider, waits in the auction room, bids live against another bidder, wins,
and finds the win with its payment deadline in the cabinet. The server is a real `mulik run`
whose clock continues from a rehearsal database (`MULIK_CLOCK_START`): the applications close a
minute before the start, so the journey begins 100 s before it.

Screenshots of each step are kept in `test-artifacts/` (the README's come from there).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from auction.identity import make_iin

from .test_browser_room import launched, log_in, money, rehearsal_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LEAD = timedelta(seconds=100)  # the journey starts this long before the auction opens
QUIET = 20  # seconds of soft close


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    """An auction announced for 11:00 (applications close 10:59), one bidder already admitted; the
    server's clock starts at 10:58:20."""
    def build(m):
        bailiff, _, lot = m.ordered_lot(value="2000000.00", region="karaganda")
        auction = m.announce(bailiff, lot["id"], quiet_seconds=QUIET, application_cutoff_minutes=1)
        rival = m.bidder_admitted(auction["id"])
        m.clock.set(datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00")) - LEAD)
        return {"lot": lot, "auction": auction, "rival": rival.email}
    with rehearsal_server(tmp_path_factory, "journey", build) as srv:
        yield srv


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_bidder_registers_applies_pays_bids_live_and_wins(browser, rehearsal):
    from playwright.sync_api import expect
    srv, aid = rehearsal, rehearsal.auction["id"]
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    rival_ctx = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-GB")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        # 1. registration, in English, with an IIN that passes its check digit
        page.goto(f"{srv.url}/?lang=en")
        page.get_by_role("link", name="Register").click()
        page.get_by_label("Full name or company name").fill("Aruzhan Bidder")
        page.get_by_label("IIN / BIN (12 digits)").fill(make_iin(date(1994, 3, 8), "F", 8123))
        page.get_by_label("E-mail").fill("aruzhan@example.kz")
        page.get_by_label("Password (at least 8 characters)").fill("a-long-password")
        page.get_by_role("button", name="Create the account").click()
        expect(page.get_by_role("heading", name="My cabinet")).to_be_visible()
        expect(page.locator(".flash.ok")).to_contain_text("Your bidder account is ready.")

        # 2. the catalogue, filtered by region, leads to the lot; the application with its declaration
        page.get_by_role("link", name="Catalogue").click()
        page.get_by_label("Region").select_option("karaganda")
        page.get_by_role("button", name="Find").click()
        expect(page.locator("#found")).to_have_text("1 lot found")
        shot(page, "catalogue")
        page.get_by_role("link", name=srv.lot["title"]).click()
        page.get_by_text("Apply for this auction").click()
        page.get_by_label("If I do not win, keep my deposit in my wallet for other auctions").check()
        deposit = money(srv.auction["deposit"])
        page.get_by_role("button", name=f"Apply; the deposit is {deposit}").click()
        expect(page.locator(".flash.ok")).to_contain_text("Application filed: you are participant No. 2.")

        # 3. the deposit, paid with the development provider, admits the application
        page.get_by_role("button", name=f"Pay {deposit} (test provider)").click()
        expect(page.locator(".flash.ok")).to_have_text("Payment received.")
        row = page.locator(f'tr.application[data-auction-id="{aid}"]')
        expect(row).to_contain_text("admitted")
        expect(row).to_contain_text("held")
        shot(page, "cabinet-admitted")

        # 4. both wait in the room before the opening; the session cookie makes the page a participant
        row.get_by_role("link", name=re.compile(r"^Round 1, ")).click()
        expect(page.locator("#my-no")).to_have_text("No. 2")
        rival = rival_ctx.new_page()
        rival.set_default_timeout(15_000)
        rival.goto(f"{srv.url}/auctions/{aid}?lang=en")
        rival_no = log_in(rival, srv.rival, "password123")
        assert rival_no == 1
        for p in (page, rival):
            expect(p.locator("#status")).to_have_attribute("data-status", "open", timeout=(LEAD.seconds + 20) * 1000)

        # 5. live bidding: the rival raises, our bidder raises over it, the rival again, ours last
        price, step = srv.auction["start_price"], srv.auction["step"]
        for who in (rival, page, rival, page):
            offer = _plus(price, step)
            who.get_by_role("button", name=f"Bid {money(offer)}").click()
            other = page if who is rival else rival
            expect(other.locator("#price")).to_have_text(money(offer))
            price = offer
        shot(page, "room-leading")
        for p in (page, rival):
            expect(p.locator("#status")).to_have_attribute("data-status", "closed", timeout=(QUIET + 15) * 1000)
            expect(p.locator("#outcome")).to_contain_text(f"Winner: participant No. 2 at {money(price)}.")
        shot(page, "room-won")

        # 6. the cabinet shows the win, and the payment waits for the bailiff's approval of the results
        page.goto(f"{srv.url}/cabinet")
        won = page.locator(".won")
        expect(won).to_contain_text(f"{srv.lot['title']}: final price {money(price)}.")
        expect(won).to_contain_text("The bailiff approves the results; "
                                    "then you have 5 working days to pay (Art. 80.4).")
    finally:
        ctx.close()
        rival_ctx.close()


def _plus(a: str, b: str) -> str:
    from decimal import Decimal
    return f"{Decimal(a) + Decimal(b):.2f}"



@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A platform with a bailiff and an appraiser and nothing else, on the real clock."""
    def build(m):
        bailiff, appraiser = m.user("bailiff", name="Nurlan Bailiff"), m.user("appraiser", name="Olzhas Appraiser")
        return {"bailiff": bailiff.email, "appraiser": appraiser.email}
    with rehearsal_server(tmp_path_factory, "office", build, real_clock=True) as srv:
        yield srv


@pytest.mark.browser
def test_a_bailiff_takes_a_lot_from_arrest_to_announcement(browser, office):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{office.url}/login?lang=en")
        page.get_by_label("E-mail").fill(office.bailiff)
        page.get_by_label("Password").fill("password123")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Bailiff's console")).to_be_visible()

        # the proceeding: debtor and collector
        page.get_by_role("link", name="New proceeding").click()
        page.get_by_label("Proceeding number").fill("02-0099-2026")
        debtor = page.get_by_role("group", name="Debtor")
        debtor.get_by_label("Name").fill("Serik Debtor")
        debtor.get_by_label("IIN / BIN (12 digits)").fill(make_iin(date(1975, 1, 20), "M", 6103))
        collector = page.get_by_role("group", name="Collector 1")
        collector.get_by_label("Name").fill("Demo Bank JSC")
        collector.get_by_label("IIN / BIN (12 digits)").fill(make_iin(date(1981, 6, 1), "F", 6104))
        collector.get_by_label("Kind of claim (its queue follows, Art. 111–112)").select_option("pledge_secured")
        collector.get_by_label("Claim, KZT").fill("12000000.00")
        page.get_by_role("button", name="Create the proceeding").click()
        expect(page.locator(".flash.ok")).to_have_text("Proceeding 02-0099-2026 created.")

        # the arrested lot and its inventory
        page.get_by_label("Title", exact=True).fill("Toyota Land Cruiser 2019")
        page.get_by_label("Category").select_option("vehicle")
        expect(page.get_by_text("The realization queue follows from the kind of property and the debtor (Art. 72)")
               ).to_be_visible()  # no queue to type
        page.get_by_label("Region").select_option("astana")
        item = page.get_by_role("group", name="Inventory item 1 (Art. 66.3)")
        item.get_by_label("Item").fill("Toyota Land Cruiser 200")
        item.get_by_label("Distinguishing marks").fill("black, 2019, 60,000 km")
        item.get_by_label("Price, KZT").fill("25000000.00")
        page.get_by_role("button", name="Record the lot").click()
        expect(page.locator(".flash.ok")).to_have_text("Lot recorded with its inventory.")
        page.get_by_role("link", name="Toyota Land Cruiser 2019").click()

        # valuation (Art. 68), realization order (Art. 77.1), announcement on a legal date (Art. 79)
        expect(page.locator("#lot-status")).to_have_text("Arrested")
        expect(page.get_by_text("realization queue 2 (Art. 72.1.2)")).to_be_visible()  # a vehicle, an individual
        page.get_by_label("Appraiser").select_option(label=f"Olzhas Appraiser ({office.appraiser})")
        page.get_by_role("button", name="Appoint the appraiser").click()
        expect(page.locator(".flash.ok")).to_have_text("Appraiser appointed (Art. 68.1).")
        page.get_by_label("Value, KZT").fill("24500000.00")
        page.get_by_label("Report number").fill("OC-0099")
        page.get_by_label("Report date").fill(date.today().isoformat())
        page.get_by_role("button", name="Record the valuation").click()
        expect(page.locator("#lot-status")).to_have_text("Valued")
        page.get_by_role("button", name="Order the realization").click()
        expect(page.locator("#lot-status")).to_have_text("Realization ordered")
        earliest = page.get_by_label("Auction date (the working days the law allows)").locator("option").first
        expect(earliest).to_contain_text("the earliest")
        chosen = earliest.get_attribute("value")
        assert date.fromisoformat(chosen) >= date.today() + timedelta(days=10)
        page.get_by_label("Start time").select_option("11:00")
        page.get_by_role("button", name="Announce the auction").click()
        expect(page.locator("#lot-status")).to_have_text("First auction")
        expect(page.locator(".flash.ok")).to_contain_text("Auction announced for")
        expect(page.get_by_role("link", name=re.compile("Auction announcement No"))).to_be_visible()
        shot(page, "console-lot-announced")
        page.get_by_role("link", name="Bailiff's console").first.click()
        shot(page, "console")

        # the public sees the announced lot with the countdown to its auction
        page.goto(f"{office.url}/?lang=en")
        page.get_by_role("link", name="Toyota Land Cruiser 2019").click()
        expect(page.get_by_role("heading", name="First auction — ascending (Art. 80.3) · announced")).to_be_visible()
        expect(page.locator(".countdown").first).to_have_text(re.compile(r"^\d+ d \d{2}:\d{2}:\d{2}$"))
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def parties(tmp_path_factory):
    """A failed lot offered to its collector (Art. 85.1), a valued lot of a debtor who may sell it
    himself (Art. 74.2), an operator; the server's clock continues from the rehearsal's."""
    def build(m):
        keeper = m.user("collector", name="Madina Collector")
        entry = {"name": "Madina Collector", "iin_bin": keeper.iin_bin, "kind": "alimony", "claim": "3000000.00",
                 "user": keeper.id}
        bailiff, _, failed = m.ordered_lot(value="1500000.00", title="Office furniture set",
                                           proceeding={"collectors": [entry]})
        auction = m.announce(bailiff, failed["id"])
        m.open_auction(auction, [m.bidder_admitted(auction["id"])])  # one application: fails, Art. 84.1
        debtor = m.user("debtor", name="Serik Debtor")
        own_bailiff, _, own = m.ordered_lot(value="2000000.00", title="Lada Vesta 2021", category="vehicle",
                                            proceeding={"debtor": debtor})
        # Art. 74.2: the debtor applied in writing and the bailiff granted the self-sale
        m.self_sale(debtor, own_bailiff, own["id"], {"price": "1600000.00"})
        operator = m.user("operator", name="Aigerim Operator")
        return {"keeper": keeper.email, "debtor": debtor.email, "operator": operator.email, "failed": failed,
                "own": own}
    with rehearsal_server(tmp_path_factory, "parties", build) as srv:
        yield srv


def _page_logged_in(browser, srv, email):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{srv.url}/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My cabinet")).to_be_visible()
    return page


@pytest.mark.browser
def test_a_collector_keeps_a_failed_lot_at_its_valuation(browser, parties):
    from playwright.sync_api import expect
    page = _page_logged_in(browser, parties, parties.keeper)
    try:
        offer = page.locator(f'.collector-lot[data-lot-id="{parties.failed["id"]}"]')
        expect(offer.locator(".retention-offer")).to_contain_text(
            "You may keep the lot at its valuation, 1,500,000.00\u00a0KZT, by Dec 22, 2026 (Art. 85.1)")
        shot(page, "collector-offer")
        offer.get_by_role("button", name="Keep the lot at 1,500,000.00\u00a0KZT").click()
        # the second step (issue 13): his 3,000,000.00 claim covers the value, so he pays nothing in
        expect(page.locator("#confirm-amount")).to_have_text("0.00\u00a0KZT")
        expect(page.locator(".confirm-note")).to_contain_text("You pay nothing in")
        expect(page.locator(".confirm-note")).to_contain_text("reduced by 1,500,000.00\u00a0KZT")
        page.get_by_role("button", name="Confirm: keep the lot", exact=True).click()
        expect(page.locator(".flash.ok")).to_have_text(
            "Your application to keep the lot at its valuation is recorded (Art. 85.1).")
        page.get_by_role("link", name="Office furniture set", exact=True).click()
        expect(page.locator("#lot-status")).to_have_text("Kept by a collector")
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_debtor_completes_a_self_sale_and_an_operator_confirms_the_payment_by_hand(browser, parties):
    from playwright.sync_api import expect
    debtor = _page_logged_in(browser, parties, parties.debtor)
    operator = None
    try:
        lot = debtor.locator(f'.debtor-lot[data-lot-id="{parties.own["id"]}"]')
        expect(lot).to_contain_text("Your self-sale window runs until")
        lot.get_by_label("Buyer").fill("Aru Buyer")
        lot.get_by_label("Price in the contract, KZT").fill("1600000.00")
        lot.get_by_role("button", name="Record the sale contract").click()
        # the second step (issue 13): the buyer, the price and the article before anything is recorded
        confirm = debtor.locator(".confirm")
        expect(confirm).to_contain_text("Aru Buyer")
        expect(confirm).to_contain_text("1,600,000.00\u00a0KZT")
        expect(confirm.locator(".confirm-note")).to_contain_text("(Art. 74.2)")
        debtor.get_by_role("button", name="Confirm and record the contract").click()
        expect(debtor.locator(".flash.ok")).to_contain_text("Contract recorded")
        waiting = lot.locator(".buyer-payment")
        expect(waiting).to_contain_text("awaiting payment")
        reference = re.search(r"with the reference (\S+) by", waiting.inner_text()).group(1)

        operator = _page_logged_in(browser, parties, parties.operator)
        row = operator.locator(f'tr.pending[data-reference="{reference}"]')
        expect(row).to_contain_text("Self-sale price")
        shot(operator, "operator-payments")
        row.get_by_role("button", name=f"Confirm {reference}").click()
        expect(operator.locator(".flash.ok")).to_contain_text("Bank payment confirmed by hand")
        expect(operator.locator(f'tr.pending[data-reference="{reference}"]')).to_have_count(0)

        debtor.reload()
        expect(lot.locator(".buyer-payment")).to_have_text(
            "Sold by you for 1,600,000.00\u00a0KZT; the money is distributed to the collectors (Art. 74.2, 108).")
    finally:
        debtor.context.close()
        if operator is not None:
            operator.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/?lang=kk", "/lots/{lot}?lang=ru", "/auctions/{auction}?lang=en",
                                  "/register?lang=kk", "/login?lang=ru"])
def test_every_page_fits_a_phone_screen_and_starts_with_a_skip_link_for_the_keyboard(browser, rehearsal, path):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="kk-KZ")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.goto(rehearsal.url + path.format(lot=rehearsal.lot["id"], auction=rehearsal.auction["id"]))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing scrolls sideways
        page.keyboard.press("Tab")  # the first stop of the keyboard is the skip link, then the content
        skip = page.locator("a.skip")
        expect(skip).to_be_focused()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        # every form field has a label a screen reader announces
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name || e.id)""")
        assert unlabelled == []
    finally:
        ctx.close()
