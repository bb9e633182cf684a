"""The `mulik` command: run the server, run the sweeper once, verify the journal and the documents, seed demo data."""
from __future__ import annotations

import sys

import click


def _refusing_unsafe(create_app, config):
    """The app, or exit 2 with what production refuses, each setting named (web/security.py)."""
    from .security import UnsafeProductionConfig
    try:
        return create_app(config)
    except UnsafeProductionConfig as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _platform(**kw):
    """The composition root (service/bootstrap.py) from the environment, without a Flask app; a
    process that serves no auction rooms."""
    import logging

    from service.bootstrap import bootstrap

    from . import load_config
    return bootstrap(_refusing_unsafe(load_config, None), log=logging.getLogger("mulik"), serves_rooms=False, **kw)


@click.group()
def main():
    """Mulik — electronic auctions of seized property (Law of Kazakhstan No 261-IV)."""


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-demo", is_flag=True, help="do not seed the demo data into an empty database")
@click.option("--access-log", is_flag=True, help="print a line for each request (make run does)")
def run(host, port, no_demo, access_log):
    """Serve the API (and the background sweeper); seed demo data into an empty database.

    Serves with gevent (a greenlet per connection, real websockets): the command restarts itself
    under gevent's monkey-patching unless MULIK_ASYNC_MODE=threading. One process per port;
    several processes share rooms and presence through MULIK_REDIS_URL (docs/deployment.md).
    """
    if not _gevent_patched() and _env_async_mode() == "gevent":
        _exec_under_gevent(["run", "--host", host, "--port", str(port)] + (["--no-demo"] if no_demo else [])
                           + (["--access-log"] if access_log else []))
    import os

    from . import DEFAULTS, _env_value, create_app, socketio, start_sweeper
    interval = _env_value(os.environ.get("MULIK_SWEEPER_INTERVAL", str(DEFAULTS["SWEEPER_INTERVAL"])))
    click.echo("Preparing the database (migrations to the head revision) ...")
    app = _refusing_unsafe(create_app, {"SWEEPER_INTERVAL": 0})  # the sweeper starts after the demo is seeded
    from .security import development_notice, is_production
    if is_production(app.config):  # demo accounts have published passwords; simulated bidders are not people
        click.echo("Production mode (MULIK_ENV=production): no demo data, no simulated bidders.")
        no_demo = True
    else:
        click.echo(development_notice(app.config))
    if not no_demo:
        from .demo import seed, start_simulation
        seed(app.extensions["mulik"], echo=click.echo)
        _demo_eds_authority(app)
        start_simulation(app, socketio)
        click.echo("Simulated bidders raise in the open demo auction every 12-35 s.")
    app.config["SWEEPER_INTERVAL"] = interval
    if float(interval or 0) > 0:
        start_sweeper(app)
    click.echo(f"Mulik on http://{host}:{port}/  (API: /api/v1/lots, OpenAPI: /api/v1/openapi.json)")
    # The start-up objects (modules, mappers, the app: ~200,000) live as long as the process; left
    # to the cyclic GC, each full collection walks them all, a ~150 ms pause of every connection.
    import gc
    gc.collect()
    gc.freeze()
    if socketio.server.eio.async_mode == "gevent":
        _serve_gevent(app, host, port, access_log)
    else:
        if not access_log:
            import logging
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)


READ_BUFFER = 1024  # bytes: each connection's read buffer under gevent (_serve_gevent)


def _serve_gevent(app, host: str, port: int, access_log: bool = False) -> None:
    """What `socketio.run` does under gevent, with Nagle's algorithm off on every connection: a bid's
    acknowledgement written right after its broadcast to the same socket otherwise waits for the
    client's delayed ACK, about 40 ms (docs/performance.md)."""
    import socket

    import gevent
    from gevent import pywsgi
    from geventwebsocket.handler import WebSocketHandler

    class NoDelayHandler(WebSocketHandler):
        def __init__(self, sock, *args, **kwargs):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, *args, **kwargs)
            # pywsgi reads through an 8 KiB buffer that lives as long as the connection, a websocket's too:
            # 1 KiB holds a request's headers or a bid, larger bodies are read past it (docs/performance.md)
            self.rfile = sock.makefile("rb", READ_BUFFER)

        def log_request(self):  # geventwebsocket's goes to a logger of its own, which prints nothing
            if access_log and "101" not in str(self.status):  # a websocket's upgrade is no request line
                sys.stdout.write(self.format_request() + "\n")

    from . import socketio
    # gevent records, for each greenlet, the greenlet and the stack that spawned it (a debugging aid nothing
    # here reads): ~20 frame records per connection, which holds three greenlets (docs/performance.md)
    gevent.config.track_greenlet_tree = False
    if access_log:
        sys.stdout.reconfigure(line_buffering=True)  # each request's line as it is served, also into a pipe
    socketio.wsgi_server = pywsgi.WSGIServer((host, port), app, handler_class=NoDelayHandler,
                                           log=None)
    socketio.wsgi_server.serve_forever()


