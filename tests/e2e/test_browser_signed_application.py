"""A signed application in Debian's chromium (issue 14 point 2, its acceptance): a person signs in with his EDS
through the fake NCALayer (tests/fake_ncalayer.py, holding his two keys: authentication and signing), opens an
announced auction's lot page at 360 px, applies; the page shows the act he signs (the application with its
Art. 80.2 declaration), NCALayer signs it with his SIGNATURE key, the form is sent with the CMS and he lands in
his cabinet, which shows the application signed and links its document; the PDF (read with pdftotext, fetched
with the page's cookies) prints the signature with his IIN and the certificate's serial. A signature by his
authentication key is refused in the page's language and nothing is filed; without NCALayer, where the
deployment takes the application only signed (MULIK_EDS_SIGNED_ACTS=application), the page says so and sends
nothing. One server and one browser for the module."""
from __future__ import annotations

import pytest

from .. import eds_pki
from ..fake_ncalayer import FakeNcaLayer
from ..helpers import bin_, iin
from ..pdf import pdftotext
from .test_browser_journeys import shot
from .test_browser_room import launched, rehearsal_server

NAME = "Тестов Тест Тестович"
SIGN_IN = {"kk": "ЭЦҚ арқылы кіру (NCALayer)", "ru": "Войти с ЭЦП (NCALayer)"}


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture(scope="module")
def pki():
    made = eds_pki.make_pki(iin(921), iin(922), bin_(923), iin(924))
    yield made
    made.crl.close()


@pytest.fixture(scope="module")
def ncalayer(pki):
    fake = FakeNcaLayer().holds(pki)
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, pki, ncalayer):
    """The person's account and three announced auctions, each of its own lot: one for each signed application,
    one that the refused and the unsent applications leave without any."""
    anchors = tmp_path_factory.mktemp("eds-anchors") / "anchors.pem"
    anchors.write_bytes(pki.anchors_pem)

    def build(m):
        m.user("bidder", iin_bin=pki.iin, name=NAME)
        bailiff = m.user("bailiff")
        auctions = []
        for _ in range(3):
            _, _, lot = m.ordered_lot(bailiff)
            auctions.append(m.announce(bailiff, lot["id"]))
        return {"auctions": auctions}
    env = {"MULIK_EDS_TRUST_ANCHORS": str(anchors), "MULIK_NCALAYER_URL": ncalayer.url,
           "MULIK_EDS_SIGNED_ACTS": "application"}
    with rehearsal_server(tmp_path_factory, "eds-sign", build, env=env) as srv:
        yield srv


