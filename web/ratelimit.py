"""Rate limits (SPEC §3 "Rate limit", issue 11): bid and acceptance attempts per participant per auction,
failed logins per account and per address (EDS sign-ins among them), registrations, EDS challenges and the
public /verify page's checks per address.

Flask-Limiter counts, in Redis when `REDIS_URL` is set (every process of the deployment shares the counts,
keys `<REDIS_PREFIX>:limits:*`), in memory otherwise. The limits are settings (`BID_RATE_LIMIT`,
`LOGIN_RATE_LIMIT_ACCOUNT`, `LOGIN_RATE_LIMIT_ADDRESS`, `REGISTER_RATE_LIMIT`: "5/second;60/minute").

- Bids and acceptances: one counter per (participant, auction), hit by the HTTP routes and by the
  socket events through `Limits.bid_attempt`, so the two paths share it.
- Logins: only failures count (Flask-Limiter's `deduct_when`), but the count is tested before the view
  runs, so a throttled login is answered before any password is hashed.
- Registrations: every attempt counts.

A refusal is 429 with `Retry-After` and the error body of SPEC §9, code `rate_limited`; the socket's
`rejected` carries `retry_after`.
"""
from __future__ import annotations

import hashlib
import math

from flask import current_app, flash, jsonify, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from auction.clock import wall_seconds
from auction.errors import DomainError

# config key -> the default; every one is read at start-up and refused there if it does not parse
DEFAULTS = {
    "BID_RATE_LIMIT": "5/second;60/minute",  # bid and acceptance attempts per participant per auction
    "LOGIN_RATE_LIMIT_ACCOUNT": "5/15minutes",  # failed logins per account (e-mail)
    "LOGIN_RATE_LIMIT_ADDRESS": "20/15minutes",  # failed logins per client address, whatever the account
    "REGISTER_RATE_LIMIT": "10/hour",  # registrations per client address
    "EDS_CHALLENGE_RATE_LIMIT": "30/minute",  # EDS sign-in challenges per client address
    "VERIFY_RATE_LIMIT": "20/minute;200/hour",  # documents checked on the public /verify page per client address
    "TRUSTED_PROXIES": 0,  # reverse proxies in front (nginx: 1): the client address is read from X-Forwarded-For
}


class RateLimited(DomainError):
    """Too many attempts: the rule that was hit and when to try again."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(f"{message}; try again in {retry_after} s", code="rate_limited")
        self.retry_after = retry_after


def limits_of(app, key: str) -> list[RateLimitItem]:
    """A setting as limits, smallest window first. A bare number (the older `BID_RATE_LIMIT=5`) is per second."""
    raw = app.config[key]
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = f"{raw}/second"
    try:
        items = parse_many(str(raw))
    except ValueError:
        raise ValueError(f"{key}={raw!r} is not a rate limit like \"5/second;60/minute\"") from None
    if not items:
        raise ValueError(f"{key} is empty: give a rate limit like \"5/second;60/minute\"")
    return sorted(items)


def spelt(items: list[RateLimitItem]) -> str:
    """"5 per second and 60 per minute"."""
    def one(i: RateLimitItem) -> str:
        unit = i.GRANULARITY.name
        return f"{i.amount} per {unit}" if i.multiples == 1 else f"{i.amount} per {i.multiples} {unit}s"
    return " and ".join(one(i) for i in items)


def _seconds_until(reset_at: float) -> int:
    return max(1, math.ceil(reset_at - wall_seconds()))


def _account() -> str:
    """The account a login names (a digest: no e-mail addresses in Redis); "-" when none is named."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None
    if not isinstance(email, str) or not email.strip():
        return "-"
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _failed_login(response) -> bool:
    return response.status_code == 401


