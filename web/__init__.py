"""Mulik web application: Flask app factory, REST API (flask-smorest), Socket.IO.

`create_app(config)` loads defaults, then `MULIK_<KEY>` environment variables, then the
given config (tests), and wires the extensions with `init_app`.
"""
from __future__ import annotations

import json
import os
import secrets
import threading
from datetime import datetime
from pathlib import Path

from flask import Flask
from flask_socketio import SocketIO

from auction.clock import ShiftedClock, system_clock
from service.db import create_schema, make_engine, make_session_factory
from service.runner import Runner, actor_label
from service.uow import Publisher, UnitOfWork

from .ratelimit import DEFAULTS as RATE_LIMITS

socketio = SocketIO()

DEFAULTS = {
    "ENV": "development",  # MULIK_ENV=production refuses demo settings (web/security.py, docs/deployment.md)
    "DATABASE_URL": None,  # default: SQLite under instance/
    "REDIS_URL": None,
    "REDIS_PREFIX": "mulik",  # Redis keys and the Socket.IO channel: two deployments can share one Redis
    "SECRET_KEY": None,
    "TIMEZONE": "Asia/Almaty",
    "TESTING": False,
    "CLOCK": None,
    "CLOCK_START": None,  # ISO 8601 instant: the clock reads it at start-up, then runs (staging, rehearsals)
    "WEBHOOK_SECRET": "dev-webhook-secret",
    "DEV_PAYMENTS": True,  # the development payment provider ("pay" in one click)
    "SESSION_COOKIE_SECURE": False,  # true in production (HTTPS only); HttpOnly and SameSite=Lax always
    "SWEEPER_INTERVAL": 1.0,  # seconds; 0 disables the background sweeper
    "CREATE_SCHEMA": True,
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,  # bytes of a request body: a photo is at most 8 MB (service/photos.py)
    **RATE_LIMITS,  # bid attempts, failed logins, registrations (SPEC §3, web/ratelimit.py)
    "MAIL_SMTP_HOST": None,  # unset: e-mails go to the log (development)
    "MAIL_SMTP_PORT": 587,
    "MAIL_SENDER": "noreply@mulik.kz",
    "MAIL_SMTP_USER": None,
    "MAIL_SMTP_PASSWORD": None,
    "ASYNC_MODE": None,  # None: gevent when the process is monkey-patched (mulik run), else threading
}


def _env_value(raw: str):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _clock(start):
    if not start:
        return system_clock
    if isinstance(start, str):
        start = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return ShiftedClock(start)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(DEFAULTS)
    for key in DEFAULTS:
        if f"MULIK_{key}" in os.environ:
            app.config[key] = _env_value(os.environ[f"MULIK_{key}"])
    app.config.update(config or {})
    from .security import check_production, init_security
    check_production(app.config, DEFAULTS)  # before anything is opened or started
    if not app.config["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'mulik.db'}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    init_security(app)
    clock = app.config["CLOCK"] or _clock(app.config["CLOCK_START"])

    engine = make_engine(app.config["DATABASE_URL"])
    if app.config["CREATE_SCHEMA"]:
        create_schema(engine)
    session_factory = make_session_factory(engine)
    publisher = Publisher()
    app.extensions["mulik"] = {"engine": engine, "sessions": session_factory, "clock": clock,
                               "publisher": publisher, "mailer": mailer(app),
                               # the one way in: every entry point runs its use cases and reads here
                               "runner": Runner(lambda: uow_for(app)),
                               "sweep": lambda: sweep_now(app)}

    from .api import init_api
    from .cabinet import init_cabinet
    from .console import init_console
    from .parties import init_parties
    from .i18n import init_i18n
    from .pages import bp as pages
    init_i18n(app)
    init_api(app)
    init_cabinet(app)
    init_console(app)
    init_parties(app)
    app.register_blueprint(pages)
    socketio.init_app(app, message_queue=app.config["REDIS_URL"] or None, async_mode=_async_mode(app),
                      channel=f'{app.config["REDIS_PREFIX"]}:socketio', cors_allowed_origins=[])
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
    """A unit of work on the app's database, named for `actor` (an account or a system's name) in the
    journal. `clock`: another clock than the app's (the demo's); `live=False`: no presence from the live
    layer (the opening counts the participants seen in the room, Art. 84.4)."""
    ext = app.extensions["mulik"]
    label = actor_label(actor) if actor is not None and hasattr(actor, "id") else actor
    presence = ext.get("presence") if live else None
    return UnitOfWork(ext["sessions"], clock or ext["clock"], ext["publisher"], actor=label,
                      online=presence.online if presence is not None else None)


def sweep_now(app: Flask) -> dict:
    """Every transition due now (service/sweeper.py), as the system's sweeper."""
    from service.sweeper import sweep
    return sweep(lambda: uow_for(app, "system:sweeper"))


def mailer(app: Flask):
    from service.notifier import LogMailer, SmtpMailer
    c = app.config
    if c["MAIL_SMTP_HOST"]:
        return SmtpMailer(c["MAIL_SMTP_HOST"], int(c["MAIL_SMTP_PORT"]), c["MAIL_SENDER"], c["MAIL_SMTP_USER"],
                          c["MAIL_SMTP_PASSWORD"])
    return LogMailer(app.logger)


def notify(app: Flask) -> tuple[int, int]:
    """Follow the journal into notifications, then send the outbox: (made, sent)."""
    from service.notifier import deliver, follow_journal
    made = follow_journal(lambda: uow_for(app, "system:notifier"))
    sent = deliver(lambda: uow_for(app, "system:notifier"), app.extensions["mulik"]["mailer"])
    return made, sent


def start_sweeper(app: Flask) -> None:
    stop = threading.Event()

    def loop():
        while not stop.wait(float(app.config["SWEEPER_INTERVAL"])):
            try:
                sweep_now(app)
                notify(app)
            except Exception:  # keep the loop alive; the error is logged with its trace
                app.logger.exception("sweeper run failed")

    threading.Thread(target=loop, name="mulik-sweeper", daemon=True).start()
    app.extensions["mulik"]["sweeper_stop"] = stop
