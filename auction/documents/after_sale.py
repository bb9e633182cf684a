"""Documents of a result: auction protocol, sale contract, retention act, distribution."""
from __future__ import annotations

import re
from decimal import Decimal

from ..failures import ground
from . import words
from .common import bailiff_signature, lot_fields, party
from .data import AuctionProtocolData, DistributionStatementData, RetentionActData, SaleContractData
from .layout import TIMEZONE, Document, Fields, Heading, Paragraph, Signatures, Table, art, kzt, local

_HASH = re.compile(r"[0-9a-f]{64}")


def failure_text(reason: str) -> str:
    """The ground of Art. 84 in the Law's words, Kazakh then Russian:
    "84.2-бап: «сатып алушылардың ешқайсысы ... қолдамаса»" and "ст. 84.2: «ни один из покупателей ...»"."""
    g = ground(reason)
    return f"{words.art_kk(g.paragraph)}: «{g.kazakh}»\n{words.art_ru(g.paragraph)}: «{g.russian}»"


def build_auction_protocol(d: AuctionProtocolData) -> Document:
    if (d.winner_no is None) == (d.failure_reason is None):
        raise ValueError("a protocol names either a winner or a failure reason (Art. 84)")
    if d.winner_no is not None and d.winner_no not in {p.no for p in d.participants}:
        raise ValueError(f"winner No {d.winner_no} is not a participant")
    if not _HASH.fullmatch(d.chain_head):
        raise ValueError("chain_head must be a SHA-256 hex digest")
    descending = d.round == 2
    fields = [
        ("Auction", f"No {d.auction_id}, " + ("repeat, descending price" if descending
                                               else "first, ascending price")),
        ("Opened", local(d.starts_at, seconds=True)),
        ("Ended", local(d.ended_at, seconds=True)),
        ("Starting price", kzt(d.starting_price)),
        ("Price step (Art. 80.3)", kzt(d.step)),
    ]
    if descending:
        fields.append(("Lowest price (floor)", kzt(d.floor)))
    fields.append(("Conducted by", d.bailiff.title))
    online = {True: "yes", False: "no", None: "—"}
    if d.failure_reason is not None:
        result = [("Result", "AUCTION FAILED (Art. 84)"), ("Ground", failure_text(d.failure_reason))]
        if d.failure_note:
            result.append(("Note", d.failure_note))
    else:
        result = [("Result", "SOLD"), ("Winner", f"Participant No {d.winner_no}"),
                  ("Final price", kzt(d.final_price)),
                  ("Payment due (Art. 80.4)", local(d.payment_due_at))]
    if d.approved_at:
        result.append(("Results approved", local(d.approved_at)))
    outcome = "failed" if d.failure_reason else f"won by No {d.winner_no}"
    return Document(
        title="Protocol of the electronic auction",
        title_kk="Электрондық аукцион хаттамасы",
        number=f"Auction No {d.auction_id}",
        subject=f"Auction {d.auction_id} protocol, lot {d.lot.lot_id}, {outcome}, "
                f"journal head {d.chain_head}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Property"),
            lot_fields(d.lot),
            Heading(f"Participants ({len(d.participants)}), by number only"),
            Table(("Participant No", "Online at the opening (Art. 84.4)"),
                  tuple((f"No {p.no}", online[p.online]) for p in d.participants),
                  widths=(1, 2), empty="no participants"),
            Heading(f"Bids ({len(d.bids)}); times {TIMEZONE}"),
            Table(("Seq", "Amount", "Participant No", "Time"),
                  tuple((str(b.seq), kzt(b.amount), f"No {b.participant_no}",
                         local(b.at, seconds=True)) for b in d.bids),
                  widths=(1, 3, 2, 3), align=("R", "R", "C", "L"), empty="no bids"),
            Heading("Result"),
            Fields(tuple(result)),
            Heading("Audit journal"),
            Paragraph(f"Journal chain head (SHA-256) at the end of the auction:\n{d.chain_head}"),
            Paragraph("Every bid above is an entry of the platform's hash-chained journal, "
                      "and the chain can be verified up to this head (mulik journal verify)."),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )


def build_sale_contract(d: SaleContractData) -> Document:
    if d.paid != d.price:
        raise ValueError(f"the contract is signed after full payment (Art. 83): paid {d.paid}, "
                         f"price {d.price}")
    via_auction = d.auction_id is not None
    basis = (f"results of electronic auction No {d.auction_id} (Art. 83)" if via_auction
             else "the debtor's self-sale (Art. 74.2)")
    seller = (f"{d.bailiff.title}, selling on the debtor's behalf" if via_auction
              else party(d.debtor))
    fields = (
        ("Date", local(d.concluded_at)),
        ("Place", d.place or "—"),
        ("Basis", basis),
        ("Seller", seller),
        ("Debtor (owner)", party(d.debtor)),
        ("Buyer", party(d.buyer)),
        ("Price", kzt(d.price)),
        ("Deposit credited (Art. 80.4)", kzt(d.deposit_credited)),
        ("Paid in full, deposit included", kzt(d.paid)),
    )
    signers = [bailiff_signature(d.bailiff), ("Buyer", d.buyer.name)]
    if not via_auction:
        signers.insert(0, ("Debtor (seller)", d.debtor.name))
    return Document(
        title="Contract of sale of property",
        title_kk="Мүлікті сатып алу-сату шарты",
        number=f"No {d.number}",
        subject=f"Sale contract {d.number}, lot {d.lot.lot_id}, price {kzt(d.price)}",
        blocks=(
            Fields(fields),
            Heading("Subject"),
            lot_fields(d.lot),
            Heading("Terms"),
            Paragraph(f"The seller transfers the property described above to the buyer for "
                      f"{kzt(d.price)}, paid in full before this contract was signed. This "
                      "contract is the basis for registering the buyer's ownership with the "
                      "state bodies (Art. 83). Encumbrances imposed under other writs are lifted "
                      "by the bailiff; measures imposed by a court to secure a claim remain."),
            *_encumbrance_blocks(d),
            Signatures(tuple(signers)),
        ),
    )


def _encumbrance_blocks(d: SaleContractData) -> tuple:
    """Art. 74.2: what the self-sale lifted and what stays with the property."""
    if d.auction_id is not None:
        return ()
    lifted = "\n".join(f"- {x}" for x in d.encumbrances_lifted) or "none recorded"
    kept = "\n".join(f"- {x}" for x in d.encumbrances_kept) or "none recorded"
    return (Heading("Encumbrances (Art. 74.2)"),
            Paragraph(f"Lifted by the bailiff (imposed under writs):\n{lifted}"),
            Paragraph(f"Remaining (imposed by a court to secure a claim):\n{kept}"))


def build_retention_act(d: RetentionActData) -> Document:
    fields = [
        ("Date", local(d.retained_at)),
        ("Drawn up by", d.bailiff.title),
        ("Debtor", party(d.debtor)),
        ("Collector", party(d.collector)),
        ("Collector's priority queue (Art. 112)", str(d.collector_queue)),
        ("Failed auction", f"No {d.failed_auction_id}" if d.failed_auction_id else "—"),
        ("Retained at the valuation (Art. 85.1)", kzt(d.lot.valuation)),
        ("Owed to the collector", kzt(d.owed_to_collector)),
        ("Difference paid into the control account", kzt(d.difference_paid)),
        ("Share of execution expenses (Art. 85.3)", kzt(d.expenses_share)),
        ("Share of the private bailiff's fee (Art. 85.3, 118)", kzt(d.fee_share)),
        ("Paid by the collector into the control account",
         kzt(d.difference_paid + d.expenses_share + d.fee_share)),
    ]
    return Document(
        title="Act of retention of unsold property by the collector",
        title_kk="Мүлікті өндіріп алушының өзіне қалдыруы туралы акт",
        number=f"No {d.number}",
        subject=f"Retention act {d.number}, lot {d.lot.lot_id}, collector {d.collector.name}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Property"),
            lot_fields(d.lot),
            Paragraph("The auction having failed (Art. 84), the collector applied within 5 working "
                      "days to keep the property at its valuation (Art. 85.1). The property is "
                      "transferred to the collector; the claim is reduced by the value set off against it. The "
                      "collector paid, in proportion to the value taken, the execution expenses and the private "
                      "bailiff's fee (Art. 85.3), which the debtor now owes him, and the part of the value above "
                      "his claim, which is distributed (Art. 55.5)."),
            Signatures((bailiff_signature(d.bailiff), ("Collector", d.collector.name))),
        ),
    )


def build_distribution_statement(d: DistributionStatementData) -> Document:
    total = sum((line.amount for line in d.lines), Decimal("0.00"))
    if total != d.recovered:
        raise ValueError(f"distribution lines add up to {total}, not the {d.recovered} recovered")
    rows = tuple(
        (str(i), line.kind, line.recipient, str(line.queue) if line.queue else "—",
         kzt(line.amount), art(line.article))
        for i, line in enumerate(d.lines, 1))
    rows += (("", "Total", "", "", kzt(total), ""),)
    return Document(
        title="Statement of distribution of recovered money",
        title_kk="Өндіріп алынған ақшаны бөлу туралы есеп",
        number=f"No {d.number}",
        subject=f"Distribution statement {d.number}, lot {d.lot.lot_id}, total {kzt(total)}",
        blocks=(
            Fields((("Date", local(d.distributed_at)), ("Drawn up by", d.bailiff.title),
                    ("Debtor", party(d.debtor)), ("Source", d.source),
                    ("Amount recovered", kzt(d.recovered)))),
            Heading("Property"),
            lot_fields(d.lot),
            Heading("Distribution (Art. 108, 110-112, 55.5)"),
            Table(("No", "Kind", "Recipient", "Queue", "Amount", "Article"), rows,
                  widths=(1, 4, 6, 2, 4, 3), align=("R", "L", "L", "C", "R", "L")),
            Paragraph("Fines come first, then the private bailiff's fee and the execution "
                      "expenses; collectors are paid by queue, each queue in full before the "
                      "next and pro rata within a queue; what remains is returned to the debtor."),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )
