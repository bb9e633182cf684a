"""Art. 72: the realization queue of every kind of property for every kind of debtor, derived from
the facts (auction/lots/priority.py), and the Art. 111–112 queue of every kind of claim."""
from __future__ import annotations

import pytest

from auction.claims import CLAIM_KINDS, queue_of
from auction.errors import RuleViolation
from auction.lots.priority import CATEGORIES, realization_queue

# category: (individual, legal entity not in production, legal entity in production) as (queue, article);
# None = refused (these kinds are of the first queue whatever their use, Art. 72.2.1).
TABLE = {
    "valuables": ((1, "72.1.1"), (1, "72.2.1"), None),
    "securities": ((1, "72.1.1"), (1, "72.2.1"), None),
    "currency": ((1, "72.1.1"), (1, "72.2.1"), None),
    "decor": ((1, "72.1.1"), (1, "72.2.1"), None),
    "finished_goods": ((1, "72.1.1"), (1, "72.2.1"), None),
    "movable": ((1, "72.1.1"), (1, "72.2.1"), (3, "72.2.3")),
    "raw_materials": ((1, "72.1.1"), (1, "72.2.1"), (3, "72.2.3")),
    "equipment": ((1, "72.1.1"), (1, "72.2.1"), (3, "72.2.3")),
    "vehicle": ((2, "72.1.2"), (1, "72.2.1"), (3, "72.2.3")),
    "real_estate": ((2, "72.1.2"), (2, "72.2.2"), (3, "72.2.3")),
    "dwelling": ((3, "72.1.3"), (2, "72.2.2"), (3, "72.2.3")),
}


def test_the_table_covers_every_category():
    assert set(TABLE) == set(CATEGORIES)


@pytest.mark.parametrize("category", CATEGORIES)
def test_an_individual_debtors_queue_follows_art_72_1_whatever_the_business_use(category):
    expected = TABLE[category][0]
    for production in (False, True):  # Art. 72.3: an entrepreneur's business property follows 72.1 too
        q = realization_queue(category, debtor_is_entity=False, used_in_production=production)
        assert (q.number, q.article) == expected


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_legal_entitys_queue_follows_art_72_2_and_its_use_in_production(category):
    q = realization_queue(category, debtor_is_entity=True)
    assert (q.number, q.article) == TABLE[category][1]
    expected = TABLE[category][2]
    if expected is None:
        with pytest.raises(RuleViolation) as e:
            realization_queue(category, debtor_is_entity=True, used_in_production=True)
        assert e.value.article == "72.2" and e.value.code == "bad_production"
    else:
        q = realization_queue(category, debtor_is_entity=True, used_in_production=True)
        assert (q.number, q.article) == expected


def test_an_unknown_kind_of_property_is_refused_with_the_article():
    with pytest.raises(RuleViolation) as e:
        realization_queue("yacht", debtor_is_entity=False)
    assert e.value.article == "72" and e.value.code == "bad_category"


CLAIMS = {
    "alimony": 1, "health_harm": 1, "labour": 1,  # Art. 111
    "authors_remuneration": 2, "citizen_crime_damage": 2,  # Art. 112.1
    "pledge_secured": 3,  # Art. 112.2
    "taxes_budget": 4, "entity_crime_damage": 4, "asset_recovery": 4,  # Art. 112.3
    "other": 5,  # Art. 112.4
}


@pytest.mark.parametrize("kind", sorted(CLAIMS))
def test_a_claims_queue_follows_from_its_kind(kind):
    assert queue_of(kind) == CLAIMS[kind]
    article = CLAIM_KINDS[kind].article
    assert article == {1: "111", 2: "112.1", 3: "112.2", 4: "112.3", 5: "112.4"}[CLAIMS[kind]]


def test_every_claim_kind_is_in_the_table_and_an_unknown_one_is_refused():
    assert set(CLAIM_KINDS) == set(CLAIMS)
    with pytest.raises(RuleViolation) as e:
        queue_of("gambling_debt")
    assert e.value.code == "bad_claim_kind" and e.value.article == "110"


# ---- a refusal in a state the law put the lot in names that article (issue 10, point 14) ----------------
def test_acting_on_a_lot_the_law_has_closed_names_the_article_that_closed_it():
    from datetime import date, datetime, timezone
    from decimal import Decimal

    from auction.calendar import WorkingCalendar
    from auction.errors import InvalidTransition
    from auction.lots.model import InventoryItem, Lot

    def lot():
        return Lot(proceeding_id=1, title="t", description="", category="movable", debtor_is_entity=False,
                   items=[InventoryItem("i", "", Decimal("1.00"))], arrested_on=date(2026, 12, 1),
                   ownership_established_on=None, calendar=WorkingCalendar())

    now, today = datetime(2026, 12, 1, 6, tzinfo=timezone.utc), date(2026, 12, 1)
    agreed = lot()
    agreed.sign_agreement(signer="debtor", value=Decimal("100.00"), required_signers={"debtor"}, now=now, today=today)
    with pytest.raises(InvalidTransition) as e:
        agreed.appoint_appraiser(appraiser_id=None, appraiser_iin=None, basis="bailiff", today=today)
    assert e.value.article == "68.5"
    worthless = lot()
    worthless.declare_not_realizable(reason="no value")
    with pytest.raises(InvalidTransition) as e:
        worthless.appoint_appraiser(appraiser_id=None, appraiser_iin=None, basis="bailiff", today=today)
    assert e.value.article == "77.3"
