"""The auction room in a real browser (Debian's chromium) against a real server process.

The server is the deployed one: `mulik seed` into a fresh SQLite file (the demo's sewing-machines
auction is open now, in real time), then `mulik run --no-demo` on a free port (gevent, the sweeper,
the price ticker). Bids made "elsewhere" go through the HTTP API, as another participant's would.
Chromium is Debian's (`make chromium`); Playwright never downloads a browser here.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

# One xdist worker runs the whole module: its seeded server (a module fixture) is started once.
pytestmark = pytest.mark.xdist_group("browser-room")

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PASSWORD = "demo12345"
BIDDERS = ["bidder1@mulik.kz", "bidder2@mulik.kz", "bidder3@mulik.kz"]
NBSP = "\u00a0"

# The lot of the demo's open auction, titled in Kazakh and Russian (web/demo.py).
DEMO_OPEN_LOT = ("Өнеркәсіптік тігін машиналары Juki DDL-8700 (12 дана) / Промышленные швейные машины Juki DDL-8700 "
                 "(12 шт.)")


def _require_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    reason = "Debian's chromium is not installed (apt-get install chromium, or `make chromium`)"
    if CI:
        pytest.fail(f"CI=true needs the browser tests: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_catalogue_links_each_auction_to_its_room_which_carries_a_first_snapshot(m, client):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    aid = auction["id"]
    assert f'href="/auctions/{aid}"' in client.get("/").get_data(as_text=True)
    page = client.get(f"/auctions/{aid}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert lot["title"] in html and '<script src="/static/vendor/socket.io.min.js">' in html
    data = json.loads(re.search(r'<script type="application/json" id="room-data">(.*?)</script>', html, re.S).group(1))
    assert data["state"]["status"] == "announced" and data["state"]["next_price"] == "1050000.00"
    assert data["auction"]["lot"]["title"] == lot["title"] and data["ladder"] == []
    assert "applications" not in data["auction"]  # the public view: nobody's identity
    assert client.get("/auctions/999999").status_code == 404


def test_the_socket_io_client_is_served_from_the_platform_itself_not_a_cdn(client):
    script = client.get("/static/vendor/socket.io.min.js")
    assert script.status_code == 200 and script.get_data(as_text=True).startswith("/*!\n * Socket.IO v4.")
    script.close()


class Server:
    def __init__(self, url: str):
        self.url = url

    def http(self, method: str, path: str, body=None, token=None):
        req = urllib.request.Request(self.url + "/api/v1" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Accept": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as exc:
            with exc:
                raise AssertionError(f"{method} {path} -> {exc.code}: {exc.read().decode()}") from None

    def login(self, email: str) -> str:
        return self.http("POST", "/auth/login", {"email": email, "password": PASSWORD})["token"]

    def state(self, auction_id: int, token=None) -> dict:
        return self.http("GET", f"/auctions/{auction_id}/state", token=token)

    def bids(self, auction_id: int) -> list[dict]:
        return self.http("GET", f"/auctions/{auction_id}/bids")["items"]

    def bid_over_http(self, auction_id: int, emails) -> dict:
        """The next bid, over HTTP, by the first of `emails` who is not the leader."""
        state = self.state(auction_id)
        for email in emails:
            token = self.login(email)
            if self.state(auction_id, token)["my_no"] != state["leader_no"]:
                return self.http("POST", f"/auctions/{auction_id}/bids",
                                 {"amount": state["next_price"], "client_id": f"http-{time.time_ns()}"}, token)
        raise AssertionError(f"all of {emails} lead")


def _serve(db, log_path, port, **env) -> subprocess.Popen:
    """`mulik run --no-demo` on the SQLite file `db`; returns once it answers."""
    environ = dict(os.environ, MULIK_DATABASE_URL=f"sqlite:///{db}", MULIK_SECRET_KEY="browser-test",
                   MULIK_REDIS_URL="", PYTHONUNBUFFERED="1", **env)
    log = open(log_path, "w+")
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "run", "--no-demo", "--port", str(port)],
                            env=environ, stdout=log, stderr=subprocess.STDOUT)
    proc.log, proc.url = log, f"http://127.0.0.1:{port}"
    srv = Server(proc.url)
    deadline = time.monotonic() + 30
    while True:
        try:
            srv.http("GET", "/auctions?status=open")
            return proc
        except (OSError, AssertionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read()[-3000:]
                _stop(proc)
                pytest.fail(f"the server did not start:\n{output}")
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.close()


def launched():
    """Debian's chromium under Playwright, for a module's `browser` fixture (never a downloaded browser)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`mulik seed`, then `mulik run --no-demo` (the deployed server: gevent, the sweeper, the ticker)."""
    _require_chromium()
    db = tmp_path_factory.mktemp("browser") / "mulik.db"
    port = _free_port()
    env = dict(os.environ, MULIK_DATABASE_URL=f"sqlite:///{db}", MULIK_SECRET_KEY="browser-test",
               MULIK_REDIS_URL="", PYTHONUNBUFFERED="1")
    seeded = subprocess.run([sys.executable, "-m", "web.cli", "seed"], env=env, capture_output=True, text=True,
                            timeout=60)
    if seeded.returncode:
        pytest.fail(f"`mulik seed` failed:\n{seeded.stdout}\n{seeded.stderr[-3000:]}")
    proc = _serve(db, db.with_suffix(".log"), port)
    srv = Server(f"http://127.0.0.1:{port}")
    try:
        open_auctions = srv.http("GET", "/auctions?status=open")["items"]
        assert [a["lot"]["title"] for a in open_auctions] == [DEMO_OPEN_LOT]
        srv.auction = open_auctions[0]
        yield srv
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser(server):
    yield from launched()


@pytest.fixture
def new_page(browser, server):
    contexts = []

    def make(width=1000, height=900):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{server.url}/auctions/{server.auction['id']}")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def money(amount: str) -> str:
    """Money as the English page shows it: "1,250,000.00 KZT" (a no-break space before KZT)."""
    integer, cents = amount.split(".")
    return f"{int(integer):,}.{cents}{NBSP}KZT"


def plus(a: str, b: str) -> str:
    from decimal import Decimal
    return f"{Decimal(a) + Decimal(b):.2f}"


def text(page, selector) -> str:
    return page.locator(selector).inner_text()


def remaining_seconds(page) -> int:
    """The countdown as shown, "H:MM:SS" or "MM:SS", in seconds."""
    shown = text(page, "#countdown")
    assert re.fullmatch(r"(\d+:)?\d{2}:\d{2}", shown), shown
    parts = [int(x) for x in shown.split(":")]
    return sum(v * 60 ** i for i, v in enumerate(reversed(parts)))


def almaty(iso: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Almaty")).strftime("%H:%M:%S")


def wait_live(page):
    from playwright.sync_api import expect
    expect(page.locator("#conn")).to_have_text("live")


def log_in(page, email, password=PASSWORD):
    from playwright.sync_api import expect
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#who-email")).to_have_text(email)
    expect(page.locator("#my-no")).to_have_text(re.compile(r"No\. \d+"))
    wait_live(page)
    return int(text(page, "#my-no").removeprefix("No. "))



def first_row(page) -> list[str]:
    """The newest ladder row as [number, amount]."""
    return page.locator("#ladder li").first.inner_text().split("\n")[:2]


@pytest.mark.browser
def test_an_observer_sees_the_price_the_next_bid_a_running_countdown_and_the_ladder(new_page, server):
    from playwright.sync_api import expect
    aid = server.auction["id"]
    page = new_page()
    wait_live(page)
    state, bids = server.state(aid), server.bids(aid)
    expect(page.locator("#lot-title")).to_have_text(DEMO_OPEN_LOT)
    expect(page.locator("#round")).to_have_text("Round 1 — ascending")
    expect(page.locator("#price")).to_have_text(money(state["price"]))
    expect(page.locator("#next-price")).to_have_text(money(state["next_price"]))
    expect(page.locator("#leader")).to_have_text(f"No. {state['leader_no']}")
    expect(page.locator("#my-no")).to_have_text("observer")
    expect(page.locator("#bid-btn")).to_be_hidden()
    expect(page.locator("#accept-btn")).to_be_hidden()
    # the countdown runs, and shows the time left until ends_at by the server's clock
    first = remaining_seconds(page)
    page.wait_for_timeout(2100)
    second = remaining_seconds(page)
    assert 1 <= first - second <= 3
    expected = (datetime.fromisoformat(state["ends_at"]) - datetime.now(timezone.utc)).total_seconds()
    assert abs(second - expected) <= 3
    expect(page.locator("#countdown-at")).to_have_text(f"at {almaty(state['ends_at'])} Almaty time")
    # the ladder: newest first, participants by number only, never by name (SPEC §3)
    rows = page.locator("#ladder li")
    expect(rows).to_have_count(len(bids))
    assert [r.split("\n")[:2] for r in rows.all_inner_texts()] == [
        [f"No. {b['participant_no']}", money(b["amount"])] for b in reversed(bids)]
    assert "Bidder" not in page.locator("main").inner_text()


@pytest.mark.browser
def test_the_countdown_follows_the_server_clock_when_the_computer_clock_is_two_hours_fast(browser, server):
    aid = server.auction["id"]
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.clock.install(time=time.time() + 7200)
        page.goto(f"{server.url}/auctions/{aid}")
        wait_live(page)
        assert page.evaluate("Date.now()") / 1000 - time.time() > 7000  # the page's clock is off indeed
        state = server.state(aid)
        expected = (datetime.fromisoformat(state["ends_at"]) - datetime.now(timezone.utc)).total_seconds()
        assert abs(remaining_seconds(page) - expected) <= 3
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_bid_clicked_by_one_bidder_reaches_another_bidders_screen_without_reloading(new_page, server):
    from playwright.sync_api import expect
    aid = server.auction["id"]
    leader = server.state(aid)["leader_no"]
    page_a, page_b = new_page(), new_page(width=360, height=800)
    no_a = log_in(page_a, BIDDERS[0])
    if no_a == leader:  # the leader cannot raise (Art. 80.3): another demo bidder clicks
        page_a.locator("#who").get_by_role("button", name="Log out").click()  # the room's, not the header's
        expect(page_a.locator("#my-no")).to_have_text("observer")
        no_a = log_in(page_a, BIDDERS[1])
    no_b = log_in(page_b, BIDDERS[2])
    before = server.state(aid)
    expect(page_b.locator("#price")).to_have_text(money(before["price"]))
    left_before = remaining_seconds(page_b)
    rows_before = page_b.locator("#ladder li").count()

    bid = page_a.get_by_role("button", name=f"Bid {money(before['next_price'])}")
    expect(bid).to_be_enabled()
    bid.click()
    expect(page_a.locator("#message")).to_have_text(f"Your bid of {money(before['next_price'])} is accepted.")

    # the other bidder's screen follows without a reload
    expect(page_b.locator("#price")).to_have_text(money(before["next_price"]))
    expect(page_b.locator("#leader")).to_have_text(f"No. {no_a}")
    expect(page_b.locator("#ladder li")).to_have_count(rows_before + 1)
    assert first_row(page_b) == [f"No. {no_a}", money(before["next_price"])]
    after = server.state(aid)
    assert after["price"] == before["next_price"] and after["leader_no"] == no_a
    assert after["next_price"] == plus(before["next_price"], before["step"])
    expect(page_b.get_by_role("button", name=f"Bid {money(after['next_price'])}")).to_be_enabled()
    # the soft close moved the end (quiet period after the last bid), and the countdown with it
    expect(page_b.locator("#countdown-at")).to_have_text(f"at {almaty(after['ends_at'])} Almaty time")
    assert remaining_seconds(page_b) > left_before + 5
    # the new leader cannot outbid itself; B is not the leader and may raise
    expect(page_a.get_by_role("button", name=re.compile("^Bid "))).to_be_disabled()
    expect(page_a.locator("#hint")).to_have_text("You lead; you cannot outbid yourself.")
    assert no_b != no_a
    # at 360 px the room fits the screen: nothing scrolls sideways
    assert page_b.evaluate("document.documentElement.scrollWidth") <= 360


def _join_messages(sent: list[str]) -> list[dict]:
    """The `join` packets the page sent, over the websocket or the polling transport."""
    return [json.loads(m) for payload in sent for m in re.findall(r'\["join",(\{[^}]*\})\]', payload)]


@pytest.mark.browser
def test_after_the_connection_drops_the_page_rejoins_with_its_last_seq_and_shows_the_bids_it_missed(
        new_page, server):
    from playwright.sync_api import expect
    aid = server.auction["id"]
    sent: list[str] = []
    page = new_page()
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    page.on("request", lambda r: sent.append(r.post_data or "") if "/socket.io/" in r.url else None)
    me = log_in(page, BIDDERS[0])
    others = BIDDERS[1:]  # logging in again elsewhere would end this page's token
    shown = server.state(aid)
    expect(page.locator("#price")).to_have_text(money(shown["price"]))
    seen = page.evaluate("mulikRoom.lastSeq")
    assert seen == shown["seq"]

    page.context.set_offline(True)
    page.evaluate("mulikRoom.socket.io.engine.close()")
    expect(page.locator("#conn")).to_have_text("offline")
    first = server.bid_over_http(aid, others)["bid"]
    second = server.bid_over_http(aid, others)["bid"]
    page.wait_for_timeout(500)
    expect(page.locator("#price")).to_have_text(money(shown["price"]))  # nothing reached the page meanwhile

    page.context.set_offline(False)
    wait_live(page)
    now = server.state(aid)
    expect(page.locator("#price")).to_have_text(money(second["amount"]))
    assert now["price"] == second["amount"]
    expect(page.locator("#leader")).to_have_text(f"No. {second['participant_no']}")
    expect(page.locator("#my-no")).to_have_text(f"No. {me}")
    expect(page.locator("#ladder li").nth(0)).to_contain_text(f"No. {second['participant_no']}")
    assert [r.split("\n")[:2] for r in page.locator("#ladder li").all_inner_texts()[:2]] == [
        [f"No. {second['participant_no']}", money(second["amount"])],
        [f"No. {first['participant_no']}", money(first["amount"])]]
    expect(page.get_by_role("button", name=f"Bid {money(now['next_price'])}")).to_be_enabled()
    expect(page.locator("#countdown-at")).to_have_text(f"at {almaty(now['ends_at'])} Almaty time")
    # the rejoin named the last sequence number the page had applied (SPEC §3)
    joins = _join_messages(sent)
    assert joins[-1] == {"auction_id": aid, "last_seq": seen}
    assert page.evaluate("mulikRoom.lastSeq") == second["seq"] == seen + 2


class DroppingLink:
    """Routes the page's websocket through the test: records what the page sends and, while
    `dropping`, loses the server's `bid` broadcasts on the way (a slow or lossy link)."""

    def __init__(self, page):
        self.sent: list[str] = []
        self.dropping = False
        page.route_web_socket(re.compile(r".*/socket\.io/.*"), self._route)

    def _route(self, ws):
        server = ws.connect_to_server()

        def up(message):
            self.sent.append(str(message))
            server.send(message)

        def down(message):
            if not (self.dropping and isinstance(message, str) and '["bid",' in message):
                ws.send(message)

        ws.on_message(up)
        server.on_message(down)


