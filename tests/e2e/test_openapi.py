"""The OpenAPI document is true (issue 11 point 6): valid; every operation's answer documented with its
schema; the SPEC §9 error body and the statuses the app really gives; money as patterned strings; the
PDFs as application/pdf; a 405 names the allowed methods. Real answers — to the public, a bidder,
the case's bailiff and an operator — validate against what the document says of them."""
from __future__ import annotations

import json
import re
import warnings

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_spec

from ..helpers import Mulik, error
from .test_access_matrix import (
    Case,
    own_numbering,  # noqa: F401  (autouse fixture: the IINs of these tests)
)

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
METHODS = ("get", "put", "post", "delete", "patch")


def document(client) -> dict:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    return json.loads(r.data)


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def response_of(doc: dict, path: str, method: str, status: int) -> dict:
    response = doc["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def assert_valid(doc: dict, schema: dict, body) -> None:
    """`body` against an OpenAPI 3.0 schema of `doc` (its $refs resolved in the document)."""
    validator = OAS30Validator({**schema, "components": doc["components"]}, format_checker=oas30_format_checker)
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]]


def assert_documented(doc: dict, path: str, method: str, r) -> None:
    """The answer `r` to `method path` has a status, a content type and a body the document gives."""
    assert str(r.status_code) in doc["paths"][path][method]["responses"], (path, method, r.status_code)
    content = response_of(doc, path, method, r.status_code)["content"]
    assert r.mimetype in content, (path, r.status_code, r.mimetype, list(content))
    if r.mimetype == "application/json":
        assert_valid(doc, content["application/json"]["schema"], r.get_json())


