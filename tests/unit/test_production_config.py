"""`MULIK_ENV=production` refuses settings fit only for the demo, naming each (issue 11 point 2);
the same check `mulik run` makes (tests/integration/test_production_mode.py starts the real command)."""
from __future__ import annotations

import pytest

from web import DEFAULTS, create_app
from web.security import UnsafeProductionConfig, check_production, development_notice

SAFE = {"ENV": "production", "SECRET_KEY": "k" * 64, "WEBHOOK_SECRET": "w" * 64, "DEV_PAYMENTS": False,
        "SESSION_COOKIE_SECURE": True}


def problems(**changes) -> list[str]:
    config = {**DEFAULTS, **SAFE, **changes}
    with pytest.raises(UnsafeProductionConfig) as refused:
        check_production(config, DEFAULTS)
    return refused.value.problems


def test_a_safe_production_configuration_passes():
    check_production({**DEFAULTS, **SAFE}, DEFAULTS)


@pytest.mark.parametrize("changes, named, why", [
    ({"SECRET_KEY": None}, "MULIK_SECRET_KEY", "not set"),
    ({"SECRET_KEY": ""}, "MULIK_SECRET_KEY", "not set"),
    ({"SECRET_KEY": "change-me"}, "MULIK_SECRET_KEY", "published demo value"),
    ({"SECRET_KEY": "short-but-private"}, "MULIK_SECRET_KEY", "at least 32"),
    ({"WEBHOOK_SECRET": DEFAULTS["WEBHOOK_SECRET"]}, "MULIK_WEBHOOK_SECRET", "published demo value"),
    ({"WEBHOOK_SECRET": None}, "MULIK_WEBHOOK_SECRET", "not set"),
    ({"DEV_PAYMENTS": True}, "MULIK_DEV_PAYMENTS", "set MULIK_DEV_PAYMENTS=false"),
    ({"DEV_PAYMENTS": "true"}, "MULIK_DEV_PAYMENTS", "set MULIK_DEV_PAYMENTS=false"),
    ({"SESSION_COOKIE_SECURE": False}, "MULIK_SESSION_COOKIE_SECURE", "MULIK_SESSION_COOKIE_SECURE=true"),
])
def test_each_demo_setting_is_refused_in_production_with_its_name(changes, named, why):
    [problem] = problems(**changes)
    assert problem.startswith(named) and why in problem


def test_the_defaults_in_production_are_refused_for_every_setting_at_once():
    config = {**DEFAULTS, "ENV": "production"}
    with pytest.raises(UnsafeProductionConfig) as refused:
        check_production(config, DEFAULTS)
    text = str(refused.value)
    assert text.startswith("MULIK_ENV=production refuses to start")
    for name in ("MULIK_SECRET_KEY", "MULIK_WEBHOOK_SECRET", "MULIK_DEV_PAYMENTS", "MULIK_SESSION_COOKIE_SECURE"):
        assert name in text


def test_create_app_in_production_refuses_before_opening_anything(tmp_path):
    db = tmp_path / "never.db"
    with pytest.raises(UnsafeProductionConfig, match="MULIK_WEBHOOK_SECRET"):
        create_app({**SAFE, "WEBHOOK_SECRET": DEFAULTS["WEBHOOK_SECRET"], "DATABASE_URL": f"sqlite:///{db}",
                    "TESTING": True, "SWEEPER_INTERVAL": 0})
    assert not db.exists()


def test_development_is_not_checked_and_says_it_is_a_demo():
    check_production(dict(DEFAULTS), DEFAULTS)
    notice = development_notice(DEFAULTS)
    assert "development mode" in notice and "dev payments on" in notice and "not for production" in notice