def _on_websocket(page):
    page.wait_for_function("() => mulikRoom.socket.connected"
                           " && mulikRoom.socket.io.engine.transport.name === 'websocket'")


def _not_leading(page, server, aid, me, others):
    """Make sure the page's bidder may raise: if it leads, another bidder outbids it first."""
    from playwright.sync_api import expect
    if server.state(aid)["leader_no"] == me:
        b = server.bid_over_http(aid, others)["bid"]
        expect(page.locator("#price")).to_have_text(money(b["amount"]))


@pytest.mark.browser
def test_a_click_on_a_price_already_taken_is_refused_with_the_article_and_the_page_shows_the_new_price(
        browser, server):
    from playwright.sync_api import expect
    aid = server.auction["id"]
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        link = DroppingLink(page)
        page.goto(f"{server.url}/auctions/{aid}")
        me, others = log_in(page, BIDDERS[0]), BIDDERS[1:]
        _on_websocket(page)
        _not_leading(page, server, aid, me, others)
        shown = server.state(aid)
        stale = page.get_by_role("button", name=f"Bid {money(shown['next_price'])}")
        expect(stale).to_be_enabled()

        link.dropping = True  # the page does not hear of the next bid in time
        taken = server.bid_over_http(aid, others)["bid"]
        page.wait_for_timeout(500)
        expect(page.locator("#price")).to_have_text(money(shown["price"]))
        stale.click()

        now = server.state(aid)
        assert now["price"] == taken["amount"] == shown["next_price"]
        expect(page.locator("#message")).to_have_text(
            f"Art. 80.3: a bid must be exactly the current price plus one step: {now['next_price']}; "
            f"the price is now {now['price']}")
        # the refusal carried the state: the page catches up, its button offers the new price
        expect(page.locator("#price")).to_have_text(money(now["price"]))
        expect(page.get_by_role("button", name=f"Bid {money(now['next_price'])}")).to_be_enabled()
        expect(page.locator("#ladder li").first).to_contain_text(f"No. {taken['participant_no']}")
        assert [b["amount"] for b in server.bids(aid)].count(shown["next_price"]) == 1  # no second bid
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_bid_that_skips_a_sequence_number_makes_the_page_rejoin_and_fetch_the_missed_bid(browser, server):
    from playwright.sync_api import expect
    aid = server.auction["id"]
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        link = DroppingLink(page)
        page.goto(f"{server.url}/auctions/{aid}")
        wait_live(page)
        _on_websocket(page)
        seen = page.evaluate("mulikRoom.lastSeq")
        assert seen == server.state(aid)["seq"]

        link.dropping = True
        lost = server.bid_over_http(aid, BIDDERS)["bid"]
        page.wait_for_timeout(300)
        link.dropping = False
        heard = server.bid_over_http(aid, BIDDERS)["bid"]
        assert (lost["seq"], heard["seq"]) == (seen + 1, seen + 2)

        expect(page.locator("#price")).to_have_text(money(heard["amount"]))
        assert [r.split("\n")[:2] for r in page.locator("#ladder li").all_inner_texts()[:2]] == [
            [f"No. {heard['participant_no']}", money(heard["amount"])],
            [f"No. {lost['participant_no']}", money(lost["amount"])]]
        assert page.evaluate("mulikRoom.lastSeq") == heard["seq"]
        assert _join_messages(link.sent)[-1] == {"auction_id": aid, "last_seq": seen}
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_bidder_sets_an_auto_bid_ceiling_in_the_room_and_the_server_answers_each_outbid_for_him(new_page, server):
    from decimal import Decimal

    from playwright.sync_api import expect
    aid = server.auction["id"]
    page = new_page()
    no_a = log_in(page, BIDDERS[0])
    ceiling_box = page.get_by_label(re.compile("^Auto-bid: the server raises for you"))
    expect(page.locator("#autobid-state")).to_have_text("Auto-bid is off.")
    state = server.state(aid)
    # a ceiling below the next valid bid: refused with its article, nothing set
    ceiling_box.fill(state["price"])
    page.get_by_role("button", name="Set the ceiling").click()
    expect(page.locator("#message")).to_contain_text("Art. 80.3: the ceiling")
    expect(page.locator("#autobid-state")).to_have_text("Auto-bid is off.")
    ceiling = plus(state["price"], str(Decimal(state["step"]) * 6))
    ceiling_box.fill(f"{Decimal(ceiling):,}".replace(",", " "))  # typed with the thousands spaced out
    page.get_by_role("button", name="Set the ceiling").click()
    expect(page.locator("#message")).to_have_text(f"Auto-bid set: up to {money(ceiling)}.")
    expect(page.locator("#autobid-state")).to_have_text(f"Auto-bid is on: up to {money(ceiling)}.")
    try:
        outbid = server.bid_over_http(aid, BIDDERS[1:])["bid"]  # someone else leads for a moment...
        after = server.state(aid)
        assert after["leader_no"] == no_a and after["price"] == plus(outbid["amount"], state["step"])
        # ...and the server raised for A at once, one step: both the room and the ladder show it
        expect(page.locator("#leader")).to_have_text(f"No. {no_a}")
        expect(page.locator("#price")).to_have_text(money(after["price"]))
        assert page.locator("#ladder li").first.inner_text().split("\n")[:2] == [
            f"No. {no_a} (you)", f"{money(after['price'])} (auto)"]
        page.reload()  # the ceiling is the server's, not the page's
        wait_live(page)
        expect(page.locator("#autobid-state")).to_have_text(f"Auto-bid is on: up to {money(ceiling)}.")
        page.get_by_role("button", name="Stop auto-bidding").click()
        expect(page.locator("#message")).to_have_text("Auto-bid stopped.")
        expect(page.locator("#autobid-state")).to_have_text("Auto-bid is off.")
    finally:  # the room is shared by the module's tests: never leave a ceiling behind (a login ends the page's)
        token = server.login(BIDDERS[0])
        stopped = server.http("GET", f"/auctions/{aid}/auto-bid", token=token)["ceiling"] is None
        server.http("PUT", f"/auctions/{aid}/auto-bid", {"ceiling": None}, token)
    assert stopped  # the page's "Stop auto-bidding" cleared it on the server


