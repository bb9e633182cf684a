"""Every string a page or the room script shows is translated into Kazakh, Russian and English,
and the compiled catalogues the server loads are those of the translations in the repository.

The strings are extracted from the code exactly as `make messages` does (web/babel.cfg for the
templates and Python, web/babel-js.cfg for web/static/*.js), so a new string that nobody
translated fails here.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[2] / "web"
TRANSLATIONS = WEB / "translations"
LOCALES = ("kk", "ru", "en")
DOMAINS = {  # domain -> (extraction config, keywords besides the defaults)
    "messages": ("babel.cfg", {"_l": None}),
    "js": ("babel-js.cfg", {"t": None}),
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _method_map(cfg: Path):
    from babel.messages.frontend import parse_mapping_cfg
    with open(cfg) as f:
        return parse_mapping_cfg(f)


def used_msgids(domain: str) -> set:
    from babel.messages.extract import DEFAULT_KEYWORDS
    cfg, extra = DOMAINS[domain]
    method_map, options_map = _method_map(WEB / cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            WEB, method_map, options_map, keywords={**DEFAULT_KEYWORDS, **extra}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(locale: str, domain: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / f"{domain}.po", "rb") as f:
        return read_po(f, locale=locale)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_of_the_pages_is_translated_in_each_language(locale, domain):
    used = used_msgids(domain)
    assert len(used) > 40, "the extraction found almost nothing: is the config right?"
    cat = catalog(locale, domain)
    missing, fuzzy, empty = [], [], []
    for msgid in sorted(used):
        entry = cat.get(msgid)
        if entry is None:
            missing.append(msgid)
        elif entry.fuzzy:
            fuzzy.append(msgid)
        elif not all(entry.string) if isinstance(entry.string, tuple) else not entry.string:
            empty.append(msgid)
    assert (missing, fuzzy, empty) == ([], [], []), (
        f"{locale}/{domain}: run `make messages` and translate: missing {missing}, fuzzy {fuzzy}, empty {empty}")


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder_of_the_original(locale, domain):
    for entry in catalog(locale, domain):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            assert sorted(PLACEHOLDER.findall(s)) == expected, f"{locale}/{domain}: {entry.id!r} -> {s!r}"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", ("kk", "ru"))
def test_kazakh_and_russian_are_not_english_left_in_place(locale, domain):
    copies = [e.id for e in catalog(locale, domain) if e.id and e.string == e.id]
    assert copies == []


def test_russian_plurals_have_the_three_forms_of_the_language():
    entry = catalog("ru", "messages").get("%(num)d lot found")
    assert len(entry.string) == 3 and catalog("ru", "messages").num_plurals == 3


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalogue_is_the_one_of_the_translations(locale, domain):
    """The server reads the .mo files: one compiled from an older .po would show old texts."""
    po = catalog(locale, domain)
    fresh = io.BytesIO()
    write_mo(fresh, po)
    fresh.seek(0)
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / f"{domain}.mo", "rb") as f:
        shipped = read_mo(f)
    expected = read_mo(fresh)
    def entries(cat):
        return {tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id: m.string for m in cat if m.id}
    assert entries(shipped) == entries(expected), (
        f"{locale}/{domain}.mo is stale: run `make messages`")


def test_every_notification_reads_in_the_three_languages_with_the_same_placeholders():
    from service.notifier import TEXTS
    for kind, texts in TEXTS.items():
        assert set(texts) == set(LOCALES), kind
        assert len({tuple(sorted(PLACEHOLDER.findall(t))) for t in texts.values()}) == 1, kind


def test_every_refusal_a_page_can_show_has_a_sentence_in_the_readers_language():
    import re
    from pathlib import Path

    from web.refusals import API_ONLY, REFUSALS
    root = Path(__file__).resolve().parents[2]
    codes = {c for package in ("auction", "valuation", "service", "web") for p in (root / package).rglob("*.py")
             for c in re.findall(r'code ?= ?"([a-z_0-9]+)"', p.read_text(encoding="utf-8"))}
    assert codes - API_ONLY - set(REFUSALS) == set()  # a new refusal code needs its sentence (web/refusals.py)
    assert set(REFUSALS) | API_ONLY <= codes  # and none is left for a code that no longer exists
