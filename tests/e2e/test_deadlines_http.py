"""Deadlines stored on the objects they govern, seen over HTTP (SPEC §6), across weekends,
Nauryz, Independence Day (16 December) and an operator's calendar override.

Working days come from the `holidays` package (0.109): in December 2026 only Wed 16 Dec is a
holiday; Nauryz 2026 is Sat 21 – Wed 25 March (23 March plus the two weekend days carried
to Tue 24 and Wed 25); Nauryz 2027 is Sun 21 – Wed 24 March (the Sunday carried to Wed 24),
so Thu 25 March 2027 is a working day.

The clock starts on Tuesday 1 December 2026, 09:00 in Almaty (UTC+5).
"""
from datetime import datetime, timezone

from ..helpers import error


def _at(m, year, month, day, hour=9, minute=0):
    """Move the clock to that Almaty time."""
    m.clock.set(datetime(year, month, day, hour - 5, minute, tzinfo=timezone.utc))


def _almaty(year, month, day, hour, minute=0) -> str:
    return datetime(year, month, day, hour - 5, minute, tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def _failed_first_auction(m, *, days=10, **proceeding):
    """An ordered lot whose first auction, `days` ahead, fails at its opening for want of applicants."""
    bailiff, p, lot = m.ordered_lot(proceeding=proceeding)
    auction = m.announce(bailiff, lot["id"], days=days)
    m.open_auction(auction, [])
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["failure_reason"] == "84.1"
    return bailiff, p, lot, auction


# ---- retention window and repeat auction (Art. 85.1, 85.2) -------------------------------------------------
def test_retention_window_after_a_friday_failure_skips_the_weekend_and_independence_day(m):
    bailiff, p, lot, auction = _failed_first_auction(m)  # announced Tue 1 Dec for Fri 11 Dec 2026
    assert auction["starts_at"] == _almaty(2026, 12, 11, 11)
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "RETENTION_1"
    # 5 WD after Fri 11 Dec: Mon 14 (1), Tue 15 (2), [Wed 16 Independence Day], Thu 17 (3), Fri 18 (4),
    # [Sat 19, Sun 20], Mon 21 (5) -> Mon 21 Dec
    assert view["deadlines"]["retention_ends_on"] == "2026-12-21"
    # 10 WD after Fri 11 Dec: 14, 15, 17, 18, 21, 22, 23, 24, 25, 28 -> the repeat auction from Tue 29 Dec
    assert view["deadlines"]["repeat_auction_from"] == "2026-12-29"

    _at(m, 2026, 12, 21, hour=23, minute=30)  # the window's last day, late evening
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    _at(m, 2026, 12, 22)  # nobody applied: a refusal, the lot awaits the repeat auction
    m.tick()
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "FAILED_1"

    _at(m, 2026, 12, 28)
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)}), 422, "too_early", "80.3")
    assert "2026-12-29" in e["message"]
    _at(m, 2026, 12, 29)
    assert m.announce(bailiff, lot["id"])["round"] == 2


def test_collector_may_still_retain_on_the_last_day_of_the_window(m):
    collector = m.user("collector")
    bailiff, p, lot, auction = _failed_first_auction(m, collectors=[
        {"name": "Collector", "iin_bin": collector.iin_bin, "kind": "other", "claim": "3000000.00",
         "user": collector.id}])
    _at(m, 2026, 12, 21, hour=17)  # Mon 21 Dec is the 5th working day (see above)
    view = collector.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    assert view["status"] == "RETAINED"


def test_retention_across_nauryz_2027_ends_after_the_holidays(m):
    _at(m, 2027, 3, 1)  # Mon 1 March 2027
    bailiff, p, lot, auction = _failed_first_auction(m, days=18)
    assert auction["starts_at"] == _almaty(2027, 3, 19, 11)  # Fri 19 March 2027
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    # 5 WD after Fri 19 Mar: [Sat 20, Sun 21, Mon 22, Tue 23, Wed 24 Nauryz], Thu 25 (1), Fri 26 (2),
    # Mon 29 (3), Tue 30 (4), Wed 31 (5) -> Wed 31 March
    assert view["deadlines"]["retention_ends_on"] == "2027-03-31"
    # 10 WD: 25, 26, 29, 30, 31 March, 1, 2, 5, 6, 7 April -> the repeat auction from Thu 8 April
    assert view["deadlines"]["repeat_auction_from"] == "2027-04-08"


def test_operator_day_off_moves_the_deadlines_computed_after_it_by_a_day(m):
    r = m.user("bailiff").put("/calendar/overrides/2026-12-18", {"working": False})
    error(r, 403, "forbidden")
    m.operator.ok("PUT", "/calendar/overrides/2026-12-18", {"working": False, "note": "decreed transfer"})
    assert m.public.ok("GET", "/calendar/overrides")["items"] == [
        {"day": "2026-12-18", "working": False, "note": "decreed transfer"}]

    bailiff, p, lot, auction = _failed_first_auction(m)
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    # 5 WD after Fri 11 Dec with Fri 18 Dec off: 14 (1), 15 (2), [16], 17 (3), [18, 19, 20], 21 (4), 22 (5)
    assert view["deadlines"]["retention_ends_on"] == "2026-12-22"
    # 10 WD: 14, 15, 17, 21, 22, 23, 24, 25, 28, 29 -> from Wed 30 Dec
    assert view["deadlines"]["repeat_auction_from"] == "2026-12-30"


