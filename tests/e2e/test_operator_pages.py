"""The operator's pages over HTTP with the session cookie (issue 13 point 8; SPEC §8): every lot and every
auction with filters; the journal, whole and of one lot, with its chain verified — and broken once a stored
entry is altered; blocking and unblocking an account (pages, API token, sessions, bids); the figures."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from ..helpers import error
from .test_cabinet_pages import csrf
from .test_console_pages import log_in, post
from .test_pages import text

sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def operator(m, client):
    log_in(client, m.operator)
    return m.operator


def _lot_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'data-lot-id="(\d+)"', response.get_data(as_text=True))]


def _auction_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'data-auction-id="(\d+)"', response.get_data(as_text=True))]


def _scene(m):
    """Three lots of one bailiff: a vehicle in Pavlodar only arrested, a movable lot in Almaty whose first
    auction failed (nobody applied, Art. 84.1), a movable lot in Almaty announced."""
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    arrested = m.lot(bailiff, p["id"], category="vehicle", region="pavlodar", title="Toyota Camry 2018")
    _b, _p, failed = m.ordered_lot(bailiff, region="almaty", title="Office furniture")
    first = m.announce(bailiff, failed["id"])
    m.open_auction(first, [])
    assert bailiff.ok("GET", f"/lots/{failed['id']}")["status"] == "RETENTION_1"
    _b, _p, announced = m.ordered_lot(bailiff, region="almaty", title="Printing press")
    second = m.announce(bailiff, announced["id"])
    return bailiff, arrested, failed, announced, first, second


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_the_lists_of_lots_and_auctions_show_the_rows_their_filters_choose(m, client, operator):
    start = m.today().isoformat()
    _bailiff, arrested, failed, announced, first, second = _scene(m)
    every = client.get("/console/operator/lots?lang=en")
    assert every.status_code == 200
    assert _lot_ids(every) == [announced["id"], failed["id"], arrested["id"]]  # newest first
    shown = text(every)
    assert "Found: 3" in shown and "Toyota Camry 2018" in shown and "Pavlodar Region" in shown
    assert f'href="/console/operator/lots/{arrested["id"]}"' in every.get_data(as_text=True)
    assert _lot_ids(client.get("/console/operator/lots?region=almaty")) == [announced["id"], failed["id"]]
    assert _lot_ids(client.get("/console/operator/lots?category=vehicle")) == [arrested["id"]]
    assert _lot_ids(client.get("/console/operator/lots?status=RETENTION_1")) == [failed["id"]]
    assert _lot_ids(client.get("/console/operator/lots?round=0")) == [arrested["id"]]
    assert _lot_ids(client.get("/console/operator/lots?q=press")) == [announced["id"]]
    today = m.today().isoformat()  # the announced lot was arrested after the first auction's day
    assert _lot_ids(client.get(f"/console/operator/lots?from={start}&to={start}")) == [failed["id"], arrested["id"]]
    assert _lot_ids(client.get(f"/console/operator/lots?from={today}")) == [announced["id"]]
    assert _lot_ids(client.get("/console/operator/lots?to=2020-01-01")) == []
    assert "No lots match these filters." in text(client.get("/console/operator/lots?to=2020-01-01&lang=en"))

    auctions = client.get("/console/operator/auctions?lang=en")
    assert _auction_ids(auctions) == [second["id"], first["id"]] or \
        sorted(_auction_ids(auctions)) == sorted([second["id"], first["id"]])
    assert _auction_ids(client.get("/console/operator/auctions?status=failed")) == [first["id"]]
    assert _auction_ids(client.get("/console/operator/auctions?status=announced")) == [second["id"]]
    assert _auction_ids(client.get("/console/operator/auctions?round=2")) == []
    assert _auction_ids(client.get("/console/operator/auctions?category=vehicle")) == []
    day = second["starts_at"][:10]
    assert _auction_ids(client.get(f"/console/operator/auctions?from={day}&to={day}")) == [second["id"]]
    failed_row = text(client.get("/console/operator/auctions?status=failed&lang=en"))
    assert "Art. 84.1: there was no application, or only one" in failed_row
    # a filter value the list does not know is a clear 400, not a 500
    assert client.get("/console/operator/lots?status=NOPE").status_code == 400
    assert client.get("/console/operator/auctions?from=31.12.2026").status_code == 400
    assert client.get("/console/operator/lots?page=x").status_code == 400


@sqlite
def test_the_lists_are_paginated(m, client, operator):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    ids = [m.lot(bailiff, p["id"])["id"] for _ in range(27)]
    first = client.get("/console/operator/lots?lang=en")
    assert _lot_ids(first) == ids[::-1][:25] and "Page 1 of 2" in text(first)
    assert 'href="/console/operator/lots?lang=en&amp;page=2"' in first.get_data(as_text=True)
    assert _lot_ids(client.get("/console/operator/lots?page=2")) == ids[1::-1]


@sqlite
def test_only_an_operator_reaches_the_operators_pages(m, client):
    for url in ("/console/operator/lots", "/console/operator/auctions", "/console/operator/journal",
                "/console/operator/users", "/console/operator/figures"):
        assert client.get(url).status_code == 302  # to the login page
    log_in(client, m.user("bailiff"))
    for url in ("/console/operator/lots", "/console/operator/journal", "/console/operator/figures"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_the_journal_viewer_shows_the_entries_says_verified_and_then_broken_after_an_edit(m, app, client, operator):
    _bailiff, arrested, failed, _announced, first, _second = _scene(m)
    page = client.get("/console/operator/journal?lang=en")
    shown = text(page)
    ids = [int(x) for x in re.findall(r'data-id="(\d+)"', page.get_data(as_text=True))]
    assert ids == sorted(ids, reverse=True) and ids[0] > 10  # newest first
    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(app) as uow:
        total = uow.session.query(JournalEntry).count()
        chains = len({c for (c,) in uow.session.query(JournalEntry.chain)})
    assert f"Journal verified: {total} entries in {chains} chains hash to their records" in shown
    assert "Auction failed" in shown and "Lot arrested" not in shown
    chain = f"lot:{failed['id']}"
    with uow_for(app) as uow:
        rows = uow.session.query(JournalEntry).filter(JournalEntry.chain == chain).order_by(JournalEntry.seq).all()
        third_hash = rows[2].hash
        failed_seq = next(r.seq for r in rows if r.kind == "auction.failed")
    assert third_hash in page.get_data(as_text=True)  # each entry's hash is shown
    assert f"No. {failed_seq}" in shown and "Art. 84.1" in shown
    assert "Auction failed · there was no application, or only one" in shown  # its ground, not its code
    # the lot's own journal: its entries only
    lot_page = client.get(f"/console/operator/lots/{failed['id']}?lang=en")
    lot_text = text(lot_page)
    assert "Office furniture" in lot_text and "Journal verified" in lot_text
    lot_seqs = {int(x) for x in re.findall(r'data-seq="(\d+)"', lot_page.get_data(as_text=True))}
    with uow_for(app) as uow:
        own = {r.seq for r in uow.session.query(JournalEntry).filter(JournalEntry.lot_id == failed["id"])}
    assert lot_seqs == own and failed_seq in lot_seqs
    assert f'data-auction-id="{first["id"]}"' in lot_page.get_data(as_text=True)
    assert client.get(f"/console/operator/lots/{arrested['id'] + 1000}").status_code == 404

    # someone alters the lot's third entry in the database: the viewer says where its chain breaks
    with uow_for(app) as uow:
        uow.session.execute(update(JournalEntry).where(JournalEntry.chain == chain, JournalEntry.seq == 3)
                            .values(actor="user:999"))
        uow.commit()
    shown = text(client.get("/console/operator/journal?lang=en"))
    assert re.search(rf"Journal chain {chain} broken at entry No\. 3: \d+ entries verified before it\.", shown)
    assert "Journal verified" not in shown and "broken here" in shown
    assert f"Journal chain {chain} broken at entry No. 3" in text(
        client.get(f"/console/operator/lots/{failed['id']}?lang=en"))


def _block(client, user, reason="fraudulent bids reported by the bank"):
    return post(client, f"/console/operator/users/{user.id}/block", reason=reason)


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_a_blocked_bidder_cannot_log_in_use_his_token_or_session_nor_apply_and_unblocking_restores(
        m, app, client, operator):
    bailiff, _p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    bidder = m.user("bidder", name="Nurlan Bidder")
    theirs = app.test_client()
    log_in(theirs, bidder)  # his page session, open before the block
    assert theirs.get("/cabinet?lang=en").status_code == 200
    other = app.test_client()
    log_in(other, bidder)  # another one
    # the operator blocks him on the accounts page, with a reason
    assert _block(client, bidder).status_code == 302
    listed = text(client.get("/console/operator/users?q=Nurlan&lang=en"))
    assert "Account blocked: the person cannot log in, apply or bid until it is unblocked." in listed
    assert "fraudulent bids reported by the bank" in listed and "Unblock" in listed

    # his open session stops working: the page logs him out and says why, citing the platform rule
    r = theirs.get("/cabinet?lang=en")
    assert r.status_code == 403
    shown = text(r)
    assert "the account is blocked by the platform's operator" in shown and "SPEC §8" in shown
    assert "fraudulent bids reported by the bank" in shown
    assert theirs.get("/cabinet").status_code == 302  # logged out: to the login page
    served = other.get("/static/site.css?lang=ru")  # a file that reads no account: served, no 500
    served.close()
    assert served.status_code == 200
    r = other.get("/no-such-page?lang=ru")  # the not-found page logs him out too
    assert r.status_code == 403 and "заблокирована оператором площадки" in text(r)
    # the login page refuses him with the reason
    r = theirs.post("/login?lang=en", data={"csrf_token": csrf(theirs, "/login?lang=en"), "email": bidder.email,
                                            "password": "password123"})
    assert r.status_code == 403 and "fraudulent bids reported by the bank" in text(r)
    # in Russian and in Kazakh, the platform's sentence
    r = theirs.post("/login?lang=ru", data={"csrf_token": csrf(theirs, "/login?lang=ru"), "email": bidder.email,
                                            "password": "password123"})
    assert "заблокирована оператором площадки" in text(r)
    r = theirs.post("/login?lang=kk", data={"csrf_token": csrf(theirs, "/login?lang=kk"), "email": bidder.email,
                                            "password": "password123"})
    assert "алаң операторы бұғаттаған" in text(r)
    # the API: his token, a fresh login, an application — each refused with the code `blocked`
    body = error(bidder.get("/me"), 403, "blocked")
    assert "fraudulent bids reported by the bank" in body["message"] and "SPEC §8" in body["message"]
    error(m.client.post("/api/v1/auth/login", json={"email": bidder.email, "password": "password123"}), 403,
          "blocked")
    error(bidder.post(f"/auctions/{auction['id']}/applications", {}), 403, "blocked")

    # unblocked: he logs in, his token works, he applies
    post(client, f"/console/operator/users/{bidder.id}/unblock")
    assert "Account unblocked: the person may log in again." in text(client.get("/console/operator/users?lang=en"))
    assert bidder.ok("GET", "/me")["id"] == bidder.id
    log_in(theirs, bidder)
    assert theirs.get("/cabinet?lang=en").status_code == 200
    assert bidder.ok("POST", f"/auctions/{auction['id']}/applications", {})["participant_no"] == 1
    # both journaled, by the operator
    from service.orm import JournalEntry
    from web import uow_for
    with uow_for(app) as uow:
        entries = [(e.kind, e.payload, e.actor) for e in uow.session.query(JournalEntry).filter(
            JournalEntry.kind.in_(["user.blocked", "user.unblocked"])).order_by(JournalEntry.seq)]
    assert entries == [("user.blocked", {"user_id": bidder.id, "reason": "fraudulent bids reported by the bank"},
                        f"user:{m.operator.id}"),
                       ("user.unblocked", {"user_id": bidder.id, "reason": ""}, f"user:{m.operator.id}")]


# ---- the figures ----------------------------------------------------------------------------------------------
def _figures_scene(m):
    """Four lots: one sold at its first auction for 1,050,000.00; one kept by its collector at its valuation
    (1,000,000.00) and one sold by the debtor for 750,000.00, each after a first auction nobody applied for
    (Art. 84.1); one only arrested."""
    bailiff, _p, sold = m.ordered_lot()
    m.sell(bailiff, sold)
    keeper = m.user("collector")
    _b, _p, kept = m.ordered_lot(bailiff, proceeding={"collectors": [
        {"name": "Keeper", "iin_bin": keeper.iin_bin, "kind": "alimony", "claim": "3000000.00", "user": keeper.id}]})
    m.open_auction(m.announce(bailiff, kept["id"]), [])
    keeper.ok("POST", f"/lots/{kept['id']}/retention", {"decision": "retain"})
    debtor = m.user("debtor")
    _b, _p, own = m.ordered_lot(bailiff, proceeding={"debtor": debtor})
    m.open_auction(m.announce(bailiff, own["id"]), [])
    m.self_sale(debtor, bailiff, own["id"])
    pay = debtor.ok("POST", f"/lots/{own['id']}/self-sale/contract", {"price": "750000.00", "buyer": "A Buyer"})
    debtor.ok("POST", f"/payments/{pay['payment']['id']}/dev-pay")
    m.lot(bailiff, m.proceeding(bailiff)["id"])
    statuses = {x: bailiff.ok("GET", f"/lots/{x}")["status"] for x in (sold["id"], kept["id"], own["id"])}
    assert statuses == {sold["id"]: "SOLD", kept["id"]: "RETAINED", own["id"]: "SOLD_BY_DEBTOR"}


def _row(page: str, css: str, key: str) -> str:
    """The text of a table row of the figures page, by its data attribute."""
    found = re.search(rf'<tr data-{css}="{re.escape(key)}">(.*?)</tr>', page, re.S)
    assert found, (css, key)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_the_figures_page_counts_the_lots_sums_the_money_realized_and_the_failures_by_article(m, client, operator):
    _figures_scene(m)
    r = client.get("/console/operator/figures?lang=en")
    assert r.status_code == 200
    page, shown = r.get_data(as_text=True), text(r)
    assert _row(page, "status", "SOLD") == "Sold 1"
    assert _row(page, "status", "RETAINED") == "Kept by a collector 1"
    assert _row(page, "status", "SOLD_BY_DEBTOR") == "Sold by the debtor 1"
    assert _row(page, "status", "ARRESTED") == "Arrested 1"
    assert "Total 4" in shown
    assert "Auction, round 1 1 1,050,000.00\u00a0KZT" in shown
    assert "Sold by the debtor 1 750,000.00\u00a0KZT" in shown
    assert "Kept by a collector 1 1,000,000.00\u00a0KZT" in shown
    assert "Total 3 2,800,000.00\u00a0KZT" in shown
    assert _row(page, "article", "84.1") == "Art. 84.1 there was no application, or only one 2"
    assert _row(page, "article", "84.2").endswith(" 0")
    # the charts: server-made SVG, no script
    main = page.split("<main")[1].split("</main>")[0]
    assert page.count('<svg class="price-chart figures-chart"') == 2 and "<script" not in main
    assert 'aria-label="Lots by status"' in page
    # in Russian: the amounts as Russian prints them, the statuses by their names
    ru = text(client.get("/console/operator/figures?lang=ru"))
    assert "2\u00a0800\u00a0000,00\u00a0₸" in ru and "Продано" in ru and "ст. 84.1" in ru


# ---- the API: block and unblock ----------------------------------------------------------------------------
@sqlite
def test_the_api_blocks_and_unblocks_an_account_and_a_blocked_bidder_cannot_bid(m):
    bailiff, _p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    bidder, rival = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [bidder, rival])
    seq = m.public.ok("GET", f"/auctions/{auction['id']}/state")["seq"]
    done = m.operator.ok("POST", f"/users/{bidder.id}/block", {"reason": "identity documents forged"})
    assert done["blocked"] is True and done["blocked_reason"] == "identity documents forged"
    assert done["user"]["id"] == bidder.id and done["blocked_at"].endswith("Z")
    refused = error(bidder.post(f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "x1"}),
                    403, "blocked")
    assert "identity documents forged" in refused["message"]
    assert m.public.ok("GET", f"/auctions/{auction['id']}/state")["seq"] == seq
    # refusals: twice, no reason, unknown account, his own account, not an operator
    error(m.operator.post(f"/users/{bidder.id}/block", {"reason": "again"}), 409, "invalid_state")
    error(m.operator.post(f"/users/{rival.id}/block", {}), 400)
    error(m.operator.post("/users/999999/block", {"reason": "x"}), 404, "not_found")
    error(m.operator.post(f"/users/{m.operator.id}/block", {"reason": "x"}), 403, "forbidden")
    error(bailiff.post(f"/users/{rival.id}/block", {"reason": "x"}), 403, "forbidden")
    error(m.operator.post(f"/users/{rival.id}/unblock", {}), 409, "invalid_state")
    # unblocked: he bids
    done = m.operator.ok("POST", f"/users/{bidder.id}/unblock", {"reason": "documents checked"})
    assert (done["blocked"], done["blocked_at"], done["blocked_reason"]) == (False, None, None)
    bidder.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "x2"})
    assert m.public.ok("GET", f"/auctions/{auction['id']}/state")["price"] == "1050000.00"


@sqlite
def test_a_live_connection_of_a_blocked_bidder_bids_no_more(m):
    """A socket connected before the block: its bid is refused with `blocked`, nothing is stored."""
    from web import socketio
    bailiff, _p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    bidder, rival = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [bidder, rival])
    live = socketio.test_client(m.app, namespace="/live", headers={"Authorization": f"Bearer {bidder.token}"})
    live.emit("join", {"auction_id": auction["id"]}, namespace="/live")
    m.operator.ok("POST", f"/users/{bidder.id}/block", {"reason": "forged identity documents"})
    ack = live.emit("bid", {"auction_id": auction["id"], "amount": "1050000.00", "client_id": "s1"},
                    namespace="/live", callback=True)
    assert not ack["ok"] and ack["code"] == "blocked" and "forged identity documents" in ack["message"]
    assert m.public.ok("GET", f"/auctions/{auction['id']}/bids")["items"] == []
    live.disconnect(namespace="/live")
