"""Art. 80.2 eligibility and IIN/BIN check digits."""
from datetime import date

import pytest

from auction.eligibility import (
    CaseParties,
    Declaration,
    check_application,
    conflicts_between,
    conflicts_with_case,
    ensure_eligible,
)
from auction.errors import BadRequest, RuleViolation
from auction.identity import (
    check_digit,
    make_bin,
    make_iin,
    require_iin_bin,
    validate_bin,
    validate_iin,
    validate_iin_bin,
)

# --------------------------------------------------------------------------- IIN / BIN


def test_a_generated_iin_has_the_weight_1_to_11_check_digit():
    # 9005153 0001: 9*1 + 5*4 + 1*5 + 5*6 + 3*7 + 1*11 = 96; 96 mod 11 = 8
    assert make_iin(date(1990, 5, 15), "M", 1) == "900515300018"
    assert validate_iin("900515300018")


def test_a_woman_born_in_the_2000s_has_century_digit_6():
    iin = make_iin(date(2006, 12, 11), "F", 1)
    assert iin[:7] == "0612116"
    assert validate_iin(iin)


def test_when_the_first_sum_gives_10_the_second_weights_decide():
    # 9005153 0090: weights 1..11 give 9 + 20 + 5 + 30 + 21 + 90 = 175 = 15*11 + 10 -> 10;
    # weights 3,4,5,6,7,8,9,10,11,1,2 give 27 + 30 + 7 + 40 + 27 + 9 = 140 = 12*11 + 8 -> 8
    assert check_digit("90051530090") == 8
    assert make_iin(date(1990, 5, 15), "M", 90) == "900515300908"
    assert validate_iin("900515300908")
    assert not validate_iin("900515300900")  # "10" is never written as the digit 0


def test_a_published_example_iin_uses_the_second_weights():
    # 0612116 0001: 12 + 3 + 8 + 5 + 6 + 42 + 11 = 87 -> 10; second: 24+5+12+7+8+54+2 = 112 -> 2
    assert validate_iin("061211600012")


def test_a_serial_whose_both_sums_give_10_makes_no_iin():
    # 9005153 0091: 175 + 11 = 186 -> 10; 140 + 2 = 142 -> 10
    assert check_digit("90051530091") is None
    with pytest.raises(ValueError, match="another serial"):
        make_iin(date(1990, 5, 15), "M", 91)


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11])
def test_changing_one_digit_of_a_valid_iin_makes_it_invalid(position):
    iin = "900515300018"
    changed = iin[:position] + str((int(iin[position]) + 1) % 10) + iin[position + 1:]
    assert not validate_iin(changed)


def test_the_11th_digit_has_weight_11_so_changing_it_alone_can_keep_the_check_digit():
    # 9005153 0002: 85 + 2*11 = 107 = 9*11 + 8 -> 8, the same as serial 0001: another valid IIN
    assert validate_iin("900515300028")


def test_an_iin_needs_a_real_birth_date_and_century_digit():
    assert not validate_iin("901315300018")  # month 13 (check digit aside, date fails too)
    bad_day = "900230300" + "01"  # 30 February 1990
    assert not validate_iin(bad_day + str(check_digit(bad_day) or 0))
    no_century = "900515000" + "01"
    assert check_digit(no_century) is not None
    assert not validate_iin(no_century + str(check_digit(no_century)))  # 7th digit 0


def test_an_iin_is_twelve_ascii_digits():
    assert not validate_iin("90051530001")
    assert not validate_iin("9005153000180")
    assert not validate_iin("90051530001x")
    assert not validate_iin("９００５１５３０００１８")  # full-width digits


def test_a_generated_bin_is_valid_and_not_an_iin():
    # 1503 4 0 00123: 1 + 10 + 12 + 20 + 9 + 20 + 33 = 105 = 9*11 + 6 -> 6
    assert make_bin(date(2015, 3, 1), 123) == "150340001236"
    assert validate_bin("150340001236")
    assert not validate_iin("150340001236")
    assert validate_iin_bin("150340001236") and validate_iin_bin("900515300018")


def test_a_bin_needs_an_entity_type_of_4_5_or_6():
    base = "1503" + "7" + "000123"
    assert not validate_bin(base + str(check_digit(base)))
    assert validate_bin(make_bin(date(2015, 3, 1), 5, kind=6, division=3))


def test_require_iin_bin_strips_spaces_and_names_the_field_when_invalid():
    assert require_iin_bin(" 9005 1530 0018 ") == "900515300018"
    with pytest.raises(BadRequest, match="spouse: '900515300019' is not a valid IIN/BIN: it has a wrong check digit"):
        require_iin_bin("900515300019", "spouse")


# --------------------------------------------------------------------------- eligibility

DEBTOR = make_iin(date(1975, 2, 3), "M", 11)
BAILIFF = make_iin(date(1980, 1, 1), "F", 12)
BAILIFF_2 = make_iin(date(1981, 1, 1), "M", 13)
JUDGE = make_iin(date(1965, 7, 8), "M", 14)
APPRAISER = make_iin(date(1970, 9, 9), "F", 15)
BANK = make_bin(date(2001, 4, 1), 777)  # the pledgee
ALICE = make_iin(date(1992, 6, 30), "F", 21)
BOB = make_iin(date(1988, 11, 2), "M", 22)
CAROL = make_iin(date(1999, 12, 31), "F", 23)
TOO = make_bin(date(2019, 8, 1), 4242)  # an unrelated LLP