def _signed_in(browser, site, lang: str):
    """A phone-sized page of the person, signed in with his EDS through the fake NCALayer."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale=f"{lang}-KZ")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site.url}/login?lang={lang}")
    page.get_by_role("button", name=SIGN_IN[lang], exact=True).click()
    page.wait_for_url(f"{site.url}/cabinet")
    return ctx, page


def _application_form(page, site, auction: dict, lang: str):
    page.goto(f"{site.url}/lots/{auction['lot_id']}?lang={lang}")
    box = page.locator(f"#auction-{auction['id']}")
    box.locator("details.apply summary").click()
    return box.locator("form")


def _my_applications(page, site) -> list:
    return page.request.get(f"{site.url}/api/v1/me/applications").json()["items"]


@pytest.mark.browser
@pytest.mark.parametrize("lang, n, signed_with, flash", [
    ("kk", 0, "ЭЦҚ-мен қол қойылды: ТЕСТОВ ТЕСТ", "Өтінім берілді"),
    ("ru", 1, "Подписано ЭЦП: ТЕСТОВ ТЕСТ", "Заявка подана"),
])
def test_a_bidder_signs_his_application_with_ncalayer_and_its_document_prints_the_signature(
        browser, site, pki, ncalayer, lang, n, signed_with, flash):
    from playwright.sync_api import expect
    ncalayer.holds(pki)
    auction = site.auctions[n]
    ctx, page = _signed_in(browser, site, lang)
    try:
        form = _application_form(page, site, auction, lang)
        form.locator("input[name=close_relatives]").fill(iin(925))
        asked = len(ncalayer.requests)
        form.locator("button[type=submit]").click()
        # the act he signs: his application with his declaration, shown before NCALayer is asked
        act = form.locator(".eds-act")
        expect(act).to_be_visible()
        expect(act.locator(".eds-text")).to_contain_text(pki.iin)
        expect(act.locator(".eds-text")).to_contain_text(iin(925))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"eds-sign-act-{lang}")
        act.locator("button.eds-sign").click()
        page.wait_for_url(f"{site.url}/cabinet")
        expect(page.locator(".flash.ok").first).to_contain_text(flash)
        row = page.locator(f"tr.application[data-auction-id='{auction['id']}']")
        expect(row.locator(".signed-eds")).to_contain_text(signed_with)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"eds-sign-cabinet-{lang}")
        # NCALayer was asked for a CMS of the act, made with the signing key, content attached
        signing = [r for r in ncalayer.requests[asked:] if r.get("method") == "createCMSSignatureFromBase64"]
        assert len(signing) == 1 and signing[0]["args"][1] == "SIGNATURE" and signing[0]["args"][3] is True

        href = row.locator("a.application-document").get_attribute("href")
        pdf = page.request.get(f"{site.url}{href}")  # the page's cookies: his own document
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        text = pdftotext(pdf.body())
        assert "Электрондық цифрлық қолтаңбалар" in text  # the signature block
        assert pki.iin in text and format(pki.signing_only.cert.serial_number, "X") in text.replace("\n", " ")
        assert iin(925) in text  # the declaration he signed
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang, refused", [
    ("kk", "Бұл кілт қол қоюға арналмаған"),
    ("ru", "Этот ключ не предназначен для подписи"),
])
def test_an_application_signed_with_the_authentication_key_is_refused_in_the_page_language(
        browser, site, pki, ncalayer, lang, refused):
    from playwright.sync_api import expect
    auction = site.auctions[2]
    ctx, page = _signed_in(browser, site, lang)
    try:
        ncalayer.signing_key = pki.person  # the person picks his AUTH_RSA key in NCALayer's dialog
        form = _application_form(page, site, auction, lang)
        form.locator("button[type=submit]").click()
        form.locator(".eds-act button.eds-sign").click()
        page.wait_for_url(f"{site.url}/lots/{auction['lot_id']}")  # back on the lot page, loaded (its styles too)
        expect(page.locator(".flash.error").first).to_contain_text(refused)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"eds-sign-refused-{lang}")
        assert [a for a in _my_applications(page, site) if a["auction_id"] == auction["id"]] == []
    finally:
        ncalayer.holds(pki)
        ctx.close()


@pytest.mark.browser
def test_without_ncalayer_the_page_asks_for_it_where_the_signature_is_required_and_nothing_is_filed(
        browser, site, pki, ncalayer):
    """NCALayer not running (nothing listens at the URL): where the act must be signed the page says NCALayer must
    run and sends nothing; where it need not (the form told so), the form goes unsigned, and this deployment's
    server still refuses it, in the page's language."""
    from playwright.sync_api import expect
    auction = site.auctions[2]
    ctx, page = _signed_in(browser, site, "kk")
    try:
        form = _application_form(page, site, auction, "kk")
        form.evaluate("f => { f.dataset.ncalayer = 'ws://127.0.0.1:9'; }")
        form.locator("button[type=submit]").click()
        expect(form.locator(".eds-status")).to_contain_text("NCALayer жауап бермеді: бұл өтінім тек")
        expect(form.locator(".eds-act")).to_be_hidden()
        assert page.url == f"{site.url}/lots/{auction['lot_id']}?lang=kk"
        form.evaluate("f => { delete f.dataset.edsRequired; }")
        form.locator("button[type=submit]").click()
        expect(page.locator(".flash.error").first).to_contain_text("Бұл акт тек сіздің ЭЦҚ-мен қол қойылған")
        assert [a for a in _my_applications(page, site) if a["auction_id"] == auction["id"]] == []
    finally:
        ctx.close()
