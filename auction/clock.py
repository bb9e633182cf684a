"""The one clock. Nothing else in Mulik reads the wall clock; tests inject a FakeClock.

SPEC §3: "The server clock is the only clock."
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Aware UTC now — the wall-clock read of the domain (`wall_seconds` serves the rate limiter)."""
    return datetime.now(timezone.utc)


def wall_seconds() -> float:
    """Seconds since the epoch, as the rate-limit windows of the `limits` library count them (their
    reset times are wall-clock): only for a Retry-After, and for the presence leases, which measure
    whether a connection is alive (service/presence.py). Domain time is `system_clock` or an injected clock."""
    import time
    return time.time()


class FakeClock:
    """A controllable clock for tests and the demo: call it for the time, `advance` to move."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.now = start.astimezone(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs) -> datetime:
        self.now = self.now + (delta or timedelta(**kwargs))
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = when.astimezone(timezone.utc)
        return self.now


class ShiftedClock:
    """The system clock moved so that it read `start` when this was made, then running in real
    time: a staging server, a rehearsal or a browser test can live through a chosen trading day
    (config `CLOCK_START`). Never set in production."""

    def __init__(self, start: datetime, source: Clock = system_clock):
        if start.tzinfo is None:
            raise ValueError("ShiftedClock needs an aware datetime")
        self.source = source
        self.offset = start.astimezone(timezone.utc) - source()

    def __call__(self) -> datetime:
        return self.source() + self.offset
