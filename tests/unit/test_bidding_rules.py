"""Live bidding rules: ascending (Art. 80.3, 84), descending (Art. 80.3, 85.4), trading hours."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auction.bidding import TradingHours, ascending, check_start_time, descending, opening_failure, session_closes_at
from auction.errors import BadRequest, InvalidTransition, RuleViolation

D = Decimal
# Tuesday 10 March 2026, 10:00 in Almaty (UTC+5) = 05:00 UTC
START = datetime(2026, 3, 10, 5, 0, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)

# --------------------------------------------------------------------------- ascending


def bid(**overrides):
    args = dict(status="open", now=START + 3 * MIN, starts_at=START, ends_at=START + 10 * MIN,
                current=D("1000000.00"), step=D("50000.00"), amount=D("1050000.00"), bidder_is_leader=False)
    args.update(overrides)
    return ascending.check_bid(**args)


def test_the_next_price_is_exactly_the_current_price_plus_one_step():
    # at the opening "current" is the starting price: the first bid is 1,000,000 + 50,000
    assert ascending.next_price(D("1000000.00"), D("50000.00")) == D("1050000.00")
    assert ascending.next_price(D("1234567.89"), D("61728.39")) == D("1296296.28")


def test_a_bid_of_the_next_price_is_accepted():
    assert bid() is None


def test_a_bid_for_another_price_is_refused_with_the_current_price():
    with pytest.raises(RuleViolation) as raised:
        bid(amount=D("1100000.00"))
    assert raised.value.code == "wrong_price"
    assert raised.value.article == "80.3"
    assert raised.value.message == ("Art. 80.3: a bid must be exactly the current price plus one step: "
                                    "1050000.00; the price is now 1000000.00")


def test_the_loser_of_a_simultaneous_click_is_told_the_new_price():
    # both saw 1,000,000 and offered 1,050,000; the first one won, the price is now 1,050,000
    with pytest.raises(RuleViolation, match="the price is now 1050000.00"):
        bid(current=D("1050000.00"), amount=D("1050000.00"))


def test_the_leader_may_not_outbid_himself():
    with pytest.raises(RuleViolation) as raised:
        bid(bidder_is_leader=True)
    assert raised.value.code == "already_leading"


def test_a_float_amount_is_a_bad_request():
    with pytest.raises(BadRequest):
        bid(amount=1050000.0)


def test_no_bid_before_the_opening_or_in_an_announced_auction():
    for overrides in ({"now": START - timedelta(seconds=1)}, {"status": "announced"}):
        with pytest.raises(InvalidTransition) as raised:
            bid(**overrides)
        assert raised.value.code == "auction_not_open"


def test_no_bid_at_or_after_the_end_or_in_a_closed_auction():
    for overrides in ({"now": START + 10 * MIN}, {"status": "failed"}, {"status": "closed"}):
        with pytest.raises(InvalidTransition) as raised:
            bid(**overrides)
        assert raised.value.code == "auction_closed"


def test_each_bid_moves_the_end_to_a_quiet_period_after_it():
    assert ascending.first_deadline(START, 10 * MIN) == START + 10 * MIN  # 05:10 UTC
    # a bid at 05:07:30 ends the round at 05:17:30, unless someone raises again
    assert ascending.soft_close_end(START + timedelta(minutes=7, seconds=30), 10 * MIN) == \
        START + timedelta(minutes=17, seconds=30)
    bid(now=START + timedelta(minutes=17, seconds=29), ends_at=START + timedelta(minutes=17, seconds=30))


def test_a_round_without_bids_fails_under_article_84_2():
    outcome = ascending.close(bids_count=0, leader=None, price=None)
    assert (outcome.sold, outcome.reason, outcome.price, outcome.winner) == (False, "84.2", None, None)
    assert outcome.message.startswith("Art. 84.2:")


def test_the_last_participant_to_raise_wins_at_his_price():
    outcome = ascending.close(bids_count=4, leader="No. 3", price=D("1200000.00"))
    assert (outcome.sold, outcome.winner, outcome.price, outcome.reason) == (True, "No. 3", D("1200000.00"), None)


def test_the_opening_fails_with_fewer_than_two_participants_or_two_online():
    assert opening_failure(participants=1, online=1).reason == "84.1"
    assert opening_failure(participants=3, online=1).reason == "84.4"
    assert opening_failure(participants=2, online=2) is None


# --------------------------------------------------------------------------- descending

# real estate valued 1,000,000.00: floor 75% = 750,000.00, step 5% = 50,000.00, every 2 minutes
VALUATION = D("1000000.00")
FLOOR = descending.floor_price(VALUATION, descending.DEFAULT_FLOOR_PERCENT["real_estate"])
STEP = descending.default_step(VALUATION)
ROUND = dict(starts_at=START, start=VALUATION, step=STEP, interval=descending.DEFAULT_INTERVAL, floor=FLOOR)


def price(offset, **overrides):
    return descending.price_at(START + offset, **{**ROUND, **overrides})


def test_the_default_floors_and_step_are_computed_half_up_to_the_tiyn():
    assert FLOOR == D("750000.00") and STEP == D("50000.00")
    # 1,234,567.89 * 75% = 925,925.9175 -> 925,925.92; * 50% = 617,283.945 -> 617,283.95
    assert descending.floor_price(D("1234567.89"), D(75)) == D("925925.92")
    assert descending.floor_price(D("1234567.89"), descending.DEFAULT_FLOOR_PERCENT["movable"]) == D("617283.95")
    # 1,234,567.89 * 5% = 61,728.3945 -> 61,728.39
    assert descending.default_step(D("1234567.89")) == D("61728.39")


def test_the_price_is_the_start_until_the_first_interval_has_passed():
    assert price(-MIN) == D("1000000.00")
    assert price(timedelta(0)) == D("1000000.00")
    assert price(2 * MIN - timedelta(microseconds=1)) == D("1000000.00")


def test_at_a_tick_boundary_the_new_price_applies():
    assert price(2 * MIN) == D("950000.00")  # 1 interval
    assert price(8 * MIN) == D("800000.00")  # 4 intervals: 1,000,000 - 4 * 50,000


def test_the_price_stops_exactly_at_the_floor():
    assert price(10 * MIN) == D("750000.00")  # 5 intervals land on the floor
    assert price(timedelta(hours=5)) == D("750000.00")


def test_a_step_that_does_not_land_on_the_floor_is_clamped_to_it():
    # step 60,000: 1,000,000 -> 940,000 -> 880,000 -> 820,000 -> 760,000 -> (700,000) 750,000
    assert price(8 * MIN, step=D("60000.00")) == D("760000.00")
    assert price(10 * MIN, step=D("60000.00")) == D("750000.00")
    # ceil(250,000 / 60,000) = 5 intervals
    assert descending.floor_reached_at(**{**ROUND, "step": D("60000.00")}) == START + 10 * MIN


@given(start_tiyn=st.integers(100, 10**12), step_permille=st.integers(1, 1000), pct=st.integers(0, 100),
       seconds=st.integers(-600, 10**6))
def test_the_price_never_falls_below_the_floor_and_never_rises(start_tiyn, step_permille, pct, seconds):
    # a step of 0.1% .. 100% of the start (at least one tiyn): at most 1,000 intervals to the floor
    start, step = D(start_tiyn) / 100, D(max(1, start_tiyn * step_permille // 1000)) / 100
    floor = descending.floor_price(start, D(pct))
    rnd = dict(starts_at=START, start=start, step=step, interval=2 * MIN, floor=floor)
    now = START + timedelta(seconds=seconds)
    here = descending.price_at(now, **rnd)
    later = descending.price_at(now + 2 * MIN, **rnd)
    assert floor <= later <= here <= start
    assert here.as_tuple().exponent == -2
    reached = descending.floor_reached_at(**rnd)
    assert descending.price_at(reached, **rnd) == floor
    assert reached == START or descending.price_at(reached - MIN, **rnd) > floor


def test_the_round_fails_one_interval_after_the_floor_is_reached():
    assert descending.floor_reached_at(**ROUND) == START + 10 * MIN  # 250,000 / 50,000 = 5 intervals
    assert descending.fails_at(**ROUND) == START + 12 * MIN


def test_the_next_tick_is_strictly_after_now():
    interval = descending.DEFAULT_INTERVAL
    assert descending.next_tick_at(START - MIN, START, interval) == START
    assert descending.next_tick_at(START, START, interval) == START + 2 * MIN
    assert descending.next_tick_at(START + 2 * MIN, START, interval) == START + 4 * MIN
    assert descending.next_tick_at(START + timedelta(minutes=2, seconds=30), START, interval) == START + 4 * MIN


def accept(offset, price, **overrides):
    args = dict(ROUND, status="open", now=START + offset, price=price, already_accepted=False)
    args.update(overrides)
    return descending.check_acceptance(**args)


def test_an_acceptance_of_the_current_price_wins():
    assert accept(timedelta(minutes=2, seconds=30), D("950000.00")) is None
    assert accept(timedelta(minutes=11, seconds=59), D("750000.00")) is None  # last moment at the floor


def test_an_acceptance_at_a_stale_price_is_refused_with_the_current_price():
    # the participant saw 1,000,000.00 but the tick at 05:02:00 lowered it to 950,000.00
    with pytest.raises(RuleViolation) as raised:
        accept(2 * MIN, D("1000000.00"))
    assert raised.value.code == "price_changed"
    assert "the price is now 950000.00" in raised.value.message


def test_only_the_first_acceptance_wins():
    with pytest.raises(InvalidTransition) as raised:
        accept(3 * MIN, D("950000.00"), already_accepted=True)
    assert raised.value.code == "already_accepted"


def test_no_acceptance_before_the_start_or_after_the_round_failed():
    with pytest.raises(InvalidTransition) as raised:
        accept(-MIN, D("1000000.00"))
    assert raised.value.code == "auction_not_open"
    with pytest.raises(InvalidTransition) as raised:
        accept(12 * MIN, D("750000.00"))
    assert raised.value.code == "auction_closed"
    assert raised.value.article == "84.2"


def test_a_descending_round_without_acceptance_fails_under_article_84_2():
    assert descending.close(acceptor=None, price=None).reason == "84.2"
    assert descending.close(acceptor="No. 2", price=D("850000.00")).price == D("850000.00")


def test_a_floor_above_the_start_is_a_programming_error():
    with pytest.raises(ValueError):
        price(timedelta(0), floor=D("1000000.01"))


# --------------------------------------------------------------------------- trading hours

HOURS = TradingHours()


def weekdays(day: date) -> bool:
    return day.weekday() < 5


@pytest.mark.parametrize("utc", [time(5, 0), time(10, 0)])  # 10:00 and 15:00 in Almaty
def test_an_auction_may_start_from_opening_until_the_latest_start(utc):
    check_start_time(datetime.combine(date(2026, 3, 10), utc, tzinfo=timezone.utc), HOURS, weekdays)


@pytest.mark.parametrize("utc", [time(4, 59), time(10, 1)])  # 09:59 and 15:01 in Almaty
def test_an_auction_may_not_start_outside_the_trading_hours(utc):
    with pytest.raises(RuleViolation) as raised:
        check_start_time(datetime.combine(date(2026, 3, 10), utc, tzinfo=timezone.utc), HOURS, weekdays)
    assert raised.value.code == "outside_trading_hours"


def test_an_auction_may_not_start_on_a_day_off_in_kazakhstan():
    # Saturday 14 March 2026, 11:00 in Almaty
    with pytest.raises(RuleViolation, match="2026-03-14 is not a working day"):
        check_start_time(datetime(2026, 3, 14, 6, 0, tzinfo=timezone.utc), HOURS, weekdays)


def test_the_local_date_decides_the_working_day():
    # 19:30 UTC on Monday is 00:30 on Tuesday in Almaty: a working day, but before opening
    with pytest.raises(RuleViolation, match="not at 00:30"):
        check_start_time(datetime(2026, 3, 9, 19, 30, tzinfo=timezone.utc), HOURS, weekdays)


def test_the_session_closes_at_17_00_almaty_time():
    assert session_closes_at(START, HOURS) == datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def test_a_naive_start_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        check_start_time(datetime(2026, 3, 10, 5, 0), HOURS, weekdays)
