"""Issue 10, "the law decides": a participant without the right to take part is disqualified
(Art. 80.2, 80.4 third part, 80.5), and a proceeding passes to another bailiff (Order No 211 of
28.02.2026; Art. 25.4, 123.6). Over HTTP and the sweeper, on SQLite and PostgreSQL.

The first auction is announced on Tuesday 1 December 2026 for Monday 14 December, 11:00 Almaty.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ..helpers import bin_, error

VALUE = "1000000.00"
DEPOSIT = "50000.00"


# ---- readers -------------------------------------------------------------------------------------
def journal(m, kind: str) -> list:
    """Every journal entry of `kind` (also those of no lot, such as a proceeding's transfer)."""
    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(m.app) as uow:
        return [(e.article, e.payload, e.lot_id) for e in uow.session.execute(
            select(JournalEntry).where(JournalEntry.kind == kind).order_by(JournalEntry.seq)).scalars()]


def journal_length(m) -> int:
    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(m.app) as uow:
        return uow.session.execute(select(func.count()).select_from(JournalEntry)).scalar_one()


def application(bailiff, auction_id: int, no: int) -> dict:
    return next(x for x in bailiff.ok("GET", f"/auctions/{auction_id}")["applications"] if x["participant_no"] == no)


def deposit(balances: dict, bidder) -> str:
    return balances.get(f"bidder:{bidder.id}:deposit", "0.00")


def assert_ledger_balances_to_zero(balances: dict) -> None:
    assert sum(Decimal(v) for v in balances.values()) == 0, balances


def seen(m, bailiff, auction: dict, lot: dict, proceeding: dict) -> tuple:
    """What a refusal must leave as it was: the journal, the ledger, and what the bailiff sees."""
    return (journal_length(m), m.balances(), bailiff.ok("GET", f"/auctions/{auction['id']}"),
            bailiff.ok("GET", f"/lots/{lot['id']}"), bailiff.ok("GET", f"/proceedings/{proceeding['id']}"))


def notified(m, user) -> list[str]:
    from service.notifier import follow_journal
    from service.orm import Notification
    from web import uow_for
    follow_journal(lambda: uow_for(m.app, "system:notifier"))
    with uow_for(m.app) as uow:
        return list(uow.session.execute(select(Notification.kind).where(Notification.user_id == user.id)
                                        .order_by(Notification.id)).scalars())


def disqualify(user, auction_id: int, no: int, ground: str = "debtor", reason: str = "the debtor's own IIN"):
    return user.post(f"/auctions/{auction_id}/disqualifications",
                     {"participant_no": no, "ground": ground, "reason": reason})


def announced_with(m, n: int, *, private: bool = False):
    bailiff, p, lot = m.ordered_lot(value=VALUE, proceeding={"private": private})
    auction = m.announce(bailiff, lot["id"])
    bidders = [m.bidder_admitted(auction["id"]) for _ in range(n)]
    return bailiff, p, lot, auction, bidders


def closed_with_winner(m, *, private: bool = False):
    """Two participants; No. 2 raised once and won; the auction is closed awaiting approval."""
    bailiff, p, lot, auction, (loser, winner) = announced_with(m, 2, private=private)
    m.open_auction(auction, [loser, winner])
    winner.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "w-1"})
    m.advance(minutes=11)
    m.tick()
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "closed"
    return bailiff, p, lot, auction, loser, winner


