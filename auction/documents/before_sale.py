"""Documents before a sale: realization order, self-sale permission, auction announcement."""
from __future__ import annotations

from .common import bailiff_signature, lot_fields, party
from .data import AuctionAnnouncementData, RealizationOrderData, SelfSalePermissionData
from .layout import TIMEZONE, Document, Fields, Heading, Paragraph, Signatures, kzt, local, local_date


def build_realization_order(d: RealizationOrderData) -> Document:
    order = [
        ("Date", local(d.ordered_at)),
        ("Issued by", d.bailiff.title),
        ("Debtor", party(d.debtor)),
        *((f"Collector {i}", party(c)) for i, c in enumerate(d.collectors, 1)),
        ("Method of realization", d.method),
        ("Starting price (Art. 80.3)", kzt(d.starting_price)),
        (f"Realization queue (Art. {d.priority_article})", str(d.priority_queue)),
    ]
    if d.priority_ground:
        order.append(("Ground to change the order (Art. 72.4)", d.priority_ground))
    if d.priority_reason:
        order.append(("Circumstances (Art. 72.4)", d.priority_reason))
    return Document(
        title="Resolution on transfer of property for realization",
        title_kk="Мүлікті өткізуге беру туралы қаулы",
        number=f"No {d.number}",
        subject=f"Realization order {d.number}, lot {d.lot.lot_id}, proceeding {d.lot.proceeding_no}",
        blocks=(
            Fields(tuple(order)),
            Heading("Property"),
            lot_fields(d.lot),
            Heading("Resolved"),
            Paragraph(f"On the basis of Art. 77.1 of the Law, the property described above is "
                      f"transferred for realization by {d.method} at the starting price of "
                      f"{kzt(d.starting_price)}. The debtor may apply to sell the property "
                      "himself under Art. 74.2 until it is realized. This resolution may be "
                      "challenged under the procedure of the Law."),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )


def build_self_sale_permission(d: SelfSalePermissionData) -> Document:
    window = "three months (dwelling)" if d.lot.dwelling else "one month"
    fields = [
        ("Date", local(d.granted_at)),
        ("Issued by", d.bailiff.title),
        ("Debtor", party(d.debtor)),
        ("Application received", local(d.applied_at)),
        ("Valuation report date", local_date(d.valuation_report_date)),
        ("Minimum price (75% of the valuation)", kzt(d.minimum_price)),
        (f"Self-sale window ({window})", f"until {local(d.window_ends_at)} ({TIMEZONE})"),
    ]
    if d.control_account:
        fields.append(("Control account for the price", d.control_account))
    consequence = (
        "While the window runs the dwelling is not put up for auction."
        if d.lot.dwelling else
        "The self-sale does not suspend realization: the auction may be announced and held "
        "meanwhile, and whichever completes first stands; the other is cancelled.")
    return Document(
        title="Permission for the debtor's self-sale of seized property",
        title_kk="Мүлікті дербес өткізуге рұқсат",
        number=f"No {d.number}",
        subject=f"Self-sale permission {d.number}, lot {d.lot.lot_id}, "
                f"until {local_date(d.window_ends_at)}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Property"),
            lot_fields(d.lot),
            Heading("Conditions (Art. 74.2)"),
            Paragraph(f"The debtor may sell the property at a price not below "
                      f"{kzt(d.minimum_price)} until {local(d.window_ends_at)}. The buyer pays the "
                      "full price into the control account; the sale contract is then recorded "
                      "by the bailiff. This right may be used once per proceeding. " + consequence),
            Signatures((bailiff_signature(d.bailiff),)),
        ),
    )


def build_auction_announcement(d: AuctionAnnouncementData) -> Document:
    descending = d.round == 2
    kind = ("repeat auction, descending price (Art. 85.4, 80.3)" if descending
            else "first auction, ascending price (Art. 80.3)")
    fields = [
        ("Auction", f"No {d.auction_id}, {kind}"),
        ("Announced", local(d.announced_at)),
        ("Applications close", local(d.applications_close_at)),
        ("Auction starts", local(d.starts_at)),
        ("Starting price", kzt(d.starting_price)),
        ("Price step", kzt(d.step)),
        ("Guarantee deposit, 5% (Art. 80.1)", kzt(d.deposit)),
    ]
    if descending:
        fields.append(("Lowest price (floor)", kzt(d.floor)))
        if d.step_interval_minutes:
            fields.append(("Price lowered every", f"{d.step_interval_minutes} min"))
    elif d.quiet_period_minutes:
        fields.append(("Bidding ends after no bid for", f"{d.quiet_period_minutes} min"))
    fields.append(("Organised by", d.bailiff.title))
    if d.url:
        fields.append(("Platform page", d.url))
    return Document(
        title="Announcement of an electronic auction",
        title_kk="Электрондық аукцион өткізу туралы хабарлама",
        number=f"Auction No {d.auction_id}",
        subject=f"Auction {d.auction_id} announcement, lot {d.lot.lot_id}, "
                f"starts {local(d.starts_at)} {TIMEZONE}",
        blocks=(
            Fields(tuple(fields)),
            Heading("Property"),
            lot_fields(d.lot),
            Heading("How to take part (Art. 80)"),
            Paragraph("File an application on the platform and pay the guarantee deposit before "
                      "applications close. Only applicants whose deposit is confirmed and who "
                      "may be buyers under Art. 80.2 take part. The winner pays the full price "
                      "within 5 working days after the results are approved (Art. 80.4); the "
                      "deposit counts toward the price. Other deposits are refunded within 5 "
                      "working days. Times are Kazakhstan time (" + TIMEZONE + ")."),
        ),
    )
