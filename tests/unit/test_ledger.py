"""The double-entry ledger (SPEC §4): postings balance, balances are derived, total is zero."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auction.errors import BadRequest
from auction.ledger import (
    BAILIFF_INCOME,
    CONTROL,
    DEBTOR_REFUND,
    EXTERNAL,
    STATE_REVENUE,
    Ledger,
    Overdraft,
    Posting,
    Transaction,
    accounts_debited,
    bailiff_income_account,
    check_covered,
    check_hold,
    collector_account,
    deposit_account,
    deposit_applied_to_price,
    deposit_forfeited,
    deposit_paid,
    deposit_refunded,
    is_bailiff_income,
    may_go_negative,
    payment_received,
    payout,
    transfer,
    transfer_out,
)

D = Decimal


def test_account_names_are_plain_strings():
    assert deposit_account(7) == "bidder:7:deposit"
    assert collector_account(12) == "collector:12"


def test_unbalanced_transaction_is_rejected():
    txn = Transaction("broken", [Posting(EXTERNAL, D("-100.00")), Posting(CONTROL, D("99.99"))])
    with pytest.raises(ValueError, match="do not balance"):
        txn.validate()
    with pytest.raises(ValueError):
        Ledger().post(txn)


@pytest.mark.parametrize("postings", [
    [Posting(CONTROL, D("0.00")), Posting(EXTERNAL, D("0.00"))],  # zero amounts
    [Posting(CONTROL, D("0.001")), Posting(EXTERNAL, D("-0.001"))],  # finer than a tiyn
    [Posting(CONTROL, 1.5), Posting(EXTERNAL, -1.5)],  # floats
    [Posting(CONTROL, D("10.00"))],  # a single leg
])
def test_malformed_transactions_are_rejected(postings):
    with pytest.raises(ValueError):
        Transaction("bad", postings).validate()


def test_builders_refuse_non_positive_amounts_and_floats():
    with pytest.raises(ValueError):
        deposit_paid(1, D("0"))
    with pytest.raises(BadRequest):
        deposit_paid(1, 12.5)


def test_deposit_paid_then_refunded_leaves_nothing_held():
    ledger = Ledger()
    ledger.post(deposit_paid(1, D("62500.00"), reference="pay-1"))
    assert ledger.balance(deposit_account(1)) == D("62500.00")
    assert ledger.balance(EXTERNAL) == D("-62500.00")  # the platform holds 62,500 from outside
    assert ledger.held_deposits() == D("62500.00")
    ledger.post(deposit_refunded(1, D("62500.00")))
    assert ledger.held_deposits() == D("0.00")
    assert ledger.total() == 0


@pytest.mark.parametrize("private_bailiff, target, other", [
    (False, STATE_REVENUE, "bailiff:7:income"),  # Art. 80.5: state bailiff's auction -> state revenue
    (True, "bailiff:7:income", STATE_REVENUE),  # Art. 80.5: private bailiff's auction -> his own income
])
def test_forfeited_deposit_goes_to_state_revenue_or_private_bailiff_income(private_bailiff, target, other):
    ledger = Ledger()
    ledger.post(deposit_paid(5, D("50000.00")))
    ledger.post(deposit_forfeited(5, D("50000.00"), private_bailiff=private_bailiff, bailiff_id=7))
    assert ledger.balance(target) == D("50000.00")
    assert ledger.balance(other) == D("0.00")
    assert ledger.balance(BAILIFF_INCOME) == D("0.00")  # the legacy shared account takes nothing new
    assert ledger.balance(deposit_account(5)) == D("0.00")
    assert ledger.total() == 0


def test_a_private_bailiffs_income_account_names_him_and_the_old_shared_account_stays_readable():
    assert bailiff_income_account(12) == "bailiff:12:income"
    assert is_bailiff_income("bailiff:12:income") and is_bailiff_income(BAILIFF_INCOME)
    assert not is_bailiff_income(STATE_REVENUE) and not is_bailiff_income(deposit_account(12))
    with pytest.raises(ValueError):
        deposit_forfeited(5, D("1.00"), private_bailiff=True)  # whose income? the bailiff must be named


def test_winner_deposit_counts_toward_the_price_and_the_rest_is_paid_out():
    # price 1,000,000.00; deposit 5% = 50,000.00 (Art. 80.1); winner pays 950,000.00 more
    ledger = Ledger()
    ledger.post(deposit_paid(9, D("50000.00")))
    ledger.post(deposit_applied_to_price(9, D("50000.00")))
    ledger.post(payment_received(D("950000.00"), reference="bank-77"))
    assert ledger.balance(CONTROL) == D("1000000.00")
    ledger.post(payout(collector_account(3), D("800000.00")))
    ledger.post(payout(DEBTOR_REFUND, D("200000.00")))
    ledger.post(transfer_out(collector_account(3), D("800000.00")))
    assert ledger.balance(CONTROL) == D("0.00")
    assert ledger.balance(EXTERNAL) == D("-200000.00")  # only the debtor's refund is still held
    assert ledger.total() == 0


def test_cannot_refund_more_than_the_bidder_holds():
    ledger = Ledger()
    ledger.post(deposit_paid(2, D("100.00")))
    with pytest.raises(Overdraft):
        ledger.post(deposit_refunded(2, D("100.01")))
    assert ledger.balance(deposit_account(2)) == D("100.00")  # nothing half-posted
    assert len(ledger.transactions) == 1


amounts = st.integers(min_value=1, max_value=10**11).map(lambda t: (D(t) / 100).quantize(D("0.01")))


fates = st.sampled_from(["refund", "forfeit", "apply", "keep"])


@given(st.lists(st.tuples(st.integers(1, 4), amounts, fates), max_size=30))
def test_total_is_always_zero_and_held_deposits_are_the_sum_of_bidder_balances(ops):
    ledger = Ledger()
    for user, amount, then in ops:
        ledger.post(deposit_paid(user, amount))
        if then == "refund":
            ledger.post(deposit_refunded(user, amount))
        elif then == "forfeit":
            ledger.post(deposit_forfeited(user, amount, private_bailiff=user % 2 == 0, bailiff_id=1))
        elif then == "apply":
            ledger.post(deposit_applied_to_price(user, amount))
        assert ledger.total() == 0
    held = sum((ledger.balance(deposit_account(u)) for u in range(1, 5)), D("0.00"))
    assert ledger.held_deposits() == held
    assert ledger.held_deposits() == sum((a for _, a, then in ops if then == "keep"), D("0.00"))
    assert sum(ledger.balances().values(), D("0")) == 0


# ---- accounts that must stay non-negative (issue 11) ----------------------------------------------
GUARDED = [deposit_account(4), CONTROL, collector_account(3), STATE_REVENUE, bailiff_income_account(7),
           BAILIFF_INCOME, DEBTOR_REFUND, "expenses", "fines"]


@pytest.mark.parametrize("account", GUARDED)
def test_the_ledger_refuses_to_take_any_platform_account_below_zero(account):
    ledger = Ledger()
    ledger.post(transfer("fund", EXTERNAL, account, D("100.00")))
    with pytest.raises(Overdraft) as refused:
        ledger.post(transfer("spend", account, EXTERNAL, D("100.01")))
    assert (refused.value.account, refused.value.available, refused.value.wanted) == (account, D("100.00"),
                                                                                        D("100.01"))
    assert ledger.balance(account) == D("100.00") and len(ledger.transactions) == 1
    ledger.post(transfer("spend", account, EXTERNAL, D("100.00")))  # all of it is fine
    assert ledger.balance(account) == D("0.00")


def test_only_the_outside_world_may_go_negative():
    assert [a for a in [EXTERNAL, *GUARDED] if may_go_negative(a)] == [EXTERNAL]
    ledger = Ledger()
    ledger.post(payment_received(D("950000.00"), reference="bank-1"))  # nothing was "in" the bank account
    assert ledger.balance(EXTERNAL) == D("-950000.00")


def test_a_transaction_is_checked_on_its_net_change_per_account():
    txn = Transaction("shuffle", [Posting(CONTROL, D("-50.00")), Posting(CONTROL, D("50.00")),
                                  Posting(EXTERNAL, D("-10.00")), Posting(STATE_REVENUE, D("10.00"))])
    ledger = Ledger()
    ledger.post(txn)  # control goes out and back in: never below zero
    assert ledger.balance(CONTROL) == D("0.00") and accounts_debited(txn) == []


def test_deposits_reserved_on_a_wallet_cannot_be_posted_away():
    # the wallet holds 105,000.00, of which 100,000.00 are two deposits held for auctions (Art. 80.1)
    balance, reserved = {deposit_account(4): D("105000.00")}.get, {deposit_account(4): D("100000.00")}.get
    with pytest.raises(Overdraft) as refused:
        check_covered(deposit_refunded(4, D("5000.01")), balance, reserved)
    assert refused.value.available == D("5000.00") and refused.value.article == "80.1"
    check_covered(deposit_refunded(4, D("5000.00")), balance, reserved)


def test_a_deposit_is_held_from_the_wallet_only_when_the_wallet_has_it_free():
    wallet = deposit_account(4)
    check_hold("deposit_from_wallet", wallet, D("50000.00"), balance=D("105000.00"), reserved=D("50000.00"))
    with pytest.raises(Overdraft, match="holds 5000.00 free, cannot take out 50000.00") as refused:
        check_hold("deposit_from_wallet", wallet, D("50000.00"), balance=D("105000.00"), reserved=D("100000.00"))
    assert refused.value.article == "80.1"
    with pytest.raises(ValueError):
        check_hold("deposit_from_wallet", EXTERNAL, D("1.00"), balance=D("0.00"), reserved=D("0.00"))