@pytest.mark.browser
def test_a_refusal_in_a_russian_room_says_the_rule_in_russian_with_the_article_and_the_figures(new_page, server):
    from playwright.sync_api import expect
    aid = server.auction["id"]
    page = new_page()
    log_in(page, BIDDERS[1])
    page.goto(f"{server.url}/auctions/{aid}?lang=ru")  # the same tab keeps its login
    expect(page.locator("#conn")).to_have_text("онлайн")
    price = server.state(aid)["price"]
    page.locator("#autobid-ceiling").fill(price)
    page.locator("#autobid-set").click()
    nb = "\u00a0"
    state = server.state(aid)
    def ru(amount: str) -> str:  # "2100000.00" -> "2 100 000,00 ₸", as the Russian page writes money
        whole, cents = amount.split(".")
        return f"{int(whole):,}".replace(",", nb) + f",{cents}{nb}₸"
    # the article as Russian writes it, the rule in Russian, the figures as the page writes money; no English
    expect(page.locator("#message")).to_have_text(
        f"ст. 80.3: Предел автоставки ниже следующей допустимой ставки (текущая цена: {ru(state['price'])}; "
        f"следующая допустимая ставка: {ru(state['next_price'])}).")


# ---- two bidders to the close -------------------------------------------------------------------
QUIET_SECONDS = 30  # the soft close of the auction below: each bid ends the round 30 s later