def _env_async_mode() -> str:
    import os
    return os.environ.get("MULIK_ASYNC_MODE", "gevent").strip('"') or "gevent"


def _gevent_patched() -> bool:
    from gevent import monkey
    return monkey.is_module_patched("socket")


def _exec_under_gevent(args: list[str]) -> None:
    """Replace this process by `python -P -m gevent.monkey --module web.cli ARGS`: gevent must patch
    socket, ssl, select and threading before anything imports them, and importing this module has
    already imported Flask, redis and ssl (psycopg, too, picks its wait function when imported).

    `-P` (Python 3.11+): `-m` would put the current directory first on the import path, and a
    `web.py`, `auction.py` or `gevent.py` in the directory `mulik run` is started from would replace
    the application; the console script itself never has the current directory on its path."""
    import os
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-P", "-m", "gevent.monkey", "--module", "web.cli", *args])


@main.command()
def tick():
    """Perform every transition that is due now (idempotent; safe in parallel).

    No Flask app: the composition root (service/bootstrap.py) wires the database, the clock, the
    presence and the mailer. This process serves no rooms: without Redis it cannot see who is in
    the running server's rooms, and the opening counts the participants seen in the room just
    before it (Art. 84.4); with Redis it sees them, and the rooms hear what it does."""
    import logging

    from service.bootstrap import bootstrap

    from . import load_config
    config = _refusing_unsafe(load_config, None)
    platform = bootstrap(config, log=logging.getLogger("mulik"), serves_rooms=False)
    if config["REDIS_URL"]:
        platform["publisher"] = _rooms_publisher(config, platform)
    done = platform.tick()
    click.echo(", ".join(f"{k}: {v}" for k, v in done.items()) or "nothing due")


def _rooms_publisher(config, platform):
    """The live layer's publisher (web/live.py) writing to the Socket.IO message queue in Redis, which
    the servers read: the rooms get their `state` and `closed` messages when this process opens or
    closes an auction, as from a server's own sweeper. Its snapshots read the platform's pieces."""
    from types import SimpleNamespace

    import socketio

    from .live import SocketPublisher
    queue = socketio.RedisManager(config["REDIS_URL"], channel=f'{config["REDIS_PREFIX"]}:socketio',
                                  write_only=True)
    return SocketPublisher(queue, SimpleNamespace(extensions={"mulik": platform}))


@main.group()
def journal():
    """The audit journal (SHA-256 chain)."""


@journal.command()
def verify():
    """Check every chain of the journal (each lot's, the platform's), each against its head record, and every
    head an anchor names; exit 1 on the first bad entry."""
    from service.queries.platform import verify_journal
    from service.runner import Caller
    result = _platform()["runner"](Caller(system="system:cli"), verify_journal)
    if result.ok:
        click.echo(f"journal OK: {result.checked} entries in {result.chains} chains, {result.anchors} anchors, "
                   f"platform head {result.head}")
        return
    click.echo(f"journal BROKEN in chain {result.chain} at seq {result.first_bad_seq}: {result.problem} "
               f"({result.checked} good entries before it)")
    sys.exit(1)


@journal.command()
def anchor():
    """Write a journal anchor now (service/anchoring.py): the lot chains' heads that moved since the last one."""
    payload = _platform().anchor(when_due=False)
    if payload is None:
        click.echo("journal anchor: no chain moved since the last anchor")
        return
    click.echo(f"journal anchored: {len(payload['heads'])} heads moved, {payload['chains']} chains, "
               f"digest {payload['digest']}")


@main.group()
def documents():
    """The issued documents (SPEC §7) and their EDS signatures."""


