"""Art. 68 in the pure domain (valuation/), no database: the appointment's deadline and the
parties' copies, the report, the parties' agreement, the dispute and what each leaves on the lot."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from auction import calendar as cal
from auction.errors import InvalidTransition, RuleViolation
from auction.lots.model import InventoryItem, Lot, Status
from valuation import commands
from valuation.model import Agreement, Valuation, appointment_due_on, copies_due_on

CAL = cal.WorkingCalendar()
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc)
PARTIES = {"debtor", "collector:1", "collector:2"}


def lot(**kw) -> Lot:
    return Lot(proceeding_id=1, title="Toyota Camry 2018", description="", category="vehicle", debtor_is_entity=False,
               items=[InventoryItem("car", "VIN X", Decimal("5000000.00"))], arrested_on=kw.pop("arrested_on", TODAY),
               ownership_established_on=kw.pop("ownership_established_on", None), calendar=kw.pop("calendar", CAL),
               **kw)


def appraised(value="4800000.00") -> Lot:
    x = lot()
    x.appoint_appraiser(appraiser_id=7, appraiser_iin="800101300011", basis="bailiff", today=TODAY)
    x.file_report(value=Decimal(value), report_no="OC-1", report_date=TODAY, appraiser_id=7,
                  appraiser_iin="800101300011", now=NOW, today=TODAY)
    return x


# ---- Art. 68.1–68.2: the appointment ------------------------------------------------------------------------
def test_the_appointment_is_due_10_working_days_after_the_arrest():
    # Monday 2 November 2026: 3–6 Nov (4), 9–13 Nov (9), Monday 16 Nov is the tenth working day.
    assert appointment_due_on(arrested_on=date(2026, 11, 2), ownership_established_on=date(2026, 11, 2),
                              calendar=CAL) == date(2026, 11, 16)


def test_the_appointment_counts_from_the_later_of_arrest_and_established_ownership_and_skips_days_off():
    # Ownership established Wednesday 4 Nov: 5, 6, 9–13, 16, 17, 18 Nov.
    assert appointment_due_on(arrested_on=date(2026, 11, 2), ownership_established_on=date(2026, 11, 4),
                              calendar=CAL) == date(2026, 11, 18)
    day_off = cal.WorkingCalendar({date(2026, 11, 10): False})  # an operator's override: one more day
    assert appointment_due_on(arrested_on=date(2026, 11, 2), ownership_established_on=date(2026, 11, 2),
                              calendar=day_off) == date(2026, 11, 17)
    assert lot(arrested_on=date(2026, 11, 2), calendar=day_off).valuation_due_on == date(2026, 11, 17)


def test_copies_of_the_appointment_go_to_the_parties_by_the_next_calendar_day():
    assert copies_due_on(date(2026, 11, 20)) == date(2026, 11, 21)  # a Saturday: the law counts no working days here


def test_appointing_moves_the_lot_to_valuation_records_the_copies_deadline_and_flags_lateness():
    x = lot(arrested_on=date(2026, 11, 2))
    assert x.valuation_overdue(date(2026, 11, 16)) is False
    assert x.valuation_overdue(date(2026, 11, 17)) is True  # the bailiff is late: shown, not blocked
    x.appoint_appraiser(appraiser_id=7, appraiser_iin="800101300011", basis="party_proposal", today=date(2026, 11, 17))
    assert (x.status, x.appraiser_id, x.parties_notified_by) == (Status.VALUATION, 7, date(2026, 11, 18))
    assert x.valuation_overdue(date(2026, 11, 30)) is False
    event = x.events[-1]
    assert (event.kind, event.article, event.payload["late"], event.payload["basis"]) == (
        "lot.status", "68.1", True, "party_proposal")


def test_a_second_appointment_replaces_the_appraiser_and_keeps_the_lot_in_valuation():
    x = lot()
    x.appoint_appraiser(appraiser_id=7, appraiser_iin="800101300011", basis="bailiff", today=TODAY)
    x.appoint_appraiser(appraiser_id=8, appraiser_iin="850505400022", basis="bailiff", today=date(2026, 11, 23))
    assert (x.status, x.appraiser_id, x.parties_notified_by) == (Status.VALUATION, 8, date(2026, 11, 24))
    assert (x.events[-1].kind, x.events[-1].article) == ("valuation.reappointed", "68.1")


def test_an_appointment_on_a_basis_the_law_does_not_know_is_refused_citing_68_1():
    x = lot()
    with pytest.raises(RuleViolation) as e:
        x.appoint_appraiser(appraiser_id=7, appraiser_iin=None, basis="friend_of_the_bailiff", today=TODAY)
    assert (e.value.code, e.value.article, x.status, x.appraiser_id) == ("bad_basis", "68.1", Status.ARRESTED, None)


# ---- the report -------------------------------------------------------------------------------------------------
def test_the_report_values_the_lot():
    x = appraised("4800000.00")
    assert (x.status, x.value, x.valuation.method, x.valuation.report_no) == (
        Status.VALUED, Decimal("4800000.00"), "appraisal", "OC-1")


@pytest.mark.parametrize("value, report_no, report_date, code", [
    ("0.00", "OC-1", TODAY, "bad_value"),
    ("-1.00", "OC-1", TODAY, "bad_value"),
    ("100.00", "  ", TODAY, "bad_report_no"),
    ("100.00", "OC-1", date(2026, 11, 21), "bad_report_date"),  # tomorrow
])
def test_a_report_the_law_cannot_take_is_refused_citing_68_and_values_nothing(value, report_no, report_date, code):
    x = lot()
    x.appoint_appraiser(appraiser_id=7, appraiser_iin=None, basis="bailiff", today=TODAY)
    with pytest.raises(RuleViolation) as e:
        x.file_report(value=Decimal(value), report_no=report_no, report_date=report_date, appraiser_id=7,
                      appraiser_iin=None, now=NOW, today=TODAY)
    assert (e.value.code, e.value.article) == (code, "68")
    assert (x.status, x.valuations, x.value) == (Status.VALUATION, [], None)


def test_no_report_before_an_appraiser_is_appointed():
    with pytest.raises(InvalidTransition) as e:
        lot().file_report(value=Decimal("1.00"), report_no="OC-1", report_date=TODAY, appraiser_id=None,
                          appraiser_iin=None, now=NOW, today=TODAY)
    assert e.value.code == "invalid_state"


# ---- Art. 68.5: the parties' agreement ---------------------------------------------------------------------
def test_the_agreement_values_the_lot_when_every_party_signed_the_same_value():
    x = lot()
    assert x.sign_agreement(signer="debtor", value=Decimal("4500000.00"), required_signers=PARTIES,
                            now=NOW, today=TODAY) is None
    x.sign_agreement(signer="collector:1", value=Decimal("4500000.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    assert (x.status, x.agreement_signers) == (Status.ARRESTED, ["debtor", "collector:1"])
    v = x.sign_agreement(signer="collector:2", value=Decimal("4500000.00"), required_signers=PARTIES,
                         now=NOW, today=TODAY)
    assert (x.status, x.value, v.method, v.report_no, x.agreement_signers) == (
        Status.VALUED, Decimal("4500000.00"), "agreement", None, [])
    assert x.events[-1].article == "68.5"


def test_another_value_starts_the_signatures_again():
    x = lot()
    x.sign_agreement(signer="debtor", value=Decimal("4500000.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    x.sign_agreement(signer="collector:1", value=Decimal("4600000.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    assert (x.agreement_value, x.agreement_signers) == (Decimal("4600000.00"), ["collector:1"])
    x.sign_agreement(signer="collector:2", value=Decimal("4600000.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    assert x.status == Status.ARRESTED  # the debtor signed another value: not yet agreed


def test_only_a_party_signs_and_only_a_positive_value():
    x = lot()
    with pytest.raises(RuleViolation) as e:
        x.sign_agreement(signer="collector:9", value=Decimal("1.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    assert (e.value.code, e.value.article) == ("not_a_party", "68.5")
    with pytest.raises(RuleViolation) as e:
        x.sign_agreement(signer="debtor", value=Decimal("0.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    assert (e.value.code, e.value.article) == ("bad_value", "68.5")
    assert (x.agreement_value, x.agreement_signers, x.events) == (None, [], [])


def test_after_an_agreement_no_appraiser_is_appointed_citing_68_5():
    x = lot()
    for party in sorted(PARTIES):
        x.sign_agreement(signer=party, value=Decimal("4500000.00"), required_signers=PARTIES, now=NOW, today=TODAY)
    with pytest.raises(InvalidTransition) as e:
        x.appoint_appraiser(appraiser_id=7, appraiser_iin=None, basis="bailiff", today=TODAY)
    assert (e.value.article, x.appraiser_id) == ("68.5", None)


def test_an_agreement_is_a_value_object_that_collects_signatures():
    a = Agreement().sign(signer="debtor", value=Decimal("10.00"), required={"debtor", "collector:1"})
    b = a.sign(signer="debtor", value=Decimal("10.00"), required={"debtor", "collector:1"})
    assert a == b == Agreement(Decimal("10.00"), ("debtor",))  # signing twice counts once
    assert not b.complete({"debtor", "collector:1"})
    assert b.sign(signer="collector:1", value=Decimal("10.00"), required={"debtor", "collector:1"}).complete(
        {"debtor", "collector:1"})


# ---- Art. 68.3: the dispute ------------------------------------------------------------------------------------
def test_a_dispute_blocks_the_realization_order_until_resolved():
    x = appraised()
    x.open_dispute()
    with pytest.raises(RuleViolation) as e:
        x.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    assert (e.value.code, e.value.article, x.status) == ("dispute_open", "68.3", Status.VALUED)
    with pytest.raises(RuleViolation) as e:
        x.open_dispute()
    assert e.value.code == "dispute_open"
    x.resolve_dispute(report_invalid=False)
    assert (x.status, x.value, x.events[-1].kind) == (Status.VALUED, Decimal("4800000.00"), "valuation.upheld")
    x.order_realization(today=TODAY, earlier_unrealized=[], override_ground=None, override_reason=None)
    assert x.status == Status.REALIZATION_ORDERED


def test_a_report_found_invalid_orders_a_new_valuation_and_keeps_the_old_one_superseded():
    x = appraised("4800000.00")
    x.open_dispute()
    x.resolve_dispute(report_invalid=True)
    assert (x.status, x.value, len(x.valuations), x.valuations[0].superseded) == (Status.VALUATION, None, 1, True)
    assert (x.events[-1].kind, x.events[-1].article) == ("lot.status", "68.3")
    x.file_report(value=Decimal("5200000.00"), report_no="OC-2", report_date=TODAY, appraiser_id=7,
                  appraiser_iin=None, now=NOW, today=TODAY)
    assert (x.value, [v.report_no for v in x.valuations]) == (Decimal("5200000.00"), ["OC-1", "OC-2"])


def test_no_dispute_before_a_valuation_and_no_resolution_without_a_dispute():
    with pytest.raises(InvalidTransition):
        lot().open_dispute()
    with pytest.raises(InvalidTransition) as e:
        appraised().resolve_dispute(report_invalid=True)
    assert (e.value.code, e.value.article) == ("no_dispute", "68.3")


def test_a_perishable_lot_is_never_valued_citing_77_2():
    x = lot(perishable=True)
    with pytest.raises(RuleViolation) as e:
        x.appoint_appraiser(appraiser_id=7, appraiser_iin=None, basis="bailiff", today=TODAY)
    assert (e.value.code, e.value.article) == ("perishable", "77.2")


# ---- the commands -------------------------------------------------------------------------------------------
def test_a_command_is_built_from_a_schemas_data_with_its_defaults():
    cmd = commands.AppointAppraiser.of(5, {"appraiser": 7, "other": "ignored"})
    assert cmd == commands.AppointAppraiser(lot_id=5, appraiser=7, appraiser_iin=None, appraiser_name=None,
                                           basis="bailiff")
    with pytest.raises(AttributeError):
        cmd.basis = "party_proposal"  # frozen
    with pytest.raises(Exception) as e:
        commands.FileReport.of(5, {"value": "1.00"})
    assert getattr(e.value, "code", None) == "missing_field" and "report_no, report_date" in str(e.value)


def test_a_valuation_is_kept_with_its_method_and_article():
    v = Valuation.appraisal(value=Decimal("1.00"), report_no=" OC-9 ", report_date=TODAY, appraiser_id=None,
                            appraiser_iin=None, now=NOW, today=TODAY)
    assert (v.report_no, v.method, v.article, v.superseded) == ("OC-9", "appraisal", "68", False)
    assert Valuation.agreement(value=Decimal("1.00"), now=NOW, today=TODAY).article == "68.5"
