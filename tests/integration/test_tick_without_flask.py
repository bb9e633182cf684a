"""`mulik tick`, `mulik journal verify` and `mulik seed` make no Flask app (issue 12 point 5): the
composition root (service/bootstrap.py) wires the database, the clock, the presence and the mailer,
and the command runs on them. Run as the cron job runs it, in a process of its own, with
`flask.Flask` refusing to be made."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from ..conftest import REDIS_PREFIX, REDIS_URL, clear_redis, require_redis

ROOT = Path(__file__).resolve().parents[2]
NO_FLASK_APP = """
import flask

def no_app(*args, **kwargs):
    raise SystemExit("the command made a Flask app")

flask.Flask.__init__ = no_app
from web.cli import main
main(sys.argv[1:])
"""


def mulik(db_url: str, *args: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MULIK_")}
    environ.update({"MULIK_DATABASE_URL": db_url, **env})
    return subprocess.run([sys.executable, "-c", "import sys\n" + NO_FLASK_APP, *args], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=180)


def tick(db_url: str, now: datetime, **env) -> subprocess.CompletedProcess:
    return mulik(db_url, "tick", MULIK_CLOCK_START=now.isoformat(), MULIK_CREATE_SCHEMA="false", **env)


def due_auction(m, *, seen: bool):
    """An announced auction with two admitted bidders, the clock just past its start; `seen`: both
    reported their presence a minute before it (Art. 84.4)."""
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    bidders = [m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])]
    starts = datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00"))
    m.clock.set(starts - timedelta(minutes=1))
    for b in bidders if seen else ():
        b.ok("POST", f"/auctions/{auction['id']}/presence")
    m.clock.set(starts + timedelta(seconds=1))
    return bailiff, auction


def _entries(bailiff, auction, kind):
    return [e for e in bailiff.ok("GET", f"/lots/{auction['lot_id']}/journal")["items"] if e["kind"] == kind]


def test_mulik_tick_opens_a_due_auction_without_making_a_flask_app(m, db_url):
    bailiff, auction = due_auction(m, seen=True)
    done = tick(db_url, m.clock())
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("auctions_opened: 1"), done.stdout
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "open"
    [opened] = _entries(bailiff, auction, "auction.opened")
    assert (opened["actor"], opened["article"]) == ("system:sweeper", "80.3")  # seen just before it: online
    again = tick(db_url, m.clock())
    assert (again.returncode, again.stdout.strip()) == (0, "nothing due")


def test_with_redis_mulik_tick_sees_the_rooms_and_the_rooms_hear_what_it_did(m, db_url):
    """With Redis the tick asks the shared presence (nobody is in this room: Art. 84.4) and tells the
    rooms through the Socket.IO message queue, as a server's own sweeper would."""
    require_redis()
    clear_redis()
    import redis
    bailiff, auction = due_auction(m, seen=True)  # seen by this process only, not in the shared presence
    with redis.Redis.from_url(REDIS_URL) as r:
        listener = r.pubsub(ignore_subscribe_messages=True)
        listener.subscribe(f"{REDIS_PREFIX}:socketio")
        done = tick(db_url, m.clock(), MULIK_REDIS_URL=REDIS_URL, MULIK_REDIS_PREFIX=REDIS_PREFIX)
        assert done.returncode == 0, done.stderr
        heard, until = [], time.monotonic() + 10
        while time.monotonic() < until and not any(h["event"] == "closed" for h in heard):
            message = listener.get_message(timeout=1)
            if message is not None:
                heard.append(json.loads(message["data"]))
        listener.close()
    [failed] = _entries(bailiff, auction, "auction.failed")
    assert (failed["actor"], failed["article"]) == ("system:sweeper", "84.4")
    to_room = [(h["event"], h["room"], h["namespace"]) for h in heard]
    room = f"auction:{auction['id']}"
    assert ("state", room, "/live") in to_room and ("closed", room, "/live") in to_room
    [closed] = next(h["data"] for h in heard if h["event"] == "closed")  # the emit's arguments
    assert (closed["outcome"], closed["article"]) == ("failed", "84.4")
    [state] = next(h["data"] for h in heard if h["event"] == "state")
    assert (state["auction_id"], state["status"]) == (auction["id"], "failed")


