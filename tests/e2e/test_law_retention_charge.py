"""Art. 85.3 (issue 10, point 5): the collector who keeps an unsold lot pays, in proportion to the
value he takes, the execution expenses and the private bailiff's fee, and the part of the value
above what the case owes him, by a payment request with a deadline; the lot is his once he has paid;
if he does not pay, the next collector who applied is chosen, or every collector has refused."""
from __future__ import annotations

from ..helpers import error
from ..pdf import pdftotext


def failed_first_auction(m, collectors, **proceeding):
    users = [m.user("collector") for _ in collectors]
    entries = [{"name": f"Collector {i}", "iin_bin": u.iin_bin, "kind": kind, "claim": claim, "user": u.id}
               for i, (u, (kind, claim)) in enumerate(zip(users, collectors))]
    bailiff, p, lot = m.ordered_lot(value="1000000.00", proceeding={"collectors": entries, **proceeding})
    auction = m.announce(bailiff, lot["id"])
    m.open_auction(auction, [])  # no application: failed (Art. 84.1), the retention window opens
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"
    return bailiff, p, lot, users


def charges(user) -> list:
    return [x for x in user.ok("GET", "/me/payments")["items"] if x["kind"] == "retention_charge"]


def test_a_retention_with_expenses_and_a_private_fee_by_hand(m):
    bailiff, p, lot, (keeper, bank) = failed_first_auction(
        m, [("alimony", "400000.00"), ("other", "1600000.00")], private=True, expenses="60000.00")
    bank.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "refuse"})
    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    # By hand: 400,000.00 of the 1,000,000.00 is set off against his claim; 600,000.00 is above it.
    # His set-off is 400,000 / 2,000,000 of what the case owes: 1/5 of the 60,000.00 expenses = 12,000.00.
    # His writ's fee (alimony, 3%) on the 400,000.00 set off = 12,000.00. To pay: 624,000.00.
    [charge] = charges(keeper)
    assert (charge["amount"], charge["status"]) == ("624000.00", "pending")
    lot_now = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert lot_now["status"] == "RETENTION_1" and lot_now["retained_by_collector_id"] is None
    # the repeat auction cannot be appointed while the retention is being settled
    error(bailiff.post(f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(15)}), 422, article="85.2")
    # the whole amount is due
    error(m.webhook(charge["reference"], "600000.00", "k-1"), 422, "wrong_amount")
    assert charges(keeper)[0]["status"] == "pending"

    keeper.ok("POST", f"/payments/{charge['id']}/dev-pay")
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    keeper_id, bank_id = (c["id"] for c in p["collectors"])
    assert (got["status"], got["retained_by_collector_id"]) == ("RETAINED", keeper_id)
    [statement] = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"]
    # The keeper's shares first (Art. 85.3); the 600,000.00 then as sale proceeds (Art. 108.1): the
    # other 48,000.00 of the expenses; the fees of the writs on what each gets before the fee — the
    # keeper's writ now owes him the 24,000.00 he advanced (3% = 720.00), the bank's 528,000.00 (its
    # writ of 1,600,000.00 in the 15% band = 79,200.00); then queue 1, queue 5.
    assert [(ln["kind"], ln["collector_id"], ln["amount"]) for ln in statement["lines"]] == [
        ("bailiff_fee", keeper_id, "12000.00"), ("expenses", None, "12000.00"),
        ("bailiff_fee", keeper_id, "720.00"), ("bailiff_fee", bank_id, "79200.00"), ("expenses", None, "48000.00"),
        ("collector", keeper_id, "24000.00"), ("collector", bank_id, "448080.00")]
    assert statement["recovered"] == statement["total"] == "624000.00"
    after = {c["id"]: c for c in bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"]}
    assert (after[keeper_id]["claim"], after[keeper_id]["paid"], after[keeper_id]["fee_charged"]) == (
        "424000.00", "424000.00", "12720.00")
    assert after[bank_id]["paid"] == "448080.00"
    bal = m.balances()
    assert (bal[f"bailiff:{bailiff.id}:income"], bal["expenses"], bal["control"]) == ("91920.00", "60000.00", "0.00")
    # the act prints each share
    [act] = [d for d in bailiff.ok("GET", f"/lots/{lot['id']}/documents")["items"] if d["kind"] == "retention_act"]
    text = " ".join(pdftotext(bailiff.get(act["url"].removeprefix("/api/v1")).data).split())
    # each row: its label (Kazakh / Russian), then its amount in figures and words in each language, before the
    # next row's label (pdftotext may read a wrapped label's lines between its value's)
    rows = [("Құнның талаптан асатын бөлігі", "600 000,00 теңге (алты жүз мың теңге 00 тиын)",
             "600 000,00 тенге (шестьсот тысяч тенге 00 тиынов)"),
            ("Атқарушылық әрекеттер жасау", "12 000,00 теңге (он екі мың теңге 00 тиын)",
             "12 000,00 тенге (двенадцать тысяч тенге 00 тиынов)"),
            ("Жеке сот орындаушысының", "12 000,00 теңге (он екі мың теңге 00 тиын)",
             "12 000,00 тенге (двенадцать тысяч тенге 00 тиынов)"),
            ("Өндіріп алушы барлығы", "624 000,00 теңге (алты жүз жиырма төрт мың теңге 00 тиын)",
             "624 000,00 тенге (шестьсот двадцать четыре тысячи тенге 00 тиынов)")]
    at = 0
    for (label, kk, ru), following in zip(rows, [r[0] for r in rows[1:]] + ["Мүлік / Имущество"]):
        start = text.index(label, at)
        at = text.index(following, start + len(label))
        row = text[start:at]
        assert kk in row and ru in row and row.index(kk) < row.index(ru), (label, row)
    for expected in ("Доля расходов по совершению исполнительных действий (ст. 85.3)",
                     "Доля оплаты деятельности частного судебного исполнителя (ст. 85.3, 118)",
                     "на текущий счёт частного судебного исполнителя",
                     "өндіріп алушы барлығы 624 000,00 теңге (алты жүз жиырма төрт мың теңге 00 тиын) енгізді",
                     "всего взыскатель внёс 624 000,00 тенге (шестьсот двадцать четыре тысячи тенге 00 тиынов)"):
        assert expected in text, expected


def test_a_collector_who_does_not_pay_loses_the_lot_to_the_next_and_then_the_repeat_auction_comes(m):
    bailiff, p, lot, (keeper, bank) = failed_first_auction(m, [("alimony", "400000.00"), ("other", "300000.00")])
    bank.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    [first] = charges(keeper)  # queue 1 first: 600,000.00 above his claim
    assert (first["amount"], charges(bank)) == ("600000.00", [])
    due = first["due_on"]
    m.advance(days=3)
    m.tick()
    assert charges(keeper)[0]["status"] == "pending"  # not yet due

    m.advance(days=20)  # well past the 5 working days
    m.tick()
    assert charges(keeper)[0]["status"] == "cancelled"
    error(keeper.post(f"/payments/{first['id']}/dev-pay"), 409, "not_pending")
    journal = bailiff.ok("GET", f"/lots/{lot['id']}/journal")["items"]
    [lapsed] = [e for e in journal if e["kind"] == "retention.lapsed"]
    assert (lapsed["article"], lapsed["payload"]["due_on"]) == ("85.3", due)
    [second] = charges(bank)  # the next who applied: 700,000.00 above his 300,000.00
    assert (second["amount"], second["status"]) == ("700000.00", "pending")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RETENTION_1"

    m.advance(days=20)
    m.tick()
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "FAILED_1"  # every collector has, in the end, refused (Art. 85.2)
    assert [c["paid"] for c in bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"]] == ["0.00", "0.00"]
    assert m.balances().get("control", "0.00") == "0.00"
    # the repeat auction can be appointed now
    starts = bailiff.ok("POST", f"/lots/{lot['id']}/auctions", {"starts_at": m.auction_time(12)})
    assert starts["round"] == 2


def test_with_nothing_to_pay_the_lot_is_the_collectors_at_once(m):
    bailiff, p, lot, (keeper,) = failed_first_auction(m, [("other", "3000000.00")])
    keeper.ok("POST", f"/lots/{lot['id']}/retention", {"decision": "retain"})
    got = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert got["status"] == "RETAINED" and charges(keeper) == []
    [c] = bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"]
    assert (c["claim"], c["paid"], c["outstanding"]) == ("3000000.00", "1000000.00", "2000000.00")