@contextmanager
def rehearsal_server(tmp_path_factory, name: str, build, real_clock: bool = False, env: dict | None = None):
    """A database built by `build(m)` with the tests' fake clock (it returns the attributes the test
    needs, set on the server), then `mulik run` on it, whose clock continues from the fake clock's
    moment (`MULIK_CLOCK_START`), or runs on the real clock; `env`: more MULIK_* settings for it."""
    from auction.clock import FakeClock, system_clock
    from web import create_app

    from ..conftest import START
    from ..helpers import Mulik
    _require_chromium()
    db = tmp_path_factory.mktemp(name) / "mulik.db"
    clock = FakeClock(system_clock() if real_clock else START)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{db}", "CLOCK": clock, "SECRET_KEY": "t",
                      "SWEEPER_INTERVAL": 0})
    try:
        attributes = build(Mulik(app, clock))
    finally:
        app.extensions["mulik"]["engine"].dispose()
    env = {**({} if real_clock else {"MULIK_CLOCK_START": clock().isoformat()}), **(env or {})}
    proc = _serve(db, db.with_suffix(".log"), _free_port(), **env)
    srv = Server(proc.url)
    srv.__dict__.update(attributes)
    try:
        yield srv
    finally:
        _stop(proc)


def _rehearsal(tmp_path_factory, name, build):
    """`rehearsal_server` for an auction that `build(m)` announces (it returns the auction and its
    bidders), opened with them in the room a second before the server starts."""
    def open_it(m):
        auction, bidders = build(m)
        m.open_auction(auction, bidders)
        assert m.public.ok("GET", f"/auctions/{auction['id']}")["status"] == "open"
        return {"auction": auction, "emails": [b.email for b in bidders]}
    return rehearsal_server(tmp_path_factory, name, open_it)


