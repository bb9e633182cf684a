"""Issue 13, point 6, over HTTP: a decision worth millions takes two steps, the first showing its
figures and article and changing nothing (keeping a failed lot with the Art. 85.3 amount the service
will charge, refusing it, the bailiff's approval of the results); the cabinet puts what needs the
person's action first and folds the notifications already read; the debtor sees how the money of his
sold lot was distributed and what he still owes each collector."""
from __future__ import annotations

import re

from .test_api_contract import assert_unchanged, snapshot
from .test_console_pages import log_in, post
from .test_law_retention_charge import charges, failed_first_auction
from .test_notifications import notify  # noqa: F401 (the fixture)
from .test_pages import text

NBSP = "\u00a0"


def kzt(figure: str) -> str:
    return f"{figure}{NBSP}KZT"


def test_a_collector_sees_the_amount_to_pay_in_and_keeps_the_lot_only_on_the_second_step(client, m):
    # By hand (Art. 85.3, tests/e2e/test_law_retention_charge.py): of the 1,000,000.00 value 400,000.00 is
    # set off against his claim and 600,000.00 is above it; his share of the 60,000.00 expenses is
    # 400,000 / 2,000,000 = 12,000.00; his writ's fee (alimony, 3%) on the set-off 12,000.00: 624,000.00.
    bailiff, p, lot, (keeper, bank) = failed_first_auction(
        m, [("alimony", "400000.00"), ("other", "1600000.00")], private=True, expenses="60000.00")
    bank.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})
    log_in(client, keeper)
    page = client.get("/cabinet?lang=en").get_data(as_text=True)
    todo = page[page.index('id="todo-title"'):page.index('id="cases"')]
    assert f"you may keep the lot by paying in {kzt('624,000.00')} (Art. 85.3)." in text_of(todo)
    assert "Answer by Dec 22, 2026 (Art. 85.1)" in text_of(todo)
    card = page[page.index(f'data-lot-id="{lot["id"]}" id="lot-{lot["id"]}"'):]
    assert f"To keep it you pay in {kzt('624,000.00')} (Art. 85.3)" in text_of(card)

    before = snapshot(m)
    asked = post(client, f"/cabinet/lots/{lot['id']}/retention", decision="retain")
    shown = text(asked)
    assert asked.status_code == 200
    for label, figure in (("Valuation", "1,000,000.00"), ("Set off against your claim", "400,000.00"),
                          ("The value above your claim", "600,000.00"),
                          ("Your share of the execution expenses", "12,000.00"),
                          ("Your share of the private bailiff's fee", "12,000.00"), ("You pay in", "624,000.00")):
        assert f"{label} {kzt(figure)}" in shown
    assert "(Art. 85.3)" in shown
    assert 'name="confirmed" value="yes"' in asked.get_data(as_text=True)
    assert_unchanged(m, before)  # the first step changed nothing
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1" and charges(keeper) == []

    post(client, f"/cabinet/lots/{lot['id']}/retention", decision="retain", confirmed="yes")
    assert "Your application to keep the lot at its valuation is recorded (Art. 85.1)." in text(
        client.get("/cabinet?lang=en"))
    [charge] = charges(keeper)  # the figure shown is the one charged
    assert (charge["amount"], charge["status"]) == ("624000.00", "pending")
    page = client.get("/cabinet?lang=en").get_data(as_text=True)
    todo = text_of(page[page.index('id="todo-title"'):page.index('id="cases"')])
    assert f"{kzt('624,000.00')}, reference {charge['reference']}" in todo and "due by" in todo


def test_refusing_the_lot_also_takes_a_confirmation(client, m):
    bailiff, p, lot, (keeper, other) = failed_first_auction(m, [("alimony", "400000.00"), ("other", "900000.00")])
    log_in(client, keeper)
    before = snapshot(m)
    asked = post(client, f"/cabinet/lots/{lot['id']}/retention", decision="refuse")
    assert asked.status_code == 200 and "the answer cannot be changed (Art. 85.1)" in text(asked)
    assert "Confirm the refusal" in text(asked)
    assert_unchanged(m, before)
    post(client, f"/cabinet/lots/{lot['id']}/retention", decision="refuse", confirmed="yes")
    assert "Your refusal is recorded (Art. 85.1)." in text(client.get("/cabinet?lang=en"))
    assert "You refused the lot." in text(client.get("/cabinet?lang=en"))


def test_the_bailiff_approves_the_results_on_the_second_step_after_seeing_the_winner_and_price(client, m):
    bailiff, _, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "b1"})
    m.advance(minutes=11)
    m.tick()
    winner = bailiff.ok("GET", f"/auctions/{auction['id']}")["winner_no"]
    log_in(client, bailiff)
    path = f"/console/lots/{lot['id']}"
    before = snapshot(m)
    asked = post(client, path, action="approve", auction_id=str(auction["id"]))
    shown = text(asked)
    assert asked.status_code == 200 and f"Approve the results of auction No. {auction['id']}?" in shown
    assert f"Winner No. {winner}" in shown and f"Final price {kzt('1,050,000.00')}" in shown
    assert "(Art. 80.4, 84.3)" in shown
    assert_unchanged(m, before)
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["payment_due_on"] is None
    post(client, path, action="approve", auction_id=str(auction["id"]), confirmed="yes")
    assert "Results approved" in text(client.get(f"{path}?lang=en"))
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["payment_due_on"] is not None
    assert post(client, path, action="approve", auction_id="x").status_code == 400  # never a 500


