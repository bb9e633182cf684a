"""The bailiff's console beyond the happy path, over HTTP with the session cookie: a party disputes
the valuation from the cabinet and the bailiff records the outcome (Art. 68.3–68.4), the parties agree
the value (Art. 68.5), an announced auction is cancelled with every deposit refunded, a proceeding is
suspended, resumed and released (Art. 42, 47), a lot is excluded (Art. 66.4), and the distribution
statement of a sale is shown as a table (Art. 108–112). Refusals name their rule and change nothing."""
from __future__ import annotations

import re

from .test_api_contract import assert_unchanged, snapshot
from .test_console_pages import log_in, post
from .test_documents_and_cancellation import _sell
from .test_pages import text
from .test_party_pages import log_out


def _valued_lot(m, debtor, collector):
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor, collectors=[
        {"name": "Aigul Collector", "iin_bin": collector.iin_bin, "kind": "other", "claim": "3000000.00",
         "user": collector.id}])
    lot = m.lot(bailiff, p["id"])
    m.value(bailiff, lot["id"], "1000000.00")
    return bailiff, p, lot


def test_a_debtor_disputes_the_valuation_and_the_bailiff_records_that_the_report_is_invalid(client, m):
    debtor, collector = m.user("debtor"), m.user("collector")
    bailiff, p, lot = _valued_lot(m, debtor, collector)
    log_in(client, debtor)
    assert "You may dispute the valuation of 1,000,000.00" in text(client.get("/cabinet?lang=en"))
    post(client, f"/cabinet/lots/{lot['id']}/dispute", forum="expert_council", grounds="the car is newer")
    shown = text(client.get("/cabinet?lang=en"))
    assert "Dispute filed (Art. 68.3)" in shown and "the bailiff records the conclusion" in shown
    log_out(client)

    log_in(client, bailiff)
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "The valuation is disputed (Art. 68.3)" in shown and "Order the realization" not in shown
    assert "before the expert council of the appraisers' chamber" in shown and "the car is newer" in shown
    before = snapshot(m)
    post(client, f"/console/lots/{lot['id']}", action="order")  # refused by the rule while disputed
    refusal = client.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    assert re.search(r'class="flash error"[^>]*>\s*Art\. 68\.\d: ', refusal), refusal[:3000]
    assert_unchanged(m, before)
    page = client.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    dispute_id = re.search(r'name="dispute_id" value="(\d+)"', page).group(1)
    post(client, f"/console/lots/{lot['id']}", action="resolve", dispute_id=dispute_id, outcome="invalid")
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Dispute resolved (Art. 68.3)." in shown
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "VALUATION"  # a new valuation is needed


def test_the_debtor_and_the_collector_agree_the_value_from_their_cabinets(client, m):
    debtor, collector = m.user("debtor"), m.user("collector")
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff, debtor=debtor, collectors=[
        {"name": "Aigul Collector", "iin_bin": collector.iin_bin, "kind": "other", "claim": "3000000.00",
         "user": collector.id}])
    lot = m.lot(bailiff, p["id"])
    log_in(client, debtor)
    post(client, f"/cabinet/lots/{lot['id']}/agreement", value="900000.00")
    shown = text(client.get("/cabinet?lang=en"))
    assert "Value agreement signed (Art. 68.5)." in shown and "Signed so far: 900,000.00" in shown
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "ARRESTED"  # the collector has not signed
    log_out(client)
    log_in(client, collector)
    post(client, f"/cabinet/lots/{lot['id']}/agreement", value="900000.00")
    view = bailiff.ok("GET", f"/lots/{lot['id']}")
    assert view["status"] == "VALUED" and view["valuation"]["value"] == "900000.00"
    assert view["valuation"]["method"] == "agreement"
    log_out(client)
    log_in(client, m.user("collector"))  # not a party of this case: nothing to sign, and refused if tried
    before = snapshot(m)
    post(client, f"/cabinet/lots/{lot['id']}/dispute", forum="court")
    assert "not a party" in text(client.get("/cabinet?lang=en"))
    assert_unchanged(m, before)


