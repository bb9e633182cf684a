"""Issue 13, points 6 and 7, in Debian's chromium on a 360 × 740 phone screen (nothing scrolls sideways):
the collector sees what he must pay in to keep a failed lot and confirms it in a second step; the
debtor sees how the money of his sold lot was distributed and what he still owes; the auction room
says each bid extends the end, counts the admitted participants apart from those online, warns that
the price may be stale while the socket is cut, and updates its header after a login in the room.

The server is a real `mulik run` over a database built with the tests' clock (`rehearsal_server`).
Screenshots are kept in test-artifacts/ (`shot`)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from .test_browser_journeys import shot
from .test_browser_room import launched, log_in, rehearsal_server, wait_live

NBSP = "\u00a0"
QUIET = 1800  # the room's soft close, seconds: long enough to stay open during the test
PHONE = {"width": 360, "height": 740}


def kzt(figure: str) -> str:
    return f"{figure}{NBSP}KZT"


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A lot sold and distributed (the debtor's); then, the same morning, a failed first auction whose
    retention window is open (one collector refused, the keeper has not answered) and an open ascending
    auction with three admitted participants who bid over HTTP."""
    def build(m):
        debtor, alimony, bank = m.user("debtor", name="Serik Debtor"), m.user("collector"), m.user("collector")
        sold_bailiff, _, sold = m.ordered_lot(value="1000000.00", title="Toyota Camry 2019", proceeding={
            "debtor": debtor, "collectors": [
                {"name": "Aigul Alimony", "iin_bin": alimony.iin_bin, "kind": "alimony", "claim": "400000.00",
                 "user": alimony.id},
                {"name": "Bank LLP", "iin_bin": bank.iin_bin, "kind": "other", "claim": "1600000.00",
                 "user": bank.id}]})
        m.sell(sold_bailiff, sold, price="1050000.00")

        keeper, other = m.user("collector", name="Madina Collector"), m.user("collector")
        bailiff, _, failed = _failed_lot(m, keeper, other)
        _room_bailiff, _, room_lot = m.ordered_lot(value="2000000.00", title="Sewing machines")
        failed_auction = m.announce(bailiff, failed["id"])
        room = m.announce(_room_bailiff, room_lot["id"], quiet_seconds=QUIET)
        assert failed_auction["starts_at"] == room["starts_at"]
        bidders = [m.bidder_admitted(room["id"]) for _ in range(3)]
        m.open_auction(room, bidders)  # the failed lot's auction, with no application, fails (Art. 84.1)
        assert m.public.ok("GET", f"/lots/{failed['id']}")["status"] == "RETENTION_1"
        other.ok("POST", f"/lots/{failed['id']}/retention", {"decision": "refuse"})
        price, step = room["start_price"], room["step"]
        for b in bidders:  # three bids over HTTP: nobody is online in the room
            price = f"{Decimal(price) + Decimal(step):.2f}"
            b.ok("POST", f"/auctions/{room['id']}/bids", {"amount": price, "client_id": f"http-{b.id}"})
        return {"debtor": debtor.email, "keeper": keeper.email, "sold": sold, "failed": failed, "room": room,
                "bidders": [b.email for b in bidders], "price": price}
    with rehearsal_server(tmp_path_factory, "parties13", build) as srv:
        yield srv


def _failed_lot(m, keeper, other):
    """A private bailiff's lot with 60,000.00 of expenses, two collectors (Art. 85.3 by hand in
    tests/e2e/test_law_retention_charge.py: the keeper pays in 624,000.00)."""
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, private=True, expenses="60000.00", collectors=[
        {"name": "Madina Collector", "iin_bin": keeper.iin_bin, "kind": "alimony", "claim": "400000.00",
         "user": keeper.id},
        {"name": "Bank Two LLP", "iin_bin": other.iin_bin, "kind": "other", "claim": "1600000.00", "user": other.id}])
    lot = m.lot(bailiff, p["id"], title="Office furniture set")
    m.value(bailiff, lot["id"], "1000000.00")
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    return bailiff, p, lot


def _phone(browser, srv, email=None):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport=PHONE, locale="en-GB")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    if email:
        page.goto(f"{srv.url}/login?lang=en")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill("password123")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="My cabinet")).to_be_visible()
    return page


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways


