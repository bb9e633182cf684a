"""Rate limits (issue 11 point 3): bid and acceptance attempts per participant per auction, counted once
whichever way they come (HTTP or the live socket); failed logins per account and per address, answered
before any password is hashed; registrations per address. A refusal is 429 with Retry-After and the
SPEC §9 error body; the socket's `rejected` carries code rate_limited and retry_after.

Each test sets low limits through the `app_config` marker; their windows (a minute, 15 minutes, an hour)
are far longer than a test, so no count runs out while it is asserted."""
from __future__ import annotations

import pytest

import web.auth
from web import socketio

from ..helpers import error, iin
from .test_cabinet_pages import csrf


def _open(m):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    return auction, b1, b2


def _socket(m, user):
    return socketio.test_client(m.app, namespace="/live", headers={"Authorization": f"Bearer {user.token}"})


def _stale_bid(bidder, auction_id, n):
    """A bid attempt the auction refuses (not current + step): it changes nothing, and it counts."""
    return bidder.post(f"/auctions/{auction_id}/bids", {"amount": "1.00", "client_id": f"h{n}"})


def _socket_bid(client, auction_id, n):
    return client.emit("bid", {"auction_id": auction_id, "amount": "1.00", "client_id": f"s{n}"},
                       namespace="/live", callback=True)


def _refused_429(r, rule: str) -> int:
    body = error(r, 429, "rate_limited")
    assert body["article"] is None and set(body) == {"code", "message", "article"}
    assert rule in body["message"], body
    retry_after = int(r.headers["Retry-After"])
    assert 1 <= retry_after
    return retry_after


@pytest.mark.app_config(BID_RATE_LIMIT="3/minute")
def test_http_bid_attempts_beyond_the_limit_are_refused_with_429_and_retry_after(m):
    auction, b1, b2 = _open(m)
    aid = auction["id"]
    for n in range(3):
        error(_stale_bid(b1, aid, n), 422, "wrong_price")
    refused = _stale_bid(b1, aid, 3)
    assert _refused_429(refused, "at most 3 per minute per participant in an auction") <= 60
    # even the right price is refused now, and nothing is stored
    error(b1.post(f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "good"}), 429, "rate_limited")
    assert m.public.ok("GET", f"/auctions/{aid}/bids")["items"] == []
    # the other participant has a counter of his own
    assert b2.ok("POST", f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "b2"})["bid"]["amount"] \
        == "1050000.00"


@pytest.mark.app_config(BID_RATE_LIMIT="3/minute")
def test_the_counter_is_per_auction(m):
    first, b1, _ = _open(m)
    for n in range(3):
        error(_stale_bid(b1, first["id"], n), 422, "wrong_price")
    error(_stale_bid(b1, first["id"], 3), 429, "rate_limited")
    second, _, _ = _open(m)
    # in another auction his attempt reaches the auction's own rules (he is no participant there)
    error(_stale_bid(b1, second["id"], 4), 403, "not_a_participant")


@pytest.mark.app_config(BID_RATE_LIMIT="3/minute")
def test_socket_bid_attempts_beyond_the_limit_are_rejected_with_rate_limited_and_retry_after(m):
    auction, b1, _ = _open(m)
    c1 = _socket(m, b1)
    c1.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    acks = [_socket_bid(c1, auction["id"], n) for n in range(4)]
    assert [a["code"] for a in acks] == ["wrong_price", "wrong_price", "wrong_price", "rate_limited"]
    refused = acks[-1]
    assert refused["ok"] is False and refused["client_id"] == "s3" and 1 <= refused["retry_after"] <= 60
    assert "at most 3 per minute" in refused["message"] and refused["state"]["status"] == "open"
    rejected = [e["args"][0] for e in c1.get_received("/live") if e["name"] == "rejected"]
    assert rejected[-1]["code"] == "rate_limited" and rejected[-1]["retry_after"] == refused["retry_after"]


