"""The account pages over HTTP with the session cookie: register, log in and out, apply for an
auction with the Art. 80.2 declaration, pay the deposit with the development provider, the deposit
wallet. Every form carries a CSRF token; a refusal names its rule and changes nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest

from auction.identity import make_iin

from .test_api_contract import assert_unchanged, snapshot
from .test_pages import text

PASSWORD = "a-long-password"


def csrf(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def register(client, email: str, iin: str, name="Asel Bidder"):
    return client.post("/register?lang=en", data={"csrf_token": csrf(client, "/register"), "email": email,
                                                 "password": PASSWORD, "full_name": name, "iin_bin": iin})


IIN = make_iin(date(1990, 5, 17), "F", 4321)


def test_a_person_registers_as_a_bidder_and_lands_in_the_cabinet_logged_in(client, m):
    r = register(client, "asel@example.kz", IIN)
    assert r.status_code == 302 and r.headers["Location"].endswith("/cabinet")
    cabinet = text(client.get("/cabinet?lang=en"))
    assert "Your bidder account is ready." in cabinet
    assert "Asel Bidder · asel@example.kz" in cabinet
    assert "No applications yet." in cabinet
    assert "Free balance: 0.00\u00a0KZT" in cabinet
    me = client.get("/api/v1/me").get_json()  # the same session works for the API
    assert (me["email"], me["role"], me["iin_bin"]) == ("asel@example.kz", "bidder", IIN)


@pytest.mark.parametrize("iin, field", [("123456789012", "iin_bin"), ("12345", "iin_bin")])
def test_a_registration_with_a_wrong_iin_is_refused_with_the_reason_and_creates_no_account(client, m, iin, field):
    before = snapshot(m)
    r = register(client, "wrong@example.kz", iin)
    assert r.status_code in (400, 422)
    shown = text(r)
    assert "The account was not created:" in shown and ("IIN" in shown or field in shown)
    assert_unchanged(m, before)
    assert client.get("/api/v1/me").status_code == 401


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, m):
    before = snapshot(m)
    r = client.post("/register", data={"email": "x@example.kz", "password": PASSWORD, "full_name": "X",
                                       "iin_bin": IIN})
    assert r.status_code == 400
    assert "<html" in r.get_data(as_text=True)  # a page, not the API's JSON
    assert_unchanged(m, before)


def test_log_in_with_a_wrong_password_is_refused_then_the_right_one_returns_to_the_page_asked_for(client, m):
    bidder = m.user("bidder")
    token = csrf(client)
    wrong = client.post("/login?lang=en", data={"csrf_token": token, "email": bidder.email, "password": "nope-nope"})
    assert wrong.status_code == 401 and "Wrong e-mail or password." in text(wrong)
    ok = client.post("/login", data={"csrf_token": token, "email": bidder.email, "password": "password123",
                                     "next": "/lots/1"})
    assert ok.status_code == 302 and ok.headers["Location"] == "/lots/1"
    stale = client.post("/login", data={"csrf_token": token, "email": bidder.email, "password": "password123"})
    assert stale.status_code == 400  # a login starts a new session: the old form's token is gone
    elsewhere = client.post("/login", data={"csrf_token": csrf(client), "email": bidder.email,
                                            "password": "password123", "next": "https://evil.example/"})
    assert elsewhere.headers["Location"] == "/cabinet"  # never to another site
    out = client.post("/logout", data={"csrf_token": csrf(client, "/cabinet")})
    assert out.status_code == 302
    assert client.get("/cabinet").headers["Location"].startswith("/login")


def _announced(m):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    return bailiff, p, lot, m.announce(bailiff, lot["id"])


def test_a_bidder_applies_on_the_lot_page_pays_the_deposit_in_the_cabinet_and_is_admitted(client, m):
    _, _, lot, auction = _announced(m)
    register(client, "asel@example.kz", IIN)
    page = text(client.get(f"/lots/{lot['id']}?lang=en"))
    assert "Apply for this auction" in page and "Apply; the deposit is 50,000.00\u00a0KZT" in page
    r = client.post(f"/auctions/{auction['id']}/apply", data={"csrf_token": csrf(client, f"/lots/{lot['id']}"),
                                                               "keep_in_wallet": "on"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/cabinet")
    cabinet = client.get("/cabinet?lang=en")
    shown = text(cabinet)
    assert "Application filed: you are participant No. 1." in shown
    assert "awaiting the deposit" in shown and "to be paid" in shown
    pay = re.search(r'action="/payments/(\d+)/pay"', cabinet.get_data(as_text=True)).group(1)
    assert "Pay 50,000.00\u00a0KZT (test provider)" in shown
    r = client.post(f"/payments/{pay}/pay", data={"csrf_token": csrf(client, "/cabinet")})
    shown = text(client.get(r.headers["Location"] + "?lang=en"))
    assert "Payment received." in shown
    assert "admitted" in shown and "held" in shown
    apps = client.get("/api/v1/me/applications").get_json()["items"]
    assert [(a["auction_id"], a["status"], a["deposit_state"], a["keep_in_wallet"]) for a in apps] == [
        (auction["id"], "admitted", "held", True)]
    assert "You applied: participant No. 1, admitted." in text(client.get(f"/lots/{lot['id']}?lang=en"))


def test_the_debtor_applying_for_his_own_lot_is_refused_with_art_80_2_and_nothing_is_filed(client, m):
    bailiff = m.user("bailiff")
    debtor_iin = make_iin(date(1975, 1, 20), "M", 5555)
    debtor = m.user("debtor", iin_bin=debtor_iin)
    p = m.proceeding(bailiff, debtor=debtor)
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    auction = m.announce(bailiff, lot["id"])
    # the debtor opens a bidder account with his own IIN and applies
    register(client, "debtor-as-bidder@example.kz", debtor_iin, name="Same Person")
    before = snapshot(m)
    r = client.post(f"/auctions/{auction['id']}/apply", data={"csrf_token": csrf(client, f"/lots/{lot['id']}")})
    assert r.headers["Location"].endswith(f"/lots/{lot['id']}")
    shown = text(client.get(f"/lots/{lot['id']}?lang=en"))
    assert "Art. 80.2: you may not take part" in shown
    assert_unchanged(m, before)


def test_an_unknown_page_is_an_html_404_in_the_page_language(client):
    r = client.get("/no-such-page?lang=ru")
    assert r.status_code == 404 and "Страница не найдена" in text(r)
    assert client.get("/api/v1/no-such").get_json()["error"]["code"] == "not_found"


def test_with_the_development_provider_off_a_deposit_cannot_be_paid_in_one_click(client, m):
    _, _, lot, auction = _announced(m)
    register(client, "asel@example.kz", IIN)
    client.post(f"/auctions/{auction['id']}/apply", data={"csrf_token": csrf(client, f"/lots/{lot['id']}")})
    [pay] = client.get("/api/v1/me/payments").get_json()["items"]
    m.app.config["DEV_PAYMENTS"] = False  # production
    try:
        page = client.get("/cabinet?lang=en")
        assert "(test provider)" not in text(page)
        before = snapshot(m)
        r = client.post(f"/payments/{pay['id']}/pay", data={"csrf_token": csrf(client, "/cabinet")})
        assert r.status_code == 403
        assert_unchanged(m, before)
    finally:
        m.app.config["DEV_PAYMENTS"] = True
    assert client.get("/api/v1/me/payments").get_json()["items"][0]["status"] == "pending"
