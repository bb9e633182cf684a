"""The officials' and the collector's signed acts from the pages (issue 14 point 2), over HTTP with the session
cookie, against the test PKI (tests/eds_pki.py): where the platform verifies EDS signatures the console's
realization order, the confirmation of the approval of the results, the collector's confirmation of keeping a
lot and the "Sign with EDS" button beside a document its viewer signs (the protocol and the sale contract: the
case's bailiff; the sale contract: the buyer first) carry what web/static/eds-sign.js needs (the act's route and
method, NCALayer's URL, whether the act must be signed); posted as the browser posts them, with the CMS NCALayer
makes over the act's route's content, each page files its act and the page shows the signature; a refused
signature is told in the page's language and changes nothing. The browser journey is
tests/e2e/test_browser_signed_acts_pages.py."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from .. import eds_pki
from ..helpers import bin_, iin
from .test_console_pages import log_in, post
from .test_pages import text
from .test_signed_acts_officials import (
    Signer,
    _closed,
    _documents,
    _retention_window,
    _signatures,
    _tables,
    _valued_lot,
)

SIGNED = {"en": "Signed with EDS: ТЕСТОВ ТЕСТ", "kk": "ЭЦҚ-мен қол қойылды: ТЕСТОВ ТЕСТ",
          "ru": "Подписано ЭЦП: ТЕСТОВ ТЕСТ"}
WRONG_SIGNER = {"kk": "Актіге басқа адамның сертификатымен қол қойылған: өз кілтіңізбен қол қойыңыз.",
                "ru": "Акт подписан сертификатом другого лица: подпишите его своим ключом."}
REQUIRED = {"kk": "Бұл акт тек сіздің ЭЦҚ-мен қол қойылған жағдайда қабылданады.",
            "ru": "Этот акт принимается только с вашей подписью ЭЦП."}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(841), iin(842), bin_(843), iin(844))


@pytest.fixture
def eds(pki, monkeypatch):
    """The app of the test trusts the test PKI (requested before `client` and `m`, which make the app)."""
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)
    return pki


def _form(page: str, action: str) -> str:
    """The <form ...> tag of the page's form posting `action` (a form's action field or its URL)."""
    for tag in re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.S):
        if f'name="action" value="{action}"' in tag or f'action="{action}"' in tag.split(">", 1)[0]:
            return tag
    raise AssertionError(f"no form for {action}")


def text_of(fragment: str) -> str:
    """What a person reads in a fragment of a page (tests/e2e/test_pages.py `text`)."""
    return text(SimpleNamespace(get_data=lambda as_text=True: fragment))


def _head(form: str) -> str:
    return form.split(">", 1)[0]


def _act_cms(signer: Signer, method: str, path: str, body: dict | None = None) -> str:
    """The CMS NCALayer makes over the act the page's script asked for (the same route and body)."""
    act = signer.user.ok(method, path, body, status=200) if method == "POST" else signer.user.ok(method, path)
    return signer.sign(act)


def _document_item(page: str, document_id: int) -> str:
    return re.search(rf'<(li|div) class="document" data-document-id="{document_id}".*?</\1>', page, flags=re.S).group(0)


def _sold(m, bailiff: Signer, buyer: Signer):
    """An auction won by `buyer`, its results approved and its price paid: the sale contract is issued."""
    _, lot, auction, _ = _closed(m, bailiff, buyer.user)
    bailiff.user.ok("POST", f"/auctions/{auction['id']}/results/approval", {})
    pay = next(x for x in buyer.user.ok("GET", "/me/payments")["items"] if x["kind"] == "winner")
    buyer.user.ok("POST", f"/payments/{pay['id']}/dev-pay")
    [contract] = _documents(bailiff.user, lot["id"], "sale_contract")
    return lot, auction, contract