@pytest.mark.app_config(BID_RATE_LIMIT="3/minute")
def test_http_and_socket_attempts_share_one_counter(m):
    auction, b1, _ = _open(m)
    aid = auction["id"]
    c1 = _socket(m, b1)
    c1.emit("join", {"auction_id": aid}, namespace="/live")
    error(_stale_bid(b1, aid, 0), 422, "wrong_price")
    error(_stale_bid(b1, aid, 1), 422, "wrong_price")
    assert _socket_bid(c1, aid, 2)["code"] == "wrong_price"
    # the fourth, whichever way it comes, is refused
    assert _socket_bid(c1, aid, 3)["code"] == "rate_limited"
    _refused_429(_stale_bid(b1, aid, 4), "over the API and the live connection together")


@pytest.mark.app_config(BID_RATE_LIMIT="3/minute")
def test_acceptances_count_with_bids(m):
    auction, b1, _ = _open(m)
    aid = auction["id"]
    error(_stale_bid(b1, aid, 0), 422, "wrong_price")
    for n in (1, 2):  # an acceptance in an ascending round is refused (Art. 80.3), and counted
        error(b1.post(f"/auctions/{aid}/acceptances", {"price": "1000000.00", "client_id": f"a{n}"}), 409,
              "wrong_round")
    error(b1.post(f"/auctions/{aid}/acceptances", {"price": "1000000.00", "client_id": "a3"}), 429, "rate_limited")


# ---- logins ------------------------------------------------------------------------------------------
class HashSpy:
    """Counts the password verifications (argon2 hashes) the server makes."""

    def __init__(self, monkeypatch):
        self.calls, self.hasher = 0, web.auth._hasher
        monkeypatch.setattr(web.auth, "_hasher", self)

    def verify(self, hashed, password):
        self.calls += 1
        return self.hasher.verify(hashed, password)

    def hash(self, password):
        return self.hasher.hash(password)


def _login(m, email, password, address="10.0.0.1"):
    # as a browser's page does: its own Origin (a cookie session's API change needs it, web/security.py)
    return m.client.post("/api/v1/auth/login", json={"email": email, "password": password},
                         headers={"Origin": "http://localhost"}, environ_base={"REMOTE_ADDR": address})


@pytest.mark.app_config(LOGIN_RATE_LIMIT_ACCOUNT="3/15minutes")
def test_failed_logins_of_one_account_are_throttled_before_any_password_is_hashed(m, monkeypatch):
    bidder, other = m.user("bidder"), m.user("bidder")
    spy = HashSpy(monkeypatch)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # from different addresses: the account counts
        error(_login(m, bidder.email, "wrong-password", address), 401, "bad_credentials")
    assert spy.calls == 3
    throttled = _login(m, bidder.email.upper(), "password123", "10.0.0.4")  # even the right password
    retry_after = _refused_429(throttled, "too many failed logins for this account: at most 3 per 15 minutes")
    assert retry_after <= 15 * 60
    assert spy.calls == 3  # answered before hashing
    assert "token" not in (throttled.get_json() or {})
    # another account from the same address logs in
    assert _login(m, other.email, "password123").status_code == 200


@pytest.mark.app_config(LOGIN_RATE_LIMIT_ADDRESS="3/15minutes")
def test_failed_logins_from_one_address_are_throttled_across_accounts(m, monkeypatch):
    people = [m.user("bidder") for _ in range(4)]
    spy = HashSpy(monkeypatch)
    for p in people[:3]:
        error(_login(m, p.email, "wrong-password"), 401, "bad_credentials")
    error(_login(m, "nobody@example.kz", "wrong-password"), 429, "rate_limited")  # an unknown account too
    _refused_429(_login(m, people[3].email, "password123"), "too many failed logins from your address")
    assert spy.calls == 3
    # the same account from another address is not throttled
    assert _login(m, people[3].email, "password123", "10.9.9.9").status_code == 200


@pytest.mark.app_config(LOGIN_RATE_LIMIT_ACCOUNT="2/15minutes", LOGIN_RATE_LIMIT_ADDRESS="2/15minutes")
def test_successful_logins_do_not_count(m):
    bidder = m.user("bidder")
    for _ in range(4):
        assert _login(m, bidder.email, "password123").status_code == 200


