"""One way in (STYLE.md): every entry point — an HTTP route, a socket event, a page's form, the CLI,
the demo — says who calls (a `Caller`), and the runner opens one unit of work, resolves that caller
to an account once, names him in the journal, and runs the use case or the query in it.

No Flask here: the web layer builds the caller from the request (web/runner.py), the demo from its
own accounts, the CLI as a system.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.exc import DBAPIError, OperationalError

from auction.errors import Unavailable

from .access import AccountId
from .queries.accounts import actor as resolve_actor
from .uow import UnitOfWork

log = logging.getLogger(__name__)

PUBLIC = "public"


@dataclass(frozen=True)
class Caller:
    """Who calls, as the entry point knows him."""

    user_id: int | None = None  # the session cookie, a socket's login, the demo's accounts
    token: str | None = None  # an API token (Authorization: Bearer): it wins over user_id
    system: str | None = None  # "system:cli": no account, named so in the journal

    @classmethod
    def of(cls, user) -> "Caller":
        return cls(user_id=user.id) if user is not None else cls()


def actor_label(actor) -> str:
    """Who acted, as the journal names him: `user:<id>`, or the public."""
    return f"user:{actor.id}" if actor is not None else PUBLIC


class Runner:
    """`runner(caller, fn, *args, view=None)`: `fn(uow, actor, *args)` in one unit of work, then
    `view(uow, actor, result)` inside it (a serialiser or a page may read what is still loaded).
    The unit of work rolls back unless `fn` committed; a refusal propagates to the entry point.

    `reads_account(fn, args)`: whether the use case reads and checks its caller's account itself
    (service/handlers.py `reads_account`: the bid). A caller known by account id is then passed unread
    (access.AccountId): a bid from a socket is one round trip, its call alone."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork],
                 reads_account: Callable[[Callable, tuple], bool] = lambda fn, args: False):
        self.uow_factory, self.reads_account = uow_factory, reads_account

    def __call__(self, caller: Caller, fn, *args, view=None):
        try:
            return self._run(caller, fn, args, view)
        except DBAPIError as error:
            # The database went away (SQLAlchemy saw it and dropped its pool) or refuses connections: a 503 that
            # says what to do, as the bid's own call answers it (service/db.call_autocommitted), not a server
            # error. Any other database error stays one.
            if not (error.connection_invalidated or isinstance(error, OperationalError)):
                raise
            log.warning("the database did not answer: %s", error)
            raise Unavailable() from error

    def _run(self, caller: Caller, fn, args, view):
        with self.uow_factory() as uow:
            if (caller.user_id is not None and caller.token is None and caller.system is None
                    and self.reads_account(fn, args)):
                actor = AccountId(caller.user_id)
            else:
                actor = resolve_actor(uow, caller)
            uow.actor = caller.system or actor_label(actor)
            result = fn(uow, actor, *args)
            return view(uow, actor, result) if view else result
