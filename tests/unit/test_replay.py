"""Replaying an auction from journal entries detects a record that the bids do not support."""
from auction.replay import replay

OPEN = [
    {"kind": "auction.announced", "article": "79", "payload": {"round": 1, "start_price": "1000.00", "step": "100.00",
                                                              "floor": None, "quiet_seconds": 600}},
    {"kind": "auction.opened", "article": "80.3", "payload": {"opened_at": "2026-12-10T06:00:00+00:00",
                                                              "ends_at": "2026-12-10T06:10:00+00:00"}},
    {"kind": "bid.accepted", "article": "80.3", "payload": {"seq": 2, "amount": "1100.00", "participant_no": 1,
                                                            "at": "2026-12-10T06:01:00+00:00"}},
    {"kind": "bid.accepted", "article": "80.3", "payload": {"seq": 3, "amount": "1200.00", "participant_no": 2,
                                                            "at": "2026-12-10T06:05:00+00:00"}},
]


def test_replay_agrees_with_a_correct_record():
    closed = {"kind": "auction.closed", "article": "80.4", "payload": {"winner_no": 2, "price": "1200.00"}}
    r = replay(OPEN + [closed])
    assert r.consistent and (r.winner_no, str(r.price)) == (2, "1200.00")


def test_replay_flags_a_record_naming_the_wrong_winner():
    closed = {"kind": "auction.closed", "article": "80.4", "payload": {"winner_no": 1, "price": "1100.00"}}
    r = replay(OPEN + [closed])
    assert not r.consistent and "replay gives No 2 at 1200.00" in r.problems[0]


def test_replay_flags_a_bid_that_skipped_a_step():
    bad = OPEN[:3] + [{"kind": "bid.accepted", "article": "80.3", "payload": {
        "seq": 3, "amount": "1300.00", "participant_no": 2, "at": "2026-12-10T06:05:00+00:00"}}]
    closed = {"kind": "auction.closed", "article": "80.4", "payload": {"winner_no": 2, "price": "1300.00"}}
    r = replay(bad + [closed])
    assert not r.consistent and "bid seq 3" in r.problems[0] and "1200.00" in r.problems[0]


def test_replay_flags_a_bid_after_the_soft_close():
    late = OPEN[:3] + [{"kind": "bid.accepted", "article": "80.3", "payload": {
        "seq": 3, "amount": "1200.00", "participant_no": 2, "at": "2026-12-10T06:11:30+00:00"}}]
    r = replay(late + [{"kind": "auction.closed", "article": "80.4", "payload": {"winner_no": 2, "price": "1200.00"}}])
    assert not r.consistent and "bid seq 3" in r.problems[0]
