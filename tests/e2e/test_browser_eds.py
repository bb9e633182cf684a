"""Signing in with the EDS in Debian's chromium (issue 14 points 1 and 4): the login page's button asks the
server for a challenge, asks NCALayer — here the fake one (tests/fake_ncalayer.py), at the URL the page is
given (`MULIK_NCALAYER_URL`) — to sign its nonce with the authentication key, and posts the CMS to the API's
EDS login: the person lands in his cabinet; a certificate no account holds opens the registration filled
from the certificate; a refused certificate is told why in the page's language. The server trusts the test
PKI's root (tests/eds_pki.py) and runs on the tests' clock, at which its certificates are valid."""
from __future__ import annotations

import pytest
from cryptography.x509.oid import NameOID

from .. import eds_pki
from ..fake_ncalayer import FakeNcaLayer
from ..helpers import bin_, iin
from .test_browser_journeys import shot
from .test_browser_room import launched, rehearsal_server

NAME = "Тестов Тест Тестович"


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture(scope="module")
def pki():
    made = eds_pki.make_pki(iin(901), iin(902), bin_(903), iin(904))
    yield made
    made.crl.close()


@pytest.fixture(scope="module")
def ncalayer():
    fake = FakeNcaLayer()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, pki, ncalayer):
    anchors = tmp_path_factory.mktemp("eds-anchors") / "anchors.pem"
    anchors.write_bytes(pki.anchors_pem)

    def build(m):
        person = m.user("bidder", iin_bin=pki.iin, name=NAME)
        return {"email": person.email}
    env = {"MULIK_EDS_TRUST_ANCHORS": str(anchors), "MULIK_NCALAYER_URL": ncalayer.url}
    with rehearsal_server(tmp_path_factory, "eds", build, env=env) as srv:
        yield srv


def number_of(issued) -> str:
    """The IIN a certificate's subject names (SERIALNUMBER=IIN…)."""
    return issued.cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value.removeprefix("IIN")


def _page(browser, lang: str, width: int = 1000):
    ctx = browser.new_context(viewport={"width": width, "height": 740}, locale=f"{lang}-KZ")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    return ctx, page


@pytest.mark.browser
@pytest.mark.parametrize("lang, button, cabinet", [
    ("kk", "ЭЦҚ арқылы кіру (NCALayer)", "Жеке кабинет"),
    ("ru", "Войти с ЭЦП (NCALayer)", "Личный кабинет"),
])
def test_a_person_signs_in_with_his_eds_through_ncalayer_and_lands_in_his_cabinet(browser, site, pki, ncalayer,
                                                                                  lang, button, cabinet):
    from playwright.sync_api import expect
    ncalayer.key, ncalayer.cancel = pki.person, False
    ctx, page = _page(browser, lang, width=360)
    try:
        page.goto(f"{site.url}/login?lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # a phone: no sideways scroll
        shot(page, f"eds-login-{lang}")
        asked = len(ncalayer.requests)
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_url(f"{site.url}/cabinet")
        expect(page.locator("h1")).to_have_text(cabinet)
        expect(page.locator("main .meta").first).to_contain_text(site.email)  # his own account
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"eds-cabinet-{lang}")
        # NCALayer was asked for a CMS with the nonce attached, made with the authentication key
        signing = [r for r in ncalayer.requests[asked:] if r.get("method") == "createCMSSignatureFromBase64"]
        assert len(signing) == 1 and signing[0]["module"] == "kz.gov.pki.knca.commonUtils"
        assert signing[0]["args"][1] == "AUTHENTICATION" and signing[0]["args"][3] is True
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_certificate_no_account_holds_opens_the_registration_filled_from_it(browser, site, pki, ncalayer):
    from playwright.sync_api import expect
    ncalayer.key, ncalayer.cancel = pki.no_crl, False  # another person's key (IIN 904), no account yet
    ctx, page = _page(browser, "ru", width=360)
    try:
        page.goto(f"{site.url}/login?lang=ru")
        page.get_by_role("button", name="Войти с ЭЦП (NCALayer)", exact=True).click()
        page.wait_for_url(f"{site.url}/register")
        number = page.locator("#iin_bin")
        expect(number).to_have_value(number_of(pki.no_crl))
        expect(number).to_have_attribute("readonly", "")
        expect(page.locator("#full_name")).to_have_value("ТЕСТОВ ТЕСТ")  # the certificate's CN
        expect(page.locator("#iin-certified")).to_have_text("Как указано в сертификате вашей ЭЦП.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "eds-register-ru")
        # the number stays the certificate's even if the form is made to send another
        page.evaluate(f"document.getElementById('iin_bin').value = '{pki.iin}'")
        page.locator("#email").fill("eds-newcomer@example.kz")
        page.locator("#password").fill("password123")
        page.locator("form.card button.primary").click()
        page.wait_for_url(f"{site.url}/cabinet")
        me = page.request.get(f"{site.url}/api/v1/me").json()
        assert me["email"] == "eds-newcomer@example.kz" and me["iin_bin"] == number_of(pki.no_crl)
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang, button, expired, cancelled", [
    ("kk", "ЭЦҚ арқылы кіру (NCALayer)", "Бұл кілттің тіркеу куәлігінің мерзімі өтті немесе ол әлі күшіне енбеген.",
     "NCALayer-де қол қою тоқтатылды."),
    ("ru", "Войти с ЭЦП (NCALayer)", "Срок действия сертификата этого ключа истёк или ещё не наступил.",
     "Подписание в NCALayer отменено."),
])
def test_a_refused_certificate_is_told_why_in_the_page_language_and_nobody_is_logged_in(browser, site, pki,
                                                                                         ncalayer, lang, button,
                                                                                         expired, cancelled):
    from playwright.sync_api import expect
    ctx, page = _page(browser, lang, width=360)
    try:
        page.goto(f"{site.url}/login?lang={lang}")
        ncalayer.key, ncalayer.cancel = pki.expired, False
        page.get_by_role("button", name=button, exact=True).click()
        status = page.locator("#eds-status")
        expect(status).to_have_text(expired)
        assert page.url == f"{site.url}/login?lang={lang}"
        assert page.request.get(f"{site.url}/api/v1/me").status == 401  # no session
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"eds-expired-{lang}")
        # revoked (listed in the intermediate's CRL), then the person closes NCALayer's dialog
        ncalayer.key = pki.revoked
        page.get_by_role("button", name=button, exact=True).click()
        expect(status).not_to_have_text(expired)
        expect(status).to_have_text({"kk": "Бұл кілттің тіркеу куәлігі кері қайтарылған.",
                                     "ru": "Сертификат этого ключа отозван."}[lang])
        ncalayer.cancel = True
        page.get_by_role("button", name=button, exact=True).click()
        expect(status).to_have_text(cancelled)
    finally:
        ncalayer.cancel = False
        ctx.close()


@pytest.mark.browser
def test_without_ncalayer_the_page_says_to_start_it(browser, site, ncalayer, pki):
    """NCALayer not running (nothing listens at the URL): the page says so in its language."""
    from playwright.sync_api import expect
    ctx, page = _page(browser, "kk")
    try:
        page.goto(f"{site.url}/login?lang=kk")
        page.evaluate("document.getElementById('eds').dataset.ncalayer = 'ws://127.0.0.1:9'")
        page.get_by_role("button", name="ЭЦҚ арқылы кіру (NCALayer)", exact=True).click()
        expect(page.locator("#eds-status")).to_contain_text("NCALayer жауап бермеді")
    finally:
        ctx.close()