@pytest.fixture(scope="module")
def closing_auction(tmp_path_factory):
    """An ascending auction with a 30-second soft close, opened a second ago, two admitted bidders."""
    def build(m):
        bailiff, _, lot = m.ordered_lot(value="1000000.00")
        auction = m.announce(bailiff, lot["id"], quiet_seconds=QUIET_SECONDS)
        return auction, [m.bidder_admitted(auction["id"]) for _ in range(2)]
    with _rehearsal(tmp_path_factory, "closing", build) as srv:
        yield srv


def _bidder_pages(browser, srv) -> list:
    """Each bidder of `srv.auction` logged in in its own browser context: [(page, participant_no)]."""
    pages = []
    for email in srv.emails:
        ctx = browser.new_context(viewport={"width": 1000, "height": 900})
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{srv.url}/auctions/{srv.auction['id']}")
        pages.append((page, log_in(page, email, "password123")))
    return pages


@pytest.mark.browser
def test_two_bidders_bid_against_each_other_and_both_screens_end_on_the_same_price_and_winner(
        browser, closing_auction):
    from playwright.sync_api import expect
    srv, aid = closing_auction, closing_auction.auction["id"]
    pages = _bidder_pages(browser, srv)
    try:
        price = srv.auction["start_price"]
        step = srv.auction["step"]
        order = [0, 1, 0, 1, 0]  # they raise in turn; the last to raise wins (Art. 80.3)
        for who in order:
            page, me = pages[who]
            offer = plus(price, step)
            button = page.get_by_role("button", name=f"Bid {money(offer)}")
            expect(button).to_be_enabled()
            button.click()
            expect(page.locator("#message")).to_have_text(f"Your bid of {money(offer)} is accepted.")
            other = pages[1 - who][0]
            expect(other.locator("#price")).to_have_text(money(offer))
            expect(other.locator("#leader")).to_have_text(f"No. {me}")
            price = offer
        winner_no = pages[order[-1]][1]
        # nobody raises for the quiet period: the server's sweeper closes the round, and both see it
        for page, _ in pages:
            expect(page.locator("#status")).to_have_attribute("data-status", "closed",
                                                              timeout=(QUIET_SECONDS + 15) * 1000)
            expect(page.locator("#status")).to_have_text("bidding over")
            expect(page.locator("#price")).to_have_text(money(price))
            expect(page.locator("#leader-label")).to_have_text("Winner")
            expect(page.locator("#leader")).to_have_text(f"No. {winner_no}")
            expect(page.locator("#outcome")).to_contain_text(
                f"Bidding is over. Winner: participant No. {winner_no} at {money(price)}.")
            expect(page.get_by_role("button", name=re.compile("^Bid "))).to_be_hidden()
        got = srv.http("GET", f"/auctions/{aid}")
        assert (got["status"], got["winner_no"], got["final_price"]) == ("closed", winner_no, price)
        assert [b["amount"] for b in srv.http("GET", f"/auctions/{aid}/bids")["items"]] == [
            f"{1000000 + 50000 * k}.00" for k in range(1, len(order) + 1)]
    finally:
        for page, _ in pages:
            page.context.close()