def test_the_bailiff_cancels_an_announced_auction_from_the_console_and_deposits_are_refunded(client, m):
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    bidder = m.bidder_admitted(auction["id"])
    assert m.balances()[f"bidder:{bidder.id}:deposit"] == "50000.00"
    log_in(client, bailiff)
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Cancel the auction and refund every deposit" in shown
    before = snapshot(m)
    post(client, f"/console/lots/{lot['id']}", action="cancel", auction_id=str(auction["id"]), reason="")
    refusal = client.get(f"/console/lots/{lot['id']}?lang=en").get_data(as_text=True)
    assert re.search(r'class="flash error"[^>]*>[^<]*reason', refusal)  # a reason is required
    assert_unchanged(m, before)
    post(client, f"/console/lots/{lot['id']}", action="cancel", auction_id=str(auction["id"]),
         reason="court order No 5")
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Auction cancelled; every deposit is refunded." in shown
    assert bailiff.ok("GET", f"/auctions/{auction['id']}")["status"] == "cancelled"
    m.tick()  # the refund is paid out by the sweeper
    assert m.balances()[f"bidder:{bidder.id}:deposit"] == "0.00"
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"  # may be announced again


def test_a_proceeding_is_suspended_resumed_and_released_from_the_console(client, m):
    bailiff, p, lot = m.ordered_lot()
    log_in(client, bailiff)
    post(client, f"/console/proceedings/{p['id']}", action="suspend", reason="debtor's appeal")
    shown = text(client.get(f"/console/proceedings/{p['id']}?lang=en"))
    assert "Proceeding suspended (Art. 42)" in shown and "Suspended: debtor's appeal" in shown
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "SUSPENDED"
    before = snapshot(m)
    post(client, f"/console/proceedings/{p['id']}", action="suspend", reason="again")
    assert "Art. 42" in text(client.get(f"/console/proceedings/{p['id']}?lang=en"))  # already suspended
    assert_unchanged(m, before)
    post(client, f"/console/proceedings/{p['id']}", action="resume")
    assert "Proceeding resumed (Art. 42)." in text(client.get(f"/console/proceedings/{p['id']}?lang=en"))
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    post(client, f"/console/proceedings/{p['id']}", action="release", reason="paid at the bank")
    assert "the lots are released" in text(client.get(f"/console/proceedings/{p['id']}?lang=en"))
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "RELEASED"
    log_out(client)
    log_in(client, m.user("bailiff"))  # another bailiff's case: not found, nothing changes
    before = snapshot(m)
    assert post(client, f"/console/proceedings/{p['id']}", action="resume").status_code == 404
    assert_unchanged(m, before)


def test_a_lot_is_excluded_from_the_inventory_with_its_reason(client, m):
    bailiff, p, lot = m.ordered_lot()
    log_in(client, bailiff)
    # Art. 66.4: on the specialist's conclusion that the property is unsaleable or not worth its costs
    post(client, f"/console/lots/{lot['id']}", action="withdraw", conclusion_no="SC-17", conclusion_date="2026-11-30",
         specialist="A. Specialist", reason="proceeds_below_expenses")
    shown = text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    assert "Lot excluded from the inventory (Art. 66.4)." in shown
    assert "End enforcement on this lot" not in shown  # a final state: no more actions
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["status"] == "WITHDRAWN"


def test_the_distribution_of_a_sale_is_a_table_on_the_console(client, m):
    bailiff, p, lot, auction, winner = _sell(m)
    log_in(client, bailiff)
    page = client.get(f"/console/lots/{lot['id']}?lang=en")
    shown = text(page)
    assert "Distribution of the proceeds (Art. 108–112)" in shown and "Recovered 1,050,000.00" in shown
    statement = bailiff.ok("GET", f"/lots/{lot['id']}/distribution")["statements"][0]
    rows = page.get_data(as_text=True).count('<tr class="line">')
    assert rows == len(statement["lines"]) > 0
    collector_line = next(ln for ln in statement["lines"] if ln["kind"] == "collector")
    assert "Collector's claim" in shown and "Collector One" in shown and f"Art. {collector_line['article']}" in shown
    assert "Total" in shown


