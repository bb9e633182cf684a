"""Presence in Redis under a crowd (service/presence.RedisPresence): more participants leaving at once than the
process has Redis connections wait for one; none of their removals is lost (with redis-py's default pool the
calls beyond its size raised MaxConnectionsError and those participants kept counting as online)."""
from __future__ import annotations

import threading

import pytest

from ..conftest import REDIS_PREFIX, REDIS_URL, clear_redis, require_redis


@pytest.mark.redis
def test_more_participants_leaving_at_once_than_connections_all_leave():
    from service.presence import RedisPresence
    require_redis()
    clear_redis()
    presence = RedisPresence(REDIS_URL, prefix=f"{REDIS_PREFIX}:crowd", max_connections=2)
    people = range(1, 41)
    presence.renew([(7, f"sid-{no}", no) for no in people])
    assert presence.online(7) == set(people)
    start, errors = threading.Barrier(len(people)), []

    def leave(no: int) -> None:
        try:
            start.wait(timeout=30)
            presence.remove(7, f"sid-{no}", no)
        except Exception as exc:  # collected: the test says which
            errors.append(repr(exc))
    threads = [threading.Thread(target=leave, args=(no,)) for no in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and presence.online(7) == set()
