"""The private bailiff's fee (Art. 118). MCI 2026 = 4,325 KZT, so the default table's
thresholds are 60 MCI = 259,500.00, 1,000 MCI = 4,325,000.00, 10,000 MCI = 43,250,000.00,
and the cap is 10,000 MCI = 43,250,000.00."""
from decimal import Decimal

import pytest

from auction.errors import BadRequest
from auction.fees import DEFAULT_RATE_TABLE, FEE_CAP_MCI, MCI_2026, Fee, FeeBand, private_bailiff_fee

D = Decimal


def test_cap_is_ten_thousand_mci():
    assert FEE_CAP_MCI * MCI_2026 == D("43250000")


@pytest.mark.parametrize("recovered, rate, amount", [
    ("100.02", "25", "25.01"),  # 100.02 x 25% = 25.005 -> half-up 25.01
    ("259500.00", "25", "64875.00"),  # exactly 60 MCI: still the first band; x 25%
    ("259500.01", "15", "38925.00"),  # just above: 15% -> 38,925.0015 -> 38,925.00
    ("4000000.00", "15", "600000.00"),  # <= 1,000 MCI: 15%
    ("10000000.00", "10", "1000000.00"),  # <= 10,000 MCI: 10%
    ("100000000.00", "5", "5000000.00"),  # above 10,000 MCI: 5%
])
def test_rate_follows_the_amount_band(recovered, rate, amount):
    fee = private_bailiff_fee(D(recovered))
    assert fee == Fee(D(rate), D(amount), False, "118")


def test_fee_is_capped_at_ten_thousand_mci():
    fee = private_bailiff_fee(D("1000000000.00"))
    # 1,000,000,000 x 5% = 50,000,000 > 43,250,000 cap
    assert fee.amount == D("43250000.00") and fee.capped and fee.rate == D("5")


def test_partial_execution_pays_the_proportional_part_of_the_rate_of_the_whole_writ():
    fee = private_bailiff_fee(D("2500000.00"), claim_amount=D("10000000.00"))
    # the writ of 10,000,000 falls in the 10% band (not the 15% band of 2,500,000):
    # full fee 1,000,000 x 2,500,000 / 10,000,000 = 250,000.00 (Art. 118.2)
    assert fee.rate == D("10") and fee.amount == D("250000.00") and not fee.capped


def test_partial_execution_of_a_capped_writ_pays_the_proportional_part_of_the_cap():
    fee = private_bailiff_fee(D("500000000.00"), claim_amount=D("2000000000.00"))
    # full fee min(2,000,000,000 x 5% = 100,000,000, cap 43,250,000) = 43,250,000;
    # a quarter recovered -> 10,812,500.00 (not 5% of 500,000,000 = 25,000,000)
    assert fee.amount == D("10812500.00") and fee.capped


def test_money_beyond_the_writ_bears_no_fee():
    fee = private_bailiff_fee(D("1200000.00"), claim_amount=D("1000000.00"))
    # the surplus of 200,000 goes back to the debtor (Art. 55.5); 15% of 1,000,000
    assert fee.amount == D("150000.00")


def test_nothing_recovered_means_no_fee():
    fee = private_bailiff_fee(D("0.00"), claim_amount=D("5000.00"))
    assert fee.amount == D("0.00") and not fee.capped


def test_category_picks_its_own_table():
    assert private_bailiff_fee(D("1000.00"), category="alimony").amount == D("30.00")  # 3%
    with pytest.raises(BadRequest):
        private_bailiff_fee(D("1000.00"), category="no-such-category")


def test_rate_table_and_mci_are_configuration():
    table = {"property": [FeeBand(D("100"), D("20")), FeeBand(None, D("4"))]}
    # mci 1,000: first band up to 100,000; cap 10,000,000
    assert private_bailiff_fee(D("100000.00"), rate_table=table, mci=D("1000")).amount == D("20000.00")
    fee = private_bailiff_fee(D("300000000.00"), rate_table=table, mci=D("1000"))
    assert fee.amount == D("10000000.00") and fee.capped  # 4% = 12,000,000 > cap
    assert DEFAULT_RATE_TABLE["property"][0].rate == D("25")


@pytest.mark.parametrize("bands", [
    [FeeBand(None, D("30"))],  # above 25% (Art. 118.1)
    [FeeBand(None, D("2"))],  # below 3%
    [FeeBand(D("100"), D("10")), FeeBand(D("50"), D("5")), FeeBand(None, D("3"))],  # not ascending
    [FeeBand(D("100"), D("10"))],  # no open-ended last band
])
def test_rate_tables_outside_the_law_are_refused(bands):
    with pytest.raises(ValueError):
        private_bailiff_fee(D("10.00"), rate_table={"property": bands})


def test_fee_serialises_money_as_a_string():
    assert private_bailiff_fee(D("100.02")).to_dict() == {
        "rate": "25", "amount": "25.01", "capped": False, "article": "118"}
