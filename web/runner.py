"""The web's side of the one way in (service/runner.py): who calls on this request, and the app's runner.

Every route, page form, socket event and page read calls `call(fn, *args, view=...)`; none opens a
unit of work or looks up the caller itself.
"""
from __future__ import annotations

from flask import current_app, request, session

from auction.commands import Command
from service.handlers import entry, handle
from service.runner import Caller


def request_caller() -> Caller:
    """The API: a bearer token (it wins) or the session cookie; the pages: the session cookie (their
    forms carry its CSRF token)."""
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return Caller(token=header[7:].strip())
    return Caller(user_id=session.get("uid"))


def call(fn, *args, view=None, caller: Caller | None = None, app=None):
    """`fn(uow, actor, *args)` for the caller of this request (or the one given) in one unit of work;
    `fn` may be a command of auction/commands.py (its class, built from `args`, or one built), run by
    its one handler. `view(uow, actor, result)` serialises inside it. A refusal propagates (the API
    answers it as JSON)."""
    app = app or current_app
    if isinstance(fn, Command):  # a command already built
        fn, args = handle, (fn, *args)
    elif isinstance(fn, type) and issubclass(fn, Command):  # its class: built from the targets and data
        fn = entry(fn)
    return app.extensions["mulik"]["runner"](request_caller() if caller is None else caller, fn, *args, view=view)


def command(kind, *args, view=None):
    """The command `kind` built from the route's or form's targets and a schema's loaded data (the last
    argument), or a command already built, handled by its one handler (service/handlers.py) for the
    caller of this request (what `call` does with a command; the name says it at the route)."""
    return call(kind, *args, view=view)
