"""The price of a finished auction over time, drawn from its journal (SPEC §7: the journal is the
record; `bid.accepted` entries carry each accepted price and its instant) as an inline SVG that
needs no script, with a caption that says the same in words for a screen reader."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from markupsafe import Markup, escape

from auction.money import money

WIDTH, HEIGHT, PAD = 640, 220, 44


@dataclass
class Chart:
    svg: Markup
    points: list[tuple[datetime, Decimal]]


def price_path(auction, entries) -> list[tuple[datetime, Decimal]]:
    """(instant, price) from the opening to the last accepted price. A descending round's price
    steps down at each interval (SPEC §3) until the acceptance."""
    if auction.opened_at is None:
        return []
    bids = [(datetime.fromisoformat(e.payload["at"]), money(e.payload["amount"])) for e in entries
            if e.kind == "bid.accepted" and e.auction_id == auction.id]
    points = [(auction.opened_at, auction.start_price)]
    if auction.round == 2:
        end = bids[-1][0] if bids else (auction.closed_at or auction.opened_at)
        t = auction.opened_at + auction.interval
        while t < end:
            points.append((t, auction.price_at(t)))
            t += auction.interval
    return points + bids


def chart(auction, entries, label, fmt_price=str, fmt_time=lambda t: t.strftime("%H:%M:%S")) -> Chart | None:
    points = price_path(auction, entries)
    if len(points) < 2:
        return None
    t0, t1 = points[0][0], points[-1][0]
    lo, hi = min(p for _t, p in points), max(p for _t, p in points)
    span_t = max((t1 - t0).total_seconds(), 1.0)
    span_p = max(hi - lo, Decimal(1))

    def x(t):  # seconds along the time axis
        return PAD + (WIDTH - 2 * PAD) * ((t - t0).total_seconds() / span_t)

    def y(p):  # Decimal all the way: the prices are money
        return Decimal(HEIGHT - PAD) - Decimal(HEIGHT - 2 * PAD) * ((p - lo) / span_p)

    # a step line: the price holds until the next change
    path, prev = [], None
    for t, p in points:
        if prev is not None:
            path.append(f"{x(t):.1f},{y(prev):.1f}")
        path.append(f"{x(t):.1f},{y(p):.1f}")
        prev = p
    svg = (f'<svg class="price-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
           f'xmlns="http://www.w3.org/2000/svg">'
           f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#8c99a8"/>'
           f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#8c99a8"/>'
           f'<polyline fill="none" stroke="#1a5fa8" stroke-width="2.5" points="{" ".join(path)}"/>'
           + "".join(f'<circle cx="{x(t):.1f}" cy="{y(p):.1f}" r="3" fill="#1a5fa8"/>' for t, p in points)
           + _text(PAD + 4, y(hi) - 6, fmt_price(hi), "start") + _text(PAD + 4, y(lo) - 6, fmt_price(lo), "start")
           + _text(PAD, HEIGHT - PAD + 16, fmt_time(t0), "start")
           + _text(WIDTH - PAD, HEIGHT - PAD + 16, fmt_time(t1), "end")
           + '</svg>')
    return Chart(Markup(svg), points)


def _text(x, y, content: str, anchor: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" fill="#33414f" text-anchor="{anchor}">'
            f'{escape(content)}</text>')