def schema_named(doc: dict, name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# ---- the document ------------------------------------------------------------------------------------
@SQLITE_ONLY
def test_the_document_is_a_valid_openapi_document(client):
    doc = document(client)
    validate_spec(doc)  # raises on the first problem, naming it
    assert doc["openapi"] == "3.0.3"


@SQLITE_ONLY
def test_every_operation_documents_a_success_with_its_schema(client):
    doc = document(client)
    missing = []
    for path, method, op in operations(doc):
        successes = {code: response_of(doc, path, method, int(code)) for code in op["responses"]
                     if code.startswith("2")}
        schemas = [media.get("schema") for r in successes.values() for media in r.get("content", {}).values()]
        if not schemas or not all(schemas):
            missing.append(f"{method.upper()} {path}")
    assert not missing


@SQLITE_ONLY
def test_every_api_route_of_the_application_is_in_the_document(app, client):
    doc = document(client)
    documented = {(m, re.sub(r"\{[^}]+\}", "{}", p)) for p, m, _ in operations(doc)}
    served = {(method.lower(), re.sub(r"<[^>]+>", "{}", rule.rule)) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served - documented == set()


@SQLITE_ONLY
def test_refusals_are_documented_with_the_spec_error_body_and_no_catch_all(client):
    doc = document(client)
    assert doc["components"]["schemas"]["ErrorBody"]["required"] == ["error"]
    assert set(doc["components"]["schemas"]["ErrorDetail"]["required"]) == {"code", "message", "article"}
    for path, method, op in operations(doc):
        assert "default" not in op["responses"], (method, path)
        assert "400" in op["responses"], (method, path)  # every query string is checked
        for code in op["responses"]:
            if code[0] == "4":
                schema = response_of(doc, path, method, int(code))["content"]["application/json"]["schema"]
                assert schema == schema_named(doc, "ErrorBody"), (method, path, code)
    # Input that cannot be read is 400 in the document as in the answers; 422 stays for refusals under a rule.
    register = doc["paths"]["/api/v1/auth/register"]["post"]["responses"]
    assert {"400", "409", "429"} <= set(register) and "422" not in register
    assert "Retry-After" in response_of(doc, "/api/v1/auth/login", "post", 429)["headers"]
    bids = doc["paths"]["/api/v1/auctions/{auction_id}/bids"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "422", "429"} <= set(bids)


def _walk(node, where=""):
    if isinstance(node, dict):
        yield where, node
        for k, v in node.items():
            yield from _walk(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{where}/{i}")


@SQLITE_ONLY
def test_money_is_a_string_with_a_pattern_and_no_bound_is_given_as_text(client):
    doc = document(client)
    for where, node in _walk(doc):
        for bound in ("minimum", "maximum"):
            if bound in node:
                assert isinstance(node[bound], (int, float)) and node.get("type") in ("integer", "number"), where
    amount = doc["components"]["schemas"]["BidIn"]["properties"]["amount"]
    assert amount["type"] == "string" and re.fullmatch(amount["pattern"], "1250000.00")
    assert not re.search(amount["pattern"], "1e3") and not re.search(amount["pattern"], "-1.00")
    price = doc["components"]["schemas"]["State"]["properties"]["price"]
    assert price["type"] == "string" and re.search(price["pattern"], "1250000.00") and price["nullable"]
    query = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/lots"]["get"]["parameters"]}
    assert query["price_min"]["type"] == "string" and "pattern" in query["price_min"]


@SQLITE_ONLY
def test_the_pdfs_are_documented_as_application_pdf(client):
    doc = document(client)
    for path in ("/api/v1/auctions/{auction_id}/protocol.pdf", "/api/v1/documents/{document_id}.pdf"):
        content = response_of(doc, path, "get", 200)["content"]
        assert list(content) == ["application/pdf"], path
        assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}


@SQLITE_ONLY
def test_a_resource_seen_by_role_is_documented_as_one_of_its_views(client):
    doc = document(client)
    lot = response_of(doc, "/api/v1/lots/{lot_id}", "get", 200)["content"]["application/json"]["schema"]
    assert lot == {"oneOf": [schema_named(doc, "LotPublic"), schema_named(doc, "LotParty")]}
    public, party = (doc["components"]["schemas"][n] for n in ("LotPublic", "LotParty"))
    assert public["additionalProperties"] is False and "coowners" not in public["properties"]
    assert "coowners" in party["required"]
    auction = doc["components"]["schemas"]
    assert "applications" not in auction["AuctionPublic"]["properties"]
    assert "applications" in auction["AuctionStaff"]["required"]
    assert "collectors" not in auction["ProceedingPublic"]["properties"]


# ---- real answers ------------------------------------------------------------------------------------
def _failed_auction(m: Mulik) -> Case:
    """Nobody applied: the first auction failed (its protocol is issued on the first request)."""
    return Case(m).fail_first()


@SQLITE_ONLY
def test_real_answers_to_each_role_validate_against_the_document(m):
    doc = document(m.client)
    c = Case(m).open()
    c.rival.ok("POST", f"/auctions/{c.aid}/bids", {"amount": "1050000.00", "client_id": "r1"})
    bid = c.bidder.post(f"/auctions/{c.aid}/bids", {"amount": "1100000.00", "client_id": "b1"})
    assert_documented(doc, "/api/v1/auctions/{auction_id}/bids", "post", bid)
    asked = [
        (m.public, "/lots", "/api/v1/lots"), (m.public, f"/lots/{c.lot_id}", "/api/v1/lots/{lot_id}"),
        (m.public, f"/auctions/{c.aid}", "/api/v1/auctions/{auction_id}"),
        (m.public, f"/proceedings/{c.pid}", "/api/v1/proceedings/{pid}"),
        (m.public, f"/lots/{c.lot_id}/journal", "/api/v1/lots/{lot_id}/journal"),
        (m.public, f"/auctions/{c.aid}/bids", "/api/v1/auctions/{auction_id}/bids"),
        (m.public, "/settings", "/api/v1/settings"), (m.public, "/settings/mci", "/api/v1/settings/mci"),
        (c.bidder, f"/auctions/{c.aid}/state", "/api/v1/auctions/{auction_id}/state"),
        (c.bidder, "/me/applications", "/api/v1/me/applications"), (c.bidder, "/me", "/api/v1/me"),
        (c.bidder, "/me/payments", "/api/v1/me/payments"), (c.bidder, "/me/wallet", "/api/v1/me/wallet"),
        (c.bidder, f"/auctions/{c.aid}/auto-bid", "/api/v1/auctions/{auction_id}/auto-bid"),
        (c.bailiff, f"/lots/{c.lot_id}", "/api/v1/lots/{lot_id}"),
        (c.bailiff, f"/auctions/{c.aid}", "/api/v1/auctions/{auction_id}"),
        (c.bailiff, f"/proceedings/{c.pid}", "/api/v1/proceedings/{pid}"),
        (c.bailiff, f"/lots/{c.lot_id}/journal", "/api/v1/lots/{lot_id}/journal"),
        (c.bailiff, f"/lots/{c.lot_id}/documents", "/api/v1/lots/{lot_id}/documents"),
        (c.bailiff, "/lots", "/api/v1/lots"), (c.bailiff, "/auctions", "/api/v1/auctions"),
        (m.operator, "/payments", "/api/v1/payments"), (m.operator, f"/auctions/{c.aid}/replay",
                                                          "/api/v1/auctions/{auction_id}/replay"),
    ]
    for user, url, path in asked:
        r = user.get(url)
        assert r.status_code == 200, (url, r.status_code, r.get_json())
        assert_documented(doc, path, "get", r)
    # Each caller gets the view documented for him, and it is not the other view.
    views = [("LotPublic", "LotParty", m.public, f"/lots/{c.lot_id}"),
             ("LotParty", "LotPublic", c.bailiff, f"/lots/{c.lot_id}"),
             ("AuctionPublic", "AuctionStaff", c.bidder, f"/auctions/{c.aid}"),
             ("AuctionStaff", "AuctionPublic", m.operator, f"/auctions/{c.aid}"),
             ("ProceedingPublic", "ProceedingParty", m.public, f"/proceedings/{c.pid}"),
             ("ProceedingParty", "ProceedingPublic", c.debtor, f"/proceedings/{c.pid}")]
    for name, other, user, url in views:
        body = user.ok("GET", url)
        assert_valid(doc, schema_named(doc, name), body)
        assert list(OAS30Validator({**schema_named(doc, other), "components": doc["components"]}).iter_errors(body)), (
            f"{url} as {user.role} fits {other} too")
    m.advance(minutes=11)
    m.tick()
    approval = c.bailiff.post(f"/auctions/{c.aid}/results/approval")
    assert_documented(doc, "/api/v1/auctions/{auction_id}/results/approval", "post", approval)


@SQLITE_ONLY
def test_real_refusals_validate_against_the_documented_error_body(m):
    doc = document(m.client)
    bidder, bailiff = m.user("bidder"), m.user("bailiff")
    cases = [
        (m.public.get("/lots?page=0"), "/api/v1/lots", "get", 400),
        (m.public.get("/me"), "/api/v1/me", "get", 401),
        (bidder.post("/proceedings", {}), "/api/v1/proceedings", "post", 400),
        (m.public.get("/lots/2147483646"), "/api/v1/lots/{lot_id}", "get", 404),
        (bidder.post("/users", {"email": "x@example.kz", "password": "long enough", "full_name": "X",
                                "iin_bin": bidder.iin_bin, "role": "operator"}), "/api/v1/users", "post", 403),
        (m.public.post("/auth/register", {"email": bidder.email, "password": "long enough pw", "full_name": "B",
                                          "iin_bin": bidder.iin_bin}), "/api/v1/auth/register", "post", 409),
    ]
    _, _, lot = m.ordered_lot(bailiff)
    cases.append((bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(3)}),
                  "/api/v1/lots/{lot_id}/auctions", "post", 422))
    for r, path, method, status in cases:
        assert r.status_code == status, (path, r.status_code, r.get_json())
        assert_documented(doc, path, method, r)


