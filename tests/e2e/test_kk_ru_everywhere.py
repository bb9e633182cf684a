"""No English on a Kazakh or Russian page (issue 13 point 2).

Every page of the site (each GET route of the app, found from its URL map) is read in Kazakh and in
Russian by each person of the demo data (`mulik seed`: a lot sold, one at auction now, one announced, a
dwelling in its self-sale window) and by a visitor. What a person reads there may hold no Latin word
except the few names that are written so in Kazakh and Russian too (the platform's name, the law's
number "261-IV", "API", "SHA-256", "JPEG", "PDF", the NCA's "NCALayer" and its key "AUTH_RSA") and the data people
typed (a car's make, a VIN, e-mails, hashes, payment references). An untranslated message id is English,
so it is caught too.

Every refusal code, every figure of a refusal and every error a form's field can give is written in
each language without English, with the article as the language writes it ("80.3-бап", "ст. 80.3").
"""
from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest

ALLOWED = {"Mulik", "English", "IV", "API", "OpenAPI", "SHA", "JPEG", "PNG", "PDF", "JavaScript",
           # the NCA's signing application and its key's name, as the NCA writes them in Kazakh and Russian too
           "NCALayer", "AUTH", "RSA",
           # the demo's own data, as the bailiff typed it: a car, its VIN, a sewing machine
           "Toyota", "Camry", "VIN", "JTNB", "HK", "Juki", "DDL"}
LATIN = re.compile(r"[A-Za-z][A-Za-z'\-]*")
LOCALES = ("kk", "ru")


