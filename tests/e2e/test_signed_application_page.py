"""The lot page's application form and the cabinet with a signed application (issue 14 point 2), over HTTP with
the session cookie (the browser journey is tests/e2e/test_browser_signed_application.py): where the platform
verifies EDS signatures the form carries what web/static/eds-sign.js needs (the act's route, NCALayer's URL,
whether the act must be signed), the page's handler files the application with the CMS the form sends, and
the cabinet shows it signed with a link to its document; where it verifies none, the form is the plain one."""
from __future__ import annotations

import base64
import json
import re

import pytest

from .. import eds_pki
from ..eds_pki import cms
from ..helpers import bin_, iin
from .test_cabinet_pages import csrf
from .test_pages import text


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds"), iin(831), iin(832), bin_(833), iin(834))


@pytest.fixture
def eds(pki, monkeypatch):
    """The app of the test trusts the test PKI (requested before `client` and `m`, which make the app)."""
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)
    return pki


def _announced(m):
    bailiff, _, lot = m.ordered_lot()
    return lot, m.announce(bailiff, lot["id"])


def _logged_in(client, user) -> None:
    with client.session_transaction() as s:
        s["uid"] = user.id


def _form(client, lot_id: int) -> str:
    page = client.get(f"/lots/{lot_id}?lang=kk").get_data(as_text=True)
    return re.search(r'<form class="form" method="post" action="/auctions/\d+/apply"[^>]*>', page).group(0), page


def _act(client, auction_id: int, body: dict) -> dict:
    r = client.post(f"/api/v1/auctions/{auction_id}/applications/act", json=body,
                    headers={"Origin": "http://localhost"})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


@pytest.mark.app_config(EDS_SIGNED_ACTS="application")
def test_where_eds_is_verified_the_form_signs_with_ncalayer_and_says_the_signature_is_required(eds, client, m, pki):
    lot, auction = _announced(m)
    _logged_in(client, m.user("bidder", iin_bin=pki.iin))
    form, page = _form(client, lot["id"])
    assert f'data-eds-act="/api/v1/auctions/{auction["id"]}/applications/act"' in form
    assert 'data-ncalayer="wss://127.0.0.1:13579"' in form and 'data-eds-required="1"' in form
    assert '<input type="hidden" name="cms" value="">' in page and "/static/eds-sign.js" in page
    sentences = json.loads(re.search(r'<script type="application/json" id="eds-i18n">(.*?)</script>', page).group(1))
    assert sentences["required"].startswith("NCALayer жауап бермеді: бұл өтінім тек")  # shown without NCALayer
    assert sentences["eds_not_signing_key"].startswith("Бұл кілт қол қоюға арналмаған")


def test_where_the_platform_verifies_no_eds_the_application_form_is_the_plain_one(m, pki, app):
    lot, auction = _announced(m)
    bidder = m.user("bidder", iin_bin=pki.iin)
    client = app.test_client()
    _logged_in(client, bidder)
    form, page = _form(client, lot["id"])  # this app verifies no EDS (no MULIK_EDS_TRUST_ANCHORS)
    assert "data-eds-act" not in form and "eds-sign.js" not in page and 'name="cms"' not in page


def test_the_page_files_the_application_with_its_cms_and_the_cabinet_shows_it_signed(eds, client, m, pki):
    lot, auction = _announced(m)
    _logged_in(client, m.user("bidder", iin_bin=pki.iin))
    form, _page = _form(client, lot["id"])
    assert "data-eds-act" in form and "data-eds-required" not in form  # signed where NCALayer runs, not a must
    # what the script sends to the act's route for the form's fields, then the CMS NCALayer made of it
    act = _act(client, auction["id"], {"spouse": None, "close_relatives": [iin(835)], "employers": [],
                                       "founded": [], "keep_in_wallet": False})
    signed = cms(base64.b64decode(act["content"]), pki.signing_only)
    r = client.post(f"/auctions/{auction['id']}/apply", data={
        "csrf_token": csrf(client, f"/lots/{lot['id']}"), "close_relatives": iin(835), "cms": signed})
    assert r.status_code == 302 and r.headers["Location"].endswith("/cabinet")
    cabinet = client.get("/cabinet?lang=ru")
    shown = text(cabinet)
    assert "Подписано ЭЦП: ТЕСТОВ ТЕСТ" in shown
    link = re.search(r'class="application-document" href="(/documents/\d+\.pdf)"', cabinet.get_data(as_text=True))
    [doc] = [d for d in client.get(f"/api/v1/lots/{lot['id']}/documents").get_json()["items"]
             if d["kind"] == "auction_application"]
    assert link.group(1) == f"/documents/{doc['id']}.pdf" and client.get(link.group(1)).status_code == 200


@pytest.mark.parametrize("lang, sentence", [("kk", "Бұл кілт қол қоюға арналмаған"),
                                            ("ru", "Этот ключ не предназначен для подписи")])
def test_an_application_signed_with_the_authentication_key_is_refused_on_the_page_and_nothing_is_filed(
        eds, client, m, pki, lang, sentence):
    client.set_cookie("mulik_lang", lang)
    lot, auction = _announced(m)
    _logged_in(client, m.user("bidder", iin_bin=pki.iin))
    act = _act(client, auction["id"], {})
    r = client.post(f"/auctions/{auction['id']}/apply", data={
        "csrf_token": csrf(client, f"/lots/{lot['id']}"), "cms": cms(base64.b64decode(act["content"]), pki.person)})
    assert r.headers["Location"].endswith(f"/lots/{lot['id']}")
    assert sentence in text(client.get(f"/lots/{lot['id']}?lang={lang}"))
    assert client.get("/api/v1/me/applications").get_json()["items"] == []
