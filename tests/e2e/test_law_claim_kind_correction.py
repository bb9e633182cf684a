"""Correcting a claim's kind (Art. 111–112: the queue follows from the kind). Migration e1a2b3c4d5e6
gave "other" (queue 5) to claims whose kind could not be known; the bailiff of the case (or an
operator) corrects the kind on the writ that shows it, with a reason: the queue is re-derived, the
change journaled and kept in the claim's history, and the distribution follows the new queue; refused
once proceeds were distributed to the claim. Over HTTP, on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select

from service.orm import JournalEntry
from web import uow_for

from ..helpers import error

WRIT = "writ of execution No 2-311/2019 of 12.03.2019, Almaty district court No 2 (alimony for two children)"
REASON = "recorded as 'other' by the migration of the typed queues; the writ is for alimony"


def case(m):
    """A proceeding whose mother's alimony claim was migrated as 'other' (queue 5), beside a bank's loan."""
    bailiff = m.user("bailiff")
    mother, bank = m.user("collector"), m.user("collector")
    p = m.proceeding(bailiff, collectors=[
        {"name": "Bank", "iin_bin": bank.iin_bin, "kind": "other", "claim": "3000000.00", "user": bank.id},
        {"name": "Mother", "iin_bin": mother.iin_bin, "kind": "other", "claim": "400000.00", "user": mother.id}])
    loan, alimony = (c["id"] for c in p["collectors"])
    return bailiff, p, loan, alimony, bank


def kind_journal(m) -> list:
    with uow_for(m.app) as uow:
        return [(e.article, e.payload) for e in uow.session.execute(
            select(JournalEntry).where(JournalEntry.kind == "claim.kind_corrected")
            .order_by(JournalEntry.seq)).scalars()]


def journal_length(m) -> int:
    with uow_for(m.app) as uow:
        return uow.session.execute(select(func.count()).select_from(JournalEntry)).scalar_one()


def test_a_refused_correction_names_its_article_and_changes_nothing(m):
    bailiff, p, loan, alimony, bank = case(m)
    url = f"/proceedings/{p['id']}/collectors/{alimony}/kind"
    before, entries = bailiff.ok("GET", f"/proceedings/{p['id']}"), journal_length(m)
    e = error(bailiff.post(url, {"kind": "child_support", "basis": WRIT, "reason": REASON}),
              422, "bad_claim_kind", "110")
    assert "alimony" in e["message"]  # the kinds of the law are listed
    error(bailiff.post(url, {"basis": WRIT, "reason": REASON}), 422, "bad_claim_kind", "110")
    e = error(bailiff.post(url, {"kind": "other", "basis": WRIT, "reason": REASON}), 422, "kind_unchanged", "112.4")
    assert "queue 5" in e["message"]
    error(bailiff.post(url, {"kind": "alimony", "reason": REASON}), 422, "basis_required", "111")
    error(bailiff.post(url, {"kind": "alimony", "basis": "  ", "reason": REASON}), 422, "basis_required", "111")
    error(bailiff.post(url, {"kind": "taxes_budget", "basis": WRIT}), 422, "reason_required", "112.3")
    # only the case's bailiff or an operator; a party of the case is not
    other = m.user("bailiff")
    error(other.post(url, {"kind": "alimony", "basis": WRIT, "reason": REASON}), 403, "not_your_case")
    error(bank.post(url, {"kind": "alimony", "basis": WRIT, "reason": REASON}), 403, "forbidden")
    assert bailiff.ok("GET", f"/proceedings/{p['id']}") == before
    assert journal_length(m) == entries and kind_journal(m) == []


def test_the_corrected_alimony_claim_moves_to_the_first_queue_and_is_paid_before_the_bank(m):
    bailiff, p, loan, alimony, bank = case(m)
    url = f"/proceedings/{p['id']}/collectors/{alimony}/kind"
    view = bailiff.ok("POST", url, {"kind": "alimony", "basis": WRIT, "reason": REASON})
    c = next(x for x in view["collectors"] if x["id"] == alimony)
    assert (c["kind"], c["queue"], c["queue_article"], c["fee_category"]) == ("alimony", 1, "111", "alimony")
    assert c["kind_corrections"] == [{"old_kind": "other", "new_kind": "alimony", "basis": WRIT, "reason": REASON,
                                      "at": c["kind_corrections"][0]["at"], "by": f"user:{bailiff.id}"}]
    assert c["determinations"] == []  # the history of the amount is apart from the kind's
    [(article, payload)] = kind_journal(m)
    assert article == "111"
    assert {k: payload[k] for k in ("collector_id", "old_kind", "new_kind", "old_queue", "new_queue", "old_article",
                                    "new_article", "basis", "reason")} == {
        "collector_id": alimony, "old_kind": "other", "new_kind": "alimony", "old_queue": 5, "new_queue": 1,
        "old_article": "112.4", "new_article": "111", "basis": WRIT, "reason": REASON}
    # now an alimony claim: the bailiff determines its arrears (Art. 99.1)
    bailiff.ok("POST", f"/proceedings/{p['id']}/collectors/{alimony}/arrears",
               {"arrears": "500000.00", "resolution_no": "R-1", "resolution_date": m.today().isoformat()})

    lot = bailiff.ok("POST", f"/proceedings/{p['id']}/lots", {
        "title": "Car", "category": "movable", "items": [{"name": "car", "marks": "used", "price": "1000000.00"}]})
    m.value(bailiff, lot["id"])
    bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
    [statement] = m.sell(bailiff, lot)
    # by hand: 1,050,000.00 recovered; the mother (queue 1 now, 500,000.00) first, though recorded second
    lines = [(ln["collector_id"], ln["queue"], ln["due"], ln["amount"]) for ln in statement["lines"]
             if ln["kind"] == "collector"]
    assert lines == [(alimony, 1, "500000.00", "500000.00"), (loan, 5, "3000000.00", "550000.00")]

    # paid in queue 1: its kind is no longer corrected (Art. 110)
    before = bailiff.ok("GET", f"/proceedings/{p['id']}")
    e = error(bailiff.post(url, {"kind": "other", "basis": WRIT, "reason": "mistake"}), 422, "claim_distributed", "110")
    assert "500000.00" in e["message"]
    assert bailiff.ok("GET", f"/proceedings/{p['id']}") == before and len(kind_journal(m)) == 1


def test_an_operator_corrects_a_claim_and_a_named_fee_category_stays(m):
    bailiff = m.user("bailiff")
    worker = m.user("collector")
    p = m.proceeding(bailiff, collectors=[{"name": "Worker", "iin_bin": worker.iin_bin, "kind": "other",
                                           "claim": "250000.00", "fee_category": "budget"}])
    [c] = p["collectors"]
    view = m.operator.ok("POST", f"/proceedings/{p['id']}/collectors/{c['id']}/kind",
                         {"kind": "labour", "basis": "court order No 2-77 of 01.06.2026 (unpaid wages)",
                          "reason": "migrated as 'other'"})
    [after] = view["collectors"]
    assert (after["kind"], after["queue"], after["queue_article"]) == ("labour", 1, "111")
    assert after["fee_category"] == "budget"  # named by the writ, not read from the kind (Art. 118)
    assert after["kind_corrections"][0]["by"] == f"user:{m.operator.id}"
    [(article, payload)] = kind_journal(m)
    assert article == "111" and payload["by_role"] == "operator"
