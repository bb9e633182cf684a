"""The operator's platform settings (SPEC §3 "settings, not constants", Art. 80.3 floors): new
auctions take them where the bailiff leaves a field empty, announced ones keep theirs, every change
is journaled with its reason, and a value outside the rule is refused with the rule and changes
nothing — over the API and from the operator's cabinet page."""
from __future__ import annotations

import pytest

from ..helpers import error
from .test_api_contract import assert_unchanged, snapshot
from .test_console_pages import log_in, post
from .test_deadlines_http import _at, _failed_first_auction
from .test_pages import text
from .test_party_pages import log_out

DEFAULTS = {"step_percent": "5", "quiet_minutes": "10", "interval_minutes": "2",
            "application_cutoff_minutes": "120", "opens": "10:00", "latest_start": "15:00",
            "floor_percent_movable": "50", "floor_percent_real_estate": "75"}


def test_anyone_reads_the_defaults_new_auctions_take(m):
    assert m.public.ok("GET", "/settings") == DEFAULTS


def test_a_changed_default_applies_to_auctions_announced_afterwards_only(m):
    operator = m.user("operator")
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    before = m.announce(bailiff, lot["id"])
    assert (before["quiet_seconds"], before["step"]) == (600, "50000.00")
    changed = operator.ok("PUT", "/settings", {"quiet_minutes": "20", "step_percent": "2.5",
                                               "reason": "as on the tax-debt auctions"})
    assert changed == {**DEFAULTS, "quiet_minutes": "20", "step_percent": "2.5"}
    assert m.public.ok("GET", "/settings") == changed
    assert bailiff.ok("GET", f"/auctions/{before['id']}")["quiet_seconds"] == 600  # announced: keeps its own

    _bailiff, _p, other = m.ordered_lot(bailiff, value="1000000.00")
    after = m.announce(bailiff, other["id"])
    assert (after["quiet_seconds"], after["step"]) == (1200, "25000.00")
    explicit = m.announce(bailiff, m.ordered_lot(bailiff)[2]["id"], quiet_seconds=300, step="10000.00")
    assert (explicit["quiet_seconds"], explicit["step"]) == (300, "10000.00")  # the bailiff's choice wins

    from sqlalchemy import select

    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(m.app) as uow:
        actor, payload = uow.session.execute(select(JournalEntry.actor, JournalEntry.payload)
                                             .where(JournalEntry.kind == "settings.changed")).one()
    assert actor == f"user:{operator.id}"
    assert payload == {"changes": {"quiet_minutes": ["10", "20"], "step_percent": ["5", "2.5"]},
                             "reason": "as on the tax-debt auctions"}


def test_trading_hours_set_the_latest_start_a_bailiff_may_choose(m):
    operator = m.user("operator")
    operator.ok("PUT", "/settings", {"latest_start": "12:00", "reason": "winter hours"})
    bailiff, p, lot = m.ordered_lot()
    day = m.auction_time(12)[:10]
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": f"{day}T08:00:00Z"}), 422,
              "outside_trading_hours")  # 13:00 in Almaty
    assert "12:00" in e["message"]
    assert bailiff.ok("POST", f"/lots/{lot['id']}/auctions", {"starts_at": f"{day}T07:00:00Z"})["status"] == "announced"


def test_the_repeat_auction_floor_follows_the_setting_of_its_category(m):
    operator = m.user("operator")
    operator.ok("PUT", "/settings", {"floor_percent_movable": "60", "reason": "ministry letter No 12"})
    bailiff, p, lot, auction = _failed_first_auction(m)
    _at(m, 2026, 12, 22)
    m.tick()
    _at(m, 2026, 12, 29)
    repeat = m.announce(bailiff, lot["id"])
    assert (repeat["round"], repeat["floor"]) == (2, "600000.00")  # 60% of 1 000 000.00


@pytest.mark.parametrize("body, status, code, article, words", [
    ({"floor_percent_movable": "40"}, 422, "bad_setting", "80.3", "between 50 and 100, not 40"),
    ({"floor_percent_real_estate": "20"}, 422, "bad_setting", "80.3", "between 25 and 100, not 20"),
    ({"step_percent": "0"}, 422, "bad_setting", "80.3", "step_percent must be between 0.01 and 50"),
    ({"quiet_minutes": "0"}, 422, "bad_setting", None, "platform rule, SPEC §3"),
    ({"quiet_minutes": "ten"}, 400, "bad_setting", None, "'ten' is not a whole number"),
    ({"step_percent": "2.555"}, 400, "bad_setting", None, "at most 2 decimals"),
    ({"opens": "25:00"}, 400, "bad_setting", None, "HH:MM"),
    ({"latest_start": "18:00"}, 422, "bad_setting", None, "opens ≤ latest start < 17:00"),
    ({"opens": "12:00", "latest_start": "11:00"}, 422, "bad_setting", None, "not 12:00 and 11:00"),
    ({"quiet_minutes": "20", "reason": " "}, 400, "reason_required", None, "journaled"),
    ({"quiet_minutes": "20", "floor_percent_movable": "40"}, 422, "bad_setting", "80.3", "not 40"),
])
def test_a_value_outside_the_rule_is_refused_with_the_rule_and_nothing_changes(m, body, status, code, article,
                                                                                words):
    operator = m.user("operator")
    before = snapshot(m)
    e = error(operator.put("/settings", {"reason": "test", **body}), status, code, article)
    assert words in e["message"]
    assert_unchanged(m, before)
    assert m.public.ok("GET", "/settings") == DEFAULTS


def test_only_an_operator_changes_the_settings_and_unknown_names_are_refused(m):
    error(m.user("bailiff").put("/settings", {"quiet_minutes": "20", "reason": "x"}), 403, "forbidden")
    error(m.public.put("/settings", {"quiet_minutes": "20", "reason": "x"}), 401)
    error(m.user("operator").put("/settings", {"quite_minutes": "20", "reason": "x"}), 400, "validation_error")
    assert m.public.ok("GET", "/settings") == DEFAULTS


def test_the_operator_changes_the_settings_from_the_cabinet_and_the_console_shows_them(client, m):
    operator = m.user("operator")
    log_in(client, operator)
    page = text(client.get("/cabinet?lang=en"))
    assert "Platform settings" in page and "Floor of the repeat auction, real estate" in page
    form = {**DEFAULTS, "reason": "tax-debt practice"}
    before = snapshot(m)
    post(client, "/cabinet/settings", **{**form, "floor_percent_movable": "45"})
    assert "Art. 80.3: floor_percent_movable must be between 50 and 100, not 45" in text(client.get("/cabinet?lang=en"))
    assert_unchanged(m, before)
    post(client, "/cabinet/settings", **{**form, "quiet_minutes": "20", "latest_start": "14:00"})
    page = client.get("/cabinet?lang=en").get_data(as_text=True)
    assert "Settings saved" in page
    assert 'name="quiet_minutes" value="20"' in page and 'name="latest_start" value="14:00"' in page
    assert m.public.ok("GET", "/settings")["quiet_minutes"] == "20"

    bailiff = m.user("bailiff")
    _b, _p, lot = m.ordered_lot(bailiff)
    log_out(client)
    log_in(client, bailiff)
    console = client.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    assert "empty: 1200" in console and "between 10:00 and 14:00 Kazakhstan time" in console
    assert '<option value="14:00"' in console and '<option value="14:30"' not in console
