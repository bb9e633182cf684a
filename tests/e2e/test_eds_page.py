"""The login page's EDS sign-in without a browser (issue 14 point 1; the journey itself is
tests/e2e/test_browser_eds.py): the vendored NCALayer client is the one the README records, the page may
connect to NCALayer's websocket and nowhere else, and a certificate no account holds opens a registration
whose IIN/BIN stays the verified certificate's."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from .. import eds_pki
from ..eds_pki import cms
from ..helpers import bin_, iin
from .test_cabinet_pages import csrf

ORIGIN = {"Origin": "http://localhost"}
VENDOR = Path(__file__).resolve().parents[2] / "web" / "static" / "vendor"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    yield from eds_pki.trusted_pki(tmp_path_factory.mktemp("eds-page"), iin(911), iin(912), bin_(913), iin(914))


@pytest.fixture(autouse=True)
def trust_anchors(pki, monkeypatch):
    monkeypatch.setenv("MULIK_EDS_TRUST_ANCHORS", pki.anchors_path)


def test_the_vendored_ncalayer_client_is_the_file_the_readme_records():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 of `ncalayer-client.js`: `([0-9a-f]{64})`", readme).group(1)
    assert hashlib.sha256((VENDOR / "ncalayer-client.js").read_bytes()).hexdigest() == recorded
    assert "| `ncalayer-client.js` |" in readme and "| 1.5.6 | MIT |" in readme


def test_the_login_page_offers_the_eds_sign_in_and_may_reach_ncalayer_only(m):
    r = m.client.get("/login?lang=ru")
    html = r.get_data(as_text=True)
    assert "Войти с ЭЦП (NCALayer)" in html
    assert '<script src="/static/vendor/ncalayer-client.js">' in html and "/static/eds-login.js" in html
    assert 'data-ncalayer="wss://127.0.0.1:13579"' in html  # NCALayer's own address by default
    connect = re.search(r"connect-src ([^;]*)", r.headers["Content-Security-Policy"]).group(1).split()
    assert connect == ["'self'", "wss://127.0.0.1:13579"]
    sentences = json.loads(re.search(r'<script type="application/json" id="eds-i18n">(.*?)</script>', html,
                                     re.S).group(1))
    assert sentences["eds_revoked"] == "Сертификат этого ключа отозван."
    assert sentences["unreachable"].startswith("NCALayer не ответил")


def test_the_registration_after_an_unknown_certificate_keeps_its_iin_whatever_the_form_sends(m, pki):
    c = m.client.post("/api/v1/auth/eds/challenge", headers=ORIGIN).get_json()
    r = m.client.post("/api/v1/auth/eds/login", json={"nonce": c["nonce"], "cms": cms(c["nonce"].encode(),
                                                                                        pki.person)}, headers=ORIGIN)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "eds_no_account"
    page = m.client.get("/register?lang=ru").get_data(as_text=True)
    assert f'value="{pki.iin}" readonly' in page and 'value="ТЕСТОВ ТЕСТ"' in page
    other = iin(915)
    done = m.client.post("/register?lang=ru", data={"csrf_token": csrf(m.client, "/register"), "iin_bin": other,
                                                    "full_name": "Тестов Тест", "email": "eds-page@example.kz",
                                                    "password": "password123"})
    assert done.status_code == 302, done.get_data(as_text=True)
    me = m.client.get("/api/v1/me").get_json()
    assert me["email"] == "eds-page@example.kz" and me["iin_bin"] == pki.iin
    # the next registration in this browser is an ordinary one again
    m.client.post("/api/v1/auth/logout", headers=ORIGIN)
    assert 'readonly' not in m.client.get("/register?lang=ru").get_data(as_text=True)


def test_a_plain_registration_takes_the_number_typed(m):
    other = iin(916)
    done = m.client.post("/register?lang=ru", data={"csrf_token": csrf(m.client, "/register"), "iin_bin": other,
                                                    "full_name": "Тестов Тест", "email": "plain@example.kz",
                                                    "password": "password123"})
    assert done.status_code == 302
    assert m.client.get("/api/v1/me").get_json()["iin_bin"] == other