@SQLITE_ONLY
def test_the_protocol_is_served_as_the_pdf_the_document_says(m):
    doc = document(m.client)
    c = _failed_auction(m)
    for user in (m.public, c.bailiff):
        r = user.get(f"/auctions/{c.aid}/protocol.pdf")
        assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
        assert_documented(doc, "/api/v1/auctions/{auction_id}/protocol.pdf", "get", r)
    item = next(d for d in c.bailiff.ok("GET", f"/lots/{c.lot_id}/documents")["items"]
                if d["kind"] == "auction_protocol")
    r = m.public.get(item["url"].removeprefix("/api/v1"))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert_documented(doc, "/api/v1/documents/{document_id}.pdf", "get", r)


@SQLITE_ONLY
def test_a_405_names_the_allowed_methods_in_allow(m):
    r = m.public._req("DELETE", "/lots")
    error(r, 405, "method_not_allowed")
    assert set(r.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    r = m.public._req("PATCH", "/auctions/1/auto-bid")
    error(r, 405, "method_not_allowed")
    assert {"GET", "PUT"} <= set(r.headers["Allow"].replace(" ", "").split(","))
    page = m.client.delete("/")  # a page too
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


@SQLITE_ONLY
def test_an_id_beyond_what_the_database_holds_is_not_found_on_every_method(m):
    """Found by the fuzzing: a POST to such a path was 405, as if the path took no POST."""
    bidder = m.user("bidder")
    huge = 10916209793643268
    error(bidder.post(f"/auctions/{huge}/bids", {"amount": "1.00", "client_id": "x"}), 404, "not_found")
    error(bidder.get(f"/auctions/{huge}"), 404, "not_found")
    error(m.operator.put(f"/settings/mci/{huge}", {"value": "4000.00", "reason": "r"}), 400, "bad_year")


def test_an_answer_with_a_field_its_view_does_not_declare_is_refused_loudly():
    """The public view's schema sends no private field, and says so when one is handed to it."""
    from web.api.responses import Lot, ResponseShapeWarning, Viewed, dump
    party = {name: None for name in Lot.view("party")().fields}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ResponseShapeWarning, match="undeclared.*coowners"):
            dump(Lot, Viewed("public", party))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sent = dump(Lot, Viewed("public", party))
    assert "coowners" not in sent and "appraiser_id" not in sent and "title" in sent
