"""The `mulik` command: run the server, run the sweeper once, verify the journal, seed demo data."""
from __future__ import annotations

import sys

import click
from sqlalchemy import select


def _app(**config):
    from . import create_app
    return create_app({"SWEEPER_INTERVAL": 0, **config})


@click.group()
def main():
    """Mulik — electronic auctions of seized property (Law of Kazakhstan No 261-IV)."""


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-demo", is_flag=True, help="do not seed the demo data into an empty database")
def run(host, port, no_demo):
    """Serve the API (and the background sweeper); seed demo data into an empty database."""
    from . import DEFAULTS, _env_value, create_app, socketio, start_sweeper
    import os
    interval = _env_value(os.environ.get("MULIK_SWEEPER_INTERVAL", str(DEFAULTS["SWEEPER_INTERVAL"])))
    app = create_app({"SWEEPER_INTERVAL": 0})  # the sweeper starts after the demo is seeded
    if not no_demo:
        from .demo import seed, start_simulation
        seed(app, echo=click.echo)
        start_simulation(app, socketio)
        click.echo("Simulated bidders raise in the open demo auction every 12-35 s.")
    app.config["SWEEPER_INTERVAL"] = interval
    if float(interval or 0) > 0:
        start_sweeper(app)
    click.echo(f"Mulik on http://{host}:{port}/  (API: /api/v1/lots, OpenAPI: /api/v1/openapi.json)")
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)


@main.command()
def tick():
    """Perform every transition that is due now (idempotent; safe in parallel)."""
    from service.sweeper import sweep
    from . import uow_for
    app = _app()
    done = sweep(lambda: uow_for(app, "system:sweeper"))
    click.echo(", ".join(f"{k}: {v}" for k, v in done.items()) or "nothing due")


@main.group()
def journal():
    """The audit journal (SHA-256 chain)."""


@journal.command()
def verify():
    """Check every journal entry's hash and link; exit 1 on the first bad entry."""
    from auction.journal import verify as verify_chain
    from service.orm import JournalEntry
    app = _app()
    with app.extensions["mulik"]["sessions"]() as s:
        result = verify_chain(s.execute(select(JournalEntry).order_by(JournalEntry.seq)).scalars())
    if result.ok:
        click.echo(f"journal OK: {result.checked} entries, head {result.head}")
        return
    click.echo(f"journal BROKEN at seq {result.first_bad_seq}: {result.problem} ({result.checked} good entries before it)")
    sys.exit(1)


@main.command()
def seed():
    """Seed the demo proceeding into an empty database and print the demo accounts."""
    from .demo import seed as do_seed
    do_seed(_app(), echo=click.echo)


if __name__ == "__main__":  # pragma: no cover
    main()
