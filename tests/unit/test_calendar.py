"""The calendar module (SPEC §6). Every expected date below was counted by hand."""
from datetime import date, datetime, timedelta, timezone

import pytest

from auction.calendar import (
    ANNOUNCEMENT_MIN_DAYS,
    KZ_TZ,
    REPEAT_AUCTION_WD,
    WINNER_PAYMENT_WD,
    WorkingCalendar,
    end_of_day,
    local_date,
    local_time,
    start_of_day,
)

UTC = timezone.utc
cal = WorkingCalendar()


# --- working days -------------------------------------------------------------------------

def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert cal.is_working_day(date(2026, 2, 6))  # Friday
    assert not cal.is_working_day(date(2026, 2, 7))  # Saturday
    assert not cal.is_working_day(date(2026, 2, 8))  # Sunday
    assert cal.is_working_day(date(2026, 2, 9))  # Monday


def test_one_working_day_after_a_friday_is_the_next_monday():
    assert cal.add_working_days(date(2026, 2, 6), 1) == date(2026, 2, 9)


def test_five_working_days_from_a_thursday_skip_the_weekend_and_end_next_thursday():
    # Fri 6 (1), Mon 9 (2), Tue 10 (3), Wed 11 (4), Thu 12 (5)
    assert cal.add_working_days(date(2026, 2, 5), 5) == date(2026, 2, 12)


def test_five_working_days_from_thursday_19_march_2026_skip_nauryz_and_end_on_31_march():
    # Fri 20 (1); 21-25 March are Nauryz with observed days; Thu 26 (2), Fri 27 (3),
    # Mon 30 (4), Tue 31 (5)
    for nauryz in range(21, 26):
        assert not cal.is_working_day(date(2026, 3, nauryz))
    assert cal.add_working_days(date(2026, 3, 19), 5) == date(2026, 3, 31)


def test_the_next_working_day_after_friday_20_march_2026_is_thursday_26_march():
    assert cal.next_working_day(date(2026, 3, 20)) == date(2026, 3, 26)


def test_independence_day_on_wednesday_16_december_2026_is_skipped():
    # Tue 15 (1), Wed 16 holiday, Thu 17 (2), Fri 18 (3), Mon 21 (4), Tue 22 (5)
    assert not cal.is_working_day(date(2026, 12, 16))
    assert cal.add_working_days(date(2026, 12, 14), 5) == date(2026, 12, 22)


def test_a_decreed_transfer_known_to_the_holidays_package_is_honoured():
    # 2025: Friday 3 January was a day off, transferred from Sunday 5 January (a working day).
    assert not cal.is_working_day(date(2025, 1, 3))
    assert cal.is_working_day(date(2025, 1, 5))
    assert cal.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 5)


def test_periods_spanning_a_new_year_use_both_years_holidays():
    # 1-2 Jan 2027 New Year (Sat 2 observed on Mon 4), Thu 7 Orthodox Christmas.
    # Tue 29 (1), Wed 30 (2), Thu 31 (3), Tue 5 (4), Wed 6 (5), Fri 8 (6)
    assert cal.add_working_days(date(2026, 12, 28), 6) == date(2027, 1, 8)


def test_an_operator_working_saturday_shortens_the_period():
    overridden = WorkingCalendar({date(2026, 2, 7): True})
    # Fri 6 (1), Sat 7 (2), Mon 9 (3), Tue 10 (4), Wed 11 (5)
    assert overridden.is_working_day(date(2026, 2, 7))
    assert overridden.add_working_days(date(2026, 2, 5), 5) == date(2026, 2, 11)


def test_an_operator_day_off_on_a_weekday_lengthens_the_period():
    overridden = WorkingCalendar({date(2026, 2, 9): False})
    # Fri 6 (1), Mon 9 off, Tue 10 (2), Wed 11 (3), Thu 12 (4), Fri 13 (5)
    assert not overridden.is_working_day(date(2026, 2, 9))
    assert overridden.add_working_days(date(2026, 2, 5), 5) == date(2026, 2, 13)


def test_an_operator_override_wins_over_a_public_holiday():
    overridden = WorkingCalendar({date(2026, 3, 25): True})
    assert overridden.is_working_day(date(2026, 3, 25))
    assert overridden.next_working_day(date(2026, 3, 20)) == date(2026, 3, 25)


def test_overrides_do_not_leak_between_calendars():
    WorkingCalendar({date(2026, 2, 9): False})
    assert cal.is_working_day(date(2026, 2, 9))


def test_adding_fewer_than_one_working_day_is_refused():
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 2, 5), 0)


def test_a_datetime_is_refused_where_a_local_date_is_meant():
    with pytest.raises(TypeError):
        cal.is_working_day(datetime(2026, 2, 5, 12, tzinfo=UTC))