# ---- 7. disqualification (Art. 80.4, third part) -------------------------------------------------------
def test_a_participant_disqualified_before_the_opening_forfeits_the_deposit_and_the_opening_counts_who_is_left(m):
    bailiff, p, lot, auction, (first, second) = announced_with(m, 2)
    a = bailiff.ok("POST", f"/auctions/{auction['id']}/disqualifications",
                   {"participant_no": 1, "ground": "official_relative", "reason": "spouse of the appraiser (civil "
                    "registry record No 77)"})
    assert a["status"] == "announced" and a["participants"] == 1
    app = application(bailiff, auction["id"], 1)
    assert (app["status"], app["deposit_state"]) == ("disqualified", "forfeited")
    assert app["disqualification"]["ground"] == "official_relative"
    assert app["disqualification"]["reason"].startswith("spouse of the appraiser")
    bal = m.balances()
    assert (deposit(bal, first), bal["state_revenue"]) == ("0.00", DEPOSIT)  # Art. 80.5: a state bailiff's auction
    [(article, payload, lot_id)] = journal(m, "application.disqualified")
    assert ((article, payload["participant_no"], payload["ground"], lot_id)
            == ("80.4", 1, "official_relative", lot["id"]))
    [(article, payload, _)] = journal(m, "deposit.forfeited")
    assert (article, payload["amount"], payload["to"]) == ("80.5", DEPOSIT, "state_revenue")
    assert "disqualified" in notified(m, first) and "disqualified" not in notified(m, second)
    # the public sees the number, not what was found
    public = [e for e in m.public.ok("GET", f"/lots/{lot['id']}/journal")["items"]
              if e["kind"] == "application.disqualified"]
    assert public[0]["payload"] == {"participant_no": 1, "seq": public[0]["payload"]["seq"]}
    # one participant is left: the opening fails the auction (Art. 84.1), his deposit is freed
    m.open_auction(auction, [second])  # No. 1 may no longer join the room
    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["failure_reason"]) == ("failed", "84.1")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    assert application(bailiff, auction["id"], 2)["deposit_state"] == "freed"
    m.tick()
    bal = m.balances()
    assert (deposit(bal, first), deposit(bal, second), bal["state_revenue"]) == ("0.00", "0.00", DEPOSIT)
    assert_ledger_balances_to_zero(bal)


def test_a_leader_disqualified_in_an_open_auction_leaves_and_the_lead_goes_back_to_the_best_remaining_bid(m):
    bailiff, p, lot, auction, (b1, b2, b3) = announced_with(m, 3, private=True)
    aid = auction["id"]
    m.open_auction(auction, [b1, b2, b3])
    b1.ok("POST", f"/auctions/{aid}/bids", {"amount": "1050000.00", "client_id": "b1-1"})
    b2.ok("POST", f"/auctions/{aid}/bids", {"amount": "1100000.00", "client_id": "b2-1"})
    m.advance(minutes=9)
    a = bailiff.ok("POST", f"/auctions/{aid}/disqualifications",
                   {"participant_no": 2, "ground": "pledgee", "reason": "employee of the pledgee bank"})
    assert (a["status"], a["participants"]) == ("open", 2)
    state = m.public.ok("GET", f"/auctions/{aid}/state")
    # his bids cannot stand: No. 1's bid leads again, and the others get a whole quiet period to answer
    assert (state["price"], state["leader_no"], state["next_price"]) == ("1050000.00", 1, "1100000.00")
    [(_, payload, _)] = journal(m, "application.disqualified")
    assert payload["lead_to"]["price"] == "1050000.00" and payload["lead_to"]["leader_no"] == 1
    # a private bailiff's auction: the forfeit is that bailiff's own income (Art. 80.5)
    assert m.balances()[f"bailiff:{bailiff.id}:income"] == DEPOSIT
    error(b2.post(f"/auctions/{aid}/bids", {"amount": "1100000.00", "client_id": "b2-2"}), 403, "not_a_participant")
    b3.ok("POST", f"/auctions/{aid}/bids", {"amount": "1100000.00", "client_id": "b3-1"})
    m.advance(minutes=11)
    m.tick()
    a = bailiff.ok("GET", f"/auctions/{aid}")
    assert (a["status"], a["winner_no"], a["final_price"]) == ("closed", 3, "1100000.00")
    replay = bailiff.ok("GET", f"/auctions/{aid}/replay")
    assert replay["problems"] == [] and replay["winner_no"] == 3


