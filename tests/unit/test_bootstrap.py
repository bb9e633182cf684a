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
