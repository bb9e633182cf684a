"""The one way in (service/runner.py): the caller is resolved once, named in the journal once, and the
use case and its view run in one unit of work — checked with a fake unit of work, no database."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from auction.errors import Forbidden
from service.runner import Caller, Runner, actor_label


class FakeSession:
    def __init__(self, people):
        self.people, self.looked_up = people, []

    def get(self, cls, ident):
        self.looked_up.append(ident)
        return self.people.get(ident)


class FakeUnitOfWork:
    def __init__(self, session):
        self.session, self.actor, self.open, self.rolled_back = session, None, False, False

    def __enter__(self):
        self.open = True
        return self

    def __exit__(self, *exc):
        self.open, self.rolled_back = False, True


@pytest.fixture
def made():
    session = FakeSession({7: SimpleNamespace(id=7, role="bidder")})
    uows: list[FakeUnitOfWork] = []

    def factory():
        uows.append(FakeUnitOfWork(session))
        return uows[-1]
    return SimpleNamespace(runner=Runner(factory), session=session, uows=uows)


def test_a_person_is_looked_up_once_and_named_in_the_journal_as_user_and_id(made):
    seen = made.runner(Caller(user_id=7), lambda uow, actor, x: (uow.actor, actor.id, x), "arg")
    assert seen == ("user:7", 7, "arg")
    assert made.session.looked_up == [7]


def test_the_public_is_looked_up_not_at_all_and_named_public(made):
    assert made.runner(Caller(), lambda uow, actor: (uow.actor, actor)) == ("public", None)
    assert made.session.looked_up == []


def test_a_system_is_named_as_it_names_itself(made):
    assert made.runner(Caller(system="system:cli"), lambda uow, actor: (uow.actor, actor)) == ("system:cli", None)


def test_the_view_runs_inside_the_unit_of_work_of_the_use_case(made):
    out = made.runner(Caller(user_id=7), lambda uow, actor: "done",
                      view=lambda uow, actor, result: (result, uow.open, actor.id))
    assert out == ("done", True, 7)
    assert len(made.uows) == 1 and made.uows[0].rolled_back


def test_a_refusal_reaches_the_entry_point_and_the_unit_of_work_ends(made):
    def refuse(uow, actor):
        raise Forbidden("this action is for: operator; you are bidder", code="forbidden")
    with pytest.raises(Forbidden):
        made.runner(Caller(user_id=7), refuse)
    assert made.uows[0].rolled_back and not made.uows[0].open


def test_the_journal_name_of_an_account_is_written_in_one_place():
    assert actor_label(SimpleNamespace(id=12)) == "user:12"
    assert actor_label(None) == "public"
    assert Caller.of(SimpleNamespace(id=3)) == Caller(user_id=3) and Caller.of(None) == Caller()
