"""The composition root (model: cosmicpython/code src/allocation/bootstrap.py): the one place that
builds what the use cases run on — the database (engine, sessions, the schema migrated), the clock,
the publisher (where auction events go after a commit), the presence registry (who is in the rooms,
Art. 84.4) and the mailer — and the sweeper that runs on them (SPEC §6), from a plain configuration:
the `MULIK_*` settings by their names without the prefix. No Flask: `web.create_app` keeps what this
builds as its extension and puts the live layer's publisher in it; `mulik tick` needs nothing else.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from auction.clock import ShiftedClock, system_clock

from . import anchoring, db, handlers, sweeper
from .eds import Verifier
from .notifier import LogMailer, SmtpMailer, deliver, follow_journal
from .presence import Presence, RedisPresence
from .runner import Caller, Runner, actor_label
from .signing import Signing
from .uow import Publisher, UnitOfWork

#: The settings read here, with their defaults (web/__init__.py adds the web's own).
DEFAULTS = {
    "DATABASE_URL": None,  # required here; the web app defaults it to SQLite under instance/
    "CREATE_SCHEMA": True,  # migrate the database to the head revision on start
    # PostgreSQL connections each process keeps open, and how many more it opens when all are in use (each of
    # those closed again when given back: a new server process per use). Size it to the process's concurrent
    # database work (threads, or greenlets waiting on the database); 10 + 20 by default.
    "DATABASE_POOL_SIZE": 10,
    "DATABASE_MAX_OVERFLOW": 20,
    "CLOCK": None,  # a clock to use (tests: a FakeClock)
    "CLOCK_START": None,  # ISO 8601 instant: the clock reads it at start-up, then runs (staging, rehearsals)
    "REDIS_URL": None,  # presence shared by every process, and the Socket.IO message queue
    "REDIS_PREFIX": "mulik",  # Redis keys and the Socket.IO channel: two deployments can share one Redis
    "MAIL_SMTP_HOST": None,  # unset: e-mails go to the log (development)
    "MAIL_SMTP_PORT": 587,
    "MAIL_SENDER": "noreply@mulik.kz",
    "MAIL_SMTP_USER": None,
    "MAIL_SMTP_PASSWORD": None,
    # EDS sign-in (issue 14, service/eds.py): a PEM file of the trusted roots and intermediates (the NCA's in
    # production, a test authority in development); unset: no EDS sign-in succeeds (eds_unknown_authority).
    "EDS_TRUST_ANCHORS": None,
    "EDS_REVOCATION": "hard-fail",  # soft-fail | hard-fail (a CRL a certificate names must be had) | require
    "EDS_FETCH_TIMEOUT": 5.0,  # seconds to fetch a CRL
    "EDS_CHALLENGE_SECONDS": 300,  # how long a sign-in nonce stays valid
    # Acts taken only with their author's EDS signature (service/signing.py): all, none, or names, comma-separated
    # (application, realization_order, auction_protocol, results_approval, sale_contract, retention_application).
    # Unset: all when ENV is production, none otherwise (development, the demo).
    "EDS_SIGNED_ACTS": None,
    # seconds between two journal anchors (service/anchoring.py), written by `mulik tick` and the sweeper loop
    "JOURNAL_ANCHOR_SECONDS": 300,
}


class Platform(dict):
    """What `bootstrap` wired, by name — "engine", "sessions", "clock", "publisher", "presence",
    "mailer" — and what runs on them. A dict, so that the web app keeps it as its extension and adds
    its own pieces (the live layer's publisher, the rate limits, the ticker): each unit of work takes
    the publisher and the presence in it when it is made, so a piece put in later counts."""

    def uow(self, actor=None, *, clock=None, live: bool = True) -> UnitOfWork:
        """A unit of work acting for `actor`: a user (journaled by service/runner.actor_label) or a
        label. `clock`: another clock than the platform's (the demo's); `live=False`: no presence
        (the opening then counts the participants seen in the room, Art. 84.4)."""
        label = actor_label(actor) if actor is not None and hasattr(actor, "id") else actor
        presence = self.get("presence") if live else None
        return UnitOfWork(self["sessions"], clock or self["clock"], self["publisher"], actor=label,
                          online=presence.online if presence is not None else None, signing=self.get("signing"))

    @property
    def runner(self) -> Runner:
        """The one way in (service/runner.py): every entry point runs its use cases and reads here."""
        return self["runner"]

    def sweep(self) -> dict:
        """Every transition that is due now (service/sweeper.py): what was done, by kind."""
        return sweeper.sweep(lambda: self.uow("system:sweeper"))

    def notify(self) -> tuple[int, int]:
        """Follow the journal into notifications, then send the outbox: (made, sent)."""
        made = follow_journal(lambda: self.uow("system:notifier"))
        sent = deliver(lambda: self.uow("system:notifier"), self["mailer"])
        return made, sent

    def anchor(self, *, when_due: bool = True) -> dict | None:
        """A journal anchor (service/anchoring.py) when a lot chain moved and, `when_due`, the last anchor is
        JOURNAL_ANCHOR_SECONDS old: its payload, or None."""
        every = timedelta(seconds=float(self["config"]["JOURNAL_ANCHOR_SECONDS"])) if when_due else None
        return self.runner(Caller(system="system:journal"), anchoring.anchor, every)

    def tick(self) -> dict:
        """A sweep, the notifications after it and a journal anchor when due (`mulik tick`): what was done."""
        done = self.sweep()
        made, sent = self.notify()
        anchored = self.anchor()
        done.update({k: v for k, v in (("notifications", made), ("e-mails sent", sent),
                                       ("journal anchored", anchored and len(anchored["heads"]))) if v})
        return done

    def start_sweeper(self, interval: float, log: logging.Logger) -> threading.Event:
        """Sweep and notify every `interval` seconds in a background thread until the returned event
        is set (kept as "sweeper_stop"); a failed run is logged with its trace and the loop goes on."""
        stop = threading.Event()

        def loop():
            while not stop.wait(interval):
                try:
                    self.sweep()
                    self.notify()
                    self.anchor()
                except Exception:  # keep the loop alive; the error is logged with its trace
                    log.exception("sweeper run failed")

        threading.Thread(target=loop, name="mulik-sweeper", daemon=True).start()
        self["sweeper_stop"] = stop
        return stop


def clock_for(config: Mapping):
    """The configured clock, else the system clock shifted to CLOCK_START, else the system clock."""
    if config.get("CLOCK"):
        return config["CLOCK"]
    start = config.get("CLOCK_START")
    if not start:
        return system_clock
    if isinstance(start, str):
        start = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return ShiftedClock(start)


def presence_for(config: Mapping, *, serves_rooms: bool) -> Presence | None:
    """Redis presence when there is a Redis (every process sees every room). Without one, a process
    that serves the rooms keeps its own registry; one that serves none (`mulik tick`) cannot see
    who is in the server's rooms: None, and the opening counts the participants seen in the room
    just before it (Art. 84.4, docs/decisions.md)."""
    if config.get("REDIS_URL"):
        return RedisPresence(config["REDIS_URL"], prefix=config.get("REDIS_PREFIX") or "mulik")
    return Presence() if serves_rooms else None


def mailer_for(config: Mapping, log: logging.Logger | None = None):
    """SMTP when a host is configured, else the log (development)."""
    config = {**DEFAULTS, **config}
    if config["MAIL_SMTP_HOST"]:
        return SmtpMailer(config["MAIL_SMTP_HOST"], int(config["MAIL_SMTP_PORT"]), config["MAIL_SENDER"],
                          config["MAIL_SMTP_USER"], config["MAIL_SMTP_PASSWORD"])
    return LogMailer(log)


def bootstrap(config: Mapping, *, log: logging.Logger | None = None, publisher: Publisher | None = None,
              serves_rooms: bool = True, make_engine=db.make_engine) -> Platform:
    """Wire the platform from `config` (DEFAULTS for what it leaves out). `publisher`: where auction
    events go after each commit (the web app's is the live layer's; none given: nowhere). `serves_rooms`:
    whether this process serves the auction rooms (presence_for). `make_engine`: how a database URL
    becomes an engine (the tests share one per database)."""
    config = {**DEFAULTS, **config}
    if not config["DATABASE_URL"]:
        raise ValueError("DATABASE_URL is required (MULIK_DATABASE_URL)")
    engine = make_engine(config["DATABASE_URL"], pool_size=int(config["DATABASE_POOL_SIZE"]),
                         max_overflow=int(config["DATABASE_MAX_OVERFLOW"]))
    if config["CREATE_SCHEMA"]:
        db.create_schema(engine)
    platform = Platform(engine=engine, sessions=db.make_session_factory(engine), clock=clock_for(config),
                        publisher=publisher or Publisher(),
                        presence=presence_for(config, serves_rooms=serves_rooms), mailer=mailer_for(config, log))
    platform["runner"] = Runner(platform.uow, reads_account=handlers.reads_account)
    platform["config"] = config
    platform["eds"] = Verifier.from_config(config)  # the trust anchors read now: a wrong path fails the start
    platform["signing"] = Signing.from_config(config, platform["eds"])  # which acts must be signed (EDS_SIGNED_ACTS)
    return platform
