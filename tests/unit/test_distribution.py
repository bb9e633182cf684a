"""Distribution of proceeds (Art. 108, 110–112; SPEC §4.4). Every figure is worked by hand."""
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auction.distribution import Claim, distribute, pro_rata
from auction.errors import BadRequest
from auction.ledger import CONTROL, Ledger, collector_account, payment_received
from auction.money import from_tiyn

D = Decimal
Z = D("0.00")


def paid(statement, kind):
    return [ln.amount for ln in statement.lines if ln.kind == kind]


def by_claim(statement):
    return {ln.claim_id: ln.amount for ln in statement.lines if ln.kind == "collector"}


def test_fines_then_fee_and_expenses_then_queue_1_in_full_then_queue_2_pro_rata():
    claims = [Claim(1, 11, 1, D("300000.00"), 1),
              Claim(2, 12, 2, D("400000.00"), 2), Claim(3, 13, 2, D("800000.00"), 3),
              Claim(4, 14, 5, D("500000.00"), 4)]
    s = distribute(D("1000000.00"), fines=D("10000.00"), bailiff_fee=D("50000.00"),
                   expenses=D("40000.00"), claims=claims)
    # 1,000,000 - 10,000 fines = 990,000 - 50,000 fee - 40,000 expenses = 900,000
    # queue 1: 300,000 in full -> 600,000 left for queue 2, which is owed 1,200,000:
    # ratio 1/2 -> 200,000 and 400,000; nothing for queue 5, nothing for the debtor.
    assert paid(s, "fine") == [D("10000.00")]
    assert paid(s, "bailiff_fee") == [D("50000.00")]
    assert paid(s, "expenses") == [D("40000.00")]
    assert by_claim(s) == {1: D("300000.00"), 2: D("200000.00"), 3: D("400000.00"), 4: Z}
    assert paid(s, "debtor") == []
    assert s.total() == s.recovered == D("1000000.00")
    assert [ln.article for ln in s.lines if ln.kind == "collector"] == ["110, 111", "110, 112.1",
                                                                        "110, 112.1", "110, 112.4"]


def test_leftover_tiyns_go_to_the_largest_remainders_not_to_the_earliest_claim():
    claims = [Claim(1, 1, 3, D("100.00"), order=3), Claim(2, 2, 3, D("200.00"), order=1),
              Claim(3, 3, 3, D("400.00"), order=2)]
    s = distribute(D("10.00"), fines=Z, bailiff_fee=Z, expenses=Z, claims=claims)
    # 1000 tiyn over 70000 tiyn owed:
    #   claim 1: 1000*10000/70000 = 142.857 -> 142 (remainder .857)
    #   claim 2: 1000*20000/70000 = 285.714 -> 285 (remainder .714)
    #   claim 3: 1000*40000/70000 = 571.428 -> 571 (remainder .428)
    # 142+285+571 = 998: two tiyns left, to claims 1 and 2 (largest remainders), although
    # claim 3 is earlier than claim 1.
    assert by_claim(s) == {1: D("1.43"), 2: D("2.86"), 3: D("5.71")}
    assert s.total() == D("10.00")


def test_equal_remainders_give_the_tiyn_to_the_earlier_claim():
    claims = [Claim(7, 1, 1, D("300.00"), order=2), Claim(8, 2, 1, D("300.00"), order=1),
              Claim(9, 3, 1, D("300.00"), order=3)]
    s = distribute(D("100.00"), fines=Z, bailiff_fee=Z, expenses=Z, claims=claims)
    # 10000 tiyn / 3 = 3333.33 each -> 3333 each, 1 tiyn left, equal remainders:
    # it goes to claim 8, the earliest (order 1).
    assert by_claim(s) == {7: D("33.33"), 8: D("33.34"), 9: D("33.33")}


