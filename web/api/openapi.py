"""What the OpenAPI document says, and that the answers say the same (issue 11 point 6).

- Every answer is documented with its schema (web/api/responses.py) and serialised through it by
  `Blueprint.answers`: a route returns plain data (web/api/views.py), `answers` dumps it with the
  schema — for a resource seen differently by role, with the view the route chose — and documents
  the status, the content type and the refusals that can come back.
- Errors are SPEC §9's `{"error": {"code", "message", "article"}}` (`ErrorBody`), with the status
  the app really answers: 400 for input it cannot read (never flask-smorest's 422, kept for refusals
  under a rule of the law), 401/403/404/409/422/429 where a route can give them. `MulikSpec` adds
  those every operation of a kind can give: 400 (every query string is checked), 403 (the CSRF
  rule), 413 and 415 (bodies) on the methods that change something, 404 on paths with an id.
- Money is a string of ASCII digits, never a number: taken with at most two decimals (the pattern of
  each web/api/fields.Number), answered with two (`MONEY_OUT_PATTERN`).
"""
from __future__ import annotations

import http
from functools import wraps

import flask_smorest
from apispec import BasePlugin
from flask import Response, jsonify
from flask_smorest.arguments import ArgumentsMixin
from marshmallow import Schema, fields

from .fields import MONEY_OUT_PATTERN  # noqa: F401  (defined with the input's rules; responses/base.py uses it)

UNSAFE = ("post", "put", "patch", "delete")


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"description": "the refusal's stable name"})
    message = fields.String(required=True, metadata={"description": "why, citing the article where a law rule"})
    article = fields.String(required=True, allow_none=True, metadata={
        "description": "the article of Law No 261-IV the refusal rests on; null for a platform or input rule"})
    fields_ = fields.Dict(data_key="fields", metadata={
        "description": "input refused: its location (json, query), then each field's errors"})
    iin_bin = fields.String(metadata={"description": "eds_no_account: the IIN/BIN the EDS certificate names"})
    full_name = fields.String(metadata={"description": "eds_no_account: the certificate's holder (its CN)"})


class ErrorBody(Schema):
    """SPEC §9: every refusal, with a 4xx status; a refused request changes nothing."""

    error = fields.Nested(ErrorDetail, required=True)


class _Parser(ArgumentsMixin.ARGUMENTS_PARSER.__class__):
    DEFAULT_VALIDATION_STATUS = 400  # what the app answers (MulikApi.handle_http_exception), documented so


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _Parser()

    def answers(self, status: int, schema=None, refusals: str = "", *, content_type: str | None = None,
                description: str | None = None, headers: dict | None = None):
        """The route answers `status` with `schema` (a response schema class, a view schema — the route
        then returns `responses.Viewed` — or a dict for a non-JSON body); `refusals` lists the statuses
        of the refusals it can give beyond MulikSpec's, e.g. "401 403 409 422"."""
        from .responses.base import documented, dump

        def decorator(func):
            @wraps(func)
            def serialised(*args, **kwargs):
                result = func(*args, **kwargs)
                if isinstance(result, Response):
                    return result
                response = jsonify(dump(schema, result))
                response.status_code = status
                return response

            route = self.response(status, documented(schema), content_type=content_type, description=description,
                                  headers=headers)(serialised)
            for code in sorted({int(c) for c in refusals.split()}):
                route = self.alt_response(code, response=_refusal_name(code))(route)
            return route
        return decorator


REFUSALS = {  # status: (the component's name, what it means here)
    400: ("InvalidInput", "The input cannot be read: a field refused (named in the message and in `fields`), "
                          "a control character, malformed JSON. Nothing changed."),
    401: ("NotLoggedIn", "No valid login (session cookie or bearer token); for the provider's notice, no valid "
                         "signature."),
    403: ("NotAllowed", "The caller's role or place in the case does not allow it; or a cookie-authenticated "
                        "change without a same-origin Origin or the CSRF token."),
    404: ("NotFound", "No such resource, or not one the caller may see."),
    409: ("Conflict", "The resource is not in a state where this can happen, or it conflicts with what exists "
                      "(an e-mail, an idempotency key); or the money is not there."),
    413: ("TooLarge", "The body is larger than the platform takes."),
    415: ("NotJson", "The body is not JSON (Content-Type: application/json)."),
    422: ("RefusedByRule", "A rule of the law (its article in `article` and in the message) or of the platform "
                           "refuses it now. Nothing changed."),
    429: ("TooManyAttempts", "Too many attempts (rate limit): retry after the seconds in Retry-After."),
}


def _refusal_name(code: int) -> str:
    return REFUSALS[code][0] if code in REFUSALS else http.HTTPStatus(code).name


class MulikSpec(BasePlugin):
    """The refusals every operation of a kind can give (see the module's docstring)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            codes = [400]
            if method in UNSAFE:
                codes += [403, 413, 415]
            if "{" in (path or ""):
                codes.append(404)
            for code in codes:
                if str(code) not in {str(k) for k in responses}:
                    responses[str(code)] = _refusal_name(code)


def money_and_views(self, field, ret, **kwargs) -> dict:
    """An apispec attribute function: input decimals (web/api/fields.Number) as the strings they are,
    with their pattern and no `minimum` (a Decimal there made the document invalid); a field holding one
    of a resource's views (responses.Views) as `oneOf` the views."""
    from .fields import Number
    from .responses.base import Views
    if isinstance(field, Number):
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format"):
            ret.pop(key, None)
        whole = len(str(int(field.max_value)))
        return {"type": "string", "pattern": rf"^[0-9]{{1,{whole}}}(\.[0-9]{{1,{field.decimals}}})?$",
                "example": field.example}
    if isinstance(field, Views):
        return {"oneOf": [self.resolve_nested_schema(view) for view in field.schema.view_classes()]}
    return {}


def init_spec(api) -> None:
    """Once the Api exists: the attribute function, the refusals (the rate limit's with its header)."""
    api.ma_plugin.converter.add_attribute_function(money_and_views)
    for code, (name, description) in REFUSALS.items():
        response = {"description": description, "content": {"application/json": {"schema": ErrorBody}}}
        if code == 429:
            response["headers"] = {"Retry-After": {"description": "seconds to wait",
                                                   "schema": {"type": "integer", "minimum": 0}}}
        api.spec.components.response(name, response, lazy=True)
