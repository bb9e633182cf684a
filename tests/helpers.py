"""An HTTP driver for scenario tests: accounts per role, factories that walk a lot through its
lifecycle over the public API, the sweeper, and assertions on error bodies."""
from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from auction.identity import make_bin, make_iin
from auction.money import fmt
from service.payments import sign

_serial = itertools.count(1)
_PASSWORD_HASH: list[str] = []  # argon2 is slow on purpose: hash the shared test password once


def password_hash() -> str:
    if not _PASSWORD_HASH:
        from web.auth import hash_password
        _PASSWORD_HASH.append(hash_password("password123"))
    return _PASSWORD_HASH[0]


def iin(n: int | None = None) -> str:
    """A valid IIN (check digit computed), unique per call."""
    n = next(_serial) if n is None else n
    for k in range(n, n + 50):
        try:
            return make_iin(date(1980 + k % 20, 1 + k % 12, 1 + k % 28), "M" if k % 2 else "F", 1000 + k)
        except ValueError:
            continue
    raise AssertionError("no IIN")


def bin_(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    for k in range(n, n + 50):
        try:
            return make_bin(date(2005 + k % 15, 1 + k % 12, 1), 100 + k)
        except ValueError:
            continue
    raise AssertionError("no BIN")


class User:
    def __init__(self, mulik: "Mulik", id: int, role: str, email: str, token: str, iin_bin: str):
        self.m, self.id, self.role, self.email, self.token, self.iin_bin = mulik, id, role, email, token, iin_bin

    def _req(self, method, url, body=None, **kw):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        r = self.m.client.open(f"/api/v1{url}", method=method, json=body, headers=headers, **kw)
        return r

    def get(self, url, **kw):
        return self._req("GET", url, **kw)

    def post(self, url, body=None, **kw):
        return self._req("POST", url, body if body is not None else {}, **kw)

    def put(self, url, body=None, **kw):
        return self._req("PUT", url, body if body is not None else {}, **kw)

    def ok(self, method, url, body=None, status=(200, 201)):
        r = self._req(method, url, body if body is not None or method == "GET" else {})
        assert r.status_code in (status if isinstance(status, tuple) else (status,)), (url, r.status_code, r.get_json())
        return r.get_json()


REAL_ESTATE_TITLE = {"cadastral_number": "20:311:022:123", "address": "Astana, Mangilik El 10, apt 5",
                     "area": "74.50", "title_reg_no": "R-2019-4411", "title_reg_date": "2019-04-11"}


# Art. 66.4: the specialist's conclusion movable property is excluded on.
EXCLUSION = {"conclusion_no": "SC-17", "conclusion_date": "2026-11-30", "specialist": "A. Specialist",
             "reason": "proceeds_below_expenses"}


class Mulik:
    """Drives the platform over HTTP the way its users do."""

    def __init__(self, app, clock):
        self.app, self.clock = app, clock
        self.client = app.test_client()
        self.public = User(self, 0, "public", "", "", "")
        self.operator = self.user("operator")

    # ---- accounts ---------------------------------------------------------------------------
    def user(self, role: str, *, iin_bin: str | None = None, name: str | None = None) -> User:
        from service.orm import User as UserRow
        from web import uow_for
        from web.auth import new_token
        n = next(_serial)
        iin_bin = iin_bin or iin()
        email = f"{role}{n}@example.kz"
        token, digest = new_token()
        with uow_for(self.app, "test") as uow:
            u = UserRow(email=email, password_hash=password_hash(), role=role,
                        full_name=name or f"{role.title()} {n}", iin_bin=iin_bin, api_token_hash=digest,
                        created_at=self.clock())
            uow.session.add(u)
            uow.commit()
            uid = u.id
        return User(self, uid, role, email, token, iin_bin)

    # ---- factories -----------------------------------------------------------------------------
    def proceeding(self, bailiff: User, *, debtor: User | None = None, collectors: list[dict] | None = None,
                   private: bool = False, **extra) -> dict:
        debtor = debtor or self.user("debtor")
        if collectors is None:
            c = self.user("collector")
            collectors = [{"name": "Collector One", "iin_bin": c.iin_bin, "kind": "other", "claim": "3000000.00",
                           "user": c.id}]
        body = {"number": f"EP-{next(_serial)}", "private_bailiff": private,
                "debtor": {"name": "Debtor Name", "iin_bin": debtor.iin_bin, "user": debtor.id},
                "collectors": collectors, **extra}
        return bailiff.ok("POST", "/proceedings", body)

    def lot(self, bailiff: User, proceeding_id: int, *, category="movable", price="1000000.00",
            **extra) -> dict:
        # Art. 63.2: real estate is recorded by its title, movable property by its inventory.
        described = REAL_ESTATE_TITLE if category in ("real_estate", "dwelling") else {
            "items": [{"name": "item", "marks": "used", "price": price}]}
        body = {"title": f"Lot {next(_serial)}", "description": "seized property", "category": category,
                **described, **extra}
        return bailiff.ok("POST", f"/proceedings/{proceeding_id}/lots", body)

    def value(self, bailiff: User, lot_id: int, value="1000000.00", report_date: date | None = None) -> dict:
        appraiser = self.user("appraiser")
        bailiff.ok("POST", f"/lots/{lot_id}/valuation/appointment", {"appraiser": appraiser.id})
        return appraiser.ok("POST", f"/lots/{lot_id}/valuation/report",
                            {"value": value, "report_no": f"R-{lot_id}",
                             "report_date": (report_date or self.today()).isoformat()})

    def ordered_lot(self, bailiff: User | None = None, *, value="1000000.00", category="movable", **kw):
        bailiff = bailiff or self.user("bailiff")
        p = self.proceeding(bailiff, **kw.pop("proceeding", {}))
        lot = self.lot(bailiff, p["id"], category=category, **kw)
        self.value(bailiff, lot["id"], value)
        bailiff.ok("POST", f"/lots/{lot['id']}/realization-order", {})
        return bailiff, p, lot

    def self_sale(self, debtor: User, bailiff: User, lot_id: int, body: dict | None = None) -> dict:
        """Art. 74.2: the debtor applies in writing and the bailiff grants; returns the lot after the grant."""
        debtor.ok("POST", f"/lots/{lot_id}/self-sale", body or {})
        return bailiff.ok("POST", f"/lots/{lot_id}/self-sale/grant")

    def sell(self, bailiff: User, lot: dict, price="1050000.00") -> list:
        """The ordered lot sold at its first auction (two bidders, one bid), paid; its distribution statements."""
        auction = self.announce(bailiff, lot["id"])
        b1, b2 = self.bidder_admitted(auction["id"]), self.bidder_admitted(auction["id"])
        self.open_auction(auction, [b1, b2])
        b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": price, "client_id": "b1"})
        self.advance(minutes=11)
        self.tick()
        bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
        pay = next(x for x in b1.ok("GET", "/me/payments")["items"] if x["kind"] == "winner")
        b1.ok("POST", f"/payments/{pay['id']}/dev-pay")
        return bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"]

    def announce(self, bailiff: User, lot_id: int, *, days=12, **extra) -> dict:
        starts = self.auction_time(days)
        return bailiff.ok("POST", f"/lots/{lot_id}/auctions", {"starts_at": starts, **extra})

    def auction_time(self, days: int) -> str:
        """11:00 Almaty on the first working day at least `days` days from now."""
        from auction.calendar import WorkingCalendar
        cal = WorkingCalendar()
        d = self.today() + timedelta(days=days)
        while not cal.is_working_day(d):
            d += timedelta(days=1)
        return datetime(d.year, d.month, d.day, 6, 0, tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")

    def bidder_admitted(self, auction_id: int, bidder: User | None = None, **declaration) -> User:
        bidder = bidder or self.user("bidder")
        app = bidder.ok("POST", f"/auctions/{auction_id}/applications", declaration)
        if app["payment"]:
            bidder.ok("POST", f"/payments/{app['payment']['id']}/dev-pay")
        return bidder

    def open_auction(self, auction: dict, bidders: list[User], online: list[User] | None = None) -> None:
        """Move the clock to the opening, the online ones join, the sweeper opens the auction."""
        starts = datetime.fromisoformat(auction["starts_at"].replace("Z", "+00:00"))
        self.clock.set(starts - timedelta(minutes=1))
        for b in (bidders if online is None else online):
            b.ok("POST", f"/auctions/{auction['id']}/presence")
        self.clock.set(starts + timedelta(seconds=1))
        self.tick()

    def open_with_two_bidders(self, value: str = "1000000.00") -> tuple[dict, User, User]:
        """A lot's first auction announced, two bidders admitted and online, open now."""
        bailiff, _, lot = self.ordered_lot(value=value)
        auction = self.announce(bailiff, lot["id"])
        b1, b2 = self.bidder_admitted(auction["id"]), self.bidder_admitted(auction["id"])
        self.open_auction(auction, [b1, b2])
        return auction, b1, b2

    # ---- time and the sweeper -----------------------------------------------------------------
    def today(self) -> date:
        from auction.calendar import local_date
        return local_date(self.clock())

    def tick(self) -> dict:
        from service.sweeper import sweep
        from web import uow_for
        return sweep(lambda: uow_for(self.app, "system:sweeper"))

    def advance(self, **kw) -> None:
        self.clock.advance(timedelta(**kw))

    # ---- payments -------------------------------------------------------------------------------
    def webhook(self, reference: str, amount: str, key: str, secret: str = "test-webhook-secret"):
        body = json.dumps({"reference": reference, "amount": amount, "idempotency_key": key}).encode()
        return self.client.post("/api/v1/payments/webhook", data=body, content_type="application/json",
                                headers={"X-Mulik-Signature": sign(secret, body)})

    # ---- inspection -----------------------------------------------------------------------------
    def balances(self) -> dict:
        from sqlalchemy import func

        from service.orm import Posting
        from web import uow_for
        with uow_for(self.app) as uow:
            rows = uow.session.execute(
                select(Posting.account, func.sum(Posting.amount)).group_by(Posting.account)).all()
        return {a: fmt(b) for a, b in rows}


def error(r, status: int, code: str | None = None, article: str | None = None) -> dict:
    body = r.get_json()
    assert r.status_code == status, (r.status_code, body)
    assert set(body) == {"error"} and {"code", "message", "article"} <= set(body["error"]), body
    if code:
        assert body["error"]["code"] == code, body
    if article:
        assert body["error"]["article"] == article, body
        assert body["error"]["message"].startswith(f"Art. {article}"), body
    return body["error"]


def assert_journal_intact(session) -> list:
    """The journal as `mulik journal verify` checks it (every chain, its head record, the anchors) and every
    chain numbered 1, 2, 3… without a gap; the entries in the order they were written."""
    from sqlalchemy import select

    from service.orm import JournalEntry
    from service.queries.platform import journal_chain
    result = journal_chain(session)
    assert result.ok, result
    rows = session.execute(select(JournalEntry).order_by(JournalEntry.id)).scalars().all()
    chains: dict[str, list[int]] = {}
    for e in rows:
        chains.setdefault(e.chain, []).append(e.seq)
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in chains.values()), chains
    return rows