# --- periods (SPEC §6) ----------------------------------------------------------------------

def test_winner_payment_within_five_working_days_ends_on_the_fifth_working_day():
    # Results approved Thu 19 March 2026: the last day to pay is Tue 31 March.
    assert cal.deadline_within(date(2026, 3, 19), WINNER_PAYMENT_WD) == date(2026, 3, 31)


def test_repeat_auction_after_ten_working_days_is_allowed_from_the_next_calendar_day():
    # First auction Fri 6 Feb 2026: Mon 9 (1) ... Fri 20 (10); allowed from Sat 21 Feb.
    first = date(2026, 2, 6)
    assert cal.deadline_within(first, REPEAT_AUCTION_WD) == date(2026, 2, 20)
    assert cal.earliest_after(first, REPEAT_AUCTION_WD) == date(2026, 2, 21)


def test_earliest_after_is_one_calendar_day_after_deadline_within():
    event = date(2026, 2, 4)  # Wed; Thu 5 (1) ... Wed 18 (10)
    assert cal.deadline_within(event, 10) == date(2026, 2, 18)
    assert cal.earliest_after(event, 10) == date(2026, 2, 19)


def test_the_announcement_is_due_ten_calendar_days_before_the_auction():
    assert ANNOUNCEMENT_MIN_DAYS == 10
    assert WorkingCalendar.latest_announcement_date(date(2026, 4, 10)) == date(2026, 3, 31)
    # Calendar days: holidays and weekends do not matter.
    assert WorkingCalendar.latest_announcement_date(date(2026, 3, 30)) == date(2026, 3, 20)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 3, 15), 1, date(2026, 4, 15)),  # same date of the later month
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # shorter month: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # dwelling self-sale across a year end
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # ... into a leap February
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # from 29 February
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # December to January
        (date(2026, 3, 31), 1, date(2026, 4, 30)),  # 31st into a 30-day month
    ],
)
def test_add_months_keeps_the_date_or_falls_back_to_the_last_day(start, months, expected):
    assert WorkingCalendar.add_months(start, months) == expected


# --- local time -----------------------------------------------------------------------------

def test_end_of_day_is_18_59_59_999999_utc_in_almaty_utc_plus_5():
    assert end_of_day(date(2026, 3, 20)) == datetime(2026, 3, 20, 18, 59, 59, 999999, tzinfo=UTC)


def test_start_of_day_is_19_00_utc_the_day_before():
    assert start_of_day(date(2026, 3, 20)) == datetime(2026, 3, 19, 19, 0, tzinfo=UTC)
    assert end_of_day(date(2026, 3, 20)) - start_of_day(date(2026, 3, 20)) == timedelta(
        days=1, microseconds=-1
    )


def test_before_1_march_2024_almaty_was_utc_plus_6():
    assert end_of_day(date(2024, 2, 28)) == datetime(2024, 2, 28, 17, 59, 59, 999999, tzinfo=UTC)


def test_local_date_of_20_00_utc_on_20_march_2026_is_21_march():
    assert local_date(datetime(2026, 3, 20, 20, 0, tzinfo=UTC)) == date(2026, 3, 21)
    assert local_date(datetime(2026, 3, 20, 18, 59, tzinfo=UTC)) == date(2026, 3, 20)


def test_a_deadline_stored_as_end_of_day_maps_back_to_the_same_local_date():
    deadline = end_of_day(date(2026, 3, 31))
    assert local_date(deadline) == date(2026, 3, 31)
    assert local_date(deadline + timedelta(microseconds=1)) == date(2026, 4, 1)


def test_local_time_shows_kazakhstan_wall_clock():
    shown = local_time(datetime(2026, 3, 20, 20, 0, tzinfo=UTC))
    assert shown.tzinfo == KZ_TZ
    assert (shown.date(), shown.hour, shown.minute) == (date(2026, 3, 21), 1, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 20, 20, 0))


def test_the_dates_an_auction_may_be_held_on_skip_weekends_and_holidays_and_respect_art_79_and_85_2():
    from datetime import date

    from auction.calendar import WorkingCalendar
    c = WorkingCalendar()
    # announced on Friday 4 Dec 2026: 10 days later is Mon 14 Dec; 16 Dec is Independence Day
    dates = c.auction_dates(date(2026, 12, 4), count=5)
    assert dates == [date(2026, 12, 14), date(2026, 12, 15), date(2026, 12, 17), date(2026, 12, 18),
                     date(2026, 12, 21)]
    assert all(c.latest_announcement_date(d) >= date(2026, 12, 4) for d in dates)
    # a repeat auction: not before the day its 10 working days from the first one allow
    assert c.auction_dates(date(2026, 12, 4), not_before=date(2026, 12, 21), count=2) == [
        date(2026, 12, 21), date(2026, 12, 22)]