class Limits:
    """The application's limiter (one per app: its own storage and limits)."""

    def __init__(self, app):
        config = app.config
        self.bids = limits_of(app, "BID_RATE_LIMIT")
        login_account = limits_of(app, "LOGIN_RATE_LIMIT_ACCOUNT")
        login_address = limits_of(app, "LOGIN_RATE_LIMIT_ADDRESS")
        register = limits_of(app, "REGISTER_RATE_LIMIT")
        challenges = limits_of(app, "EDS_CHALLENGE_RATE_LIMIT")
        checks = limits_of(app, "VERIFY_RATE_LIMIT")
        redis_url = config["REDIS_URL"]
        self.limiter = Limiter(get_remote_address, app=app, storage_uri=redis_url or "memory://",
                               storage_options={"key_prefix": f'{config["REDIS_PREFIX"]}:limits'} if redis_url else {},
                               strategy="moving-window", headers_enabled=False)
        logins = ("accounts.login", "cabinet.login")
        self._limit(app, logins, login_account, "login-account", _account, failed=True,
                    message=f"too many failed logins for this account: at most {spelt(login_account)}")
        self._limit(app, logins, login_address, "login-address", get_remote_address, failed=True,
                    message=f"too many failed logins from your address: at most {spelt(login_address)}")
        self._limit(app, ("accounts.register", "cabinet.register"), register, "register", get_remote_address,
                    message=f"too many registrations from your address: at most {spelt(register)}")
        # EDS sign-ins: a failed one counts against the address as a failed password login does (one counter);
        # the account is known only once the signature is verified, so there is no per-account count.
        self._limit(app, ("accounts.eds_login",), login_address, "login-address", get_remote_address, failed=True,
                    message=f"too many failed logins from your address: at most {spelt(login_address)}")
        self._limit(app, ("accounts.eds_challenge",), challenges, "eds-challenge", get_remote_address,
                    message=f"too many EDS challenges from your address: at most {spelt(challenges)}")
        # the public /verify page checks every signature of a document again: each check counts (not the bare form)
        if "verify.verify_page" in app.view_functions:
            self._limit(app, ("verify.verify_page",), checks, "verify", get_remote_address, methods=("GET", "POST"),
                        exempt=lambda: request.method == "GET" and not request.args.get("q"),
                        message=f"too many documents checked from your address: at most {spelt(checks)}")

    def _limit(self, app, endpoints, items, scope, key, *, message, failed=False, methods=("POST",),
               exempt=None) -> None:
        """The same counter (scope) on each endpoint, its POSTs only unless `methods` says more."""
        decorate = self.limiter.shared_limit(";".join(str(i) for i in items), scope, key_func=key,
                                             methods=list(methods), error_message=message, exempt_when=exempt,
                                             deduct_when=_failed_login if failed else None)
        for endpoint in endpoints:
            app.view_functions[endpoint] = decorate(app.view_functions[endpoint])

    def bid_attempt(self, participant_id: int, auction_id: int) -> None:
        """Count one bid or acceptance attempt of a participant in an auction (HTTP and socket alike);
        RateLimited beyond the limit."""
        strategy, ids = self.limiter.limiter, ("bids", str(participant_id), str(auction_id))
        for item in self.bids:
            if not strategy.hit(item, *ids):
                reset_at, _ = strategy.get_window_stats(item, *ids)
                raise RateLimited(f"too many bid attempts: at most {spelt(self.bids)} per participant in an "
                                  "auction, over the API and the live connection together", _seconds_until(reset_at))


def _too_many(exc: RateLimitExceeded):
    """A login or registration throttled by Flask-Limiter: 429 with Retry-After (API: the SPEC §9 body;
    pages: the form again with the refusal)."""
    current = current_app.extensions["mulik"]["limits"].limiter.current_limit
    refused = RateLimited(exc.description, _seconds_until(current.window[0]) if current else 60)
    return _refused(refused)


def _refused(exc: RateLimited):
    headers = {"Retry-After": str(exc.retry_after)}
    if request.path.startswith("/api/"):
        return jsonify(error=exc.as_dict()), 429, headers
    from .refusals import refusal
    if request.endpoint == "cabinet.register":
        form = {k: request.form.get(k, "").strip() for k in ("email", "full_name", "iin_bin")}
        return render_template("register.html", form=form, errors={"_": [refusal(exc)]}), 429, headers
    if request.endpoint == "cabinet.login":
        flash(refusal(exc), "error")
        from .cabinet import login_page  # the login page with its EDS sign-in, as GET /login shows it
        return login_page(request.form.get("next", ""), request.form.get("email", "").strip().lower()), 429, headers
    return render_template("error.html", error=exc, status=429, refusal=refusal(exc)), 429, headers


def init_limits(app) -> None:
    """After the routes are registered: wrap the login and registration views, handle the refusals."""
    hops = int(app.config["TRUSTED_PROXIES"] or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    app.extensions["mulik"]["limits"] = Limits(app)
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.register_error_handler(RateLimited, _refused)