INTERVAL_SECONDS = 10  # the descending auction below lowers its price every 10 s


@pytest.fixture(scope="module")
def descending_auction(tmp_path_factory):
    """A repeat (descending) auction opened a second ago, two admitted bidders, 10-second steps."""
    def build(m):
        bailiff, _, lot = m.ordered_lot(value="1000000.00")
        first = m.announce(bailiff, lot["id"])
        m.open_auction(first, [])  # nobody applied (Art. 84.1), nobody retains the lot (Art. 85.2)
        m.advance(days=20)
        m.tick()
        second = m.announce(bailiff, lot["id"], days=12, interval_seconds=INTERVAL_SECONDS)
        assert second["round"] == 2
        return second, [m.bidder_admitted(second["id"]) for _ in range(2)]
    with _rehearsal(tmp_path_factory, "descending", build) as srv:
        yield srv


@pytest.mark.browser
def test_in_the_descending_round_the_price_falls_on_both_screens_and_the_first_acceptance_wins(
        browser, descending_auction):
    from playwright.sync_api import expect
    srv, aid = descending_auction, descending_auction.auction["id"]
    assert srv.auction["start_price"] == "1000000.00"
    # The price falls in real time, one step (5% of the start) every INTERVAL_SECONDS from the opening:
    # the pages may load a step or two late on a busy machine, so the test reads which step of the
    # ladder the screens show, then watches the next one arrive on both.
    ladder = [f"{1000000 - 50000 * k}.00" for k in range(10)]
    (page_a, no_a), (page_b, no_b) = _bidder_pages(browser, srv)
    try:
        for page in (page_a, page_b):
            expect(page.locator("#round")).to_have_text("Round 2 — descending")
            expect(page.locator("#price-label")).to_have_text("Price now")
            expect(page.locator("#next-price-label")).to_have_text("Floor")
            expect(page.locator("#next-price")).to_have_text(money("500000.00"))  # 50% for movables
        shown = page_a.locator("#price").inner_text().strip()
        assert shown in [money(p) for p in ladder[:-1]], shown
        now = ladder[[money(p) for p in ladder].index(shown) + 1]  # the next step, awaited on both screens
        for page in (page_a, page_b):
            expect(page.locator("#price")).to_have_text(money(now), timeout=(2 * INTERVAL_SECONDS + 5) * 1000)
        accept = page_a.get_by_role("button", name=f"Accept {money(now)}")
        expect(accept).to_be_enabled()
        accept.click()
        expect(page_a.locator("#message")).to_have_text(f"Your acceptance of {money(now)} is accepted.")
        for page in (page_a, page_b):
            expect(page.locator("#status")).to_have_attribute("data-status", "closed")
            expect(page.locator("#leader")).to_have_text(f"No. {no_a}")
            expect(page.locator("#price")).to_have_text(money(now))
            expect(page.locator("#outcome")).to_contain_text(
                f"Bidding is over. Winner: participant No. {no_a} at {money(now)}.")
        expect(page_b.get_by_role("button", name=re.compile("^Accept "))).to_be_hidden()
        got = srv.http("GET", f"/auctions/{aid}")
        assert (got["status"], got["winner_no"], got["final_price"]) == ("closed", no_a, now)
        assert no_b != no_a
    finally:
        page_a.context.close()
        page_b.context.close()


