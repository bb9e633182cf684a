"""A refused form in Debian's chromium (issue 13 point 2): every field's error at once, in the page's
language, written beside its field, the field marked invalid for a screen reader and focused; a
refusal of the law says its article as the language writes it, with no English."""
from __future__ import annotations

from datetime import date

import pytest

from auction.identity import make_iin

from .test_browser_journeys import shot
from .test_browser_room import launched, rehearsal_server


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    def build(m):
        bailiff = m.user("bailiff", name="Нұрлан Қасымов")
        iins = (make_iin(date(1975, 1, 20), "M", 103), make_iin(date(1990, 2, 2), "F", 105))
        return {"bailiff": bailiff.email, "iins": iins}
    with rehearsal_server(tmp_path_factory, "field-errors", build, real_clock=True) as srv:
        yield srv


@pytest.mark.browser
@pytest.mark.parametrize("lang, login, number_error, claim_error", [
    ("kk", "Кіру", "1-ден 64 таңбаға дейін.", "Теңгедегі сома, үтірден кейін ең көбі 2 таңба"),
    ("ru", "Войти", "От 1 до 64 знаков.", "Сумма в тенге, не более 2 знаков после запятой"),
])
def test_a_refused_proceeding_form_marks_each_wrong_field_beside_it_in_the_language(browser, office, lang, login,
                                                                                   number_error, claim_error):
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale=f"{lang}-KZ")
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{office.url}/login?lang={lang}")
        page.locator("#email").fill(office.bailiff)
        page.locator("#password").fill("password123")
        page.get_by_role("button", name=login, exact=True).click()
        page.goto(f"{office.url}/console/proceedings/new")
        # the browser's own checks are put aside: the server is the one that refuses
        page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        page.locator("#debtor_name").fill("Серік Әлиев")  # the number left empty, the claim in words
        page.locator("#debtor_iin_bin").fill(office.iins[0])
        page.locator("#collector1_name").fill("Мадина Бекова")
        page.locator("#collector1_iin_bin").fill(office.iins[1])
        page.locator("#collector1_claim").fill("бес миллион")
        page.locator("form.card button.primary").click()
        # both errors at once, each beside its own field
        expect(page.locator("#error-number")).to_have_text(number_error)
        expect(page.locator("#number")).to_have_attribute("aria-invalid", "true")
        claim = page.locator("#collector1_claim")
        expect(claim).to_have_attribute("aria-invalid", "true")
        note = page.locator("#error-collector1_claim")
        expect(note).to_contain_text(claim_error)  # beside the field, in the page's language
        assert claim.get_attribute("aria-describedby") == "error-collector1_claim"
        expect(page.locator("#number")).to_be_focused()  # the first wrong field
        expect(page.locator(".flash.error")).not_to_contain_text("collectors")  # no field path, no English
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        shot(page, f"field-errors-{lang}")
    finally:
        ctx.close()