@pytest.mark.browser
def test_a_collector_sees_the_amount_to_pay_in_and_keeps_the_lot_in_a_second_step(browser, scene):
    from playwright.sync_api import expect
    page = _phone(browser, scene, scene.keeper)
    try:
        lot_id = scene.failed["id"]
        # what needs his action comes first: the offer with the amount and its deadline
        first = page.locator("main section").first
        expect(first.get_by_role("heading")).to_have_text("Needs your action")
        expect(first.locator(f'.todo-item[data-lot-id="{lot_id}"]')).to_contain_text(
            f"you may keep the lot by paying in {kzt('624,000.00')} (Art. 85.3).")
        card = page.locator(f'.collector-lot[data-lot-id="{lot_id}"]')
        expect(card.locator(".charge")).to_contain_text(f"To keep it you pay in {kzt('624,000.00')} (Art. 85.3)")
        fits(page)
        shot(page, "phone-collector-offer")

        card.get_by_role("button", name=f"Keep the lot at {kzt('1,000,000.00')}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Keep the lot “Office furniture set”?")
        expect(page.locator("#confirm-amount")).to_have_text(kzt("624,000.00"))
        expect(page.locator(".confirm")).to_contain_text("Your share of the execution expenses")
        expect(page.locator(".confirm-note")).to_contain_text("(Art. 85.3)")
        fits(page)
        shot(page, "phone-collector-confirm")
        # going back changes nothing: the offer is still open
        page.get_by_role("link", name="Back, change nothing").click()
        expect(card.locator(".retention-offer")).to_be_visible()

        card.get_by_role("button", name=f"Keep the lot at {kzt('1,000,000.00')}").click()
        page.get_by_role("button", name=f"Confirm: keep the lot and pay {kzt('624,000.00')}").click()
        expect(page.locator(".flashes .flash.ok")).to_have_text(
            "Your application to keep the lot at its valuation is recorded (Art. 85.1).")
        due = page.locator('.todo-item[data-kind="payment"]')
        expect(due).to_contain_text(kzt("624,000.00"))
        expect(due).to_contain_text("due by")
        fits(page)
        shot(page, "phone-collector-charge-due")
        due.get_by_role("button", name=f"Pay {kzt('624,000.00')} (test provider)").click()
        expect(page.locator(".flashes .flash.ok")).to_have_text("Payment received.")
        expect(card).to_contain_text("The lot was kept by a collector (Art. 85).")
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_debtor_sees_the_distribution_of_his_sold_lot_and_what_he_still_owes(browser, scene):
    from playwright.sync_api import expect
    page = _phone(browser, scene, scene.debtor)
    try:
        card = page.locator(f'.debtor-lot[data-lot-id="{scene.sold["id"]}"]')
        lines = card.locator(".dist-lines tbody tr")
        expect(lines).to_have_count(2)
        assert [[row.locator("td").nth(i).inner_text() for i in (0, 1, 3)] for row in lines.all()] == [
            ["Collector's claim", "Aigul Alimony", kzt("400,000.00")],
            ["Collector's claim", "Bank LLP", kzt("650,000.00")]]
        expect(card.locator(".dist-lines tfoot")).to_contain_text(kzt("1,050,000.00"))
        owed = card.locator(".owed tbody tr")
        expect(owed.nth(0)).to_contain_text("Aigul Alimony")
        expect(owed.nth(0).locator(".remaining")).to_have_text(kzt("0.00"))
        expect(owed.nth(1)).to_contain_text("Bank LLP")
        expect(owed.nth(1).locator(".remaining")).to_have_text(kzt("950,000.00"))
        fits(page)
        card.locator(".owed").scroll_into_view_if_needed()
        shot(page, "phone-debtor-distribution")
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_room_explains_the_soft_close_counts_admitted_apart_from_online_and_warns_when_offline(
        browser, scene):
    from playwright.sync_api import expect
    page = _phone(browser, scene)
    try:
        page.goto(f"{scene.url}/auctions/{scene.room['id']}?lang=en")
        wait_live(page)
        expect(page.locator("#price")).to_have_text(kzt(f"{Decimal(scene.price):,.2f}"))
        # three bid over HTTP: all three are admitted, none is in the room
        expect(page.locator("#admitted")).to_have_text("Admitted participants: 3")
        expect(page.locator("#online")).to_have_text("0 participants online")
        expect(page.locator("#soft-close")).to_have_text(
            f"Soft close: each accepted bid moves the end to {QUIET} seconds after it, so everyone can answer. "
            f"If nobody raises the price within the first {QUIET} seconds, the auction fails (Art. 84.2).")
        expect(page.locator("#stale")).to_be_hidden()
        header = page.locator("header.top")
        expect(header.get_by_role("link", name="Log in")).to_be_visible()
        fits(page)
        shot(page, "phone-room-observer")

        # a login inside the room: the participant is online, and the header says who is logged in
        log_in(page, scene.bidders[0], "password123")
        expect(page.locator("#online")).to_have_text("1 participant online")
        header = page.locator("header.top")
        expect(header.get_by_role("link", name="Log in")).to_have_count(0)
        expect(header.get_by_role("link", name="My cabinet")).to_be_visible()
        expect(header.locator(".who")).to_have_text(scene.bidders[0])
        expect(page.locator("#conn")).to_have_text("live")  # the badge survived the new header

        # the socket is cut: a warning that the price may be out of date, gone once live again
        page.context.set_offline(True)
        page.evaluate("mulikRoom.socket.io.engine.close()")
        expect(page.locator("#conn")).to_have_text("offline")
        expect(page.locator("#stale")).to_be_visible()
        expect(page.locator("#stale")).to_contain_text("the price and the bids shown may be out of date")
        fits(page)
        shot(page, "phone-room-offline")
        page.context.set_offline(False)
        wait_live(page)
        expect(page.locator("#stale")).to_be_hidden()

        # the header's own "Log out" ends the room's login too: back in the room, an observer again
        page.locator("header.top").get_by_role("button", name="Log out").click()
        expect(page.locator(".flashes")).to_contain_text("You have logged out.")
        page.goto(f"{scene.url}/auctions/{scene.room['id']}?lang=en")
        wait_live(page)
        expect(page.locator("#my-no")).to_have_text("observer")
        expect(page.locator("header.top").get_by_role("link", name="Log in")).to_be_visible()

        # in Kazakh and Russian too, with the article as each writes it
        page.goto(f"{scene.url}/auctions/{scene.room['id']}?lang=kk")
        expect(page.locator("#soft-close")).to_contain_text("(84.2-бап)")
        expect(page.locator("#admitted")).to_have_text("Жіберілген қатысушылар: 3")
        page.goto(f"{scene.url}/auctions/{scene.room['id']}?lang=ru")
        expect(page.locator("#soft-close")).to_contain_text(f"на {QUIET} с после неё")
        expect(page.locator("#admitted")).to_have_text("Допущено участников: 3")
        assert re.search(r"ст\. 84\.2", page.locator("#soft-close").inner_text())
        fits(page)
    finally:
        page.context.close()