# ---- what each form carries ------------------------------------------------------------------------------
def test_where_eds_is_verified_each_officials_form_carries_its_acts_route(eds, client, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, valued = _valued_lot(m, bailiff)
    _, lot, auction, _ = _closed(m, bailiff)
    log_in(client, bailiff.user)
    page = client.get(f"/console/lots/{valued['id']}?lang=kk").get_data(as_text=True)
    order = _form(page, "order")
    assert f'data-eds-act="/api/v1/lots/{valued["id"]}/realization-order/act"' in _head(order)
    assert "data-eds-method" not in _head(order) and "data-eds-required" not in _head(order)  # signed where it can
    assert '<input type="hidden" name="cms" value="">' in order and "/static/eds-sign.js" in page
    # the closed auction: the closing protocol is issued for its bailiff to sign, beside it on the page
    page = client.get(f"/console/lots/{lot['id']}?lang=kk").get_data(as_text=True)
    [protocol] = _documents(bailiff.user, lot["id"], "auction_protocol")
    sign = _head(_form(_document_item(page, protocol["id"]), f"/documents/{protocol['id']}/sign"))
    assert f'data-eds-act="/api/v1/documents/{protocol["id"]}/act" data-eds-method="GET"' in sign
    assert 'data-eds-required="1"' in sign
    # the approval is signed on its confirming step
    confirm = post(client, f"/console/lots/{lot['id']}", action="approve", auction_id=str(auction["id"]))
    form = _form(confirm.get_data(as_text=True), f"/console/lots/{lot['id']}")
    assert f'data-eds-act="/api/v1/auctions/{auction["id"]}/results/approval/act" data-eds-method="GET"' in form
    assert 'name="confirmed" value="yes"' in form and 'name="cms"' in form


def test_the_collectors_confirmation_of_keeping_the_lot_signs_it_and_his_refusal_does_not(eds, client, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    collector = Signer(m, pki, "collector", "Взыскатель Один")
    _, lot, _ = _retention_window(m, bailiff, collector, "3000000.00")
    log_in(client, collector.user)
    url = f"/cabinet/lots/{lot['id']}/retention"
    keep = _form(post(client, url, decision="retain").get_data(as_text=True), url)
    assert f'data-eds-act="/api/v1/lots/{lot["id"]}/retention/act"' in _head(keep) and 'name="cms"' in keep
    refuse = _form(post(client, url, decision="refuse").get_data(as_text=True), url)
    assert "data-eds-act" not in refuse and 'name="cms"' not in refuse


def test_where_the_platform_verifies_no_eds_the_officials_forms_are_the_plain_ones(client, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, valued = _valued_lot(m, bailiff)
    _, lot, auction, _ = _closed(m, bailiff)
    log_in(client, bailiff.user)
    for lot_id in (valued["id"], lot["id"]):
        page = client.get(f"/console/lots/{lot_id}?lang=kk").get_data(as_text=True)
        assert "data-eds-act" not in page and 'name="cms"' not in page and "eds-sign.js" not in page
    confirm = post(client, f"/console/lots/{lot['id']}", action="approve", auction_id=str(auction["id"]))
    assert "data-eds-act" not in confirm.get_data(as_text=True)


def test_where_the_platform_verifies_no_eds_the_retention_and_the_buyers_documents_are_plain(app, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    collector = Signer(m, pki, "collector", "Взыскатель Один")
    buyer = Signer(m, pki, "bidder", "Покупатель Аукциона")
    _, kept, _ = _retention_window(m, bailiff, collector, "3000000.00")
    keeper, person = app.test_client(), app.test_client()
    log_in(keeper, collector.user)
    url = f"/cabinet/lots/{kept['id']}/retention"
    keep = _form(post(keeper, url, decision="retain").get_data(as_text=True), url)
    assert "data-eds-act" not in keep and 'name="cms"' not in keep
    _sold(m, bailiff, buyer)
    log_in(person, buyer.user)
    page = person.get("/cabinet?lang=en").get_data(as_text=True)
    assert "Sale contract" in text_of(page) and "/sign" not in page and "eds-sign.js" not in page


# ---- each page files its act with the CMS -------------------------------------------------------------------
def test_the_console_orders_the_realization_with_the_bailiffs_signature_and_shows_it(eds, client, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot = _valued_lot(m, bailiff)
    log_in(client, bailiff.user)
    signed = _act_cms(bailiff, "POST", f"/lots/{lot['id']}/realization-order/act", {})  # the form's fields: none
    r = post(client, f"/console/lots/{lot['id']}", action="order", override_ground="", override_reason="",
             cms=signed)
    assert r.status_code == 302
    assert bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    [sig] = _signatures(m)
    assert (sig.act, sig.user_id) == ("realization_order", bailiff.user.id)
    [order] = _documents(bailiff.user, lot["id"], "realization_order")
    page = client.get(f"/console/lots/{lot['id']}?lang=en")
    assert "Realization ordered (Art. 77.1)." in text(page)
    assert SIGNED["en"] in text_of(_document_item(page.get_data(as_text=True), order["id"]))
    page = client.get(f"/console/lots/{lot['id']}?lang=kk").get_data(as_text=True)
    assert SIGNED["kk"] in text_of(_document_item(page, order["id"]))


def test_the_bailiff_signs_the_protocol_then_approves_the_results_signed_on_the_confirming_step(
        eds, client, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot, auction, _ = _closed(m, bailiff)
    log_in(client, bailiff.user)
    client.get(f"/console/lots/{lot['id']}?lang=en")  # issues the closing protocol
    [protocol] = _documents(bailiff.user, lot["id"], "auction_protocol")
    r = post(client, f"/documents/{protocol['id']}/sign", next=f"/console/lots/{lot['id']}",
             cms=_act_cms(bailiff, "GET", f"/documents/{protocol['id']}/act"))
    assert r.headers["Location"].endswith(f"/console/lots/{lot['id']}")
    page = client.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    assert "Document signed with your EDS" in text_of(page)
    [_, copy] = _documents(bailiff.user, lot["id"], "auction_protocol")
    assert SIGNED["en"] in text_of(_document_item(page, protocol["id"]))
    assert SIGNED["en"] in text_of(_document_item(page, copy["id"]))
    assert f"/documents/{copy['id']}/sign" not in page  # signed once: no button any more

    r = post(client, f"/console/lots/{lot['id']}", action="approve", auction_id=str(auction["id"]), confirmed="yes",
             cms=_act_cms(bailiff, "GET", f"/auctions/{auction['id']}/results/approval/act"))
    assert r.status_code == 302 and bailiff.user.ok("GET", f"/auctions/{auction['id']}")["payment_due_on"]
    assert [s.act for s in _signatures(m)] == ["auction_protocol", "results_approval"]
    approved = _documents(bailiff.user, lot["id"], "auction_protocol")[-1]
    shown = text_of(_document_item(client.get(f"/console/lots/{lot['id']}?lang=ru").get_data(as_text=True),
                                   approved["id"]))
    assert shown.count(SIGNED["ru"]) == 2  # the protocol's signature and the approval's


def test_the_collector_keeps_the_lot_with_his_signature_given_on_the_confirming_step(eds, client, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    collector = Signer(m, pki, "collector", "Взыскатель Один")
    _, lot, _ = _retention_window(m, bailiff, collector, "3000000.00")
    log_in(client, collector.user)
    signed = _act_cms(collector, "POST", f"/lots/{lot['id']}/retention/act", {"decision": "retain"})
    r = post(client, f"/cabinet/lots/{lot['id']}/retention", decision="retain", confirmed="yes", cms=signed)
    assert r.status_code == 302
    assert bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "RETAINED"
    [sig] = _signatures(m)
    assert (sig.act, sig.role) == ("retention_application", "collector")
    page = client.get("/cabinet?lang=en")
    assert "Your application to keep the lot at its valuation is recorded (Art. 85.1)." in text(page)
    [retention] = _documents(bailiff.user, lot["id"], "retention_act")  # nothing to pay: the lot is his
    item = re.search(rf'<li data-kind="retention_act"><a href="/documents/{retention["id"]}.pdf">.*?</li>',
                     page.get_data(as_text=True), flags=re.S)
    assert SIGNED["en"] in text_of(item.group(0))


def test_the_buyer_signs_the_sale_contract_in_his_cabinet_then_the_bailiff_on_the_console(eds, app, m, pki):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    buyer = Signer(m, pki, "bidder", "Покупатель Аукциона")
    lot, _, contract = _sold(m, bailiff, buyer)
    officer, person = app.test_client(), app.test_client()
    log_in(officer, bailiff.user)
    log_in(person, buyer.user)
    page = officer.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    assert f"/documents/{contract['id']}/sign" not in page  # the buyer signs first (Art. 83)
    page = person.get("/cabinet?lang=en").get_data(as_text=True)
    sign = _head(_form(_document_item(page, contract["id"]), f"/documents/{contract['id']}/sign"))
    assert f'data-eds-act="/api/v1/documents/{contract["id"]}/act" data-eds-method="GET"' in sign
    assert "/static/eds-sign.js" in page
    r = post(person, f"/documents/{contract['id']}/sign", next="/cabinet",
             cms=_act_cms(buyer, "GET", f"/documents/{contract['id']}/act"))
    assert r.headers["Location"].endswith("/cabinet")
    page = person.get("/cabinet?lang=kk").get_data(as_text=True)
    assert SIGNED["kk"] in text_of(_document_item(page, contract["id"]))
    assert f"/documents/{contract['id']}/sign" not in page

    page = officer.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    latest = _documents(bailiff.user, lot["id"], "sale_contract")[-1]
    assert f"/documents/{latest['id']}/sign" in page
    post(officer, f"/documents/{latest['id']}/sign", next=f"/console/lots/{lot['id']}",
         cms=_act_cms(bailiff, "GET", f"/documents/{latest['id']}/act"))
    signed = _documents(bailiff.user, lot["id"], "sale_contract")[-1]
    page = officer.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    assert text_of(_document_item(page, signed["id"])).count(SIGNED["en"]) == 2
    assert [s.role for s in _signatures(m)] == ["bidder", "bailiff"]


# ---- refusals -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_order_signed_with_another_persons_key_is_refused_in_the_page_language_and_nothing_changes(
        eds, client, m, pki, lang):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    someone = Signer(m, pki, "bailiff", "Другой Исполнитель")
    _, lot = _valued_lot(m, bailiff)
    log_in(client, bailiff.user)
    client.set_cookie("mulik_lang", lang)
    act = bailiff.user.ok("POST", f"/lots/{lot['id']}/realization-order/act", {}, status=200)
    client.get(f"/console/lots/{lot['id']}?lang={lang}")  # the person's language remembered before
    before = _tables(m)
    post(client, f"/console/lots/{lot['id']}", action="order", cms=someone.sign(act))
    assert _tables(m) == before
    assert WRONG_SIGNER[lang] in text(client.get(f"/console/lots/{lot['id']}?lang={lang}"))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_document_signed_with_another_persons_key_is_refused_in_the_page_language(eds, client, m, pki, lang):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    someone = Signer(m, pki, "bailiff", "Другой Исполнитель")
    _, lot, _, _ = _closed(m, bailiff)
    log_in(client, bailiff.user)
    client.set_cookie("mulik_lang", lang)
    client.get(f"/console/lots/{lot['id']}")
    [protocol] = _documents(bailiff.user, lot["id"], "auction_protocol")
    act = bailiff.user.ok("GET", f"/documents/{protocol['id']}/act")
    client.get(f"/console/lots/{lot['id']}?lang={lang}")
    before = _tables(m)
    post(client, f"/documents/{protocol['id']}/sign", next=f"/console/lots/{lot['id']}", cms=someone.sign(act))
    assert _tables(m) == before
    assert WRONG_SIGNER[lang] in text(client.get(f"/console/lots/{lot['id']}?lang={lang}"))


@pytest.mark.app_config(EDS_SIGNED_ACTS="all")
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_where_every_act_is_signed_an_unsigned_order_from_the_console_is_refused_with_the_sentence(
        eds, client, m, pki, lang):
    bailiff = Signer(m, pki, "bailiff", "Судебный Исполнитель")
    _, lot = _valued_lot(m, bailiff)
    log_in(client, bailiff.user)
    client.set_cookie("mulik_lang", lang)
    page = client.get(f"/console/lots/{lot['id']}?lang={lang}").get_data(as_text=True)
    assert 'data-eds-required="1"' in _head(_form(page, "order"))  # the script asks for NCALayer first
    before = _tables(m)
    post(client, f"/console/lots/{lot['id']}", action="order", cms="")
    assert _tables(m) == before and bailiff.user.ok("GET", f"/lots/{lot['id']}")["status"] == "VALUED"
    assert REQUIRED[lang] in text(client.get(f"/console/lots/{lot['id']}?lang={lang}"))