def test_when_fewer_than_two_participants_remain_in_an_open_auction_it_fails_under_art_84_4(m):
    bailiff, p, lot, auction, (b1, b2) = announced_with(m, 2)
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "b1-1"})
    a = m.operator.ok("POST", f"/auctions/{auction['id']}/disqualifications",
                      {"participant_no": 2, "ground": "related_persons", "reason": "brother of participant No. 1"})
    assert (a["status"], a["failure_reason"]) == ("failed", "84.4")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"  # Art. 85.1 window opens
    assert application(bailiff, auction["id"], 1)["deposit_state"] == "freed"
    assert application(bailiff, auction["id"], 2)["deposit_state"] == "forfeited"
    assert [x[0] for x in journal(m, "auction.failed")] == ["84.4"]
    m.tick()
    bal = m.balances()
    assert (deposit(bal, b1), deposit(bal, b2), bal["state_revenue"]) == ("0.00", "0.00", DEPOSIT)
    assert_ledger_balances_to_zero(bal)


def test_a_winner_disqualified_before_paying_fails_the_auction_under_art_84_3_and_opens_the_retention_window(m):
    bailiff, p, lot, auction, loser, winner = closed_with_winner(m)
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    [due] = [x for x in winner.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"]
    a = bailiff.ok("POST", f"/auctions/{auction['id']}/disqualifications",
                   {"participant_no": 2, "ground": "bailiff_or_judge", "reason": "the judge who decided the case"})
    assert (a["status"], a["failure_reason"], a["winner_no"]) == ("failed", "84.3", 2)
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "RETENTION_1" and got["deadlines"]["retention_ends_on"]
    # the sale to him cannot stand: his payment is no longer awaited, and his deposit is not returned
    assert [x["status"] for x in winner.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"] == ["cancelled"]
    error(winner.post(f"/payments/{due['id']}/dev-pay"), 409, "not_pending")
    [(_, failed, _)] = journal(m, "auction.failed")
    assert failed["disqualified_no"] == 2
    m.tick()
    bal = m.balances()
    assert (deposit(bal, winner), deposit(bal, loser), bal["state_revenue"]) == ("0.00", "0.00", DEPOSIT)
    assert_ledger_balances_to_zero(bal)


def test_a_loser_disqualified_after_the_close_forfeits_the_deposit_unless_it_was_already_refunded(m):
    bailiff, p, lot, auction, loser, winner = closed_with_winner(m)
    bailiff.ok("POST", f"/auctions/{auction['id']}/disqualifications",
               {"participant_no": 1, "ground": "appraiser", "reason": "the appraiser of the lot"})
    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["winner_no"]) == ("closed", 2)  # the winner's sale goes on
    m.tick()  # the refund that was due is cancelled: nothing goes back
    bal = m.balances()
    assert (deposit(bal, loser), bal["state_revenue"]) == ("0.00", DEPOSIT)
    assert_ledger_balances_to_zero(bal)


@pytest.mark.parametrize("case", ["sold", "not a participant", "twice", "no reason", "bad ground", "other bailiff"])
def test_refused_disqualifications_say_which_rule_and_change_nothing(m, case):
    if case == "sold":
        bailiff, p, lot, auction, loser, winner = closed_with_winner(m)
        bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
        [due] = [x for x in winner.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"]
        winner.ok("POST", f"/payments/{due['id']}/dev-pay")
        assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "sold"
    else:
        bailiff, p, lot, auction, _ = announced_with(m, 2)
        pending = m.user("bidder")
        pending.ok("POST", f"/auctions/{auction['id']}/applications", {})  # No. 3, deposit not paid
    if case == "twice":
        bailiff.ok("POST", f"/auctions/{auction['id']}/disqualifications",
                   {"participant_no": 1, "ground": "debtor", "reason": "the debtor"})
    before = seen(m, bailiff, auction, lot, p)
    aid = auction["id"]
    if case == "sold":  # the price is paid, the contract concluded (Art. 83)
        error(disqualify(bailiff, aid, 2), 422, "sale_completed", "83")
    elif case == "not a participant":
        error(disqualify(bailiff, aid, 9), 422, "no_such_participant", "80.4")
        error(disqualify(bailiff, aid, 3), 422, "no_such_participant", "80.4")  # applied, deposit unpaid
    elif case == "twice":
        error(disqualify(bailiff, aid, 1), 409, "already_disqualified", "80.4")
    elif case == "no reason":
        error(disqualify(bailiff, aid, 1, reason="  "), 400, "reason_required", "80.4")
        error(bailiff.post(f"/auctions/{aid}/disqualifications", {"participant_no": 1, "ground": "debtor"}), 400,
              "reason_required", "80.4")
    elif case == "bad ground":
        error(disqualify(bailiff, aid, 1, ground="rich"), 400, "bad_ground", "80.2")
    else:
        error(disqualify(m.user("bailiff"), aid, 1), 403, "not_your_case")
    assert seen(m, bailiff, auction, lot, p) == before


@pytest.mark.parametrize("change", ["pledgee recorded", "case passed to the bidder's relative"])
def test_the_opening_checks_the_case_as_it_is_then_not_as_it_was_at_the_application(m, change):
    """SPEC §5: eligibility is checked again at the opening against the case data of that moment."""
    pledgee, relative = bin_(), m.user("bailiff")
    bailiff, p, lot = m.ordered_lot(value=VALUE)
    auction = m.announce(bailiff, lot["id"])
    suspect = m.bidder_admitted(auction["id"], employers=[pledgee], close_relatives=[relative.iin_bin])
    others = [m.bidder_admitted(auction["id"]) for _ in range(2)]
    assert application(bailiff, auction["id"], 1)["status"] == "admitted"  # nothing against him at filing
    if change == "pledgee recorded":  # the pledge comes to light after the application (the case system)
        from auction.proceedings import Proceeding
        from web import uow_for
        with uow_for(m.app) as uow:
            uow.get(Proceeding, p["id"]).pledgee_bin = pledgee
            uow.commit()
        ground, now = "pledgee", bailiff
    else:
        m.operator.ok("POST", f"/proceedings/{p['id']}/transfer",
                      {"bailiff": relative.email, "private_bailiff": False, "basis": "Order No 211"})
        ground, now = "official_relative", relative
    m.open_auction(auction, [suspect, *others])
    a = now.ok("GET", f"/auctions/{auction['id']}")
    assert (a["status"], a["participants"]) == ("open", 2)
    app = application(now, auction["id"], 1)
    assert (app["status"], app["deposit_state"], app["disqualification"]["ground"]) == (
        "disqualified", "forfeited", ground)
    [(article, _, _)] = journal(m, "application.disqualified")
    assert article == "80.2"
    assert m.balances()["state_revenue"] == DEPOSIT


# ---- 13. a proceeding passes to another bailiff (Order No 211; Art. 25.4, 123.6) ----------------------
def sold_and_announced(m, bailiff):
    """A private bailiff's proceeding: lot 1 sold (its money allotted to the collector, not yet paid out),
    lot 2 announced with two admitted participants."""
    bailiff, p, sold = m.ordered_lot(bailiff, value=VALUE, proceeding={"private": True})
    auction = m.announce(bailiff, sold["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b2.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "w"})
    m.advance(minutes=11)
    m.tick()
    bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    [due] = [x for x in b2.ok("GET", "/me/payments")["items"] if x["kind"] == "winner"]
    b2.ok("POST", f"/payments/{due['id']}/dev-pay")
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    second = m.announce(bailiff, lot["id"])
    bidders = [m.bidder_admitted(second["id"]) for _ in range(2)]
    return p, lot, second, bidders


@pytest.mark.parametrize("to_private", [True, False], ids=["to-a-private-bailiff", "to-a-state-bailiff"])
def test_a_proceeding_passes_to_another_bailiff_with_its_lots_auctions_deposits_and_money(m, to_private):
    old, new = m.user("bailiff", name="Old Bailiff"), m.user("bailiff", name="New Bailiff")
    p, lot, auction, (b1, b2) = sold_and_announced(m, old)
    held_for_collector = {a: v for a, v in m.balances().items() if a.startswith("collector:")}
    fee_before = m.balances()[f"bailiff:{old.id}:income"]  # the old bailiff's fee for the sale stays his
    got = m.operator.ok("POST", f"/proceedings/{p['id']}/transfer",
                        {"bailiff": new.email, "private_bailiff": to_private, "basis": "Order No 211 of 28.02.2026"})
    assert (got["bailiff_id"], got["private_bailiff"]) == (new.id, to_private)
    [t] = got["transfers"]
    assert (t["from_bailiff_id"], t["to_bailiff_id"], t["basis"]) == (old.id, new.id, "Order No 211 of 28.02.2026")
    assert t["moved"]["deposits_held"] == {"count": 2, "amount": "100000.00"}
    assert t["moved"]["held_for_collectors"] == held_for_collector and held_for_collector
    assert t["moved"]["auctions"] == [{"id": auction["id"], "status": "announced"}]
    assert lot["id"] in t["moved"]["lots"]
    [(article, entry, lot_id)] = journal(m, "proceeding.transferred")
    assert (article, lot_id, entry["from_bailiff"]["name"], entry["to_bailiff"]["name"]) == (
        "25.4", None, "Old Bailiff", "New Bailiff")
    assert entry["deposits_held"]["amount"] == "100000.00" and entry["money_article"] == "123.6"
    assert "case_transferred" in notified(m, new) and "case_transferred" in notified(m, old)
    # from now on the new bailiff acts and the old one is refused
    e = error(old.post(f"/proceedings/{p['id']}/lots", {"title": "Car", "category": "movable",
                                                         "items": [{"name": "car", "price": "10.00"}]}),
              403, "not_your_case")
    assert "another bailiff" in e["message"]
    error(disqualify(old, auction["id"], 1), 403, "not_your_case")
    assert old.ok("GET", f"/proceedings/{p['id']}")["debtor"]["name"] == "(hidden)"
    # the announced auction keeps running; a forfeit now goes to whoever runs it at that moment (Art. 80.5)
    assert new.ok("GET", f"/auctions/{auction['id']}")["status"] == "announced"
    new.ok("POST", f"/auctions/{auction['id']}/disqualifications",
           {"participant_no": 1, "ground": "debtor", "reason": "the debtor"})
    bal = m.balances()
    revenue = f"bailiff:{new.id}:income" if to_private else "state_revenue"
    assert bal[revenue] == DEPOSIT
    assert bal[f"bailiff:{old.id}:income"] == fee_before
    [(_, forfeit, _)] = journal(m, "deposit.forfeited")
    assert (forfeit["to"], forfeit["bailiff_id"]) == (revenue, new.id)
    assert_ledger_balances_to_zero(bal)


@pytest.mark.parametrize("case", ["closed", "same bailiff", "not a bailiff", "unknown", "no basis", "by a bailiff"])
def test_refused_transfers_say_which_rule_and_change_nothing(m, case):
    bailiff, p, lot = m.ordered_lot(value=VALUE)
    auction = m.announce(bailiff, lot["id"])
    if case == "closed":
        bailiff.ok("POST", f"/proceedings/{p['id']}/release", {"reason": "debt paid"})
    before = seen(m, bailiff, auction, lot, p)
    url, other = f"/proceedings/{p['id']}/transfer", m.user("bailiff")
    body = {"bailiff": other.id, "private_bailiff": True, "basis": "Order No 211"}
    if case == "closed":  # the proceeding has ended (Art. 49): nothing to pass on
        error(m.operator.post(url, body), 409, "invalid_state", "49")
    elif case == "same bailiff":
        error(m.operator.post(url, body | {"bailiff": bailiff.email}), 409, "same_bailiff", "25.4")
    elif case == "not a bailiff":
        error(m.operator.post(url, body | {"bailiff": m.user("collector").id}), 422, "not_a_bailiff", "25.4")
    elif case == "unknown":
        error(m.operator.post(url, body | {"bailiff": "nobody@example.kz"}), 400, "unknown_user")
    elif case == "no basis":
        error(m.operator.post(url, body | {"basis": ""}), 400, "reason_required", "25.4")
        error(m.operator.post(url, {"bailiff": other.id, "basis": "x"}), 400, "validation_error")
    else:  # the bailiff does not choose his successor: the justice body or the chamber does
        error(bailiff.post(url, body), 403, "forbidden")
    assert seen(m, bailiff, auction, lot, p) == before
