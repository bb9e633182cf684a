"""Mulik web application: Flask app factory, REST API (flask-smorest), Socket.IO.

`create_app(config)` loads defaults, then `MULIK_<KEY>` environment variables, then the
given config (tests) (`load_config`), takes the database, clock, presence, mailer and sweeper
from the composition root (service/bootstrap.py), and wires the extensions with `init_app`.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flask import Flask
from flask.sansio.scaffold import find_package
from flask_socketio import SocketIO

from service.bootstrap import DEFAULTS as PLATFORM_DEFAULTS
from service.bootstrap import bootstrap
from service.db import make_engine
from service.uow import UnitOfWork

from .broadcast import client_manager
from .ratelimit import DEFAULTS as RATE_LIMITS

socketio = SocketIO()

DEFAULTS = {
    **PLATFORM_DEFAULTS,  # database (default here: SQLite under instance/), clock, Redis, mail (service/bootstrap.py)
    "ENV": "development",  # MULIK_ENV=production refuses demo settings (web/security.py, docs/deployment.md)
    "SECRET_KEY": None,
    "TIMEZONE": "Asia/Almaty",
    "TESTING": False,
    "WEBHOOK_SECRET": "dev-webhook-secret",
    "DEV_PAYMENTS": True,  # the development payment provider ("pay" in one click)
    "SESSION_COOKIE_SECURE": False,  # true in production (HTTPS only); HttpOnly and SameSite=Lax always
    "SWEEPER_INTERVAL": 1.0,  # seconds; 0 disables the background sweeper
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,  # bytes of a request body: a photo is at most 8 MB (service/photos.py)
    **RATE_LIMITS,  # bid attempts, failed logins, registrations (SPEC §3, web/ratelimit.py)
    # where the login page's script finds NCALayer, the NCA's signing application on the person's computer
    # (its websocket; the tests point it at a fake one): the page's CSP lets it connect there and nowhere else
    "NCALAYER_URL": "wss://127.0.0.1:13579",
    "ASYNC_MODE": None,  # None: gevent when the process is monkey-patched (mulik run), else threading
}


def _env_value(raw: str):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def instance_path() -> Path:
    """Where the app keeps its files (the default SQLite database): the folder Flask names for this
    package — `instance/` beside it, or `<prefix>/var/web-instance` when installed."""
    prefix, package_path = find_package(__name__)
    return Path(package_path) / "instance" if prefix is None else Path(prefix) / "var" / f"{__name__}-instance"


def load_config(config: dict | None = None, *, instance: str | Path | None = None) -> dict:
    """DEFAULTS, then the `MULIK_<KEY>` environment variables, then `config`; refused when production
    meets a demo setting (web/security.py); the database defaults to SQLite under the instance folder."""
    from .security import check_production
    loaded = dict(DEFAULTS)
    for key in DEFAULTS:
        if f"MULIK_{key}" in os.environ:
            loaded[key] = _env_value(os.environ[f"MULIK_{key}"])
    loaded.update(config or {})
    check_production(loaded, DEFAULTS)  # before anything is opened or started
    if not loaded["DATABASE_URL"]:
        folder = Path(instance or instance_path())
        folder.mkdir(parents=True, exist_ok=True)
        loaded["DATABASE_URL"] = f"sqlite:///{folder / 'mulik.db'}"
    return loaded


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(config, instance=app.instance_path))
    from .security import init_security
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    init_security(app)
    # The composition root wires the database, clock, presence and mailer (service/bootstrap.py);
    # the live layer puts its publisher in (web/live.py). `make_engine` by this module's name: the
    # tests hand every app of a worker the same engine.
    app.extensions["mulik"] = bootstrap(app.config, log=app.logger, make_engine=make_engine)

    from .api import init_api
    from .cabinet import init_cabinet
    from .console import init_console
    from .i18n import init_i18n
    from .pages import bp as pages
    from .parties import init_parties
    from .refusals import init_refusals
    from .verify import init_verify
    init_i18n(app)
    init_refusals(app)  # the room's refusals and `art`: an article as the page's language writes it
    init_api(app)
    init_cabinet(app)
    init_console(app)
    init_parties(app)
    init_verify(app)  # the public /verify page (issue 14 point 2)
    app.register_blueprint(pages)
    # a room's message encoded and framed once for all its sockets, over Redis with several processes
    # (web/broadcast.py); a new manager for each app: Flask-SocketIO keeps the options of the last init_app
    socketio.init_app(app, client_manager=client_manager(app.config["REDIS_URL"] or None,
                                                         channel=f'{app.config["REDIS_PREFIX"]}:socketio'),
                      async_mode=_async_mode(app), cors_allowed_origins=[])
    from .live import init_live
    init_live(app, socketio)
    from .ratelimit import init_limits
    init_limits(app)
    if not app.config["TESTING"] and float(app.config["SWEEPER_INTERVAL"] or 0) > 0:
        start_sweeper(app)
    return app


def _async_mode(app: Flask) -> str:
    if app.config["ASYNC_MODE"]:
        return app.config["ASYNC_MODE"]
    try:
        from gevent import monkey
        return "gevent" if monkey.is_module_patched("socket") else "threading"
    except ImportError:
        return "threading"


def uow_for(app: Flask, actor=None, *, clock=None, live: bool = True) -> UnitOfWork:
    """A unit of work on the app's database (service/bootstrap.Platform.uow)."""
    return app.extensions["mulik"].uow(actor, clock=clock, live=live)


def notify(app: Flask) -> tuple[int, int]:
    """Follow the journal into notifications, then send the outbox: (made, sent)."""
    return app.extensions["mulik"].notify()


def start_sweeper(app: Flask) -> None:
    app.extensions["mulik"].start_sweeper(float(app.config["SWEEPER_INTERVAL"]), app.logger)
