"""The bailiff signs the realization order on the console in Debian's chromium (issue 14 point 2): at 360 px, in
Kazakh, he orders the realization of a valued lot; the page shows the order he signs (the lot, its valuation,
its queue), the fake NCALayer (tests/fake_ncalayer.py) signs it with his SIGNATURE key, the form is sent with the
CMS and the lot's page shows the order issued and signed, with his name beside it. The deployment takes the act
only signed (MULIK_EDS_SIGNED_ACTS=realization_order). One server and one browser for the module; the other forms
are covered over HTTP by tests/e2e/test_signed_acts_pages.py."""
from __future__ import annotations

import pytest

from .. import eds_pki
from ..fake_ncalayer import FakeNcaLayer
from ..helpers import bin_, iin
from .test_browser_journeys import shot
from .test_browser_room import launched, rehearsal_server


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture(scope="module")
def pki():
    made = eds_pki.make_pki(iin(941), iin(942), bin_(943), iin(944))
    yield made
    made.crl.close()


@pytest.fixture(scope="module")
def ncalayer(pki):
    fake = FakeNcaLayer().holds(pki)
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, pki, ncalayer):
    """The bailiff (his IIN is the test PKI's person) and one valued lot of his, waiting for the order."""
    anchors = tmp_path_factory.mktemp("eds-anchors") / "anchors.pem"
    anchors.write_bytes(pki.anchors_pem)

    def build(m):
        bailiff = m.user("bailiff", iin_bin=pki.iin, name="Тестов Тест")
        p = m.proceeding(bailiff)
        lot = m.lot(bailiff, p["id"])
        m.value(bailiff, lot["id"])
        return {"email": bailiff.email, "lot": lot}
    env = {"MULIK_EDS_TRUST_ANCHORS": str(anchors), "MULIK_NCALAYER_URL": ncalayer.url,
           "MULIK_EDS_SIGNED_ACTS": "realization_order"}
    with rehearsal_server(tmp_path_factory, "eds-console", build, env=env) as srv:
        yield srv


@pytest.mark.browser
def test_the_bailiff_signs_the_realization_order_on_the_console_with_ncalayer(browser, site, pki, ncalayer):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="kk-KZ")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{site.url}/login?lang=kk")
        page.fill("#email", site.email)
        page.fill("#password", "password123")
        page.locator("form[action='/login'] button[type=submit]").click()
        page.wait_for_url(f"{site.url}/console/")
        lot_url = f"{site.url}/console/lots/{site.lot['id']}"
        page.goto(f"{lot_url}?lang=kk")
        form = page.locator("form#realization-order")
        asked = len(ncalayer.requests)
        form.locator("button[type=submit]").click()
        act = form.locator(".eds-act")  # the order he signs, shown before NCALayer is asked
        expect(act).to_be_visible()
        expect(act.locator(".eds-text")).to_contain_text(site.lot["title"])
        expect(act.locator(".eds-text")).to_contain_text("1000000.00")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "eds-console-order-act-kk")
        act.locator("button.eds-sign").click()
        page.wait_for_url(lot_url)
        expect(page.locator(".flash.ok").first).to_contain_text("Мүлік өткізуге берілді (77.1-бап).")
        order = page.locator("li.document[data-kind=realization_order]")
        expect(order.locator(".signed-eds")).to_contain_text("ЭЦҚ-мен қол қойылды: ТЕСТОВ ТЕСТ")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, "eds-console-order-signed-kk")
        signing = [r for r in ncalayer.requests[asked:] if r.get("method") == "createCMSSignatureFromBase64"]
        assert len(signing) == 1 and signing[0]["args"][1] == "SIGNATURE"
        lot = page.request.get(f"{site.url}/api/v1/lots/{site.lot['id']}").json()
        assert lot["status"] == "REALIZATION_ORDERED"
    finally:
        ctx.close()