WIRED = """
import sys
from service.bootstrap import bootstrap
platform = bootstrap({"DATABASE_URL": "sqlite:///" + sys.argv[1]})
print(sorted(platform), type(platform["presence"]).__name__, type(platform["mailer"]).__name__)
print(platform.tick() or "nothing due")
with platform.uow("system:test") as uow:
    print(uow.actor, uow.online is not None)
print("flask loaded" if {"flask", "flask_socketio"} & {n.split(".")[0] for n in sys.modules} else "no flask")
"""


def test_the_composition_root_wires_the_platform_without_importing_flask(tmp_path):
    done = subprocess.run([sys.executable, "-c", WIRED, str(tmp_path / "mulik.db")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if not k.startswith("MULIK_")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "['clock', 'config', 'eds', 'engine', 'mailer', 'presence', 'publisher', 'runner', 'sessions', 'signing'] "
        "Presence LogMailer",
        "nothing due", "system:test True", "no flask"]


def test_mulik_journal_verify_checks_the_chain_without_making_a_flask_app(m, db_url):
    bailiff, auction = due_auction(m, seen=True)
    assert tick(db_url, m.clock()).returncode == 0
    done = mulik(db_url, "journal", "verify", MULIK_CREATE_SCHEMA="false")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("journal OK: ") and " anchors, platform head " in done.stdout, done.stdout


def test_mulik_seed_fills_an_empty_database_without_making_a_flask_app_and_its_journal_verifies(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'seeded.db'}"
    done = mulik(db_url, "seed")
    assert done.returncode == 0, done.stderr
    assert "Demo data seeded in " in done.stdout and "bailiff@mulik.kz" in done.stdout, done.stdout
    steps = [line for line in done.stdout.splitlines() if line.startswith("  ") and line.endswith(" ...")]
    assert len(steps) == 5 and steps[0] == "  accounts of every role ..."  # it says what it is doing
    again = mulik(db_url, "seed")
    assert again.returncode == 0 and "database already has data: demo seed skipped" in again.stdout
    verified = mulik(db_url, "journal", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("journal OK: "), verified.stdout + verified.stderr


def test_the_demo_lots_are_found_by_their_kazakh_or_russian_words(tmp_path):
    """Issue 13 point 4: the demo's lots carry their title in Kazakh and Russian; the catalogue's
    search finds either; each lot is in a real region and has a picture."""
    db_url = f"sqlite:///{tmp_path / 'seeded.db'}"
    assert mulik(db_url, "seed").returncode == 0
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test", "SWEEPER_INTERVAL": 0,
                      "CREATE_SCHEMA": False})
    client = app.test_client()

    def found(q):
        return [x["title"] for x in client.get("/api/v1/lots", query_string={"q": q}).get_json()["items"]]
    assert [t.split(" / ")[0] for t in found("квартира")] == ["2 бөлмелі пәтер, 54 м², Алматы, Әуезов ауданы"]
    assert found("пәтер") == found("квартира")
    assert len(found("Juki")) == 1 and found("тігін") == found("швейные")
    lots = client.get("/api/v1/lots?per_page=50").get_json()["items"]
    assert {x["region"] for x in lots} == {"almaty", "astana", "shymkent"}
    for x in lots:  # each with two pictures (the lot page's gallery), uploaded through the photo checks (JPEG)
        photos = client.get(f"/api/v1/lots/{x['id']}").get_json()["photos"]
        assert len(photos) == 2
        for photo in photos:
            served = client.get(photo)
            assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data[:2] == b"\xff\xd8"
    car = next(x for x in lots if x["title"].startswith("Toyota"))
    assert car["viewing"].startswith("Сейсенбі") and "штрафстоянке" in car["viewing"]  # issue 13 point 5
    app.extensions["mulik"]["engine"].dispose()