# ---- photos of the inventory -------------------------------------------------------------------------------
def _jpeg_with_gps() -> bytes:
    import io

    from PIL import Image
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 54.0, 0.0)}  # GPS: a home in Almaty
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload(client, lot_id: int, data: bytes, name: str = "photo.jpg"):
    import io

    from .test_cabinet_pages import csrf
    path = f"/console/lots/{lot_id}"
    return client.post(path, data={"csrf_token": csrf(client, path), "action": "photo",
                                   "photo": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_bailiff_uploads_a_photo_which_is_stored_without_its_location_and_shown_on_the_lot_page(client, m):
    import io

    from PIL import Image
    bailiff, p, lot = m.ordered_lot()
    log_in(client, bailiff)
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # the camera's GPS block is there
    assert _upload(client, lot["id"], original).status_code == 302
    assert "Photo added to the lot's inventory." in text(client.get(f"/console/lots/{lot['id']}?lang=en"))
    photos = m.public.ok("GET", f"/lots/{lot['id']}")["photos"]
    assert len(photos) == 1 and re.fullmatch(r"/photos/\d+", photos[0])
    assert f'<img src="{photos[0]}"' in client.get(f"/lots/{lot['id']}").get_data(as_text=True)
    served = client.get(photos[0])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    img = Image.open(io.BytesIO(served.data))
    assert img.size == (64, 48) and not img.getexif()  # no GPS, no camera make: metadata dropped
    entry = next(e for e in m.public.ok("GET", f"/lots/{lot['id']}/journal")["items"] if e["kind"] == "lot.photo_added")
    assert entry["article"] == "66.3"
    assert client.get("/photos/999999").status_code == 404


def test_what_is_not_a_jpeg_or_png_photo_is_refused_and_changes_nothing(client, m):
    import io

    from PIL import Image
    bailiff, p, lot = m.ordered_lot()
    log_in(client, bailiff)
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    for data, name, words in ((b"<script>alert(1)</script>", "photo.jpg", "not a readable JPEG or PNG photo"),
                              (gif.getvalue(), "photo.gif", "a photo is JPEG or PNG, not GIF"),
                              (b"", "empty.jpg", "choose a photo to upload")):
        before = snapshot(m)
        _upload(client, lot["id"], data, name)
        assert words in text(client.get(f"/console/lots/{lot['id']}?lang=en")), words
        assert_unchanged(m, before)
    assert m.public.ok("GET", f"/lots/{lot['id']}")["photos"] == []


def test_only_the_lots_own_bailiff_uploads_its_photos(client, m):
    bailiff, p, lot = m.ordered_lot()
    log_in(client, m.user("bailiff"))
    before = snapshot(m)
    assert _upload(client, lot["id"], _jpeg_with_gps()).status_code == 404
    assert_unchanged(m, before)


def test_the_bailiff_corrects_a_claims_kind_from_the_collector_list_and_a_refusal_changes_nothing(client, m):
    """Art. 111–112: a claim migrated as "other" (queue 5) corrected to alimony on its writ."""
    bailiff = m.user("bailiff")
    collector = m.user("collector")
    p = m.proceeding(bailiff, collectors=[{"name": "Aigul Mother", "iin_bin": collector.iin_bin, "kind": "other",
                                           "claim": "400000.00", "user": collector.id}])
    [c] = p["collectors"]
    log_in(client, bailiff)
    page = client.get(f"/console/proceedings/{p['id']}?lang=en").get_data(as_text=True)
    assert 'name="action" value="claim_kind"' in page and f'name="collector_id" value="{c["id"]}"' in page
    assert "Correct the kind of the claim (Art. 111–112)" in text(client.get(f"/console/proceedings/{p['id']}?lang=en"))
    before = snapshot(m)
    post(client, f"/console/proceedings/{p['id']}", action="claim_kind", collector_id=str(c["id"]), kind="alimony",
         reason="migrated as other")  # no writ named
    refusal = client.get(f"/console/proceedings/{p['id']}?lang=en").get_data(as_text=True)
    assert re.search(r'class="flash error"[^>]*>\s*Art\. 111: ', refusal), refusal[:3000]
    assert_unchanged(m, before)
    post(client, f"/console/proceedings/{p['id']}", action="claim_kind", collector_id=str(c["id"]), kind="alimony",
         basis="writ No 2-311/2019 of 12.03.2019", reason="migrated as other")
    shown = text(client.get(f"/console/proceedings/{p['id']}?lang=en"))
    assert "The kind of the claim is corrected; its queue follows from it (Art. 111–112)." in shown
    assert "Aigul Mother — Alimony, queue 1 (Art. 111)" in shown
    assert "from «Other claim» to «Alimony» on writ No 2-311/2019 of 12.03.2019: migrated as other" in shown
    [after] = bailiff.ok("GET", f"/proceedings/{p['id']}")["collectors"]
    assert (after["kind"], after["queue"]) == ("alimony", 1)
    log_out(client)
    log_in(client, m.user("bailiff"))  # another bailiff's case: not found, nothing changes
    before = snapshot(m)
    assert post(client, f"/console/proceedings/{p['id']}", action="claim_kind", collector_id=str(c["id"]),
                kind="other", basis="x", reason="y").status_code == 404
    assert_unchanged(m, before)


def _flash_error(client, path: str, article: str) -> None:
    page = client.get(path).get_data(as_text=True)
    assert re.search(rf'class="flash error"[^>]*>\s*Art\. {re.escape(article)}: ', page), page[:3000]


def test_the_bailiff_disqualifies_a_participant_from_the_console_and_the_deposit_is_forfeited(client, m):
    """Art. 80.2, 80.4 (third part): the participant, the ground and what was found."""
    bailiff, p, lot = m.ordered_lot()
    auction = m.announce(bailiff, lot["id"])
    first, second = m.bidder_admitted(auction["id"]), m.bidder_admitted(auction["id"])
    log_in(client, bailiff)
    path = f"/console/lots/{lot['id']}?lang=en"
    page = client.get(path).get_data(as_text=True)
    assert 'name="action" value="disqualify"' in page and 'name="participant_no"' in page
    assert "Disqualify a participant found without the right to take part (Art. 80.2, 80.4)" in text(client.get(path))
    before = snapshot(m)
    post(client, f"/console/lots/{lot['id']}", action="disqualify", auction_id=str(auction["id"]), participant_no="1",
         ground="debtor")  # nothing said about what was found
    _flash_error(client, path, "80.4")
    assert_unchanged(m, before)
    post(client, f"/console/lots/{lot['id']}", action="disqualify", auction_id=str(auction["id"]), participant_no="1",
         ground="debtor", reason="the register shows the applicant is the debtor's company")
    shown = text(client.get(path))
    assert "Participant disqualified: the deposit is forfeited (Art. 80.4, 80.5)." in shown
    statuses = {x["participant_no"]: x["status"]
                for x in bailiff.ok("GET", f"/auctions/{auction['id']}")["applications"]}
    assert statuses == {1: "disqualified", 2: "admitted"}
    assert m.balances().get(f"bidder:{first.id}:deposit", "0.00") == "0.00"
    assert m.balances()[f"bidder:{second.id}:deposit"] == "50000.00"
    log_out(client)
    log_in(client, m.user("bailiff"))  # another bailiff's case: not found, nothing changes
    before = snapshot(m)
    assert post(client, f"/console/lots/{lot['id']}", action="disqualify", auction_id=str(auction["id"]),
                participant_no="2", ground="debtor", reason="x").status_code == 404
    assert_unchanged(m, before)


def test_the_operator_passes_a_proceeding_to_another_bailiff_from_the_cabinet(client, m):
    """Order No 211 of 28.02.2026; Art. 25.4, 123.6: only the operator, on a stated decision."""
    bailiff, p, lot = m.ordered_lot()
    successor = m.user("bailiff", name="Dana Successor")
    log_in(client, m.operator)
    shown = text(client.get("/cabinet?lang=en"))
    assert "Pass a proceeding to another bailiff" in shown and p["number"] in shown and "Dana Successor" in shown
    before = snapshot(m)
    post(client, "/cabinet/proceedings/transfer", proceeding_id=str(p["id"]), bailiff=str(successor.id),
         private_bailiff="no")  # no decision named
    _flash_error(client, "/cabinet?lang=en", "25.4")
    assert_unchanged(m, before)
    post(client, "/cabinet/proceedings/transfer", proceeding_id=str(p["id"]), bailiff=str(successor.id),
         private_bailiff="no", basis="Order of the justice department No 77 of 01.12.2026")
    assert "The proceeding passed to the new bailiff" in text(client.get("/cabinet?lang=en"))
    assert successor.ok("GET", f"/proceedings/{p['id']}")["bailiff_id"] == successor.id
    assert successor.ok("GET", f"/lots/{lot['id']}")["status"] == "REALIZATION_ORDERED"
    log_out(client)
    log_in(client, bailiff)  # a bailiff has no such form and is refused
    assert "Pass a proceeding to another bailiff" not in text(client.get("/cabinet?lang=en"))
    before = snapshot(m)
    assert post(client, "/cabinet/proceedings/transfer", proceeding_id=str(p["id"]), bailiff=str(bailiff.id),
                private_bailiff="no", basis="x").status_code == 403
    assert_unchanged(m, before)


def test_the_bailiff_records_a_co_owners_notification_and_answer_from_the_console(client, m):
    """Art. 60.1–60.2: each co-owner notified and offered the share; the period runs from the notice."""
    from ..helpers import iin
    bailiff = m.user("bailiff")
    p = m.proceeding(bailiff)
    lot = m.lot(bailiff, p["id"], common_share=True, coowners=[{"name": "Saule Co-owner", "iin_bin": iin()}])
    [coowner] = bailiff.ok("GET", f"/lots/{lot['id']}")["coowners"]
    log_in(client, bailiff)
    path = f"/console/lots/{lot['id']}?lang=en"
    shown = text(client.get(path))
    assert "Co-owners and their pre-emption (Art. 60)" in shown and "Saule Co-owner" in shown
    assert "not notified yet" in shown and "The co-owner's answer" not in shown  # not notified: nothing to answer
    before = snapshot(m)
    post(client, f"/console/lots/{lot['id']}", action="coowner_notified", coowner_id=str(coowner["id"]),
         notified_on="2027-01-15")  # in the future
    _flash_error(client, path, "60.2")
    assert_unchanged(m, before)
    post(client, f"/console/lots/{lot['id']}", action="coowner_notified", coowner_id=str(coowner["id"]),
         notified_on=m.today().isoformat())
    shown = text(client.get(path))
    assert "The co-owner's notification is recorded; the pre-emption period runs from it (Art. 60.2)." in shown
    assert "The pre-emption runs until Dec 11, 2026" in shown  # movable property: ten days from 1 December
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["deadlines"]["preemption_ends_on"] == "2026-12-11"
    post(client, f"/console/lots/{lot['id']}", action="coowner_decision", coowner_id=str(coowner["id"]),
         decision="declined")
    shown = text(client.get(path))
    assert "The co-owner's answer to the offer is recorded (Art. 60.1)." in shown
    assert "Every co-owner declined the share." in shown and "declined the share" in shown
    assert bailiff.ok("GET", f"/lots/{lot['id']}")["preemption_declined"] is True