def test_the_cabinet_shows_what_needs_action_first_then_the_applications_and_folds_read_notifications(
        client, m, notify):  # noqa: F811
    bailiff, _, lot = m.ordered_lot(value="1000000.00", title="Lada Granta 2020")
    watched = m.ordered_lot(bailiff, value="500000.00", title="Sewing machines")[2]
    bidder = m.user("bidder")
    log_in(client, bidder)
    post(client, f"/cabinet/lots/{watched['id']}/watch")
    post(client, f"/cabinet/lots/{lot['id']}/watch")
    m.announce(bailiff, watched["id"])
    notify()
    post(client, "/cabinet/notifications/read")  # the first notification is read...
    auction = m.announce(bailiff, lot["id"])
    notify()  # ...the second is not
    app = bidder.ok("POST", f"/auctions/{auction['id']}/applications", {})
    page = client.get("/cabinet?lang=en").get_data(as_text=True)
    order = [page.index(x) for x in ('id="todo-title"', 'id="applications"', 'id="payments"', 'id="notifications"')]
    assert order == sorted(order)  # what needs action, the applications, the payments, the notifications
    todo = text_of(page[order[0]:order[1]])
    assert f"Deposit — Lada Granta 2020: {kzt('50,000.00')}, reference {app['payment']['reference']}" in todo
    assert "Pay before the applications close, Dec 14, 2026" in todo and "to be admitted (Art. 80.1)" in todo
    assert todo.count("Pay 50,000.00") == 1 and page.count(f'action="/payments/{app["payment"]["id"]}/pay"') == 1
    notes = page[order[3]:]
    unread_part, folded = notes.split('<details class="old-notes">')
    assert "“Lada Granta 2020” is announced" in text_of(unread_part) and "Sewing machines" not in unread_part
    assert "Earlier notifications (1)" in text_of(folded) and "“Sewing machines” is announced" in text_of(folded)


def test_nothing_to_do_is_said_plainly(client, m):
    log_in(client, m.user("bidder"))
    page = client.get("/cabinet?lang=en").get_data(as_text=True)
    assert page.index("Nothing needs your action now.") < page.index('id="applications"')


def test_the_debtor_sees_how_the_money_of_his_sold_lot_was_distributed_and_what_he_still_owes(client, m):
    debtor = m.user("debtor")
    alimony, bank = m.user("collector"), m.user("collector")
    collectors = [{"name": "Aigul Alimony", "iin_bin": alimony.iin_bin, "kind": "alimony", "claim": "400000.00",
                   "user": alimony.id},
                  {"name": "Bank LLP", "iin_bin": bank.iin_bin, "kind": "other", "claim": "1600000.00",
                   "user": bank.id}]
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"debtor": debtor, "collectors": collectors})
    [statement] = m.sell(bailiff, lot, price="1050000.00")
    log_in(client, debtor)
    page = client.get("/cabinet?lang=en").get_data(as_text=True)
    card = text_of(page[page.index(f'id="lot-{lot["id"]}"'):page.index(f'id="dist-{lot["id"]}"') + 20000])
    # by hand: 1,050,000.00 recovered, no fines or expenses; queue 1 (alimony, Art. 111) is paid in full,
    # the rest, 650,000.00, goes to the bank's claim in its later queue; nothing is left for the debtor
    assert f"Recovered {kzt('1,050,000.00')}" in card
    assert f"Collector's claim Aigul Alimony 1 {kzt('400,000.00')} Art." in card
    assert f"Collector's claim Bank LLP {queue_of(bailiff, p, 'Bank LLP')} {kzt('650,000.00')} Art." in card
    assert f"Total {kzt('1,050,000.00')}" in card
    assert "What you still owe the collectors" in card
    assert f"Aigul Alimony 1 {kzt('400,000.00')} {kzt('400,000.00')} {kzt('0.00')}" in card
    assert (f"Bank LLP {queue_of(bailiff, p, 'Bank LLP')} {kzt('1,600,000.00')} {kzt('650,000.00')} "
            f"{kzt('950,000.00')}") in card
    ru = text(client.get("/cabinet?lang=ru"))
    articles = {ln["article"] for ln in statement["lines"]}
    assert articles and "950\u00a0000,00\u00a0₸" in ru and all(f"ст. {a}" in ru for a in articles)


def queue_of(bailiff, p, name) -> int:
    return next(c["queue"] for c in bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"] if c["name"] == name)


def text_of(html: str) -> str:
    import html as entities
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    flat = re.sub(r"[ \t\r\n]+", " ", entities.unescape(re.sub(r"<[^>]+>", " ", html))).strip()
    return re.sub(r" ([,.:;])", r"\1", flat)  # "…</a>: 50,000.00" reads "…: 50,000.00"


def test_the_confirmation_and_the_action_list_read_in_kazakh_and_russian(client, m):
    bailiff, p, lot, (keeper, bank) = failed_first_auction(
        m, [("alimony", "400000.00"), ("other", "1600000.00")], private=True, expenses="60000.00")
    log_in(client, keeper)
    for lang, pay_in, article in (("kk", "Сіз төлейтін сома", "85.3-бап"), ("ru", "Вы вносите", "ст. 85.3")):
        client.get(f"/?lang={lang}")
        cabinet = text(client.get("/cabinet"))
        asked = text(post(client, f"/cabinet/lots/{lot['id']}/retention", decision="retain"))
        for shown in (cabinet, asked):
            assert f"624{NBSP}000,00{NBSP}₸" in shown and article in shown
            assert not re.search(r"\b(Art|KZT|Needs|Keep|Confirm|pay)\b", shown), shown
        assert f"{pay_in} 624{NBSP}000,00{NBSP}₸" in asked
