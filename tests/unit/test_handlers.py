"""The use cases' handlers on a fake unit of work, no database (issue 12 point 8; model: cosmicpython/code
tests/unit/test_handlers.py): who may act, what the handler changes, what it journals, and that a
refused command commits nothing."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

import service.orm  # noqa: F401  (maps the domain classes, as the service floor does)
from auction import commands
from auction.errors import BadRequest, Conflict, Forbidden, InvalidTransition, NotFound, RuleViolation, Unauthorized
from auction.identity import make_bin, make_iin
from auction.lots.model import Lot, Status
from auction.proceedings import Collector, Proceeding
from service import accounts
from service.handlers import handle
from service.orm import Dispute, User
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_valuation import TODAY, lot
from valuation import commands as c

NOW = datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc)
BAILIFF_IIN, APPRAISER_IIN = make_iin(date(1980, 1, 1), "M", 11), make_iin(date(1985, 3, 15), "F", 17)
DEBTOR_IIN, COLLECTOR_BIN = make_iin(date(1990, 2, 2), "M", 28), make_bin(date(1995, 3, 1), 53)


class PlainPasswords:
    """The adapter service/accounts.py is given (web/auth.py's hashes with argon2); reversible here."""

    def hash(self, password: str) -> str:
        return "hashed:" + password

    def check(self, hashed: str, password: str) -> bool:
        return hashed == "hashed:" + password


def person(id: int, role: str, email: str | None = None, iin: str = BAILIFF_IIN) -> User:
    u = User(email=email or f"{role}{id}@mulik.kz", password_hash="hashed:secret123", role=role,
             full_name=f"{role} {id}", iin_bin=iin, created_at=NOW)
    u.id = id
    return u


BAILIFF, OTHER_BAILIFF = person(1, "bailiff"), person(2, "bailiff")
APPRAISER, OTHER_APPRAISER = person(3, "appraiser", iin=APPRAISER_IIN), person(4, "appraiser")
DEBTOR, COLLECTOR_USER, BIDDER = person(5, "debtor", iin=DEBTOR_IIN), person(6, "collector", iin=COLLECTOR_BIN), \
    person(7, "bidder")


def case() -> tuple[Proceeding, object]:
    p = Proceeding(number="2026-0001", bailiff_id=BAILIFF.id, bailiff_iin=BAILIFF_IIN, private_bailiff=False,
                   debtor_name="Debtor", debtor_iin_bin=DEBTOR_IIN, debtor_is_entity=None, debtor_user_id=DEBTOR.id,
                   judge_iin=None, pledgee_bin=None, fines=Decimal("0"), expenses=Decimal("0"), created_at=NOW)
    p.id = 10
    collector = Collector(name="Bank", iin_bin=COLLECTOR_BIN, kind="other", claim=Decimal("3000000.00"), order=1,
                          user_id=COLLECTOR_USER.id)
    collector.id = 11
    p.collectors.append(collector)
    x = lot()
    x.proceeding_id, x.id = p.id, 20
    return p, x


def appointed():
    p, x = case()
    x.appoint_appraiser(appraiser_id=APPRAISER.id, appraiser_iin=APPRAISER_IIN, basis="bailiff", today=TODAY)
    x.events = []
    return p, x


def valued(value="4800000.00"):
    p, x = appointed()
    x.file_report(value=Decimal(value), report_no="OC-1", report_date=TODAY, appraiser_id=APPRAISER.id,
                  appraiser_iin=APPRAISER_IIN, now=NOW, today=TODAY)
    x.events = []
    return p, x


def report(lot_id=20, value="4800000.00"):
    return c.FileReport.of(lot_id, {"value": Decimal(value), "report_no": "OC-7", "report_date": TODAY})


# ---- accounts: register and log in, once for the API and the pages ------------------------------------------
def test_a_bidder_registers_with_a_hashed_password_and_the_journal_says_so():
    uow = FakeUnitOfWork(BAILIFF)
    u = accounts.register(uow, None, accounts.Register(email="Aigerim@Example.KZ", password="secret123",
                                                       full_name="Aigerim", iin_bin=APPRAISER_IIN), PlainPasswords())
    assert (u.email, u.role, u.password_hash, u.iin_bin) == ("aigerim@example.kz", "bidder", "hashed:secret123",
                                                             APPRAISER_IIN)
    assert u.id is not None and uow.committed
    assert uow.journal == [("user.created", None, {"user_id": u.id, "role": "bidder"})]


def test_an_e_mail_already_taken_in_other_letters_is_refused_and_nothing_is_written():
    uow = FakeUnitOfWork(person(8, "bidder", email="aigerim@example.kz"))
    with pytest.raises(Conflict, match="an account with this e-mail exists"):
        accounts.register(uow, None, accounts.Register(email="AIGERIM@example.kz", password="secret123",
                                                       full_name="Other", iin_bin=APPRAISER_IIN), PlainPasswords())
    assert len(uow.rows) == 1 and not uow.committed and uow.journal == []


def test_a_number_that_is_no_iin_or_bin_is_refused_before_an_account_exists():
    uow = FakeUnitOfWork()
    with pytest.raises(BadRequest, match="'123456789012' is not a valid BIN: it has a wrong check digit"):
        accounts.register(uow, None, accounts.Register(email="a@example.kz", password="secret123", full_name="A",
                                                       iin_bin="123456789012"), PlainPasswords())
    assert uow.rows == [] and not uow.committed


def test_an_unknown_e_mail_and_a_wrong_password_are_refused_alike():
    uow = FakeUnitOfWork(BIDDER)
    refusals = []
    for email, password in (("nobody@mulik.kz", "secret123"), (BIDDER.email, "wrong-one")):
        with pytest.raises(Unauthorized) as refused:
            accounts.log_in(uow, None, accounts.LogIn(email, password), PlainPasswords())
        refusals.append((str(refused.value), refused.value.code))
    assert refusals[0] == refusals[1] == ("wrong e-mail or password", "bad_credentials")


def test_an_api_login_issues_a_token_whose_digest_is_kept_and_a_page_login_keeps_the_old_one():
    bidder = person(9, "bidder")
    bidder.api_token_hash = "old"
    uow = FakeUnitOfWork(bidder)
    page = accounts.log_in(uow, None, accounts.LogIn(bidder.email.upper(), "secret123"), PlainPasswords())
    assert page.user is bidder and page.token is None and bidder.api_token_hash == "old" and not uow.committed
    api = accounts.log_in(uow, None, accounts.LogIn(bidder.email, "secret123", issue_token=True), PlainPasswords())
    assert api.token.startswith("mlk_") and bidder.api_token_hash == accounts.token_hash(api.token) and uow.committed


def test_only_an_operator_opens_an_account_of_another_role():
    uow = FakeUnitOfWork()
    cmd = accounts.Register(email="b@mulik.kz", password="secret123", full_name="B", iin_bin=BAILIFF_IIN,
                            role="bailiff")
    with pytest.raises(Forbidden):
        accounts.open_account(uow, BAILIFF, cmd, PlainPasswords())
    assert uow.rows == []
    made = accounts.open_account(uow, person(12, "operator"), cmd, PlainPasswords())
    assert made.role == "bailiff" and uow.kinds() == ["user.created"]


# ---- Art. 68: the valuation's use cases --------------------------------------------------------------------
def test_the_appointed_appraiser_files_the_report_and_the_lot_is_valued():
    p, x = appointed()
    uow = FakeUnitOfWork(p, x, APPRAISER)
    done = handle(uow, APPRAISER, report())
    assert done is x and x.status == Status.VALUED and x.valuation.value == Decimal("4800000.00")
    assert uow.committed and uow.journal == [("lot.status", "68", {
        "value": "4800000.00", "method": "appraisal", "report_no": "OC-7", "from": "VALUATION", "to": "VALUED"})]


def test_another_appraiser_may_not_file_the_report_art_68_1():
    p, x = appointed()
    uow = FakeUnitOfWork(p, x, OTHER_APPRAISER)
    with pytest.raises(Forbidden) as refused:
        handle(uow, OTHER_APPRAISER, report())
    assert refused.value.article == "68.1" and refused.value.code == "not_appointed"
    assert x.status == Status.VALUATION and x.valuation is None and not uow.committed


def test_a_bailiff_files_the_report_for_his_own_case_only():
    p, x = appointed()
    uow = FakeUnitOfWork(p, x)
    with pytest.raises(Forbidden, match="another bailiff"):
        handle(uow, OTHER_BAILIFF, report())
    assert not uow.committed
    handle(uow, BAILIFF, report())
    assert x.status == Status.VALUED


def test_a_report_for_a_lot_that_does_not_exist_is_a_404_naming_it():
    p, x = appointed()
    uow = FakeUnitOfWork(p, x)
    with pytest.raises(NotFound, match="lot"):
        handle(uow, APPRAISER, report(lot_id=999))


def test_the_parties_agreement_becomes_the_valuation_when_every_party_signed_the_same_value_art_68_5():
    p, x = appointed()
    uow = FakeUnitOfWork(p, x)
    handle(uow, DEBTOR, c.SignAgreement.of(x.id, {"value": Decimal("5000000.00")}))
    assert x.status == Status.VALUATION and uow.committed
    handle(uow, COLLECTOR_USER, c.SignAgreement.of(x.id, {"value": Decimal("5000000.00")}))
    assert x.status == Status.VALUED and x.valuation.value == Decimal("5000000.00")


def test_someone_who_is_no_party_may_not_sign_the_agreement():
    p, x = appointed()
    uow = FakeUnitOfWork(p, x)
    with pytest.raises(Forbidden):
        handle(uow, BIDDER, c.SignAgreement.of(x.id, {"value": Decimal("5000000.00")}))
    assert not uow.committed and x.agreement_signers in (None, set(), {}, [])


def test_a_party_disputes_before_the_expert_council_or_the_court_only_art_68_3():
    p, x = valued()
    uow = FakeUnitOfWork(p, x)
    with pytest.raises(Exception) as refused:
        handle(uow, DEBTOR, c.OpenDispute.of(x.id, {"forum": "newspaper"}))
    assert refused.value.article == "68.3" and refused.value.code == "bad_forum"
    assert not x.dispute_open and not [r for r in uow.rows if isinstance(r, Dispute)]
    d = handle(uow, DEBTOR, c.OpenDispute.of(x.id, {"forum": "court", "grounds": "too low"}))
    assert (d.party, d.forum, d.user_id, d.valuation_id) == ("debtor", "court", DEBTOR.id, x.valuation.id)
    assert x.dispute_open and uow.journal == [
        ("valuation.disputed", "68.3", {"value": "4800000.00"}),
        ("valuation.dispute_filed", "68.3", {"dispute_id": d.id, "party": "debtor", "forum": "court"})]


def test_a_dispute_ruled_invalid_is_paid_by_the_party_that_disputed_and_cannot_be_resolved_twice_art_68_4():
    p, x = valued()
    uow = FakeUnitOfWork(p, x)
    d = handle(uow, COLLECTOR_USER, c.OpenDispute.of(x.id, {"forum": "expert_council"}))
    handle(uow, BAILIFF, c.ResolveDispute.of(d.id, {"outcome": "invalid"}))
    assert d.status == "invalid" and x.valuation is None and x.status == Status.VALUATION
    resolved = [payload for kind, _a, payload in uow.journal if kind == "valuation.dispute_resolved"]
    assert resolved == [{"dispute_id": d.id, "outcome": "invalid", "paid_by": "collector:11",
                         "paid_by_article": "68.4"}]
    with pytest.raises(InvalidTransition, match="already resolved"):
        handle(uow, BAILIFF, c.ResolveDispute.of(d.id, {"outcome": "upheld"}))


# ---- the lifecycle handlers, typed commands (auction/commands.py) -------------------------------------------
def test_a_lot_is_arrested_from_its_command_with_the_inventory_and_the_journal_entry():
    p, _ = case()
    uow = FakeUnitOfWork(BAILIFF, p)
    cmd = commands.CreateLot.of(p.id, {"title": "Sewing machines", "category": "movable",
                                       "items": [{"name": "Juki DDL-8700", "price": "200000.00", "quantity": 12}],
                                       "storage_place": "Almaty, warehouse No 2"})
    assert cmd.items == (commands.Item(name="Juki DDL-8700", price="200000.00", quantity=12),)
    made = handle(uow, BAILIFF, cmd)
    assert (made.proceeding_id, made.title, made.storage_place, made.arrested_on) == (p.id, "Sewing machines",
                                                                                     "Almaty, warehouse No 2", TODAY)
    assert [(i.name, i.price, i.quantity) for i in made.items] == [("Juki DDL-8700", Decimal("200000.00"), 12)]
    assert uow.committed and uow.kinds() == ["lot.arrested"]
    assert uow.journal[0][2]["inventory_total"] == "2400000.00"


def test_an_arrest_dated_tomorrow_is_refused_citing_art_62_and_no_lot_is_kept():
    p, _ = case()
    uow = FakeUnitOfWork(BAILIFF, p)
    cmd = commands.CreateLot(p.id, title="Car", category="vehicle", arrested_on=date(2026, 11, 21),
                             items=(commands.Item("car", "5000000.00"),))
    with pytest.raises(RuleViolation, match="the arrest date cannot be in the future") as refused:
        handle(uow, BAILIFF, cmd)
    assert refused.value.article == "62" and not uow.committed and uow.journal == []
    assert [r for r in uow.rows if isinstance(r, Lot)] == []


def test_only_the_case_s_bailiff_records_a_lot():
    p, _ = case()
    uow = FakeUnitOfWork(OTHER_BAILIFF, p)
    with pytest.raises(Forbidden):
        handle(uow, OTHER_BAILIFF, commands.CreateLot(p.id, title="Car", category="vehicle"))
    assert not uow.committed


def test_the_debtor_applies_for_self_sale_and_another_debtor_may_not():
    p, x = valued()
    other = person(13, "debtor")
    uow = FakeUnitOfWork(DEBTOR, other, p, x)
    with pytest.raises(Forbidden, match="only the debtor of this proceeding"):
        handle(uow, other, commands.ApplySelfSale.of(x.id, {"price": Decimal("4000000.00")}))
    assert not uow.committed
    done = handle(uow, DEBTOR, commands.ApplySelfSale.of(x.id, {"price": Decimal("4000000.00")}))
    assert done.self_sale_application == "applied" and done.self_sale_expected_price == Decimal("4000000.00")
    assert uow.committed


def test_a_self_sale_price_below_75_percent_is_refused_citing_art_74_2():
    p, x = valued()
    uow = FakeUnitOfWork(DEBTOR, p, x)
    with pytest.raises(RuleViolation) as refused:
        handle(uow, DEBTOR, commands.ApplySelfSale(x.id, price="3500000.00"))  # 75% of 4 800 000 is 3 600 000
    assert refused.value.article == "74.2" and "3600000.00" in str(refused.value) and not uow.committed


def test_arrears_are_determined_on_the_bailiffs_resolution_and_journaled():
    p, _ = case()
    col = p.collectors[0]
    col.kind = "alimony"
    uow = FakeUnitOfWork(BAILIFF, p)
    handle(uow, BAILIFF, commands.DetermineArrears.of(p.id, col.id, {
        "arrears": Decimal("450000.00"), "resolution_no": "R-17", "resolution_date": TODAY}))
    assert uow.committed and uow.kinds() == ["claim.determined"]
    payload = uow.journal[0][2]
    assert (payload["arrears"], payload["resolution_no"], payload["collector_id"]) == ("450000.00", "R-17", col.id)


def test_a_command_for_a_proceeding_that_does_not_exist_is_a_404():
    uow = FakeUnitOfWork(BAILIFF)
    with pytest.raises(NotFound):
        handle(uow, BAILIFF, commands.CorrectClaimKind(999, 1, kind="alimony", basis="writ", reason="typo"))
    assert not uow.committed