def test_what_remains_after_every_claim_goes_back_to_the_debtor():
    claims = [Claim(1, 1, 4, D("100000.00"), 1), Claim(2, 2, 5, D("50000.00"), 2)]
    s = distribute(D("500000.00"), fines=Z, bailiff_fee=Z, expenses=D("20000.00"), claims=claims)
    # 500,000 - 20,000 expenses - 100,000 - 50,000 = 330,000 to the debtor (Art. 55.5, 108.1)
    assert paid(s, "debtor") == [D("330000.00")]
    assert s.lines[-1].article == "55.5, 108.1"
    assert paid(s, "bailiff_fee") == []  # a state bailiff: no fee line at all


def test_fines_are_paid_first_and_fee_and_expenses_share_what_is_left_pro_rata():
    claims = [Claim(1, 1, 1, D("1000.00"), 1)]
    s = distribute(D("15000.00"), fines=D("10000.00"), bailiff_fee=D("8000.00"),
                   expenses=D("2000.00"), claims=claims)
    # 15,000 - 10,000 fines = 5,000 for fee + expenses owed 10,000: half each ->
    # fee 4,000, expenses 1,000; the collector gets nothing.
    assert paid(s, "fine") == [D("10000.00")]
    assert paid(s, "bailiff_fee") == [D("4000.00")]
    assert paid(s, "expenses") == [D("1000.00")]
    assert by_claim(s) == {1: Z}
    line = next(ln for ln in s.lines if ln.kind == "bailiff_fee")
    assert line.due == D("8000.00")


def test_money_short_of_the_fines_goes_to_the_fines_only():
    s = distribute(D("5000.00"), fines=D("10000.00"), bailiff_fee=D("1.00"), expenses=D("1.00"),
                   claims=[])
    assert [(ln.kind, ln.amount) for ln in s.lines] == [
        ("fine", D("5000.00")), ("bailiff_fee", Z), ("expenses", Z)]


def test_a_single_tiyn_between_fee_and_expenses_goes_to_the_fee():
    s = distribute(D("0.01"), fines=Z, bailiff_fee=D("1.00"), expenses=D("1.00"), claims=[])
    # 1 tiyn, equal shares of 0.5: tie, the fee is named first in Art. 108.1
    assert paid(s, "bailiff_fee") == [D("0.01")] and paid(s, "expenses") == [Z]


def test_zero_recovered_pays_nothing_and_lists_what_was_due():
    s = distribute(Z, fines=D("100.00"), bailiff_fee=Z, expenses=Z,
                   claims=[Claim(1, 1, 2, D("5.00"), 1)])
    assert [(ln.kind, ln.amount, ln.due) for ln in s.lines] == [
        ("fine", Z, D("100.00")), ("collector", Z, D("5.00"))]
    assert s.total() == Z


def test_nothing_owed_means_everything_goes_back_to_the_debtor():
    s = distribute(D("123.45"), fines=Z, bailiff_fee=Z, expenses=Z, claims=[])
    assert [(ln.kind, ln.amount) for ln in s.lines] == [("debtor", D("123.45"))]


def test_statement_serialises_money_as_strings():
    s = distribute(D("100.00"), fines=Z, bailiff_fee=Z, expenses=D("10.00"),
                   claims=[Claim(1, 4, 1, D("50.00"), 1)])
    assert s.to_dict() == {"recovered": "100.00", "total": "100.00", "lines": [
        {"kind": "expenses", "amount": "10.00", "due": "10.00", "claim_id": None,
         "collector_id": None, "queue": None, "article": "108.1, 113"},
        {"kind": "collector", "amount": "50.00", "due": "50.00", "claim_id": 1,
         "collector_id": 4, "queue": 1, "article": "110, 111"},
        {"kind": "debtor", "amount": "40.00", "due": None, "claim_id": None,
         "collector_id": None, "queue": None, "article": "55.5, 108.1"}]}