CASE = CaseParties(debtor=DEBTOR, bailiffs=frozenset({BAILIFF, BAILIFF_2}), judge=JUDGE,
                   appraisers=frozenset({APPRAISER}), pledgee=BANK)


def reasons(conflicts):
    return [c.reason for c in conflicts]


def test_an_unrelated_person_may_apply():
    assert check_application(Declaration(ALICE), CASE, [Declaration(BOB), Declaration(TOO, is_entity=True)]) == []
    ensure_eligible(Declaration(ALICE), CASE, [Declaration(BOB)])


def test_the_debtor_may_not_buy():
    assert reasons(conflicts_with_case(Declaration(DEBTOR), CASE)) == ["the applicant is the debtor"]


def test_the_debtors_relative_may_buy():
    assert conflicts_with_case(Declaration(ALICE, close_relatives=frozenset({DEBTOR})), CASE) == []


def test_the_judge_who_decided_the_case_may_not_buy():
    assert reasons(conflicts_with_case(Declaration(JUDGE), CASE)) == ["the applicant is the judge who decided the case"]


def test_a_bailiffs_spouse_may_not_buy():
    found = conflicts_with_case(Declaration(ALICE, spouse=BAILIFF_2), CASE)
    assert reasons(found) == ["the applicant is the spouse of a bailiff of the case"]
    assert found[0].article == "80.2"


def test_the_appraisers_close_relative_may_not_buy():
    found = conflicts_with_case(Declaration(BOB, close_relatives=frozenset({APPRAISER})), CASE)
    assert reasons(found) == ["the applicant is a close relative of the appraiser who valued the property"]


def test_the_pledgee_and_its_employee_may_not_buy():
    assert reasons(conflicts_with_case(Declaration(BANK, is_entity=True), CASE)) == ["the applicant is the pledgee"]
    employee = Declaration(ALICE, employers=frozenset({BANK}))
    assert reasons(conflicts_with_case(employee, CASE)) == ["the applicant is an employee of the pledgee"]


def test_a_subsidiary_of_the_pledgee_may_not_buy():
    subsidiary = Declaration(TOO, is_entity=True, people=frozenset({BANK, BOB}))
    assert reasons(conflicts_with_case(subsidiary, CASE)) == ["the applicant is a subsidiary of the pledgee"]


def test_a_person_controlling_the_pledgee_by_contract_may_not_buy():
    controller = Declaration(CAROL, founded=frozenset({BANK}))
    assert reasons(conflicts_with_case(controller, CASE)) == [
        "the applicant is a founder, participant or contractual controller of the pledgee"]


def test_a_case_without_pledgee_or_judge_bars_only_the_others():
    case = CaseParties(debtor=DEBTOR, bailiffs=frozenset({BAILIFF}))
    assert conflicts_with_case(Declaration(ALICE, employers=frozenset({BANK}), spouse=JUDGE), case) == []


def test_an_entity_and_its_employee_may_not_both_take_part():
    entity = Declaration(TOO, is_entity=True)
    employee = Declaration(BOB, employers=frozenset({TOO}))
    assert reasons(conflicts_between(entity, employee)) == [
        "another applicant is an employee, founder, participant or contractual controller of the applicant"]
    assert reasons(conflicts_between(employee, entity)) == [
        "the applicant is an employee, founder, participant or contractual controller of another applicant"]


def test_an_entity_may_declare_its_founder_instead():
    entity = Declaration(TOO, is_entity=True, people=frozenset({CAROL}))
    founder = Declaration(CAROL)
    assert len(conflicts_between(founder, entity)) == 1
    assert conflicts_between(entity, founder)[0].other == CAROL


def test_two_close_relatives_may_not_both_take_part_whoever_declares_it():
    alice = Declaration(ALICE, close_relatives=frozenset({BOB}))
    bob = Declaration(BOB)
    expected = ["the applicant and another applicant are close relatives"]
    assert reasons(conflicts_between(alice, bob)) == expected
    assert reasons(conflicts_between(bob, alice)) == expected


def test_spouses_may_not_both_take_part():
    assert reasons(conflicts_between(Declaration(ALICE), Declaration(BOB, spouse=ALICE))) == [
        "the applicant and another applicant are spouses"]


def test_the_same_applicant_is_not_in_conflict_with_itself():
    assert check_application(Declaration(ALICE), CASE, [Declaration(ALICE)]) == []


def test_ensure_eligible_lists_every_reason_and_cites_article_80_2():
    app = Declaration(ALICE, spouse=JUDGE, employers=frozenset({BANK}))
    with pytest.raises(RuleViolation) as raised:
        ensure_eligible(app, CASE, [Declaration(BOB, close_relatives=frozenset({ALICE}))])
    error = raised.value
    assert error.code == "ineligible" and error.article == "80.2"
    assert error.message == (
        "Art. 80.2: may not be a buyer at this auction: the applicant is the spouse of the judge who decided the "
        "case; the applicant is an employee of the pledgee; the applicant and another applicant are close relatives")
    assert len(error.conflicts) == 3
    assert BOB not in error.message  # applicants stay anonymous to each other


def test_a_declaration_with_an_invalid_number_is_refused():
    with pytest.raises(BadRequest, match="applicant.close_relatives"):
        Declaration(ALICE, close_relatives=frozenset({"123456789012"}))


def test_a_person_may_not_declare_as_a_legal_entity():
    with pytest.raises(BadRequest, match="a legal entity is identified by its BIN"):
        Declaration(ALICE, is_entity=True)
