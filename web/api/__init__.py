"""REST API under /api/v1 (flask-smorest; OpenAPI at /api/v1/openapi.json).

Errors: {"error": {"code", "message", "article"}} with a 4xx status; a refused request
changes nothing (the unit of work rolls back).
"""
from __future__ import annotations

import threading

from flask import jsonify
from flask_smorest import Api
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, UnicodeConverter

from auction.errors import DomainError
from auction.ledger import Overdraft

from .fields import DB_INT_MAX
from .openapi import ErrorBody, MulikSpec, init_spec


class MulikApi(Api):
    """flask-smorest's Api, with the OpenAPI document built the first time it is read (openapi.json,
    `flask openapi`) instead of when the app is made: documenting ~70 operations is most of the cost
    of making an app, which every process start (and every test) pays otherwise. Same document."""

    def __init__(self, *args, **kwargs):
        self._spec, self._spec_options, self._undocumented, self._spec_building = None, None, [], False
        self._spec_lock = threading.RLock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        if self._spec_options is not None or self._undocumented:
            with self._spec_lock:  # other threads wait here until the document is whole
                if self._spec_building:  # this thread, re-entering: flask-smorest reads `spec` as it builds it
                    return self._spec
                self._spec_building = True
                try:
                    if self._spec_options is not None:
                        super()._init_spec(**self._spec_options)
                        init_spec(self)  # web/api/openapi.py: money, views, the refusals
                        self._spec_options = None
                    while self._undocumented:  # each taken off the list once it is in the document
                        blp, name, parameters = self._undocumented[0]
                        blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                        self._spec.tag({"name": name, "description": blp.description})
                        self._undocumented.pop(0)
                finally:
                    self._spec_building = False
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        self._spec = value

    def _init_spec(self, **options) -> None:
        self._spec_options = options  # built by `spec` when first read
        from flask_smorest.spec import openapi_cli
        self._app.cli.add_command(openapi_cli)

    def register_converter(self, converter, func) -> None:
        self._converters.append((converter, func))  # into the document when it is built ...
        if self._spec is not None and self._spec_options is None:  # ... or now, if it already is
            self._register_converter(converter, func)

    def register_blueprint(self, blp, *, parameters=None, **options) -> None:
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))  # documented by `spec` when first read

    ERROR_SCHEMA = ErrorBody  # SPEC §9, in the document as in the answers
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists the statuses it can answer (web/api/openapi.py)

    def handle_http_exception(self, error: HTTPException):
        from flask import render_template, request
        # The exception's own headers stay: a 405's Allow (RFC 9110 §15.5.6) above all.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if not request.path.startswith("/api/"):  # a page: an HTML error page in the page's language
            return render_template("error.html", error=error), error.code, headers
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if messages:
            # A location's errors are {field: errors}, or a bare list (webargs: "Invalid JSON body.").
            detail = "; ".join(f"{loc}.{field}: {', '.join(map(str, errs)) if isinstance(errs, list) else errs}"
                               for loc, fields in messages.items()
                               for field, errs in (fields.items() if isinstance(fields, dict) else [("_body", fields)]))
            body = {"code": "validation_error", "message": f"invalid input: {detail}", "article": None,
                    "fields": messages}
            return jsonify(error=body), 400
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error={"code": code, "message": error.description, "article": None}), error.code, headers


def error_response(exc: DomainError):
    return jsonify(error=exc.as_dict()), exc.status


def _refuse_deeply_nested_json():
    """json.loads raises RecursionError, not ValueError, on a deeply nested body ("[[[[..."): the
    parsers would answer 500. Refuse it with 400; malformed JSON is left to the parsers."""
    import json

    from flask import request
    if request.is_json:
        try:
            json.loads(request.get_data(cache=True) or b"null")
        except RecursionError:
            return jsonify(error={"code": "validation_error", "message": "invalid input: the JSON body is nested "
                                  "too deeply", "article": None}), 400
        except ValueError:
            pass
    return None


def _refuse_non_json_bodies():
    """The API reads JSON only: a body of another type (a form, text) would otherwise be read as
    no input at all on routes whose fields are all optional, and acted on. 415, nothing changed."""
    from flask import request
    if (request.path.startswith("/api/v1/") and request.method in ("POST", "PUT", "PATCH")
            and (request.content_length or request.headers.get("Transfer-Encoding")) and not request.is_json):
        return jsonify(error={"code": "unsupported_media_type", "message": "the body must be JSON "
                              "(Content-Type: application/json)", "article": None}), 415
    return None


def _refuse_control_characters():
    """NUL and the other control characters in a query string (any request) or a page's form field
    are refused with 400 before anything reads them: PostgreSQL cannot store or compare a NUL. A
    form's free text keeps its line breaks and tabs (the schemas decide which fields are multi-line);
    JSON bodies are checked field by field by the schemas (web/api/fields.py)."""
    from flask import request

    from .fields import control_character
    where = [("query", k, v, False) for k, vs in request.args.lists() for v in [k, *vs]]
    if not request.path.startswith("/api/") and request.method == "POST" and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        where += [("form", k, v, True) for k, vs in request.form.lists() for v in [k, *vs]]
    for location, name, value, multiline in where:
        bad = control_character(value.replace("\r\n", "\n") if multiline else value, multiline)
        if bad:
            message = f"invalid input: {location}.{name[:40]}: control character {bad} is not allowed"
            if request.path.startswith("/api/"):
                return jsonify(error={"code": "validation_error", "message": message, "article": None,
                                      "fields": {location: {name: [f"control character {bad} is not allowed"]}}}), 400
            from werkzeug.exceptions import BadRequest as PageBadRequest
            page_error = PageBadRequest(description=message)
            page_error.control = {"where": f"{location}.{name[:40]}", "char": bad}  # shown by error.html
            raise page_error
    return None


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` in URLs: an id beyond what an INTEGER column holds stands for no row (0: ids start at
    1), so the route answers as for any id it does not find (404), rather than PostgreSQL an error
    (500). werkzeug's own bound (`max=`) would answer such a POST 405, as if the path took no POST."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= DB_INT_MAX else 0


class DayConverter(UnicodeConverter):
    """`<day:...>` in URLs: a calendar day, YYYY-MM-DD (the document says so; the route refuses another
    text with 400, naming the form)."""


def init_api(app) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added
    app.url_map.converters["day"] = DayConverter
    app.config.setdefault("API_TITLE", "Mulik")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = MulikApi(app, spec_kwargs={"info": {"description": "Electronic auctions of seized property "
                                                                "(Law of Kazakhstan No 261-IV)."},
                                      "extra_plugins": [MulikSpec()]})
    api.register_converter(DayConverter, lambda converter: {"type": "string", "format": "date"})
    app.register_error_handler(DomainError, error_response)
    app.register_error_handler(ValidationError, lambda e: (jsonify(error={
        "code": "validation_error", "message": f"invalid input: {e.messages}", "article": None}), 400))
    app.register_error_handler(Overdraft, lambda e: (jsonify(error={
        "code": "insufficient_funds", "message": f"Art. {e.article}: {e}" if e.article else str(e),
        "article": e.article}), 409))
    app.before_request(_refuse_control_characters)
    app.before_request(_refuse_non_json_bodies)
    app.before_request(_refuse_deeply_nested_json)
    from . import accounts, cases, trading
    for module in (accounts, cases, trading):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    app.extensions["mulik"]["api"] = api

