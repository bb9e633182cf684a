"""REST API under /api/v1 (flask-smorest; OpenAPI at /api/v1/openapi.json).

Errors: {"error": {"code", "message", "article"}} with a 4xx status; a refused request
changes nothing (the unit of work rolls back).
"""
from __future__ import annotations

from flask import current_app, jsonify
from flask_smorest import Api
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from auction.errors import DomainError
from auction.ledger import Overdraft

from ..auth import current_user


class MulikApi(Api):
    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        if messages:
            detail = "; ".join(f"{loc}.{field}: {', '.join(map(str, errs)) if isinstance(errs, list) else errs}"
                               for loc, fields in messages.items() for field, errs in fields.items())
            body = {"code": "validation_error", "message": f"invalid input: {detail}", "article": None,
                    "fields": messages}
            return jsonify(error=body), 400
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error={"code": code, "message": error.description, "article": None}), error.code


def error_response(exc: DomainError):
    return jsonify(error=exc.as_dict()), exc.status


def init_api(app) -> None:
    app.config.setdefault("API_TITLE", "Mulik")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = MulikApi(app, spec_kwargs={"info": {"description": "Electronic auctions of seized property "
                                                                "(Law of Kazakhstan No 261-IV)."}})
    app.register_error_handler(DomainError, error_response)
    app.register_error_handler(ValidationError, lambda e: (jsonify(error={
        "code": "validation_error", "message": f"invalid input: {e.messages}", "article": None}), 400))
    app.register_error_handler(Overdraft, lambda e: (jsonify(error={"code": "insufficient_funds", "message": str(e),
                                                                   "article": None}), 409))
    from . import accounts, cases, trading
    for module in (accounts, cases, trading):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    app.extensions["mulik"]["api"] = api


def call(fn, *args, view=None):
    """Run a use case for the caller in one unit of work; `view` serialises inside it."""
    from .. import uow_for
    with uow_for(current_app) as uow:
        actor = current_user(uow.session)
        uow.actor = f"user:{actor.id}" if actor else "public"
        result = fn(uow, actor, *args)
        return view(uow, actor, result) if view else result
