"""A server process killed with SIGKILL in the middle of a burst of bids loses nothing it
acknowledged (SPEC §3: a bid is acknowledged only after it is durably stored).

Three bidders bid as fast as they can over the socket of a real `mulik run` process on
PostgreSQL; the process is killed (-9, no shutdown of any kind) while their bids are in flight.
After a restart on the same database every acknowledged bid is there with the sequence number
and amount it was acknowledged with, the bids' sequence numbers have no gaps, the auction's state
agrees with its last bid, and `mulik journal verify` passes.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ..conftest import PG_URL, require_postgres
from ..live_client import EVENT_TIMEOUT, Live, http
from .test_multiprocess import START_TIMEOUT, Server, _seed

KILL_AFTER_ACKS = 25  # acknowledged bids before the kill; the bidders keep sending meanwhile


def _burst(port: int, token: str, auction_id: int, name: str, acked: list, stop: threading.Event,
           errors: list) -> None:
    """Bid the next price again and again until the server goes away; record every acknowledgement."""
    try:
        live = Live(port, token)
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(f"{name} could not connect: {exc!r}")
        return
    try:
        joined = live.join(auction_id)
        my_no, state, n = joined["my_no"], live.next("state"), 0
        while not stop.is_set():
            if state["leader_no"] == my_no:  # the leader cannot outbid himself: wait for the next bid
                time.sleep(0.005)
                state = _fresh_state(port, auction_id) or state
                continue
            n += 1
            client_id = f"{name}-{n}"
            answer = live.call("bid", {"auction_id": auction_id, "amount": state["next_price"],
                                       "client_id": client_id})
            if answer["ok"]:
                acked.append((answer["seq"], answer["amount"], my_no, client_id))
                step = Decimal(state["step"])
                state = {**state, "leader_no": my_no, "price": answer["amount"],
                         "next_price": f"{Decimal(answer['amount']) + step:.2f}"}
            elif answer.get("state"):
                state = answer["state"]
    except Exception:  # noqa: BLE001 - the server was killed under the call: that is the test
        pass
    finally:
        try:
            live.drop()
        except Exception:  # noqa: BLE001
            pass


def _stored_bids(auction_id: int) -> dict[str, tuple[int, str, int]]:
    from sqlalchemy import create_engine, text
    engine = create_engine(PG_URL)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT client_id, seq, amount, participant_no FROM bids WHERE auction_id = :a"),
                                {"a": auction_id}).all()
    finally:
        engine.dispose()
    return {r.client_id: (r.seq, f"{Decimal(r.amount) / 100:.2f}", r.participant_no) for r in rows}  # tiyn


def _fresh_state(port: int, auction_id: int) -> dict | None:
    try:
        status, body = http("GET", port, f"/api/v1/auctions/{auction_id}/state")
        return body if status == 200 else None
    except OSError:
        return None


@pytest.mark.postgres
def test_every_bid_acknowledged_before_a_kill_9_is_stored_after_the_restart_without_gaps(tmp_path):
    require_postgres()
    world = _seed()
    aid = world["live"]
    env = {"MULIK_REDIS_URL": "", "MULIK_SWEEPER_INTERVAL": "0"}
    first = Server("first", tmp_path, **env)
    second = None
    try:
        first.wait_until_serving(time.monotonic() + START_TIMEOUT)
        tokens = []
        for email in world["emails"]:
            status, body = http("POST", first.port, "/api/v1/auth/login", {"email": email, "password": "password123"})
            assert status == 200, body
            tokens.append(body["token"])
        acked: list[tuple[int, str, int, str]] = []
        stop, errors = threading.Event(), []
        threads = [threading.Thread(target=_burst, args=(first.port, t, aid, f"b{i}", acked, stop, errors),
                                    daemon=True) for i, t in enumerate(tokens)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(acked) < KILL_AFTER_ACKS and time.monotonic() < deadline and not errors:
            time.sleep(0.001)
        assert not errors, errors
        assert len(acked) >= KILL_AFTER_ACKS, f"only {len(acked)} bids acknowledged in 60 s:\n{first.log()}"
        os.killpg(first.proc.pid, signal.SIGKILL)  # mid-burst: the bidders are still sending
        first.proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=EVENT_TIMEOUT * 2)
        assert first.proc.returncode == -signal.SIGKILL

        second = Server("second", tmp_path, **env)
        second.wait_until_serving(time.monotonic() + START_TIMEOUT)
        status, body = http("GET", second.port, f"/api/v1/auctions/{aid}/bids")
        assert status == 200, body
        public = [(b["seq"], b["amount"], b["participant_no"]) for b in body["items"]]
        stored = _stored_bids(aid)  # the public ladder hides client ids: read them from the database
        assert sorted(stored.values()) == public
        assert len(stored) >= len(acked)
        # every acknowledgement is in the database, as it was acknowledged
        for seq, amount, no, client_id in acked:
            assert stored.get(client_id) == (seq, amount, no), f"acknowledged bid {client_id} lost or changed"
        # no gaps: the bids follow each other one sequence number apart, each one step higher
        rows = sorted(stored.values())
        seqs, amounts = [r[0] for r in rows], [Decimal(r[1]) for r in rows]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        state = http("GET", second.port, f"/api/v1/auctions/{aid}/state")[1]
        step = Decimal(state["step"])
        assert all(b - a == step for a, b in zip(amounts, amounts[1:]))
        assert (state["seq"], state["price"], state["leader_no"]) == (seqs[-1], rows[-1][1], rows[-1][2])
        # the journal chain is whole after the crash
        verify = subprocess.run([str(Path(sys.executable).parent / "mulik"), "journal", "verify"],
                                env={**os.environ, "MULIK_DATABASE_URL": PG_URL}, capture_output=True, text=True,
                                timeout=120)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        # and the restarted server takes the next bid where the stored ones end
        token = next(t for t in tokens  # the tokens survive the restart
                     if http("GET", second.port, f"/api/v1/auctions/{aid}/state", token=t)[1]["my_no"]
                     != state["leader_no"])
        status, body = http("POST", second.port, f"/api/v1/auctions/{aid}/bids",
                            {"amount": state["next_price"], "client_id": "after-restart"}, token=token)
        assert status == 201, body
        assert body["bid"]["seq"] == seqs[-1] + 1
    finally:
        first.stop()
        if second is not None:
            second.stop()
