"""Every page on a 360 px phone, in Debian's chromium (issue 13 acceptance): the demo of `make run`
(`mulik seed`, then `mulik run --no-demo`), every GET page of the app (from its URL map, with every
sample of its parameters, as tests/e2e/test_kk_ru_everywhere.py reads them) for the visitor and one demo person
of each role, in Kazakh (the longest words), the visitor's pages also in Russian. No page scrolls sideways."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from .test_browser_journeys import shot
from .test_browser_room import PASSWORD, _free_port, _require_chromium, _serve, _stop, launched
from .test_kk_ru_everywhere import page_urls


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    _require_chromium()
    db = tmp_path_factory.mktemp("phone") / "mulik.db"
    env = dict(os.environ, MULIK_DATABASE_URL=f"sqlite:///{db}", MULIK_SECRET_KEY="browser-test", MULIK_REDIS_URL="",
               MULIK_VERIFY_RATE_LIMIT="10000/second",
               PYTHONUNBUFFERED="1")
    seeded = subprocess.run([sys.executable, "-m", "web.cli", "seed"], env=env, capture_output=True, text=True,
                            timeout=120)
    if seeded.returncode:
        pytest.fail(f"`mulik seed` failed:\n{seeded.stdout}\n{seeded.stderr[-3000:]}")
    with sqlite3.connect(db) as c:
        samples = {"lot_id": [r[0] for r in c.execute("select id from lots order by id")],
                   "auction_id": [r[0] for r in c.execute("select id from auctions order by id")],
                   "pid": [r[0] for r in c.execute("select id from proceedings order by id")],
                   "user_id": [r[0] for r in c.execute("select id from users order by id")]}
        # one person of each role (the pages differ by role, not by person)
        people = [r[0] for r in c.execute("select min(email) from users group by role order by role")]
    from web import create_app
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "t", "SWEEPER_INTERVAL": 0})
    proc = _serve(db, db.with_suffix(".log"), _free_port())
    try:
        yield proc.url, page_urls(app, samples), people
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser(demo_server):
    yield from launched()


WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
    .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''}`)
    .slice(0, 5)"""


def _walk(browser, url: str, pages: list[str], email: str | None, lang: str) -> dict[str, list[str]]:
    from playwright.sync_api import expect
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale=f"{lang}-KZ")
    wide: dict[str, list[str]] = {}
    try:
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{url}/login?lang={lang}")
        if email:
            page.locator("#email").fill(email)
            page.locator("#password").fill(PASSWORD)
            page.locator("main form button[type=submit]").click()
            expect(page.locator("form.logout")).to_be_visible()
        for path in pages:
            page.goto(url + path, wait_until="load")
            if page.evaluate("document.documentElement.scrollWidth") > 360:
                wide[path] = page.evaluate(WIDE)
                shot(page, f"phone-too-wide-{lang}-{(email or 'visitor').split('@')[0]}-{len(wide)}")
    finally:
        ctx.close()
    return wide


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone_for_anyone(browser, demo_server):
    url, pages, people = demo_server
    assert len(pages) > 20
    wide = {}
    for email, lang in [(None, "kk"), (None, "ru"), *((e, "kk") for e in people)]:
        for path, what in _walk(browser, url, pages, email, lang).items():
            wide[f"{email or 'visitor'} {lang} {path}"] = what
    assert wide == {}, "pages wider than a 360 px phone (their widest elements):\n" + "\n".join(
        f"{k}: {v}" for k, v in wide.items())