@pytest.mark.app_config(LOGIN_RATE_LIMIT_ACCOUNT="2/15minutes")
def test_the_login_page_and_the_api_share_the_account_counter(client, m, monkeypatch):
    bidder = m.user("bidder")
    page = client.post("/login?lang=en", data={"csrf_token": csrf(client), "email": bidder.email,
                                               "password": "wrong-password"})
    assert page.status_code == 401
    error(client.post("/api/v1/auth/login", json={"email": bidder.email, "password": "wrong-password"}), 401)
    spy = HashSpy(monkeypatch)
    throttled = client.post("/login?lang=en", data={"csrf_token": csrf(client), "email": bidder.email,
                                                    "password": "password123"})
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
    html = throttled.get_data(as_text=True)
    assert "too many failed logins for this account" in html and 'name="password"' in html  # the form again
    assert spy.calls == 0
    with client.session_transaction() as s:
        assert "uid" not in s


# ---- registrations -----------------------------------------------------------------------------------
def _register(m, n, address="10.0.0.1"):
    return m.client.post("/api/v1/auth/register", json={"email": f"new{n}-{iin()}@example.kz",
                                                        "password": "a-long-password", "full_name": f"New {n}",
                                                        "iin_bin": iin()}, environ_base={"REMOTE_ADDR": address})


@pytest.mark.app_config(REGISTER_RATE_LIMIT="2/hour")
def test_registrations_from_one_address_are_throttled(m):
    assert [_register(m, n).status_code for n in range(2)] == [201, 201]
    refused = _register(m, 2)
    assert _refused_429(refused, "too many registrations from your address: at most 2 per hour") <= 3600
    assert _register(m, 3, "10.0.0.2").status_code == 201  # another address


@pytest.mark.app_config(REGISTER_RATE_LIMIT="1/hour")
def test_the_registration_page_counts_with_the_api(client, m):
    assert client.post("/api/v1/auth/register", json={"email": "api@example.kz", "password": "a-long-password",
                                                      "full_name": "Api", "iin_bin": iin()}).status_code == 201
    page = client.post("/register?lang=en", data={"csrf_token": csrf(client, "/register"), "email": "page@example.kz",
                                                  "password": "a-long-password", "full_name": "Page",
                                                  "iin_bin": iin()})
    assert page.status_code == 429 and "too many registrations" in page.get_data(as_text=True)
    from sqlalchemy import select

    from service.orm import User
    with m.app.extensions["mulik"]["sessions"]() as s:
        assert s.execute(select(User.id).where(User.email == "page@example.kz")).first() is None


def test_a_limit_that_does_not_parse_stops_the_start(db_url, clock):
    from web import create_app
    with pytest.raises(ValueError, match="BID_RATE_LIMIT"):
        create_app({"TESTING": True, "DATABASE_URL": db_url, "CLOCK": clock, "SECRET_KEY": "t",
                    "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False, "BID_RATE_LIMIT": "fast"})


@pytest.mark.app_config(LOGIN_RATE_LIMIT_ADDRESS="1/15minutes")
def test_a_throttled_login_page_says_so_in_the_page_language(client, m):
    bidder = m.user("bidder")
    client.post("/login?lang=ru", data={"csrf_token": csrf(client), "email": bidder.email, "password": "wrong-pass"})
    throttled = client.post("/login?lang=ru", data={"csrf_token": csrf(client), "email": bidder.email,
                                                    "password": "password123"})
    assert throttled.status_code == 429
    assert "Слишком много попыток за короткое время" in throttled.get_data(as_text=True)


@pytest.mark.parametrize("proxies, throttled", [(0, True), (1, False)])
def test_behind_a_trusted_proxy_the_address_is_the_forwarded_one(db_url, clock, proxies, throttled):
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "CLOCK": clock, "SECRET_KEY": "t",
                      "SWEEPER_INTERVAL": 0, "CREATE_SCHEMA": False, "REGISTER_RATE_LIMIT": "1/hour",
                      "TRUSTED_PROXIES": proxies})
    try:
        client = app.test_client()
        answers = [client.post("/api/v1/auth/register", json={
            "email": f"p{n}-{iin()}@example.kz", "password": "a-long-password", "full_name": "P", "iin_bin": iin()},
            headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in (1, 2)]
        assert answers == ([201, 429] if throttled else [201, 201])
    finally:
        app.extensions["mulik"]["engine"].dispose()
