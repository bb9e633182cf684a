"""The public HTTP contract (SPEC §9): the OpenAPI document, the error body, money as strings,
bad input refused with 400 and no change, accounts and sessions, the signed payment webhook."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from service.payments import sign

from ..helpers import Mulik, error
from . import scenes
from .test_access_matrix import (
    ROUTES,
    Case,
    Scene,
    database,
    iin,
    journal_length,
    own_numbering,  # noqa: F401  (autouse fixture: the IINs of these tests)
)

SECRET = "test-webhook-secret"  # the app fixture's WEBHOOK_SECRET
# Parsing and validation happen before the database is touched: these run on SQLite only, to keep
# the suite's time down. Whatever reaches the database (sizes, ids, money, payments) runs on both.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def snapshot(m: Mulik) -> tuple:
    return journal_length(m), database(m)


def assert_unchanged(m: Mulik, before: tuple) -> None:
    journal, rows = snapshot(m)
    assert journal == before[0], "a refused request wrote to the journal"
    assert rows == before[1], "a refused request changed the database"


def raw(user, method: str, url: str, data: bytes | str, content_type: str = "application/json", headers=None):
    """A request with a body sent as given (not re-encoded as JSON)."""
    h = {"Authorization": f"Bearer {user.token}"} if user.token else {}
    h.update(headers or {})
    return user.m.client.open(f"/api/v1{url}", method=method, data=data, content_type=content_type, headers=h)


# ---- the OpenAPI document ---------------------------------------------------------------------------
SPEC_9 = """
POST /auth/register
POST /auth/login
POST /auth/logout
GET /me
POST /proceedings
GET /proceedings/{id}
POST /proceedings/{id}/lots
GET /lots
GET /lots/{id}
GET /lots/{id}/journal
POST /lots/{id}/valuation/appointment
POST /lots/{id}/valuation/report
POST /lots/{id}/valuation/agreement
POST /lots/{id}/valuation/disputes
POST /valuation/disputes/{id}/resolution
POST /lots/{id}/realization-order
POST /lots/{id}/self-sale
POST /lots/{id}/self-sale/contract
POST /lots/{id}/auctions
GET /auctions
GET /auctions/{id}
GET /auctions/{id}/state
POST /auctions/{id}/applications
GET /me/applications
POST /payments/webhook
POST /payments/{id}/confirm
POST /auctions/{id}/bids
POST /auctions/{id}/acceptances
POST /auctions/{id}/results/approval
GET /auctions/{id}/protocol.pdf
POST /lots/{id}/retention
GET /lots/{id}/distribution
"""


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@SQLITE_ONLY
def test_the_openapi_document_lists_every_resource_of_the_public_contract(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = json.loads(r.data)
    assert doc["openapi"].startswith("3.") and doc["info"]["title"] == "Mulik"
    served = {(method.upper(), _shape(path.removeprefix("/api/v1")))
              for path, item in doc["paths"].items() for method in item if method != "parameters"}
    wanted = {(line.split()[0], _shape(line.split()[1])) for line in SPEC_9.strip().splitlines()}
    assert wanted - served == set()


@SQLITE_ONLY
def test_the_openapi_document_built_on_first_read_is_whole_for_requests_that_arrive_together(app):
    """web/api MulikApi builds the document when it is first read: eight requests at once on a new app
    all get the same, complete document (every operation and tag, once)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: app.test_client().get("/api/v1/openapi.json"), range(8)))
    docs = [json.loads(r.data) for r in answers]
    assert {r.status_code for r in answers} == {200} and all(d == docs[0] for d in docs)
    operations = [(p, verb) for p, item in docs[0]["paths"].items() for verb in item if verb != "parameters"]
    assert len(operations) == len(set(operations)) >= len(SPEC_9.strip().splitlines())
    assert sorted(t["name"] for t in docs[0]["tags"]) == ["accounts", "cases", "trading"]


