"""Errors a user sees. Every refusal names the rule (code), says why, and cites the article."""
from __future__ import annotations


class DomainError(Exception):
    """Base class for refusals. `status` is the HTTP status the API answers with."""

    status = 422
    code = "rule_violation"

    def __init__(self, message: str, *, article: str | None = None, code: str | None = None,
                 facts: dict | None = None):
        if article and not message.startswith("Art. "):
            message = f"Art. {article}: {message}"
        super().__init__(message)
        self.message = message
        self.article = article
        # The figures of the refusal by name (a page in Kazakh or Russian prints them in its language, after
        # the sentence for the code, instead of the English message): Money, date, datetime, int, a status.
        self.facts = dict(facts or {})
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "article": self.article}


class RuleViolation(DomainError):
    """A rule of the law (or of the platform) forbids this action now."""

    status = 422
    code = "rule_violation"


class InvalidTransition(RuleViolation):
    """The lot or auction is not in a state where this action is possible."""

    status = 409
    code = "invalid_state"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Unavailable(DomainError):
    """The database did not answer (it went away, restarts or refuses connections). A bid sent again with the
    same client_id learns whether the first was taken (it is taken once); another request is simply tried again."""

    status = 503
    code = "unavailable"

    def __init__(self, message: str = "the database did not answer; try again (a bid sent again with the same "
                                      "client_id is taken at most once)", **kw):
        super().__init__(message, **kw)