def visible(body: str) -> str:
    """What a person reads: no scripts or styles, no tags, entities decoded."""
    body = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", body)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def english(text: str) -> list[str]:
    text = re.sub(r"\S+@\S+", " ", text)  # e-mails
    # numbers of documents ("AN-3") and payment references ("DEPOSIT-48CC9BAD52FF": a code the payer copies into
    # the bank's transfer, read by machines), then hashes
    text = re.sub(r"\b[A-Z]{2,8}-[0-9A-Z-]+\b", " ", text)
    text = re.sub(r"\b[0-9a-fA-F]{8,}\b", " ", text)
    text = re.sub(r"\bU\+[0-9A-F]{4}\b", " ", text)  # a character by its Unicode number, written so everywhere
    return sorted({w for w in LATIN.findall(text) if w.strip("-") not in ALLOWED})


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo data of `make run`, on its own SQLite database."""
    from sqlalchemy import text

    from web import create_app
    from web.demo import seed
    db = tmp_path_factory.mktemp("kk-ru") / "demo.db"
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": "t", "SWEEPER_INTERVAL": 0,
                      "VERIFY_RATE_LIMIT": "10000/second"})  # the walk checks documents on /verify for everyone
    seed(app.extensions["mulik"], echo=lambda *a, **k: None)
    with app.extensions["mulik"]["engine"].connect() as c:
        samples = {"lot_id": [r[0] for r in c.execute(text("select id from lots order by id"))],
                   "auction_id": [r[0] for r in c.execute(text("select id from auctions order by id"))],
                   "pid": [r[0] for r in c.execute(text("select id from proceedings order by id"))],
                   "user_id": [r[0] for r in c.execute(text("select id from users order by id"))]}
        people = [(r[0], r[1]) for r in c.execute(text("select id, email from users order by id"))]
    yield app, samples, people
    app.extensions["mulik"]["engine"].dispose()


BINARY = ("/api", "/static", "/photos", "/documents", "/socket.io")  # no page: JSON, files, PDFs (tests/unit)


def page_urls(app, samples) -> list[str]:
    """Every page of the app, each of its routes with every sample of its parameters, and a refused filter."""
    urls = ["/?price_min=abc&auction_from=yesterday", "/no-such-page",
            # the public /verify page's answers: a document found by its number, none by a hash, a refused query
            f"/verify?q=AN-{samples['auction_id'][0]}", f"/verify?q={'0' * 64}", "/verify?q=nothing"]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(BINARY):
            continue
        names = sorted(rule.arguments)
        assert all(n in samples for n in names), f"{rule.rule}: give this test samples of {names}"
        if not names:
            urls.append(rule.rule)
            continue
        for i in range(max(len(samples[n]) for n in names)):
            values = {n: samples[n][min(i, len(samples[n]) - 1)] for n in names}
            urls.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule))
    return urls


@pytest.mark.parametrize("lang", LOCALES)
def test_no_page_says_a_word_of_english_to_any_person_in_kazakh_or_russian(demo, lang):
    app, samples, people = demo
    urls = page_urls(app, samples)
    assert len(urls) > 20  # the walk reaches the pages of the demo (lots, rooms, cases, cabinet, console)
    found: dict[str, str] = {}
    read = 0
    for uid, email in [(None, "visitor"), *people]:
        client = app.test_client()
        client.set_cookie("mulik_lang", lang)
        if uid:
            with client.session_transaction() as s:
                s["uid"] = uid
        for url in urls:
            r = client.get(url)
            if r.status_code in (301, 302, 303):
                continue
            read += 1
            shown = visible(r.get_data(as_text=True))
            for word in english(shown):
                at = shown.find(word)
                context = " ".join(shown[max(0, at - 60):at + 60].split())
                found.setdefault(word, f"{email} {url} ({r.status_code}): …{context}…")
    assert read > 100
    assert found == {}, "English on a page:\n" + "\n".join(f"{w}: {where}" for w, where in found.items())


# ---- refusals and field errors -------------------------------------------------------------------------------
SAMPLE_FACTS = {  # one figure of each kind a refusal carries
    "price": Decimal("4000000.00"), "next_bid": Decimal("4080000.00"), "ceiling": Decimal("3000000.00"),
    "floor_percent": Decimal("50"), "opens_at": datetime(2026, 12, 14, 5, 0, tzinfo=timezone.utc),
    "ended_on": date(2026, 12, 1), "opens": time(10, 0), "lot_status": "AUCTION_1", "auction_status": "open",
    "proceeding_status": "suspended", "participant_no": 3,
}


@pytest.fixture(scope="module")
def app():
    from web import create_app
    return create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "t", "SWEEPER_INTERVAL": 0})


@pytest.mark.parametrize("lang, article", [("kk", "80.3-бап: "), ("ru", "ст. 80.3: ")])
def test_every_refusal_code_reads_in_the_language_with_its_article_and_figures(app, lang, article):
    from auction.errors import RuleViolation
    from web.refusals import API_ONLY, FACTS, REFUSALS, refusal
    assert set(SAMPLE_FACTS) <= set(FACTS)
    with app.test_request_context(f"/?lang={lang}"):
        for code in [*REFUSALS, *API_ONLY]:
            shown = refusal(RuleViolation("an English detail the page must not show", article="80.3", code=code,
                                          facts=SAMPLE_FACTS))
            assert shown.startswith(article), shown
            assert english(shown) == [], (code, shown)
            assert "detail" not in shown
        every_fact = refusal(RuleViolation("x", article="80.3", code="outbid",
                                           facts={k: v for k, v in SAMPLE_FACTS.items()}))
    nb = "\u00a0"
    assert f"4{nb}080{nb}000,00{nb}₸" in every_fact  # money as the page writes it
    assert {"kk": "Бірінші аукцион", "ru": "Первый аукцион"}[lang] in every_fact  # a status by its name
    assert "AUCTION_1" not in every_fact and "suspended" not in every_fact


def _field_messages() -> set[str]:
    """Every English message the schemas of the forms give for a field, from wrong values of each kind."""
    import marshmallow

    from web.api import schemas
    bad = ["", "abc", "-5", "1e5", "5,5,5", "x" * 5000, "a\u0000b", "2026-13-45", "2026-12-01", 5, -1, 10**12,
           None, [], {}, "99999999999999999.99", "0.001"]
    found: set[str] = set()

    def leaves(messages):
        for v in (messages.values() if isinstance(messages, dict) else messages):
            if isinstance(v, (dict, list)):
                yield from leaves(v)
            else:
                yield str(v)
    for schema_cls in vars(schemas).values():
        if not (isinstance(schema_cls, type) and issubclass(schema_cls, marshmallow.Schema)):
            continue
        try:
            schema = schema_cls()
        except TypeError:
            continue
        try:
            schema.load({})
        except marshmallow.ValidationError as exc:
            found.update(leaves(exc.messages))
        for name in schema.fields:
            for value in bad:
                try:
                    schema.load({name: value}, partial=True)
                except marshmallow.ValidationError as exc:
                    found.update(leaves(exc.messages))
                except Exception:  # noqa: BLE001 - a value a field cannot even look at is refused elsewhere
                    pass
    return found


@pytest.mark.parametrize("lang", LOCALES)
def test_every_error_a_form_field_can_give_is_explained_in_the_language(app, lang):
    from web.refusals import field_message
    messages = _field_messages()
    assert len(messages) > 15
    with app.test_request_context(f"/?lang={lang}"):
        generic = field_message("no message like this")
        for message in sorted(messages):
            shown = field_message(message)
            assert english(shown) == [], (message, shown)
            # each has its own explanation, not the catch-all (a new message needs a line in FIELD_MESSAGES)
            assert shown != generic or message.startswith(("Not a valid", "Invalid")), message


def test_a_nested_field_error_is_handed_to_the_input_of_the_form_that_holds_it():
    from web.refusals import form_name
    assert form_name("collectors.0.claim") == "collector1_claim"
    assert form_name("items.2.price") == "item3_price"
    assert form_name("debtor.iin_bin") == "debtor_iin_bin"
    assert form_name("price") == "price"