@documents.command("verify")
@click.option("--document", "document_id", type=int, help="check only the document of this id")
def verify_documents(document_id):
    """Check every stored document (its bytes' SHA-256, its journal entry, the journal mark printed on it),
    every EDS signature (its CMS again at its signing time, what it signs, its signer, its journal entry) and
    the journal's chain; print each finding; exit 1 when there is one."""
    from service import verification
    from service.runner import Caller
    platform = _platform()

    def check(uow, actor):
        if document_id is None:
            return verification.documents_checked(uow, actor, platform["eds"])
        one = verification.document_checked(uow, actor, platform["eds"], document_id=document_id)
        if one is None:
            click.echo(f"no document {document_id}", err=True)
            sys.exit(1)
        click.echo(f"document {document_id} ({one.document.kind} {one.document.number}), "
                   f"{len(one.signatures)} EDS signatures")
        return one.all_findings
    result = platform["runner"](Caller(system="system:cli"), check)
    findings = result if document_id is not None else result.findings
    if document_id is None:
        click.echo(f"checked {result.documents} documents, {result.signatures} EDS signatures, "
                   f"{result.journal.checked} journal entries")
    for f in findings:
        click.echo(f"PROBLEM {f}")
    if findings:
        click.echo(f"documents BROKEN: {len(findings)} problems")
        sys.exit(1)
    click.echo("documents OK")


def _demo_eds_authority(app) -> None:
    """Outside production and with no MULIK_EDS_TRUST_ANCHORS: the demo's own test authority is trusted and
    each demo account has a key of it (web/eds_demo.py), to try the EDS sign-in with `mulik eds-sign`."""
    if app.config["EDS_TRUST_ANCHORS"]:
        return
    from pathlib import Path

    from service.eds import Verifier
    from service.signing import Signing

    from .demo import ACCOUNTS, PASSWORD
    from .eds_demo import ensure_demo_authority
    folder = Path(app.instance_path) / "eds-demo"
    app.config["EDS_TRUST_ANCHORS"] = str(ensure_demo_authority(folder, ACCOUNTS, PASSWORD,
                                                                app.extensions["mulik"]["clock"]()))
    app.extensions["mulik"]["eds"] = Verifier.from_config(app.config)
    app.extensions["mulik"]["signing"] = Signing.from_config(app.config, app.extensions["mulik"]["eds"])
    click.echo(f"EDS: the demo's test authority is trusted; each demo account's authentication key is "
               f"{folder}/<name>.p12, its signing key {folder}/<name>-sign.p12 (password {PASSWORD}): "
               f"`mulik eds-sign <name>.p12 <nonce>` signs a challenge's nonce, "
               f"`mulik eds-sign <name>-sign.p12 --file act.json` an act (web/eds_demo.py).")


@main.command("eds-sign")
@click.argument("key", type=click.Path(exists=True, dir_okay=False))
@click.argument("text", required=False)
@click.option("--file", "path", type=click.File("rb"), default=None,
              help="sign this file's bytes (`-`: the standard input), e.g. an act's content")
@click.option("--password", default="demo12345", show_default=True, help="the PKCS#12 file's password")
def eds_sign(key, text, path, password):
    """Sign as NCALayer does (a demo and test aid) with a PKCS#12 KEY: a challenge's nonce given as TEXT (with the
    authentication key, for POST /api/v1/auth/eds/login), or an act's exact bytes from `--file PATH` or the
    standard input (TEXT `-`), with the signing key `<name>-sign.p12` (the `cms` of the act's step). Prints
    the CMS (base64)."""
    from pathlib import Path

    from .eds_demo import sign
    if path is not None and text is not None:
        raise click.UsageError("give TEXT or --file, not both")
    if path is None and text is None:
        raise click.UsageError("give the TEXT to sign, --file PATH, or - for the standard input")
    if text == "-":
        with click.open_file("-", "rb") as stdin:
            data = stdin.read()
    elif path is not None:
        data = path.read()
    else:
        data = text
    click.echo(sign(Path(key).read_bytes(), password, data))


@main.command()
def seed():
    """Seed the demo proceeding into an empty database and print the demo accounts (no Flask app:
    the composition root's platform, as `tick`)."""
    from .demo import seed as do_seed
    do_seed(_platform(), echo=click.echo)


if __name__ == "__main__":  # pragma: no cover
    main()
