"""The PDF engine behind the documents (an adapter, STYLE.md "side effects behind small interfaces"):
the layout (layout.py) writes each document as HTML; an engine lays that HTML out as PDF bytes.
WeasyPrint is the engine, reached only here; a test passes a fake engine, or another backend with
WeasyPrint's shape (`HTML(string=, base_url=).write_pdf(**options)`)."""
from __future__ import annotations

from typing import Protocol

import weasyprint


class PdfEngine(Protocol):
    def write_pdf(self, html: str, *, base_url: str, identifier: bytes, compress: bool) -> bytes:
        """`html` laid out as a PDF; `identifier` its fixed PDF identifier (reproducible bytes)."""


class WeasyPrint:
    """The engine: `backend`, WeasyPrint or a stand-in with its shape; by default this module's
    `weasyprint`, looked up at each call (so a test may replace it)."""

    def __init__(self, backend=None):
        self.backend = backend

    def write_pdf(self, html: str, *, base_url: str, identifier: bytes, compress: bool) -> bytes:
        backend = self.backend if self.backend is not None else weasyprint
        return backend.HTML(string=html, base_url=base_url).write_pdf(
            pdf_identifier=identifier, uncompressed_pdf=not compress)
