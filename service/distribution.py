"""The distribution of what a sale recovers (Art. 108, 110–112, 118): fines and expenses first, then
the claims in their queues, the private bailiff's fee of each writ; the statement is posted to the
ledger, stored, journaled and issued as a document."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from auction import ledger
from auction.distribution import Claim, Line, Statement, WritFee, distribute
from auction.events import ProceedsDistributed
from auction.fees import private_bailiff_fee
from auction.money import ZERO, fmt
from auction.proceedings import Proceeding

from . import documents, settings
from .orm import Distribution
from .uow import UnitOfWork


def distribute_proceeds(uow: UnitOfWork, lot, recovered: Decimal, source: str = "auction",
                        first: tuple[Line, ...] = (), auction=None) -> Distribution:
    """``first``: lines paid off the top before the order of Art. 108 (a retaining collector's share of
    the expenses and of his writ's fee, Art. 85.3); the rest of ``recovered`` is distributed. ``source``:
    where the money came from, a key the statement names in Kazakh and Russian ("auction", "self_sale",
    "retention", "retention_excess"; auction/documents/after_sale.SOURCES), ``auction`` the auction sold at."""
    p = uow.get(Proceeding, lot.proceeding_id)
    earlier = uow.session.execute(select(Distribution).where(Distribution.lot_id.in_(
        select(lot.__class__.id).where(lot.__class__.proceeding_id == p.id)))).scalars().all()
    paid = {"fine": ZERO, "expenses": ZERO}
    for d in earlier:
        for line in d.statement["lines"]:
            if line["kind"] in paid:
                paid[line["kind"]] += Decimal(line["amount"])
    claims = [Claim(claim_id=c.id, collector_id=c.id, queue=c.queue, amount=c.outstanding, order=c.order)
              for c in p.collectors if c.outstanding > 0]
    fines = max(p.fines - paid["fine"], ZERO)
    expenses = max(p.expenses - paid["expenses"] - sum((ln.amount for ln in first if ln.kind == "expenses"), ZERO),
                   ZERO)
    whole, recovered = recovered, recovered - sum((ln.amount for ln in first), ZERO)
    fees, mci_year, mci = [], None, None
    if p.private_bailiff:
        # Art. 118: the fee of each writ, on what this sale recovers for it (the statement before the
        # fee), its band by the writ's amount, its cap of 10,000 MCI across every sale of the writ.
        mci_year, mci = settings.mci_for(uow.session, uow.today)
        before_fee = distribute(recovered, fines=fines, expenses=expenses, claims=claims)
        by_id = {c.id: c for c in p.collectors}
        for claim in claims:
            c = by_id[claim.claim_id]
            f = private_bailiff_fee(before_fee.paid_to_claim(c.id), category=c.fee_category, mci=mci,
                                    claim_amount=c.claim, already_charged=c.fee_charged)
            if f.amount > 0:
                fees.append(WritFee(c.id, c.id, f.amount, f.rate))
    statement = distribute(recovered, fines=fines, expenses=expenses, claims=claims, fees=fees)
    if first:
        statement = Statement(whole, [*first, *statement.lines])
        recovered = whole
    rates = [f.rate for f in fees] + [ln.rate for ln in first if ln.rate is not None]
    fee_rate = ", ".join(dict.fromkeys(format(r.normalize(), "f") for r in rates)) or None
    for c in p.collectors:
        c.paid += statement.paid_to_claim(c.id)
        c.fee_charged += statement.fee_of_claim(c.id)
    txn = statement.payout_transaction(reference=f"LOT-{lot.id}",
                                       bailiff_income=ledger.bailiff_income_account(p.bailiff_id))
    if txn is not None:
        uow.post(txn, lot_id=lot.id)
    d = Distribution(lot_id=lot.id, recovered=recovered, statement=statement.to_dict(), fee_rate=fee_rate,
                     mci=mci, mci_year=mci_year, created_at=uow.now)
    uow.session.add(d)
    uow.record(ProceedsDistributed(lot_id=lot.id, recovered=fmt(recovered), fee_rate=fee_rate,
                                   mci=None if mci is None else fmt(mci), mci_year=mci_year,
                                   statement=statement.to_dict()))
    documents.distribution_statement(uow, lot, statement, source, auction)
    return d
