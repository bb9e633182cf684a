"""The common layout of Mulik's PDF documents (SPEC §7).

A document is first built as a plain `Document` (title, blocks of text, fields and
tables) and then rendered with fpdf2. The model is what tests read; the renderer only
draws it. Rendering is deterministic: the creation date is the document's `issued_at`,
so the same inputs give the same bytes and the SHA-256 journaled for a document can be
recomputed later.

Fonts are the DejaVu fonts vendored in `auction/fonts/` (Kazakh and Russian letters,
no dependence on system fonts). Times are shown in Kazakhstan time, Asia/Almaty (SPEC §6).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
TIMEZONE = "Asia/Almaty"
LAW = 'Law of the Republic of Kazakhstan No 261-IV of 2 April 2010 "On enforcement proceedings and the status of bailiffs"'
LAW_SHORT = "Law No 261-IV of 2 April 2010"
PLATFORM = "Mulik electronic trading platform"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of a rendered document: what the journal records (SPEC §7)."""
    return hashlib.sha256(data).hexdigest()


def local(at: datetime | None, *, seconds: bool = False) -> str:
    """An aware time as Kazakhstan time: "02.03.2026 10:00"."""
    if at is None:
        return "—"
    if at.tzinfo is None:
        raise ValueError("document times must be aware datetimes (UTC)")
    pattern = "%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M"
    return at.astimezone(ZoneInfo(TIMEZONE)).strftime(pattern)


def local_date(at: datetime | None) -> str:
    return "—" if at is None else local(at)[:10]


def kzt(amount: Decimal | None) -> str:
    """Money for people: "1 250 000.00 KZT" (grouped by thousands, always two decimals)."""
    if amount is None:
        return "—"
    if not isinstance(amount, Decimal):
        raise TypeError("money in documents must be Decimal")
    return f"{amount.quantize(Decimal('0.01')):,.2f}".replace(",", " ") + " KZT"


def art(article: str | None) -> str:
    return f"Art. {article}" if article else "—"


# --- the document model -------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Fields:
    """A two-column key/value table."""
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths
    align: tuple[str, ...] | None = None  # "L" / "R" / "C" per column
    empty: str = "none"  # shown when there are no rows


@dataclass(frozen=True)
class Signatures:
    """Signature lines: role, name."""
    rows: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Fields | Table | Signatures


@dataclass(frozen=True)
class Document:
    title: str  # English
    title_kk: str  # Kazakh
    number: str  # document number shown under the title, e.g. "Protocol No A-7"
    subject: str  # one line for the PDF metadata (searchable in PDF readers)
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def text(self) -> str:
        """All text of the document, one line per item, for search and tests."""
        out = [self.title_kk, self.title, self.number, self.subject]
        for block in self.blocks:
            if isinstance(block, (Heading, Paragraph)):
                out.append(block.text)
            elif isinstance(block, (Fields, Signatures)):
                out.extend(f"{k}: {v}" for k, v in block.rows)
            elif isinstance(block, Table):
                out.append(" | ".join(block.headers))
                out.extend(" | ".join(row) for row in block.rows)
        return "\n".join(out)


# --- rendering ----------------------------------------------------------------------

class _PDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 7)
        self.set_text_color(90)
        self.multi_cell(0, 3.5, f"{self.footer_text} · page {self.page_no()}/{{nb}}",
                        align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)


def render(doc: Document, *, issued_at: datetime, compress: bool = True) -> bytes:
    """Draw `doc` as an A4 PDF. Same document and `issued_at` → same bytes."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be an aware datetime (UTC)")
    pdf = _PDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_creation_date(issued_at)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FONT, "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{doc.title} — {doc.number}")
    pdf.set_subject(doc.subject)
    pdf.set_author(PLATFORM)
    pdf.set_creator(PLATFORM)
    pdf.set_lang("kk")
    pdf.footer_text = (f"Generated by {PLATFORM} on {local(issued_at, seconds=True)} "
                       f"({TIMEZONE}) · {LAW_SHORT}")
    pdf.add_page()
    _title(pdf, doc)
    for block in doc.blocks:
        _BLOCKS[type(block)](pdf, block)
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, *, size: float = 10, style: str = "", align: str = "L",
          height: float = 5.2) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _title(pdf: FPDF, doc: Document) -> None:
    _line(pdf, "Republic of Kazakhstan · Қазақстан Республикасы", size=8, align="C")
    pdf.ln(2)
    _line(pdf, doc.title_kk.upper(), size=13, style="B", align="C", height=6.5)
    _line(pdf, doc.title, size=11, style="B", align="C", height=6)
    _line(pdf, doc.number, size=9, align="C")
    _line(pdf, LAW, size=7.5, align="C", height=4)
    pdf.ln(3)


def _heading(pdf: FPDF, block: Heading) -> None:
    if pdf.will_page_break(30):  # keep a heading with what follows it
        pdf.add_page()
    pdf.ln(2)
    _line(pdf, block.text, size=10.5, style="B", height=6)
    pdf.ln(0.5)


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    _line(pdf, block.text, size=9.5, height=5)
    pdf.ln(1)


def _fields(pdf: FPDF, block: Fields) -> None:
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(38, 62), first_row_as_headings=False, text_align="LEFT",
                   line_height=5, padding=1.2, borders_layout="HORIZONTAL_LINES") as table:
        for key, value in block.rows:
            row = table.row()
            row.cell(key)
            row.cell(value)
    pdf.ln(2)


def _table(pdf: FPDF, block: Table) -> None:
    if not block.rows:
        _line(pdf, f"({block.empty})", size=9)
        pdf.ln(1)
        return
    pdf.set_font(FONT, "", 8.5)
    align = block.align or ("LEFT",) * len(block.headers)
    with pdf.table(col_widths=block.widths, text_align=tuple(_ALIGN.get(a, a) for a in align),
                   line_height=4.6, padding=1, cell_fill_color=235,
                   cell_fill_mode="ROWS") as table:
        table.row(block.headers)
        for values in block.rows:
            table.row(values)
    pdf.ln(2)


def _signatures(pdf: FPDF, block: Signatures) -> None:
    pdf.ln(4)
    for role, name in block.rows:
        _line(pdf, f"{role}: {name}", size=9.5)
        _line(pdf, "______________________ (signature / қолы)", size=8, height=8)
        pdf.ln(1)


_ALIGN = {"L": "LEFT", "R": "RIGHT", "C": "CENTER"}
_BLOCKS = {Heading: _heading, Paragraph: _paragraph, Fields: _fields, Table: _table,
           Signatures: _signatures}