@pytest.mark.browser
def test_the_main_pages_run_their_scripts_under_the_content_security_policy_without_a_violation(browser, server):
    """Issue 11 point 4: no inline script or style is left for the policy to block, and a page of this
    site calling the API with the session cookie is let through (the browser sends its Origin)."""
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 1000, "height": 900})
    violations: list[str] = []
    try:
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.on("pageerror", lambda exc: violations.append(f"page error: {exc}"))
        page.goto(f"{server.url}/?lang=en")
        expect(page.locator("h1")).to_be_visible()
        page.goto(f"{server.url}/lots/{server.auction['lot']['id']}?lang=en")
        expect(page.locator("h1")).to_be_visible()
        page.goto(f"{server.url}/auctions/{server.auction['id']}")
        wait_live(page)  # room.js and the Socket.IO client ran, the websocket connected
        log_in(page, BIDDERS[2])
        expect(page.locator("header .who")).to_have_text(BIDDERS[2])  # the header follows the room's login
        page.locator("#who").get_by_role("button", name="Log out").click()
        expect(page.locator("#who")).to_be_hidden()
        expect(page.locator("header.top").get_by_role("link", name="Log in")).to_be_visible()  # and its logout
        # the pages' own login form, then the API with the session cookie from this site's page
        page.goto(f"{server.url}/login?lang=en")
        page.get_by_label("E-mail").fill(BIDDERS[2])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("header .who")).to_have_text(BIDDERS[2])
        statuses = page.evaluate("""async () => {
            const me = await fetch("/api/v1/me");
            const out = await fetch("/api/v1/auth/logout", {method: "POST"});
            const after = await fetch("/api/v1/me");
            return [me.status, out.status, after.status];
        }""")
        assert statuses == [200, 200, 401]
        assert violations == []
    finally:
        ctx.close()
