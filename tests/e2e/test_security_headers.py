"""Security headers on every answer and CSRF of the cookie-authenticated API (issue 11 point 4): a page
of another site cannot make a logged-in browser change anything; tokens and the site's own pages can."""
from __future__ import annotations

import re

import pytest

from ..helpers import error, iin

SAME_ORIGIN = {"Origin": "http://localhost"}  # the test client's host, as a browser on this site sends it
EVIL = {"Origin": "https://evil.example"}
PRODUCTION = {"ENV": "production", "SECRET_KEY": "s" * 64, "WEBHOOK_SECRET": "w" * 64, "DEV_PAYMENTS": False,
              "SESSION_COOKIE_SECURE": True}


def assert_security_headers(r):
    csp = r.headers.get("Content-Security-Policy", "")
    directives = dict((d.split() + [""])[:2] for d in csp.split(";") if d.strip())
    script_src = re.search(r"script-src([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, csp
    assert "'unsafe-inline'" not in re.search(r"style-src([^;]*)", csp).group(1), csp
    assert directives.get("frame-ancestors") == "'none'", csp
    assert directives.get("object-src") == "'none'", csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.fixture
def lot(m):
    bailiff, _p, lot = m.ordered_lot()
    return lot


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/?lang=ru", 200), ("/login", 200), ("/register", 200), ("/lots/{lot}", 200),
    ("/static/site.css", 200), ("/no-such-page", 404),
    ("/api/v1/lots", 200), ("/api/v1/openapi.json", 200), ("/api/v1/lots/999999", 404), ("/api/v1/me", 401),
])
def test_every_page_and_api_answer_carries_the_security_headers(client, lot, path, status):
    with client.get(path.format(lot=lot["id"])) as r:  # a static file's answer holds the file open
        assert r.status_code == status
        assert_security_headers(r)
        assert "Strict-Transport-Security" not in r.headers  # development is served over plain HTTP


def test_a_refused_api_request_carries_the_security_headers_too(client):
    r = client.post("/api/v1/auth/login", data="email=x", content_type="application/x-www-form-urlencoded")
    error(r, 415, "unsupported_media_type")
    assert_security_headers(r)


def _browser(app, m, role="bidder"):
    """A browser logged in through the login form (the session cookie), and the person."""
    browser, person = app.test_client(), m.user(role)
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = browser.post("/login", data={"csrf_token": token, "email": person.email, "password": "password123"})
    assert r.status_code == 302
    assert browser.get("/api/v1/me").get_json()["id"] == person.id
    return browser, person


@pytest.mark.parametrize("headers", [EVIL, {}, {"Origin": "null"}, {"Referer": "https://evil.example/page"},
                                     {"Origin": "http://localhost.evil.example"}])
def test_a_cookie_logout_from_another_site_or_from_nowhere_is_refused_and_the_session_stays(app, m, headers):
    browser, person = _browser(app, m)
    e = error(browser.post("/api/v1/auth/logout", headers=headers), 403, "csrf")
    assert e["article"] is None and "X-CSRFToken" in e["message"] and "Origin" in e["message"]
    assert browser.get("/api/v1/me").get_json()["id"] == person.id  # still logged in


@pytest.mark.parametrize("headers", [SAME_ORIGIN, {"Referer": "http://localhost/auctions/1/room"}])
def test_a_cookie_logout_from_this_sites_pages_ends_the_session(app, m, headers):
    browser, _person = _browser(app, m)
    assert browser.post("/api/v1/auth/logout", headers=headers).status_code == 200
    error(browser.get("/api/v1/me"), 401, "unauthorized")


def test_a_cookie_request_with_the_pages_csrf_token_passes_without_an_origin(app, m):
    browser, _person = _browser(app, m)
    page = browser.get("/cabinet").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    error(browser.post("/api/v1/auth/logout", headers={"X-CSRFToken": "forged"}), 403, "csrf")
    assert browser.get("/api/v1/me").status_code == 200
    assert browser.post("/api/v1/auth/logout", headers={"X-CSRFToken": token}).status_code == 200
    error(browser.get("/api/v1/me"), 401, "unauthorized")


def test_a_results_approval_from_another_site_is_refused_and_the_auction_stays_unapproved(app, m):
    bailiff, _p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "a1"})
    m.advance(minutes=11)
    m.tick()
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "closed"
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    browser.post("/login", data={"csrf_token": token, "email": bailiff.email, "password": "password123"})
    url = f"/api/v1/auctions/{auction['id']}/results/approval"
    error(browser.post(url, headers=EVIL), 403, "csrf")
    error(browser.post(url), 403, "csrf")
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "closed"
    assert not [x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"]
    assert browser.post(url, headers=SAME_ORIGIN).status_code == 200
    assert [x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"]


def test_a_bearer_token_request_needs_no_origin_and_a_cookie_less_script_neither(app, m):
    bidder = m.user("bidder")
    api = app.test_client()
    assert api.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {bidder.token}"}).status_code == 200
    error(api.get("/api/v1/me", headers={"Authorization": f"Bearer {bidder.token}"}), 401, "unauthorized")
    # no session, no Origin: a script registering an account (not a browser acting for someone)
    r = app.test_client().post("/api/v1/auth/register", json={
        "email": "script@example.kz", "password": "long enough pw", "full_name": "S", "iin_bin": iin()})
    assert r.status_code == 201, r.get_json()


def test_a_login_forced_from_another_site_is_refused(app, m):
    person = m.user("bidder")
    browser = app.test_client()
    e = error(browser.post("/api/v1/auth/login", json={"email": person.email, "password": "password123"},
                           headers=EVIL), 403, "csrf")
    assert "https://evil.example" in e["message"]
    error(browser.get("/api/v1/me"), 401, "unauthorized")


def test_the_page_forms_still_work_with_their_csrf_token_and_fail_without(app, m):
    browser, person = _browser(app, m)
    page = browser.get("/cabinet").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert browser.post("/logout", data={}).status_code == 400
    assert browser.get("/api/v1/me").get_json()["id"] == person.id
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    error(browser.get("/api/v1/me"), 401, "unauthorized")


def test_the_session_cookie_is_http_only_and_lax_and_secure_in_production(db_url, clock):
    from tests.helpers import Mulik
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "CLOCK": clock, "SWEEPER_INTERVAL": 0,
                      "CREATE_SCHEMA": False, **PRODUCTION})
    try:
        person = Mulik(app, clock).user("bidder")
        client = app.test_client()
        r = client.post("/api/v1/auth/login", json={"email": person.email, "password": "password123"})
        assert r.status_code == 200
        cookie = r.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
        home = client.get("/")
        assert_security_headers(home)
        assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert client.get("/api/v1/lots").headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        app.extensions["mulik"]["engine"].dispose()
