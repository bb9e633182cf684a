"""Production mode, security headers and CSRF for the JSON API (issue 11 points 2 and 4).

- `MULIK_ENV=production`: `check_production(config)` refuses, before anything starts, a setting
  that is only fit for the demo (a missing or published secret, the one-click payment provider,
  a session cookie sent over plain HTTP); production answers carry HSTS.
- Every answer carries a Content-Security-Policy without inline scripts or styles, refuses to be
  framed, and is not sniffed into another type (`security_headers`).
- A state-changing API request authenticated by the session cookie must come from this site's own
  pages (a same-origin `Origin`, or `Referer` without it) or carry the session's CSRF token
  (`X-CSRFToken`); a bearer-token request is not a browser's ambient credential and passes.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, jsonify, request, session

# Values that are published (in DEFAULTS, the docs, the tests, the benchmarks) or typed as placeholders:
# anybody could sign a session or a payment notice with them.
PUBLIC_SECRETS = frozenset({"dev-webhook-secret", "test-webhook-secret", "test", "bench", "cwd-test", "dev",
                            "secret", "changeme", "change-me", "...", "mulik"})
MIN_SECRET_LENGTH = 32  # characters; `python -c 'import secrets; print(secrets.token_hex(32))'` gives 64

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def csp(ncalayer_url: str | None = None) -> str:
    """CSP, its connect-src opened to NCALayer's websocket (the login page signs a challenge with it) and
    to nothing else; a URL that is not ws(s)://host[:port] opens nothing."""
    parts = urlsplit(ncalayer_url or "")
    if parts.scheme not in ("ws", "wss") or not parts.netloc or any(c in parts.netloc for c in " ;,'\""):
        return CSP
    return CSP.replace("connect-src 'self'", f"connect-src 'self' {parts.scheme}://{parts.netloc}")
HSTS = "max-age=31536000; includeSubDomains"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UnsafeProductionConfig(RuntimeError):
    """`MULIK_ENV=production` with a setting fit only for the demo; the message names each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("MULIK_ENV=production refuses to start:\n" + "\n".join(f"  - {p}" for p in problems))


def is_production(config) -> bool:
    return str(config.get("ENV") or "").strip().lower() == "production"


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _secret_problem(name: str, value, default) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"MULIK_{name} is not set: give it a random value of at least {MIN_SECRET_LENGTH} characters"
    value = str(value)
    if value == default or value.strip().lower() in PUBLIC_SECRETS:
        return f"MULIK_{name} is a published demo value ({value!r}): give it a random value of its own"
    if len(value) < MIN_SECRET_LENGTH:
        return f"MULIK_{name} is {len(value)} characters long: production needs at least {MIN_SECRET_LENGTH}"
    return None


def production_problems(config, defaults) -> list[str]:
    """What keeps this configuration from running in production (empty: nothing)."""
    problems = [p for p in (_secret_problem("SECRET_KEY", config.get("SECRET_KEY"), defaults.get("SECRET_KEY")),
                            _secret_problem("WEBHOOK_SECRET", config.get("WEBHOOK_SECRET"),
                                            defaults.get("WEBHOOK_SECRET"))) if p]
    if _truthy(config.get("DEV_PAYMENTS")):
        problems.append("MULIK_DEV_PAYMENTS is on (it is by default): anybody could mark a deposit paid in one click; "
                        "set MULIK_DEV_PAYMENTS=false")
    if not _truthy(config.get("SESSION_COOKIE_SECURE")):
        problems.append("MULIK_SESSION_COOKIE_SECURE is not true: the session cookie would travel over plain "
                        "HTTP; serve over HTTPS and set MULIK_SESSION_COOKIE_SECURE=true")
    return problems


def check_production(config, defaults) -> None:
    """Raise `UnsafeProductionConfig` when `MULIK_ENV=production` meets a demo setting."""
    if is_production(config):
        problems = production_problems(config, defaults)
        if problems:
            raise UnsafeProductionConfig(problems)


def development_notice(config) -> str:
    """The line `mulik run` prints outside production: what makes it a demo."""
    parts = ["development mode (MULIK_ENV is not production)"]
    if _truthy(config.get("DEV_PAYMENTS")):
        parts.append("dev payments on")
    parts.append("demo secrets allowed")
    return ", ".join(parts) + " — not for production (docs/deployment.md)"


# ---- headers ------------------------------------------------------------------------------------------
def security_headers(response, policy: str = CSP):
    h = response.headers
    h.setdefault("Content-Security-Policy", policy)
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def _hsts(response):
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


# ---- CSRF of the JSON API -------------------------------------------------------------------------------
def _source_origin() -> str | None:
    """Where the request says it comes from: `Origin`, else the origin of `Referer`; None if neither."""
    origin = request.headers.get("Origin")
    if origin:
        return origin.strip()
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "null"
    return None


def _same_origin(origin: str) -> bool:
    """Same host and port as the request. The scheme is not compared: behind the TLS proxy the
    application sees http while the browser says https (docs/deployment.md)."""
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc.lower() == request.host.lower()


def _valid_token() -> bool:
    from flask_wtf.csrf import validate_csrf
    from wtforms import ValidationError
    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    if not token:
        return False
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def _refuse_cross_site_api_requests():
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return None
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return None  # a token the client holds, never sent by a browser on its own
    origin = _source_origin()
    if origin is not None and _same_origin(origin):
        return None
    if not session.get("uid") and origin is None:
        return None  # no cookie session and not sent by a page: a script or a bank's notice
    if _valid_token():
        return None
    # A cookie session without proof of origin, or a foreign page (a login forced on the visitor, too)
    came_from = f"it came from {origin}" if origin else "it carried neither Origin nor Referer"
    return jsonify(error={"code": "csrf", "message": (
        "refused: a request that changes something with the session cookie must come from this site's own "
        f"pages (a same-origin Origin header) or carry the CSRF token (X-CSRFToken); {came_from}"),
        "article": None}), 403


def init_security(app: Flask) -> None:
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SECURE"] = _truthy(app.config.get("SESSION_COOKIE_SECURE"))
    app.before_request(_refuse_cross_site_api_requests)
    policy = csp(app.config.get("NCALAYER_URL"))
    app.after_request(lambda response: security_headers(response, policy))
    if is_production(app.config):
        app.after_request(_hsts)