# ---- the error body -----------------------------------------------------------------------------------
@SQLITE_ONLY
def test_errors_outside_the_routes_have_the_spec_body_too(m):
    assert error(m.public.get("/no-such-resource"), 404, "not_found")["article"] is None
    assert error(m.public.get("/lots/not-a-number"), 404, "not_found")
    assert error(m.public._req("DELETE", "/lots"), 405, "method_not_allowed")


def test_a_refusal_under_the_law_names_its_article_in_the_error(m):
    bailiff, _, lot = m.ordered_lot()
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(3)}), 422,
              "announcement_too_late", "79")
    assert "10 calendar days" in e["message"]


# ---- money in JSON -----------------------------------------------------------------------------------
MONEY_KEYS = {"value", "price", "amount", "start_price", "step", "deposit", "floor", "final_price", "next_price",
              "sale_price", "claim", "paid", "outstanding", "fines", "expenses", "recovered", "self_sale_price",
              "free", "due"}
TWO_DECIMALS = re.compile(r"^-?\d+\.\d{2}$")


def money_problems(obj, where="") -> list[str]:
    """Floats anywhere, and money keys that are not strings with two decimals."""
    found = []
    if isinstance(obj, float):
        found.append(f"{where}: float {obj!r}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k in MONEY_KEYS and v is not None and not (isinstance(v, str) and TWO_DECIMALS.match(v)):
                found.append(f"{where}.{k}: {v!r}")
            found += money_problems(v, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += money_problems(v, f"{where}[{i}]")
    return found


def test_money_in_every_answer_is_a_string_with_two_decimals(m):
    c = Case(m).open()
    c.bidder.ok("POST", f"/auctions/{c.aid}/bids", {"amount": "1050000.00", "client_id": "b1"})
    m.advance(minutes=11)
    m.tick()
    c.bailiff.ok("POST", f"/auctions/{c.aid}/results/approval")
    pays = c.bidder.ok("GET", "/me/payments")["items"]
    winner = [p for p in pays if p["kind"] == "winner"][0]
    assert winner["amount"] == "1000000.00"  # 1 050 000.00 less the 50 000.00 deposit
    c.bidder.ok("POST", f"/payments/{winner['id']}/dev-pay")
    answers = {url: c.bailiff.ok("GET", url) for url in (
        f"/lots/{c.lot_id}", f"/lots/{c.lot_id}/journal", f"/proceedings/{c.pid}", f"/auctions/{c.aid}",
        f"/auctions/{c.aid}/state", f"/auctions/{c.aid}/bids", f"/lots/{c.lot_id}/distribution", "/lots",
        "/auctions")}
    answers["/me/payments"] = c.bidder.ok("GET", "/me/payments")
    answers["/me/wallet"] = c.rival.ok("GET", "/me/wallet")
    problems = [p for url, body in answers.items() for p in money_problems(body, url)]
    assert problems == []
    assert answers[f"/auctions/{c.aid}"]["deposit"] == "50000.00"
    assert answers[f"/lots/{c.lot_id}"]["sale_price"] == "1050000.00"


# ---- bad input: 400, and nothing changes -------------------------------------------------------------
REPORT = {"value": "1000000.00", "report_no": "R-7", "report_date": "2026-11-30"}
BAD_REPORTS = {
    "malformed JSON": '{"value": "1000000.00", "report_no": ',
    "a JSON array instead of an object": "[]",
    "an unknown field": {**REPORT, "approved_by_court": True},
    "money as a float": {**REPORT, "value": 1000000.5},
    "money as a JSON number": {**REPORT, "value": 1000000},
    "negative money": {**REPORT, "value": "-1000000.00"},
    "money with three decimals": {**REPORT, "value": "1.005"},
    "money that is not a number": {**REPORT, "value": "one million"},
    "money that is NaN": {**REPORT, "value": "NaN"},
    "money that is infinite": {**REPORT, "value": "Infinity"},
    "a missing field": {"value": "1000000.00", "report_no": "R-7"},
    "an empty object": {},
    "a number where text belongs": {**REPORT, "report_no": 7},
    "text where money belongs": {**REPORT, "value": True},
    "an invalid date": {**REPORT, "report_date": "2026-02-30"},
    "a date in another format": {**REPORT, "report_date": "30.11.2026"},
}


@SQLITE_ONLY
@pytest.mark.parametrize("body", list(BAD_REPORTS.values()), ids=list(BAD_REPORTS))
def test_a_valuation_report_with_bad_input_is_refused_with_400_and_changes_nothing(m, body):
    c = Case(m).appoint()
    before = snapshot(m)
    url = f"/lots/{c.lot_id}/valuation/report"
    r = raw(c.appraiser, "POST", url, body) if isinstance(body, str) else c.appraiser.post(url, body)
    error(r, 400)
    assert_unchanged(m, before)
    assert c.bailiff.ok("GET", f"/lots/{c.lot_id}")["status"] == "VALUATION"
    # the same report, well formed, is taken
    assert c.appraiser.ok("POST", url, REPORT)["valuation"]["value"] == "1000000.00"


@SQLITE_ONLY
@pytest.mark.parametrize("amount", [1050000.0, 1050000, "-1050000.00", "1050000.001", "1,050,000.00", None],
                         ids=["float", "JSON number", "negative", "three decimals", "thousands separators", "null"])
def test_a_bid_with_a_badly_written_amount_is_refused_and_no_bid_is_made(m, amount):
    c = Case(m).open()
    before = snapshot(m)
    error(c.bidder.post(f"/auctions/{c.aid}/bids", {"amount": amount, "client_id": "b1"}), 400)
    assert_unchanged(m, before)
    assert c.bidder.ok("GET", f"/auctions/{c.aid}/bids")["items"] == []


@SQLITE_ONLY
@pytest.mark.parametrize("claim", [3000000.0, "-1.00", "3000000.005"], ids=["float", "negative", "three decimals"])
def test_a_proceeding_with_a_bad_claim_is_refused_and_not_created(m, claim):
    bailiff = m.user("bailiff")
    before = snapshot(m)
    error(bailiff.post("/proceedings", {
        "number": "EP-BAD", "debtor": {"name": "D", "iin_bin": iin()},
        "collectors": [{"name": "C", "iin_bin": iin(), "kind": "other", "claim": claim}]}), 400)
    assert_unchanged(m, before)


def test_an_unknown_id_is_404_and_changes_nothing(m):
    c = Case(m).appoint()
    before = snapshot(m)
    for url in ("/lots/999999", "/lots/999999/journal", "/proceedings/999999", "/auctions/999999",
                "/auctions/999999/state", "/auctions/999999/bids"):
        error(c.bailiff.get(url), 404, "not_found")
    error(c.appraiser.post("/lots/999999/valuation/report", REPORT), 404, "not_found")
    error(c.bailiff.post("/lots/999999/realization-order", {}), 404, "not_found")
    error(c.bailiff.post("/proceedings/999999/lots", {
        "title": "x", "category": "movable", "items": [{"name": "x", "price": "1.00"}]}), 404)
    error(c.bailiff.post("/valuation/disputes/999999/resolution", {"outcome": "upheld"}), 404, "not_found")
    error(m.operator.post("/payments/999999/confirm", {}), 404, "not_found")
    error(c.bidder.post("/auctions/999999/applications", {}), 404, "not_found")
    assert_unchanged(m, before)


BEYOND_INT32 = 2 ** 40  # fits Python and SQLite, not PostgreSQL's integer ids


def test_ids_beyond_the_databases_integers_are_404_or_400_never_500(m):
    c = Case(m).appoint()
    before = snapshot(m)
    for url in (f"/lots/{BEYOND_INT32}", f"/lots/{BEYOND_INT32}/journal", f"/proceedings/{BEYOND_INT32}",
                f"/auctions/{BEYOND_INT32}", f"/auctions/{BEYOND_INT32}/state"):
        error(c.bailiff.get(url), 404, "not_found")
    error(c.bailiff.post(f"/lots/{BEYOND_INT32}/withdrawal", {}), 404, "not_found")
    error(m.operator.post(f"/payments/{BEYOND_INT32}/confirm", {}), 404, "not_found")
    for query in (f"/lots?proceeding_id={BEYOND_INT32}", f"/auctions?lot_id={BEYOND_INT32}"):
        error(m.public.get(query), 400, "validation_error")
    error(c.bailiff.post(f"/lots/{c.lot_id}/valuation/appointment", {"appraiser": BEYOND_INT32}), 400)
    assert_unchanged(m, before)


LONG = "x" * 1000


def _proceeding_body(**change):
    debtor = {"name": "D", "iin_bin": iin(), **change.pop("debtor", {})}
    collector = {"name": "C", "iin_bin": iin(), "kind": "other", "claim": "100.00", **change.pop("collector", {})}
    return {"number": "EP-LONG", "debtor": debtor, "collectors": [collector], **change}


def _lot_body(**change):
    item = {"name": "item", "price": "1.00", **change.pop("item", {})}
    return {"title": "t", "category": "movable", "items": [item], **change}


OVERSIZED = {
    "a debtor name of 1000 characters": ("bailiff", "/proceedings", _proceeding_body(debtor={"name": LONG})),
    "a collector name of 1000 characters": ("bailiff", "/proceedings", _proceeding_body(collector={"name": LONG})),
    "a fee category of 1000 characters": ("bailiff", "/proceedings",
                                          _proceeding_body(collector={"fee_category": LONG})),
    "a claim beyond what the ledger can hold": ("bailiff", "/proceedings",
                                                _proceeding_body(collector={"claim": "1" + "0" * 20 + ".00"})),
    "a collector account id beyond the database's integers": ("bailiff", "/proceedings",
                                                             _proceeding_body(collector={"user": BEYOND_INT32})),
    "an item name of 1000 characters": ("bailiff", "/proceedings/{pid}/lots", _lot_body(item={"name": LONG})),
    "an item kind of 1000 characters": ("bailiff", "/proceedings/{pid}/lots", _lot_body(item={"kind": LONG})),
    "an item quantity beyond the database's integers": ("bailiff", "/proceedings/{pid}/lots",
                                                        _lot_body(item={"quantity": BEYOND_INT32})),
    "a custodian of 1000 characters": ("bailiff", "/proceedings/{pid}/lots", _lot_body(custodian=LONG)),
    "a storage place of 1000 characters": ("bailiff", "/proceedings/{pid}/lots", _lot_body(storage_place=LONG)),
    "a report number of 1000 characters": ("appraiser", "/lots/{lot}/valuation/report", {**REPORT, "report_no": LONG}),
    "a registration e-mail of 1000 characters": ("public", "/auth/register", {
        "email": LONG + "@example.kz", "password": "long enough pw", "full_name": "N", "iin_bin": iin()}),
}


@pytest.mark.parametrize("who,url,body", list(OVERSIZED.values()), ids=list(OVERSIZED))
def test_text_or_numbers_too_big_to_store_are_refused_with_400_and_change_nothing(m, who, url, body):
    c = Case(m).appoint()
    before = snapshot(m)
    user = {"bailiff": c.bailiff, "appraiser": c.appraiser, "public": m.public}[who]
    error(user.post(url.format(pid=c.pid, lot=c.lot_id), body), 400)
    assert_unchanged(m, before)


def test_a_calendar_note_too_long_to_store_is_refused(m):
    before = snapshot(m)
    error(m.operator.put("/calendar/overrides/2026-12-31", {"working": False, "note": LONG}), 400)
    assert_unchanged(m, before)


@SQLITE_ONLY
@pytest.mark.parametrize("query", ["/lots?page=abc", "/lots?per_page=100000", "/lots?page=0",
                                   "/auctions?status=bogus", "/auctions?lot_id=x"])
def test_a_bad_catalogue_query_is_400(m, query):
    error(m.public.get(query), 400, "validation_error")


# ---- garbage on every mutating route: never a 500 ------------------------------------------------------
def _wrong_types(doc: dict, route) -> dict:
    """Every field the route's schema declares, each given a value of the wrong type."""
    path = "/api/v1" + route.path.replace("{id}", "{x}")
    for p, item in doc["paths"].items():
        if _shape(p) == _shape(path) and route.method.lower() in item:
            body = item[route.method.lower()].get("requestBody")
            if not body:
                return {"unexpected": {"$ne": None}}
            ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            return {name: {"$ne": None} for name in doc["components"]["schemas"][ref]["properties"]}
    raise AssertionError(f"{route.name} is not in the OpenAPI document")


def _every_field(doc: dict, route, value) -> dict:
    return {k: value for k in _wrong_types(doc, route)}


GARBAGE = {
    "malformed JSON": (b'{"amount": ', "application/json"),
    "a JSON array": (b"[1, 2, 3]", "application/json"),
    "a JSON string": (b'"hello"', "application/json"),
    "a JSON number": (b"42", "application/json"),
    "JSON null": (b"null", "application/json"),
    "deeply nested JSON": (("[" * 5000 + "]" * 5000).encode(), "application/json"),
    "huge numbers": (b'{"amount": 1e999999, "value": 1e999999, "price": -1e999999, "claim": 1e400}',
                     "application/json"),
    "bytes that are not text": (b"\xff\xfe\x00garbage", "application/json"),
    "a form instead of JSON": (b"amount=1&price=2", "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_garbage_on_a_mutating_route_never_gets_a_500_and_a_refusal_changes_nothing(m, route):
    scene: Scene = scenes.scene(m, route.name, route.build)
    allowed = sorted(route.allowed)
    caller = scene.case.as_role(allowed[0] if allowed else "public")
    doc = m.public.ok("GET", "/openapi.json")
    bodies = dict(GARBAGE)
    bodies["every field of the wrong type"] = (json.dumps(_wrong_types(doc, route)).encode(), "application/json")
    bodies["every field 5000 characters long"] = (json.dumps(_every_field(doc, route, "7" * 5000)).encode(),
                                                 "application/json")
    bodies["every field a huge integer"] = (json.dumps(_every_field(doc, route, 2 ** 70)).encode(),
                                           "application/json")
    for name, (data, content_type) in bodies.items():
        before = snapshot(m)
        headers = {"X-Mulik-Signature": sign(SECRET, data)} if route.refused else None  # the webhook: signed
        r = raw(caller, route.method, scene.url, data, content_type, headers)
        assert r.status_code < 500, (name, r.status_code, r.data[:300])
        if r.status_code >= 400:
            body = r.get_json()
            assert set(body["error"]) >= {"code", "message", "article"}, (name, body)
            assert_unchanged(m, before)


# ---- accounts -----------------------------------------------------------------------------------------
def _register(client, email="aigerim@example.kz", password="correct horse battery"):
    r = client.post("/api/v1/auth/register", json={"email": email, "password": password,
                                                    "full_name": "Aigerim S.", "iin_bin": iin()})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_a_bidder_registers_and_logs_in_with_a_session_cookie_or_a_bearer_token(app):
    browser, api = app.test_client(), app.test_client()
    user = _register(browser)
    assert user["role"] == "bidder" and "password" not in json.dumps(user) and "password_hash" not in user
    assert browser.get("/api/v1/me").status_code == 401  # registering does not log in
    r = browser.post("/api/v1/auth/login", json={"email": "Aigerim@Example.kz", "password": "correct horse battery"})
    assert r.status_code == 200
    assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Lax" in r.headers["Set-Cookie"]
    assert browser.get("/api/v1/me").get_json()["email"] == "aigerim@example.kz"
    token = r.get_json()["token"]
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["id"] == user["id"]


@pytest.mark.parametrize("email,password", [("aigerim@example.kz", "wrong password"),
                                            ("nobody@example.kz", "correct horse battery"),
                                            ("aigerim@example.kz", "")])
def test_a_wrong_password_or_unknown_email_is_401_and_sets_no_session(app, email, password):
    client = app.test_client()
    _register(client)
    r = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    error(r, 401, "bad_credentials")
    assert "Set-Cookie" not in r.headers
    assert client.get("/api/v1/me").status_code == 401


def test_me_and_my_lists_are_401_for_the_public_and_for_a_forged_token(m):
    for url in ("/me", "/me/applications", "/me/payments", "/me/wallet"):
        error(m.public.get(url), 401, "unauthorized")
        r = m.client.get(f"/api/v1{url}", headers={"Authorization": "Bearer mlk_forged"})
        error(r, 401, "unauthorized")


@pytest.mark.production_hashing
def test_passwords_are_stored_as_argon2_hashes_never_in_plain_text(app):
    from service.orm import User
    from web import uow_for
    _register(app.test_client(), password="correct horse battery")
    with uow_for(app) as uow:
        stored = uow.session.execute(select(User.password_hash).where(User.email == "aigerim@example.kz")).scalar_one()
    assert "correct horse battery" not in stored and stored.startswith("$argon2id$")
    assert PasswordHasher().verify(stored, "correct horse battery")
    assert not PasswordHasher().check_needs_rehash(stored)  # argon2's recommended cost, not a cheap one


def test_logging_out_ends_the_session_and_the_token_no_longer_works(app):
    browser, api = app.test_client(), app.test_client()
    _register(browser)
    creds = {"email": "aigerim@example.kz", "password": "correct horse battery"}
    token = api.post("/api/v1/auth/login", json=creds).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.post("/api/v1/auth/logout", headers=bearer).status_code == 200
    error(api.get("/api/v1/me", headers=bearer), 401, "unauthorized")
    # a cookie session ends the same way (a browser sends its page's Origin: tests/e2e/test_security_headers.py)
    browser.post("/api/v1/auth/login", json=creds)
    assert browser.get("/api/v1/me").status_code == 200
    assert browser.post("/api/v1/auth/logout", headers={"Origin": "http://localhost"}).status_code == 200
    error(browser.get("/api/v1/me"), 401, "unauthorized")


def test_registration_cannot_choose_a_role_or_reuse_an_email_or_a_bad_iin(m):
    before = snapshot(m)
    base = {"email": "new@example.kz", "password": "long enough pw", "full_name": "N", "iin_bin": iin()}
    error(m.public.post("/auth/register", {**base, "role": "operator"}), 400, "validation_error")
    error(m.public.post("/auth/register", {**base, "iin_bin": base["iin_bin"][:11] + "x"}), 400)
    error(m.public.post("/auth/register", {**base, "password": "short"}), 400, "validation_error")
    error(m.public.post("/auth/register", {**base, "email": "not-an-email"}), 400, "validation_error")
    assert_unchanged(m, before)
    assert m.public.ok("POST", "/auth/register", base)["role"] == "bidder"
    error(m.public.post("/auth/register", {**base, "email": "NEW@example.kz", "iin_bin": iin()}), 409,
          "duplicate_email")


# ---- the payment webhook (SPEC §4) -----------------------------------------------------------------------
def pending_deposits(m: Mulik, n: int = 1) -> tuple[Case, list[dict]]:
    c = Case(m).announce()
    pays = [c.bidder.ok("POST", f"/auctions/{c.aid}/applications", {})["payment"]]
    for _ in range(n - 1):
        pays.append(m.user("bidder").ok("POST", f"/auctions/{c.aid}/applications", {})["payment"])
    return c, pays


def _status(c: Case, pay: dict) -> str:
    """The payment's status as the operator's payment list shows it."""
    return c.m.operator.ok("GET", f"/payments?reference={pay['reference']}")["items"][0]["status"]


def _post_webhook(m: Mulik, body: bytes, signature: str | None):
    headers = {"X-Mulik-Signature": signature} if signature is not None else {}
    return m.client.post("/api/v1/payments/webhook", data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("how", ["missing", "empty", "signed with another secret", "signed over another body",
                                 "not hex", "not ASCII"])
def test_a_webhook_without_a_good_signature_is_401_and_changes_nothing(m, how):
    c, [pay] = pending_deposits(m)
    body = json.dumps({"reference": pay["reference"], "amount": pay["amount"], "idempotency_key": "k1"}).encode()
    signature = {"missing": None, "empty": "", "signed with another secret": sign("guessed", body),
                 "signed over another body": sign(SECRET, body.replace(b"k1", b"k2")),
                 "not hex": "zz" * 32, "not ASCII": "é" * 64}[how]
    before = snapshot(m)
    error(_post_webhook(m, body, signature), 401, "bad_signature")
    assert_unchanged(m, before)
    assert _status(c, pay) == "pending"


def test_a_replayed_webhook_returns_the_same_payment_and_posts_nothing_twice(m):
    c, [pay] = pending_deposits(m)
    first = m.webhook(pay["reference"], pay["amount"], "key-1")
    assert first.status_code == 200 and first.get_json()["status"] == "paid"
    assert m.balances()[f"bidder:{c.bidder.id}:deposit"] == "50000.00"
    before, balances = snapshot(m), m.balances()
    again = m.webhook(pay["reference"], pay["amount"], "key-1")
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert m.balances() == balances
    assert_unchanged(m, before)


def test_the_same_idempotency_key_for_another_payment_is_409_and_that_payment_stays_pending(m):
    c, [mine, theirs] = pending_deposits(m, 2)
    assert m.webhook(mine["reference"], mine["amount"], "key-1").status_code == 200
    before = snapshot(m)
    error(m.webhook(theirs["reference"], theirs["amount"], "key-1"), 409, "idempotency_conflict")
    assert_unchanged(m, before)
    assert _status(c, theirs) == "pending"


@pytest.mark.parametrize("amount", ["49999.99", "50000.01", "0.00", "500000.00"])
def test_a_webhook_with_the_wrong_amount_is_422_and_the_payment_stays_pending(m, amount):
    c, [pay] = pending_deposits(m)
    before = snapshot(m)
    error(m.webhook(pay["reference"], amount, "key-1"), 422, "wrong_amount")
    assert_unchanged(m, before)
    assert _status(c, pay) == "pending"
    # the right amount under the same key is then taken: the refusal did not burn the key
    assert m.webhook(pay["reference"], pay["amount"], "key-1").get_json()["status"] == "paid"


@pytest.mark.parametrize("payload", [{"reference": "DEPOSIT-NOSUCHREF", "amount": "50000.00", "idempotency_key": "k"},
                                     {"amount": "50000.00", "idempotency_key": "k"},
                                     {"reference": None, "amount": 50000.0, "idempotency_key": "k"},
                                     {"reference": "x", "amount": "50000.00"},
                                     {"reference": {"$ne": None}, "amount": "50000.00", "idempotency_key": "k"},
                                     {"reference": "x", "amount": "50000.00", "idempotency_key": "k" * 129},
                                     {"reference": "x", "amount": "5" * 5000, "idempotency_key": "k"}],
                         ids=["unknown reference", "no reference", "float amount", "no idempotency key",
                              "an object for a reference", "an idempotency key of 129 characters",
                              "an amount of 5000 digits"])
def test_a_signed_webhook_with_bad_content_is_refused_and_changes_nothing(m, payload):
    c, [pay] = pending_deposits(m)
    if payload.get("reference") == "x":
        payload = {**payload, "reference": pay["reference"]}
    body = json.dumps(payload).encode()
    before = snapshot(m)
    r = _post_webhook(m, body, sign(SECRET, body))
    assert r.status_code in (400, 404), r.get_json()
    error(r, r.status_code)
    assert_unchanged(m, before)
    assert _status(c, pay) == "pending"
    assert Decimal(m.balances().get(f"bidder:{c.bidder.id}:deposit", "0")) == 0


# ---- bodies that are not JSON -------------------------------------------------------------------------
@pytest.mark.parametrize("content_type, data", [
    ("application/x-www-form-urlencoded", "priority_override_reason=pledged"),
    ("text/plain", '{"priority_override_reason": "pledged"}'),
    ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n"),
])
def test_a_body_that_is_not_json_is_refused_with_415_and_changes_nothing(m, content_type, data):
    """The realization order takes only optional fields: a form body must not pass as "no input"."""
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"])
    before = snapshot(m)
    r = raw(bailiff, "POST", f"/lots/{lot['id']}/realization-order", data, content_type)
    e = error(r, 415, "unsupported_media_type")
    assert "JSON" in e["message"]
    assert_unchanged(m, before)
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "VALUED"
