"""What every page shares: the person logged in on the request (`me`), a form's text through the
API's schema (`load_form`), and a use case run for the person with its refusal shown in the page's
language (`run`, `submit`). The use cases and reads run through the one runner (web/runner.py)."""
from __future__ import annotations

import json

from flask import flash, g, request, session
from flask_babel import gettext as _
from marshmallow import ValidationError

from auction.errors import DomainError
from service.queries import accounts as people
from service.runner import Caller

from .i18n import lang
from .refusals import field_errors, form_name, refusal
from .runner import call


def me():
    """The person logged in on this request, with his unread notifications for the header: read once,
    before the page's own reads (SQLite takes its write lock at BEGIN: a second unit of work inside the
    page's would wait for it)."""
    if "me" not in g:
        uid = session.get("uid")
        g.me, g.unread = call(people.header, caller=Caller(user_id=uid)) if uid else (None, 0)
    return g.me


def unread() -> int:
    """How many notifications the person logged in has not read."""
    me()
    return g.unread


def run(fn, *args):
    """A use case for the logged-in person in one unit of work; (result, None) or (None, refusal).
    `fn` is a command (its class, built from `args`, or one built) or a read of service/queries."""
    try:
        return call(fn, *args), None
    except DomainError as exc:
        return None, refusal(exc)


def form_errors(exc: ValidationError) -> str:
    """A form the schema refused: every field's error at once, in the page's language. The summary is
    flashed; each error is also handed to the page by its input's name (category "fields"), and
    web/static/fields.js writes it beside that input and marks the input invalid."""
    errors = field_errors(exc.messages)
    by_input = {form_name(path): text for path, text in errors.items()}
    flash(json.dumps({"action": request.form.get("action", ""), "fields": by_input}, ensure_ascii=False), "fields")
    english = lang() == "en"
    return _("Not saved: %(errors)s", errors=" · ".join(f"{path}: {text}" if english else text
                                                       for path, text in errors.items()))


def load_form(schema, data: dict) -> dict:
    """A page form's text through the API's schema: integers as digits, money also as the page's
    language prints it ("5 000 000,00" in kk and ru; web/api/fields.py)."""
    from .api.fields import reading
    with reading(lang()):
        return schema.load(data)


def submit(schema, data: dict, fn, *args, done: str) -> bool:
    """A form's data through the API's schema into the use case; the outcome flashed. True if done."""
    try:
        loaded = load_form(schema, data)
    except ValidationError as exc:
        flash(form_errors(exc), "error")
        return False
    _result, refused = run(fn, *args, loaded)
    flash(refused or done, "error" if refused else "ok")
    return refused is None
