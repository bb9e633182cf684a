"""One home for each shared piece (issue 12 point 6): the Art. 84 grounds in one table, one renderer
for every kind of document, the IIN/BIN arithmetic in its own module, WeasyPrint behind an adapter."""
from __future__ import annotations

import ast
import hashlib
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from auction import documents as docs
from auction import eligibility, identity
from auction.documents import engine, layout
from auction.failures import GROUNDS, ground

ROOT = Path(__file__).resolve().parents[2]
T = datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)


def sources(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


# ---- IIN / BIN -------------------------------------------------------------------------------------
def test_the_iin_bin_arithmetic_lives_in_its_own_module_and_the_art_80_2_rules_use_it():
    defined = {n.name for n in ast.walk(ast.parse(Path(eligibility.__file__).read_text(encoding="utf-8")))
               if isinstance(n, ast.FunctionDef)}
    numbers = {n.name for n in ast.parse(Path(identity.__file__).read_text(encoding="utf-8")).body
               if isinstance(n, ast.FunctionDef)}
    assert {"check_digit", "iin_problem", "bin_problem", "require_iin_bin", "make_iin", "make_bin"} <= numbers
    assert not defined & numbers
    assert eligibility.require_iin_bin is identity.require_iin_bin  # the rules read numbers through it


# ---- the Art. 84 grounds ---------------------------------------------------------------------------
def test_each_art_84_sentence_is_written_once_in_the_failure_table():
    for g in GROUNDS.values():
        for sentence in (g.said, g.printed, g.kazakh, g.russian):
            homes = [p.relative_to(ROOT).as_posix() for p, text in sources("auction", "valuation", "service")
                     if sentence in text]
            assert homes == ["auction/failures.py"], (g.paragraph, sentence, homes)


def test_the_grounds_are_the_four_paragraphs_of_art_84_and_an_unknown_one_is_refused():
    assert sorted(GROUNDS) == ["84.1", "84.2", "84.3", "84.4"]
    assert ground("Art. 84.4") is GROUNDS["84.4"]
    with pytest.raises(ValueError, match="unknown failure reason '84.5'"):
        ground("84.5")


def test_the_protocol_the_journal_and_the_rounds_outcome_name_a_ground_from_the_table():
    from auction.bidding import failed
    assert failed("84.2").message == f"Art. 84.2: the auction failed: {GROUNDS['84.2'].said}"
    assert docs.failure_text("84.2") == (f"84.2-бап: «{GROUNDS['84.2'].kazakh}»\n"
                                         f"ст. 84.2: «{GROUNDS['84.2'].russian}»")  # Kazakh, then Russian


# ---- one renderer ----------------------------------------------------------------------------------
def test_every_document_builder_is_a_kind_of_the_one_renderer():
    builders = {name for name in dir(docs) if name.startswith("build_")}
    assert {builder.__name__ for _, builder in docs.KINDS.values()} == builders
    assert {kind for kind, _ in docs.KINDS.values()} == {
        "appraiser_appointment", "realization_order", "self_sale_permission", "auction_announcement",
        "auction_protocol", "sale_contract", "retention_act", "distribution_statement", "auction_application"}
    for kind, _ in docs.KINDS.values():
        assert getattr(docs, kind) is docs.pdf  # each kind's name is the same renderer


def test_the_renderer_refuses_data_of_no_kind():
    with pytest.raises(TypeError, match="LotInfo is the data of no document kind"):
        docs.pdf(docs.LotInfo(1, "t", "p", None), issued_at=T)


def _uses_layout_render(tree) -> bool:
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[-1] in ("layout", "documents") and any(
                a.name == "render" for a in n.names):
            return True
        if isinstance(n, ast.Attribute) and n.attr == "render" and getattr(n.value, "id", None) in ("docs", "layout"):
            return True
    return False


def test_no_module_lays_a_document_out_but_the_renderer():
    """layout.render is reached through the renderer only (`docs.pdf`); the services issue through it."""
    users = [p.relative_to(ROOT).as_posix() for p, text in sources("auction", "service", "web")
             if _uses_layout_render(ast.parse(text))]
    assert users == ["auction/documents/kinds.py"]


# ---- WeasyPrint behind an adapter ------------------------------------------------------------------
class FakeEngine:
    def __init__(self):
        self.calls = []

    def write_pdf(self, html, *, base_url, identifier, compress):
        self.calls.append((html, base_url, identifier, compress))
        return b"%PDF-fake"


def test_the_layout_hands_its_html_to_the_engine_it_is_given():
    doc = docs.Document("Title", "Атауы", "No 1", "subject")
    fake = FakeEngine()
    assert layout.render(doc, issued_at=T, engine=fake, compress=False) == b"%PDF-fake"
    [(html, base_url, identifier, compress)] = fake.calls
    assert html == layout.to_html(doc, issued_at=T)
    assert identifier == hashlib.sha256(html.encode()).hexdigest()[:32].encode()  # reproducible bytes
    assert base_url == layout.FONTS_DIR.as_uri() + "/" and compress is False


def test_the_weasyprint_adapter_passes_the_identifier_and_the_compression():
    seen = {}

    class HTML:
        def __init__(self, *, string, base_url):
            seen.update(string=string, base_url=base_url)

        def write_pdf(self, **options):
            seen.update(options)
            return b"%PDF"

    pdf = engine.WeasyPrint(SimpleNamespace(HTML=HTML)).write_pdf("<p>x</p>", base_url="file:///f/", identifier=b"id",
                                                                   compress=True)
    assert pdf == b"%PDF"
    assert seen == {"string": "<p>x</p>", "base_url": "file:///f/", "pdf_identifier": b"id",
                    "uncompressed_pdf": False}


def test_weasyprint_is_imported_by_the_engine_adapter_only():
    importers = [p.relative_to(ROOT).as_posix() for p, text in sources("auction", "valuation", "service", "web")
                 if any(isinstance(n, ast.Import) and any(a.name == "weasyprint" for a in n.names)
                        for n in ast.walk(ast.parse(text)))]
    assert importers == ["auction/documents/engine.py"]


def test_the_adapter_reads_its_backend_at_each_call_so_a_test_may_swap_it(monkeypatch):
    stub = SimpleNamespace(HTML=lambda *, string, base_url: SimpleNamespace(write_pdf=lambda **o: b"%PDF-stub"))
    monkeypatch.setattr(engine, "weasyprint", stub)
    assert engine.WeasyPrint().write_pdf("<p/>", base_url="file:///", identifier=b"i", compress=True) == b"%PDF-stub"
