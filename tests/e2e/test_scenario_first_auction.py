"""Sold at the first auction, end to end over HTTP."""

from ..helpers import error


def test_lot_is_sold_at_the_first_auction_and_the_money_distributed(m):
    bailiff, p, lot = m.ordered_lot(value="1000000.00")
    auction = m.announce(bailiff, lot["id"])
    assert auction["deposit"] == "50000.00" and auction["status"] == "announced"
    b1, b2 = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    m.open_auction(auction, [b1, b2])
    state = m.public.ok("GET", f"/auctions/{auction['id']}/state")
    assert state["status"] == "open" and state["next_price"] == str(1000000 + 50000) + ".00"
    r = b1.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "a1"})
    assert r["state"]["price"] == "1050000.00" and r["state"]["leader_no"] == 1
    # a stale price is refused with the current one
    e = error(b2.post(f"/auctions/{auction['id']}/bids", {"amount": "1050000.00", "client_id": "b1"}), 422,
              "wrong_price", "80.3")
    assert "1050000.00" in e["message"]
    b2.ok("POST", f"/auctions/{auction['id']}/bids", {"amount": "1100000.00", "client_id": "b2"})
    m.advance(minutes=11)
    m.tick()
    a = bailiff.ok("GET", f"/auctions/{auction['id']}")
    assert a["status"] == "closed" and a["winner_no"] == 2 and a["final_price"] == "1100000.00"
    a = bailiff.ok("POST", f"/auctions/{auction['id']}/results/approval")
    pays = b2.ok("GET", "/me/payments")["items"]
    winner_pay = [x for x in pays if x["kind"] == "winner"][0]
    assert winner_pay["amount"] == "1050000.00"  # price minus the deposit
    b2.ok("POST", f"/payments/{winner_pay['id']}/dev-pay")
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SOLD"
    dist = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")
    assert dist["statements"][0]["recovered"] == "1100000.00"
    m.tick()  # the loser's deposit is refunded
    bal = m.balances()
    assert bal.get(f"bidder:{b1.id}:deposit", "0.00") == "0.00"
    assert bal.get(f"bidder:{b2.id}:deposit", "0.00") == "0.00"
    assert sum(__import__("decimal").Decimal(v) for v in bal.values()) == 0
