"""The acts signed with an EDS (auction/acts.py, service/signing.py): the one byte form an act is signed in,
and the deployment's setting of which acts must be signed (MULIK_EDS_SIGNED_ACTS)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from auction import acts
from auction.errors import Conflict
from service.signing import required_acts


def test_an_act_is_signed_as_sorted_compact_utf8_json_with_money_in_two_decimals_and_times_in_utc():
    almaty = timezone(timedelta(hours=5))
    content = acts.content("application", {
        "lot_title": "Тойота Камри", "deposit": Decimal("50000"),
        "starts_at": datetime(2026, 12, 14, 11, tzinfo=almaty),
        "on": date(2026, 12, 1), "declaration": {"spouse": None, "people": ["900202300028"]}})
    assert content == (
        '{"act":"application","article":"80.2","declaration":{"people":["900202300028"],"spouse":null},'
        '"deposit":"50000.00","lot_title":"Тойота Камри","on":"2026-12-01","platform":"mulik.kz",'
        '"starts_at":"2026-12-14T06:00:00Z"}').encode("utf-8")
    assert json.loads(content)["lot_title"] == "Тойота Камри"  # UTF-8 text, not \\u escapes


def test_the_act_names_itself_whatever_the_facts_say():
    content = json.loads(acts.content("retention_application", {"act": "application", "article": "1"}))
    assert (content["act"], content["article"]) == ("retention_application", "85.1")


def test_a_float_or_a_naive_time_has_no_place_in_an_act():
    with pytest.raises(TypeError):
        acts.content("application", {"price": 1000.5})
    with pytest.raises(ValueError):
        acts.content("application", {"at": datetime(2026, 12, 1, 10, 0)})


def test_signed_bytes_other_than_the_act_now_are_refused_with_its_article():
    with pytest.raises(Conflict) as e:
        acts.check_signed_content("application", b'{"a":1}', b'{"a":2}')
    assert (e.value.code, e.value.article, e.value.status) == ("eds_act_changed", "80.2", 409)


def test_which_acts_must_be_signed_all_in_production_none_elsewhere_unless_named():
    assert required_acts(None, production=True) == frozenset(acts.ACTS)
    assert required_acts(None, production=False) == frozenset()
    assert required_acts("none", production=True) == frozenset()
    assert required_acts("ALL", production=False) == frozenset(acts.ACTS)
    assert required_acts("application, sale_contract", production=False) == {"application", "sale_contract"}
    with pytest.raises(ValueError, match="protocol is no act"):
        required_acts("application,protocol", production=True)


def test_every_act_has_its_article_its_signers_and_its_names_in_both_languages():
    assert set(acts.ACTS) == {"application", "realization_order", "auction_protocol", "results_approval",
                              "sale_contract", "retention_application"}
    assert acts.act("sale_contract").signers == ("bidder", "bailiff")
    for a in acts.ACTS.values():
        assert a.article and a.kk and a.ru and a.kk != a.ru