def test_payout_transaction_empties_the_control_account():
    s = distribute(D("100.00"), fines=Z, bailiff_fee=D("5.00"), expenses=Z,
                   claims=[Claim(1, 4, 1, D("50.00"), 1), Claim(2, 6, 2, D("70.00"), 2)])
    ledger = Ledger()
    ledger.post(payment_received(D("100.00"), reference="sale-1"))
    ledger.post(s.payout_transaction(reference="lot-1"))
    assert ledger.balance(CONTROL) == Z
    assert ledger.balance(collector_account(4)) == D("50.00")
    assert ledger.balance(collector_account(6)) == D("45.00")  # 100 - 5 - 50
    assert ledger.total() == 0
    assert distribute(Z, fines=Z, bailiff_fee=Z, expenses=Z, claims=[]).payout_transaction() is None


@pytest.mark.parametrize("make", [
    lambda: Claim(1, 1, 6, D("1.00")),  # no sixth queue (Art. 110-112)
    lambda: Claim(1, 1, 0, D("1.00")),
    lambda: Claim(1, 1, 1, D("-1.00")),
    lambda: Claim(1, 1, 1, D("1.001")),
    lambda: distribute(D("1.00"), fines=Z, bailiff_fee=Z, expenses=Z,
                       claims=[Claim(1, 1, 1, D("1.00")), Claim(1, 2, 2, D("1.00"))]),
    lambda: distribute(1.0, fines=Z, bailiff_fee=Z, expenses=Z, claims=[]),
    lambda: distribute(D("1.00"), fines=D("-1.00"), bailiff_fee=Z, expenses=Z, claims=[]),
])
def test_bad_input_is_refused(make):
    with pytest.raises(BadRequest):
        make()


# --- properties ---------------------------------------------------------------------------

tiyn = st.integers(min_value=0, max_value=10**10)
claims_st = st.lists(st.tuples(st.integers(1, 5), tiyn, st.integers(0, 5)), max_size=12).map(
    lambda rows: [Claim(i + 1, 100 + i, q, from_tiyn(t), order) for i, (q, t, order) in enumerate(rows)])


@settings(max_examples=300)
@given(recovered=st.integers(0, 3 * 10**10), fines=tiyn, fee=tiyn, expenses=tiyn, claims=claims_st)
def test_distribution_properties(recovered, fines, fee, expenses, claims):
    s = distribute(from_tiyn(recovered), fines=from_tiyn(fines), bailiff_fee=from_tiyn(fee),
                   expenses=from_tiyn(expenses), claims=claims)
    assert s.total() == from_tiyn(recovered)
    assert all(ln.amount >= 0 for ln in s.lines)
    assert all(ln.due is None or ln.amount <= ln.due for ln in s.lines)
    full = {q: all(s.paid_to_claim(c.claim_id) == c.amount for c in claims if c.queue == q)
            for q in range(1, 6)}
    for c in claims:
        got = s.paid_to_claim(c.claim_id)
        assert got <= c.amount
        if got > 0:  # a queue is paid only when every earlier queue is paid in full
            assert all(full[q] for q in range(1, c.queue))
    fines_paid = sum((ln.amount for ln in s.lines if ln.kind == "fine"), Z)
    if fines_paid < from_tiyn(fines):
        assert fines_paid == s.total()  # fines take everything until they are paid
    if any(ln.kind == "debtor" for ln in s.lines):
        assert all(ln.amount == ln.due for ln in s.lines if ln.kind != "debtor")


@given(st.integers(0, 10**6), st.lists(st.integers(1, 10**6), min_size=1, max_size=8))
def test_pro_rata_shares_are_within_one_tiyn_of_the_exact_share(available, dues):
    shares = pro_rata(available, dues, [(i,) for i in range(len(dues))])
    assert sum(shares) == min(available, sum(dues))
    for share, due in zip(shares, dues):
        exact = Fraction(min(available, sum(dues)) * due, sum(dues))
        assert abs(share - exact) < 1 and 0 <= share <= due