# ---- winner payment and refunds (Art. 80.1, 80.4) ----------------------------------------------------------
def test_winner_pays_within_five_working_days_of_approval_and_defaults_the_day_after(m):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"], days=10)  # Fri 11 Dec 2026, 11:00
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "x1"})
    m.advance(minutes=11)
    m.tick()
    approved = bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")  # still Fri 11 Dec
    # 5 WD after Fri 11 Dec: 14 (1), 15 (2), [Wed 16 Independence Day], 17 (3), 18 (4), [19, 20], Mon 21 (5)
    assert approved["payment_due_on"] == "2026-12-21"
    winner_pay = [x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"][0]
    assert winner_pay["due_on"] == "2026-12-21"
    # the loser's deposit: refunded within the same 5 WD of the auction
    freed = [e for e in bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"] if e["kind"] == "deposit.freed"]
    assert [e["payload"]["refund_due_on"] for e in freed] == ["2026-12-21"]

    _at(m, 2026, 12, 21, hour=23, minute=30)
    m.tick()
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "closed"
    _at(m, 2026, 12, 22)
    m.tick()
    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert a["status"] == "failed" and a["failure_reason"] == "84.3"
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    # the retention window opens on the default, Tue 22 Dec: 23 (1), 24 (2), 25 (3), 28 (4), 29 (5)
    assert view["deadlines"]["retention_ends_on"] == "2026-12-29"
    # the repeat auction still counts from the auction day, Fri 11 Dec -> from Tue 29 Dec
    assert view["deadlines"]["repeat_auction_from"] == "2026-12-29"


# ---- valuation appointment (Art. 68.1) ---------------------------------------------------------------------
def test_valuation_appointment_due_date_skips_independence_day(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], ownership_established_on="2026-12-03")
    # counted from the later of the arrest (Tue 1 Dec) and the established ownership (Thu 3 Dec):
    # 4 (1), 7 (2), 8 (3), 9 (4), 10 (5), 11 (6), 14 (7), 15 (8), [Wed 16], 17 (9), 18 (10) -> Fri 18 Dec
    assert lot["deadlines"]["valuation_due_on"] == "2026-12-18"


def test_valuation_appointment_due_date_skips_nauryz_2026(m):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], arrested_on="2026-03-18")
    # arrested Wed 18 Mar 2026: Thu 19 (1), Fri 20 (2), [Sat 21 - Wed 25 Nauryz], Thu 26 (3), Fri 27 (4),
    # Mon 30 (5), Tue 31 (6), Wed 1 Apr (7), Thu 2 (8), Fri 3 (9), Mon 6 (10) -> Mon 6 April 2026
    assert lot["deadlines"]["valuation_due_on"] == "2026-04-06"
    # long overdue today (1 Dec 2026)
    assert lot["valuation_overdue"] is True


def test_valuation_appointment_due_date_skips_nauryz_2027(m):
    _at(m, 2027, 3, 19)  # Fri 19 March 2027
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"])
    # [Sat 20 - Wed 24], Thu 25 (1), Fri 26 (2), 29 (3), 30 (4), 31 (5), Thu 1 Apr (6), 2 (7), 5 (8), 6 (9),
    # Wed 7 (10) -> Wed 7 April 2027
    assert lot["deadlines"]["valuation_due_on"] == "2027-04-07"


# ---- announcement and start time (Art. 79, trading hours) -----------------------------------------------------
def test_auction_less_than_ten_calendar_days_ahead_is_refused(m):
    bailiff, p, lot = m.ordered_lot()
    # announced Tue 1 Dec: Thu 10 Dec is 9 days ahead; the latest announcement for it was 30 Nov
    e = error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": _almaty(2026, 12, 10, 11)}), 422,
              "announcement_too_late", "79")
    assert "2026-11-30" in e["message"]
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    # Fri 11 Dec is exactly 10 days ahead
    a = bailiff.ok("POST", f"/lots/{lot['id']}/auctions", {"starts_at": _almaty(2026, 12, 11, 11)})
    assert a["status"] == "announced"


def test_auction_starting_outside_trading_hours_or_on_a_day_off_is_refused(m):
    bailiff, p, lot = m.ordered_lot()
    url = f"/lots/{lot['id']}/auctions"
    for starts_at, words in [
        (_almaty(2026, 12, 14, 9, 30), "not at 09:30"),  # before the 10:00 opening
        (_almaty(2026, 12, 14, 15, 1), "not at 15:01"),  # after the latest start, 15:00
        (_almaty(2026, 12, 16, 11), "2026-12-16 is not a working day"),  # Independence Day
        (_almaty(2026, 12, 19, 11), "2026-12-19 is not a working day"),  # Saturday
    ]:
        e = error(bailiff.post(url, {"starts_at": starts_at}), 422, "outside_trading_hours")
        assert words in e["message"], e
    assert bailiff.ok("POST", url, {"starts_at": _almaty(2026, 12, 14, 15)})["starts_at"] == _almaty(2026, 12, 14, 15)
