"""The composition root (service/bootstrap.py) chooses the pieces from the configuration alone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from auction.clock import FakeClock, ShiftedClock, system_clock
from service import bootstrap as b
from service.notifier import LogMailer, SmtpMailer
from service.presence import Presence, RedisPresence


def test_the_clock_is_the_one_given_or_the_system_clock_shifted_to_the_start_or_the_system_clock():
    fake = FakeClock(datetime(2026, 12, 1, 4, tzinfo=timezone.utc))
    assert b.clock_for({"CLOCK": fake, "CLOCK_START": "2030-01-01T00:00:00Z"}) is fake
    assert b.clock_for({}) is system_clock
    shifted = b.clock_for({"CLOCK_START": "2026-12-01T04:00:00Z"})
    assert isinstance(shifted, ShiftedClock)
    assert abs(shifted() - datetime(2026, 12, 1, 4, tzinfo=timezone.utc)) < timedelta(minutes=1)


def test_presence_is_shared_in_redis_or_kept_by_a_process_that_serves_the_rooms_or_none():
    redis = b.presence_for({"REDIS_URL": "redis://127.0.0.1:6379/6", "REDIS_PREFIX": "x"}, serves_rooms=False)
    assert isinstance(redis, RedisPresence) and redis.prefix == "x"
    local = b.presence_for({}, serves_rooms=True)
    assert type(local) is Presence
    assert b.presence_for({}, serves_rooms=False) is None  # mulik tick without Redis: last seen counts (84.4)


def test_mail_goes_by_smtp_when_a_host_is_set_else_to_the_log():
    smtp = b.mailer_for({"MAIL_SMTP_HOST": "mail.example", "MAIL_SMTP_PORT": "2525"})
    assert isinstance(smtp, SmtpMailer) and (smtp.host, smtp.port, smtp.sender) == ("mail.example", 2525,
                                                                                    "noreply@mulik.kz")
    assert isinstance(b.mailer_for({}), LogMailer)


def test_the_instance_folder_of_a_command_without_an_app_is_the_apps():
    from flask import Flask

    import web
    assert str(web.instance_path()) == Flask("web", instance_relative_config=True).instance_path


def test_the_postgresql_pool_is_sized_by_the_configuration():
    """MULIK_DATABASE_POOL_SIZE / MULIK_DATABASE_MAX_OVERFLOW: connections kept open, and opened beyond them while
    all are in use (each of those closed when given back). Nothing connects until the first use."""
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/never-opened"
    default = b.bootstrap({"DATABASE_URL": url, "CREATE_SCHEMA": False})["engine"]
    sized = b.bootstrap({"DATABASE_URL": url, "CREATE_SCHEMA": False, "DATABASE_POOL_SIZE": "32",
                         "DATABASE_MAX_OVERFLOW": 0})["engine"]
    try:
        assert (default.pool.size(), default.pool._max_overflow) == (10, 20)
        assert (sized.pool.size(), sized.pool._max_overflow) == (32, 0)
    finally:
        default.dispose()
        sized.dispose()
