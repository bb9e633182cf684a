"""The common layout of Mulik's PDF documents (SPEC §7).

A document is first built as a plain `Document` (title, blocks of text, fields and
tables), then written as HTML (`templates/document.html`, Jinja2) and laid out as a PDF by the
engine (engine.py: WeasyPrint). The model is what tests read; the template only draws it. Rendering is
deterministic: the creation date is the document's `issued_at` and the PDF identifier is
derived from the HTML, so the same inputs give the same bytes and the SHA-256 journaled for
a document can be recomputed later. Every page prints the journal mark: the number and hash
of the platform journal's last entry when the document was issued (SPEC §7).

Fonts are the DejaVu fonts vendored in `auction/fonts/` (Kazakh and Russian letters,
no dependence on system fonts). Times are shown in Kazakhstan time, Asia/Almaty (SPEC §6).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import markupsafe

from .engine import (
    PdfEngine,
    WeasyPrint,
    weasyprint,  # by this name for tests/conftest.py, which swaps it (see render)
)

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
TIMEZONE = "Asia/Almaty"
# The state language first, then Russian (issue 13): the header, the footer and the journal mark.
LAW_KK = ("«Атқарушылық іс жүргізу және сот орындаушыларының мәртебесі туралы» 2010 жылғы 2 сәуірдегі "
          "№ 261-IV Қазақстан Республикасының Заңы")
LAW_RU = ("Закон Республики Казахстан от 2 апреля 2010 года № 261-IV «Об исполнительном производстве и "
          "статусе судебных исполнителей»")
LAW = f"{LAW_KK}\n{LAW_RU}"
LAW_SHORT = "№ 261-IV Заң / Закон № 261-IV"
PLATFORM = "«Мүлік» электрондық сауда алаңы / Электронная торговая площадка «Мүлік»"
STATE = "Қазақстан Республикасы · Республика Казахстан"


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
    empty: str = "жоқ / нет"  # shown when there are no rows


@dataclass(frozen=True)
class Signatures:
    """Signature lines: role, name."""
    rows: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Fields | Table | Signatures


@dataclass(frozen=True)
class Document:
    title: str  # Russian (the English of the first documents is gone: issue 13)
    title_kk: str  # Kazakh, printed first
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

@dataclass(frozen=True)
class JournalMark:
    """The platform journal's last entry when a document was issued: printed on it (SPEC §7)."""
    seq: int
    hash: str

    def __post_init__(self) -> None:
        if self.seq < 0 or not _HASH.fullmatch(self.hash):
            raise ValueError("a journal mark is an entry number and a SHA-256 hex digest")


_HASH = re.compile(r"[0-9a-f]{64}")
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
_ALIGN = {"L": "L", "R": "R", "C": "C", "LEFT": "L", "RIGHT": "R", "CENTER": "C"}


def _css_string(text: str) -> str:
    """Text inside a CSS string (the page footer)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return markupsafe.Markup(escaped)  # raw text of <style>: HTML escapes would print as-is


def _align(block: Table, i: int) -> str:
    return _ALIGN[block.align[i]] if block.align else "L"


def to_html(doc: Document, *, issued_at: datetime, journal: JournalMark | None = None) -> str:
    """The document as a self-contained HTML page: what WeasyPrint lays out as the PDF."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be an aware datetime (UTC)")
    footer = (f"«Мүлік» · {local(issued_at, seconds=True)} (Алматы уақыты / время Алматы) · {LAW_SHORT}")
    journal_line = (f"Журнал жазбасы / Запись журнала № {journal.seq} · SHA-256 {journal.hash}" if journal
                    else "Журнал: платформада әлі шығарылмаған / Журнал: ещё не выдан на платформе")
    return _TEMPLATES.get_template("document.html").render(
        doc=doc, journal=journal, law=LAW, platform=PLATFORM, state=STATE, fonts=FONTS_DIR.as_uri(),
        created=issued_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
        keywords=", ".join(k for k in (doc.number, journal and journal.hash) if k),
        footer=_css_string(footer), journal_line=_css_string(journal_line), align=_align)


def render(doc: Document, *, issued_at: datetime, journal: JournalMark | None = None,
           compress: bool = True, engine: PdfEngine | None = None) -> bytes:
    """Lay `doc` out as an A4 PDF. Same document, time and mark → same bytes.

    `engine`: WeasyPrint by default, on this module's `weasyprint` looked up at each call — the name
    tests/conftest.py replaces with a cache of the pages it has laid out. (Once conftest swaps
    `engine.weasyprint` instead, this is `engine or WeasyPrint()` and the name can go.)"""
    html = to_html(doc, issued_at=issued_at, journal=journal)
    # A fixed identifier (the hash of the HTML) instead of a random one keeps the bytes reproducible.
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    return (engine or WeasyPrint(weasyprint)).write_pdf(html, base_url=FONTS_DIR.as_uri() + "/",
                                                         identifier=identifier, compress=compress)
