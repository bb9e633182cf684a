"""Fuzzing (issue 11 point 7): schemathesis over every operation of the OpenAPI document, in process
against the Flask app (WSGI, no server), anonymous and as each role, on SQLite (and on PostgreSQL for
the public, bidders, bailiffs and operators).

Each operation starts from the same scene (tests/e2e/scenes.py): a case with a person in every role
whose lot is at an open auction with two admitted bidders. Schemathesis generates requests that fit
the document (positive) and requests that do not (negative); path ids are generated freely or taken
from the scene (the case's lot, auction, proceeding, collector, payment, document), so requests reach
real resources too. Every answer must be below 500 and conform to what the document says of the
operation: a documented status, its content type, a body of its schema (and documented headers).

Bounds (docs/decisions.md): `EXAMPLES` requests per operation, role and mode, derandomized (the same
requests every run), no deadline, no shrinking, no example database; each request is sent as every
role of the test.
"""
from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.payments import sign

from ..helpers import Mulik
from . import scenes
from .test_access_matrix import (
    Case,
    own_numbering,  # noqa: F401  (autouse fixture: the IINs of these tests)
)

ROLES = ("anonymous", "bidder", "debtor", "collector", "appraiser", "bailiff", "operator")
# Per operation, role and generation mode; MULIK_FUZZ_EXAMPLES=200 fuzzes deeper by hand (minutes per role).
EXAMPLES = int(os.environ.get("MULIK_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
BOUNDED = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                   phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def _scene(m: Mulik) -> dict:
    c = Case(m).open()
    payment = c.bidder.ok("GET", "/me/payments")["items"][0]
    document = c.bailiff.ok("GET", f"/lots/{c.lot_id}/documents")["items"][0]
    collector = c.proceeding["collectors"][0]["id"]
    return {"people": {"anonymous": m.public, "bidder": c.bidder, "debtor": c.debtor, "collector": c.collector,
                       "appraiser": c.appraiser, "bailiff": c.bailiff, "operator": m.operator},
            "ids": {"lot_id": c.lot_id, "auction_id": c.aid, "pid": c.pid, "cid": collector,
                    "payment_id": payment["id"], "document_id": document["id"], "dispute_id": 1, "coowner_id": 1,
                    "year": 2026, "day": "2026-12-31", "user_id": c.rival.id}}


def _cases(operation, mode: GenerationMode, ids: dict):
    """Requests of `operation`: path parameters generated, or the scene's own ids."""
    free = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    if not names or mode.is_negative:
        return free
    return st.one_of(operation.as_strategy(generation_mode=mode, path_parameters={n: ids[n] for n in names}), free)


def _send(m: Mulik, case, headers: dict):
    """The request of `case`; the provider's notice signed as the provider signs it, so that its body
    is read past the signature (the body exactly as sent: the HMAC covers its bytes)."""
    if case.operation.path == "/api/v1/payments/webhook" and isinstance(case.body, dict):
        body = json.dumps(case.body).encode()
        return m.client.post(case.formatted_path, data=body, content_type="application/json",
                             headers={**headers, "X-Mulik-Signature": sign(m.app.config["WEBHOOK_SECRET"], body)})
    return case.call(headers=headers)


def _fuzz(m: Mulik, roles: tuple[str, ...], part: int) -> list[str]:
    """Every `PARTS`-th operation from `part` on: each generated request is sent as each of `roles`
    (derandomized, the requests do not depend on the role: generating them once per role would make
    the same requests seven times over, and generating is most of the cost)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", m.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    failures: list[str] = []
    for operation in operations[part::PARTS]:
        scene = scenes.scene(m, "fuzz", _scene)  # the same start for every operation
        people = {role: scene["people"][role] for role in roles}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            found: dict[str, str] = {}  # one failure per operation, mode and role is enough to report

            @BOUNDED
            @given(case=_cases(operation, mode, scene["ids"]))
            def request(case):
                for role, user in people.items():
                    if role in found:
                        continue
                    headers = {"Authorization": f"Bearer {user.token}"} if user.token else {}
                    try:
                        response = _send(m, case, headers)
                    except Exception as exc:  # the app raised (TESTING propagates): a 500 in production
                        found[role] = (f"{operation.label} as {role} ({mode}): the app raised {exc!r}\n"
                                       f"    {case.as_curl_command(headers=headers)}")
                        continue
                    try:
                        case.validate_response(response, checks=CHECKS, headers=headers)
                    except BaseExceptionGroup as group:  # schemathesis' FailureGroup: what did not conform
                        titles = "; ".join(f.title for f in group.exceptions)
                        body = response.text[:300]  # a schemathesis or a werkzeug answer
                        found[role] = (f"{operation.label} as {role} ({mode}): {response.status_code} {titles}: "
                                       f"{body}\n    {case.as_curl_command(headers=headers)}")

            try:
                request()
            except Unsatisfiable:
                assert mode.is_negative, operation.label  # nothing to negate: no parameter and no body
            failures += found.values()
    return failures


# PostgreSQL (where a NUL byte or an oversized integer used to be a 500) for the public and the three roles
# that act the most; the parties' and the appraiser's requests meet the same parsing and access checks,
# fuzzed on SQLite. The operations are dealt into PARTS tests, so that the workers share them.
POSTGRES_ROLES = ("anonymous", "bidder", "bailiff", "operator")
PARTS = 3


@pytest.mark.parametrize(("db_url", "part"), [pytest.param(db, part, id=f"{db}-part{part + 1}of{PARTS}")
                                              for db in ("sqlite", "postgres") for part in range(PARTS)],
                         indirect=["db_url"])
def test_fuzzing_every_operation_finds_no_server_error_and_no_answer_unlike_the_document(m, db_url, part):
    failures = _fuzz(m, ROLES if db_url.startswith("sqlite") else POSTGRES_ROLES, part)
    assert not failures, "\n".join(failures)
