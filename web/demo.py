"""Demo data for `make run`: a proceeding whose lots stand in different states, walked
through the real use cases with a demo clock that starts weeks ago and ends now.

- a lot sold at its first auction, with its distribution statement;
- a lot whose auction is open for bidding now;
- a lot with an announced auction;
- a dwelling in its debtor's three-month self-sale window.
"""
from __future__ import annotations

import time as time_
from datetime import date, datetime, time, timedelta, timezone

from auction import calendar as cal
from auction import commands as c
from auction.clock import FakeClock
from auction.identity import make_bin, make_iin
from service import accounts
from service.handlers import entry, handle
from service.queries import accounts as people
from service.queries import payments as payment_rows
from service.runner import Caller, Runner
from service.sweeper import sweep
from valuation.commands import AppointAppraiser, FileReport

from .auth import PASSWORDS

PASSWORD = "demo12345"
# The people of the demo as a Kazakh platform's users are: Kazakh names; a lot's title and description
# in Kazakh and Russian ("kk / ru"), so the catalogue's search finds either (issue 13 point 4).
ACCOUNTS = [  # email, role, name, iin
    ("operator@mulik.kz", "operator", "Айгерім Оспанова", make_iin(datetime(1985, 3, 4).date(), "F", 101)),
    ("bailiff@mulik.kz", "bailiff", "Нұрлан Қасымов", make_iin(datetime(1979, 6, 12).date(), "M", 102)),
    ("debtor@mulik.kz", "debtor", "Серік Әлиев", make_iin(datetime(1975, 1, 20).date(), "M", 103)),
    ("debtor2@mulik.kz", "debtor", "Дана Серікова", make_iin(datetime(1988, 9, 9).date(), "F", 104)),
    ("collector@mulik.kz", "collector", "Мадина Бекова", make_iin(datetime(1990, 2, 2).date(), "F", 105)),
    ("bank@mulik.kz", "collector", "«Демо Банк» АҚ / АО «Демо Банк»", make_bin(datetime(2004, 5, 1).date(), 106)),
    ("appraiser@mulik.kz", "appraiser", "Олжас Төлеуов", make_iin(datetime(1982, 11, 30).date(), "M", 107)),
    ("bidder1@mulik.kz", "bidder", "Ерлан Сапаров", make_iin(datetime(1991, 4, 14).date(), "M", 108)),
    ("bidder2@mulik.kz", "bidder", "Әсел Нұрланова", make_iin(datetime(1993, 7, 21).date(), "F", 109)),
    ("bidder3@mulik.kz", "bidder", "Тимур Ахметов", make_iin(datetime(1987, 12, 3).date(), "M", 111)),
]
WAREHOUSE = "Алматы қ., №2 сақтау қоймасы / г. Алматы, склад ответственного хранения №2"
# The demo bailiff's office contact, public on his lots' pages (users.office, users.phone).
OFFICE = ("Алматы қ. Әділет департаментінің сот актілерін орындау бөлімі, Әуезов ауданы, Абай даңғылы, 150, 214 "
          "кабинет / Отдел исполнения судебных актов Департамента юстиции г. Алматы, Ауэзовский район, пр. Абая, 150, "
          "кабинет 214")
PHONE = "+7 727 255 41 18"
VIEWING = ("Жұмыс күндері 10:00–17:00, сот орындаушымен алдын ала келісу бойынша / По рабочим дням с 10:00 до 17:00, "
           "по предварительной договорённости с судебным исполнителем")


def _slot(day) -> datetime:
    """11:00 Almaty on `day`, as UTC."""
    return datetime.combine(day, time(11, 0), tzinfo=cal.KZ_TZ).astimezone(timezone.utc)


def _last_trading_slot(now: datetime, calendar: cal.WorkingCalendar) -> datetime:
    day = cal.local_date(now)
    while not calendar.is_working_day(day) or _slot(day) > now - timedelta(minutes=30):
        day -= timedelta(days=1)
    return _slot(day)


def _next_trading_slot(after: datetime, calendar: cal.WorkingCalendar) -> datetime:
    day = cal.local_date(after)
    while not calendar.is_working_day(day) or _slot(day) <= after:
        day += timedelta(days=1)
    return _slot(day)


def seed(platform, echo=print) -> bool:
    """Seed an empty database; return False (and change nothing) when it already has users.
    `platform`: the composition root's (service/bootstrap.py) — the web app's, or the CLI's without one."""
    demo = Caller(system="system:demo")
    if platform["runner"](demo, people.any_account):
        echo("database already has data: demo seed skipped")
        _print_accounts(echo)
        return False
    now = platform["clock"]()
    calendar = cal.WorkingCalendar()
    open_slot = _last_trading_slot(now, calendar)
    clock = FakeClock(open_slot - timedelta(days=40))

    def uow():
        """On the demo's clock, without the live layer's presence (the demo's participants are seen
        in the room by `join`, Art. 84.4)."""
        return platform.uow("system:demo", clock=clock, live=False)
    runner = Runner(uow)

    started = time_.monotonic()
    echo("Seeding the demo data (about half a minute; every step runs the real use cases):")
    echo("  accounts of every role ...")
    users = runner(demo, accounts.add_demo_accounts, ACCOUNTS, PASSWORD, PASSWORDS)
    bailiff, appraiser = users["bailiff"], users["appraiser"]
    bidders = [users["bidder1"], users["bidder2"], users["bidder3"]]
    runner(Caller.of(bailiff), accounts.set_office, accounts.SetOffice(OFFICE, PHONE))

    def run(fn, actor, *args):
        """A command (its class, built from `args`) or a read, as `actor`."""
        if isinstance(fn, type) and issubclass(fn, c.Command):
            fn = entry(fn)
        return runner(Caller.of(actor), fn, *args)

    echo("  two proceedings, four lots with their inventory, valuations and realization orders ...")
    p1 = run(c.CreateProceeding, bailiff, {
        "number": "02-0001-2026", "private_bailiff": False, "fines": "15000.00", "expenses": "42000.00",
        "debtor": {"name": "Серік Әлиев", "iin_bin": users["debtor"].iin_bin, "user": users["debtor"].id},
        "collectors": [
            {"name": "Мадина Бекова", "iin_bin": users["collector"].iin_bin, "kind": "alimony",
             "claim": "850000.00", "user": users["collector"].id},
            {"name": "«Демо Банк» АҚ / АО «Демо Банк»", "iin_bin": users["bank"].iin_bin, "kind": "pledge_secured",
             "claim": "9500000.00",
             "user": users["bank"].id}]})
    p2 = run(c.CreateProceeding, bailiff, {
        "number": "02-0002-2026", "private_bailiff": False,
        "debtor": {"name": "Дана Серікова", "iin_bin": users["debtor2"].iin_bin, "user": users["debtor2"].id},
        "collectors": [{"name": "«Демо Банк» АҚ / АО «Демо Банк»", "iin_bin": users["bank"].iin_bin,
                        "kind": "pledge_secured", "claim": "18000000.00", "user": users["bank"].id}]})

    def valued_lot(p, title, category, value, items, **extra):
        lot = run(c.CreateLot, bailiff, p.id, {"title": title, "description": extra.pop("description", ""),
                                                        "category": category, "items": items,
                                                        "storage_place": WAREHOUSE, "viewing": VIEWING,
                                                        "region": "almaty", **extra})
        for n in (1, 2):  # through the upload's checks
            run(c.AddPhoto, bailiff, lot.id, demo_photo(title, category, n))
        run(AppointAppraiser, bailiff, lot.id, {"appraiser": appraiser.id})
        run(FileReport, appraiser, lot.id, {"value": value, "report_no": f"OC-{lot.id:04d}",
                                                       "report_date": cal.local_date(clock())})
        return lot

    jewellery = valued_lot(p1, "Алтын әшекейлер жиынтығы, 585 сынама, 48 г / Комплект золотых украшений, 585 проба, "
                           "48 г", "valuables", "1200000.00",
                           [{"name": "Алқа / Колье", "marks": "585, 31 г", "price": "780000.00"},
                            {"name": "Сырға / Серьги", "marks": "585, 17 г", "price": "420000.00"}],
                           description="Сақтауда, пломбаланған қаптамада / На хранении, в опломбированной упаковке")
    machines = valued_lot(p1, "Өнеркәсіптік тігін машиналары Juki DDL-8700 (12 дана) / Промышленные швейные машины "
                          "Juki DDL-8700 (12 шт.)", "movable", "2400000.00",
                          [{"name": "Juki DDL-8700", "marks": "2019, жұмыс күйінде / в рабочем состоянии",
                            "price": "200000.00", "quantity": 12}], region="shymkent",
                          storage_place="Шымкент қ., тігін цехы / г. Шымкент, швейный цех",
                          description="Тігін цехынан тыйым салынды / Арестованы в швейном цехе")
    car = valued_lot(p1, "Toyota Camry 2018, 2,5 л, ақ түсті / белый", "vehicle", "9800000.00",
                     [{"name": "Toyota Camry", "marks": "VIN JTNB11HK*0301**, 84 000 км", "price": "9800000.00"}],
                     region="astana", pledged=True,
                     storage_place="Астана қ., Әділет департаментінің айып тұрағы / г. Астана, штрафстоянка "
                                   "Департамента юстиции",
                     description="Автокредит бойынша «Демо Банк» АҚ-ға кепілде / В залоге у АО «Демо Банк» по "
                                 "автокредиту",
                     viewing="Сейсенбі мен бейсенбі 11:00–13:00, айып тұрағында, жеке куәлікпен / По вторникам и "
                             "четвергам с 11:00 до 13:00 на штрафстоянке, при себе удостоверение личности",
                     encumbrances=[{"basis": "writ", "document_no": "2-4471/2026", "this_proceeding": True,
                                    "document_date": cal.local_date(clock()) - timedelta(days=20),
                                    "issuer": "Астана қаласының Есіл аудандық соты / Есильский районный суд г. Астаны"},
                                   {"basis": "court_security", "document_no": "2-1187/2026",
                                    "document_date": cal.local_date(clock()) - timedelta(days=60),
                                    "issuer": "Астана қаласының мамандандырылған ауданаралық экономикалық соты / "
                                              "Специализированный межрайонный экономический суд г. Астаны"}])
    # Art. 63.2: real estate has no inventory; it is recorded by its cadastral number, address, area and title.
    flat = valued_lot(p2, "2 бөлмелі пәтер, 54 м², Алматы, Әуезов ауданы / 2-комнатная квартира, 54 м², Алматы, "
                      "Ауэзовский район", "dwelling", "31500000.00", [],
                      cadastral_number="20:317:025:045:1:12", address="Алматы қ., Әуезов ауданы, 5 ш/а, 12 үй, "
                      "48 пәтер / г. Алматы, Ауэзовский район, мкр. 5, дом 12, кв. 48", area="54.00",
                      title_reg_no="AL-2015-118734", title_reg_date=date(2015, 6, 18),
                      description="Тұрғынжай: өз бетінше өткізу мерзімі үш ай / Жилище: срок самостоятельной "
                                  "реализации три месяца", storage_place="",
                      viewing="Сенбі күндері 12:00–14:00, борышкердің қатысуымен; алдын ала қоңырау шалыңыз / По "
                              "субботам с 12:00 до 14:00 в присутствии должника; звоните заранее")
    for lot in (jewellery, machines):
        run(c.OrderRealization, bailiff, lot.id, {})
    run(c.OrderRealization, bailiff, car.id, {"override_ground": "pledged",
                                                         "override_reason": "автокредит шарты бойынша «Демо Банк» "
                                                                            "АҚ-ға кепілде / в залоге у АО «Демо "
                                                                            "Банк» по договору автокредита"})
    run(c.OrderRealization, bailiff, flat.id, {})

    # Lot sold at its first auction ~4 weeks ago, paid and distributed.
    echo("  an auction held four weeks ago: bids, results, payment, distribution ...")
    sold_slot = _next_trading_slot(clock() + timedelta(days=11), calendar)
    auction = run(c.ScheduleAuction, bailiff, jewellery.id, {"starts_at": sold_slot})
    _admit(run, uow, auction.id, bidders[:2])
    clock.set(sold_slot - timedelta(minutes=2))
    for b in bidders[:2]:
        run(c.Join, b, auction.id)
    clock.set(sold_slot + timedelta(seconds=5))
    sweep(uow)
    price = auction.start_price
    for i, b in enumerate([bidders[0], bidders[1], bidders[0]]):
        clock.advance(timedelta(minutes=2))
        price += auction.step
        run(c.PlaceBid, b, auction.id, price, f"demo-sold-{i}")
    clock.advance(timedelta(minutes=15))
    sweep(uow)
    clock.advance(timedelta(hours=2))
    run(c.ApproveResults, bailiff, auction.id)
    clock.advance(timedelta(days=1))
    _pay_all(run, uow, bidders[0], kind="winner")
    sweep(uow)

    # Announced auction of the car, due in about two weeks.
    echo("  an announced auction and an auction open now ...")
    clock.set(now - timedelta(minutes=20))
    run(c.ScheduleAuction, bailiff, car.id, {"starts_at": _next_trading_slot(now + timedelta(days=12), calendar)})

    # Auction of the sewing machines open now: announced 12 days before the last trading slot.
    clock.set(open_slot - timedelta(days=12))
    live = run(c.ScheduleAuction, bailiff, machines.id, {
        "starts_at": open_slot, "quiet_seconds": int((now - open_slot).total_seconds()) + 3600})
    _admit(run, uow, live.id, bidders)
    clock.set(open_slot - timedelta(minutes=1))
    for b in bidders:
        run(c.Join, b, live.id)
    clock.set(open_slot + timedelta(seconds=1))
    sweep(uow)
    clock.set(max(now - timedelta(minutes=10), open_slot + timedelta(minutes=1)))
    price = live.start_price
    for i, b in enumerate([bidders[1], bidders[2]]):
        clock.advance(timedelta(minutes=1))
        price += live.step
        run(c.PlaceBid, b, live.id, price, f"demo-live-{i}")

    echo("  a dwelling's self-sale ...")
    # The dwelling's debtor asked for self-sale a week ago: three months, no auction meanwhile (Art. 74.2).
    clock.set(now - timedelta(days=7))
    run(c.ApplySelfSale, users["debtor2"], flat.id, {"price": "29000000.00"})
    run(c.GrantSelfSale, users["bailiff"], flat.id, {})

    echo(f"Demo data seeded in {time_.monotonic() - started:.0f} s.")
    _print_accounts(echo)
    return True


PHOTO_COLOURS = {"valuables": (176, 141, 87), "movable": (84, 110, 122), "vehicle": (196, 202, 206),
                 "dwelling": (141, 110, 99)}


def demo_photo(title: str, category: str, n: int = 1) -> bytes:
    """Picture `n` of a demo lot (the demo has no real photos): the lot's title in Kazakh and Russian on
    a colour of its kind (darker for the next pictures), marked as a demo picture. JPEG, drawn with the
    documents' vendored DejaVu font."""
    import io
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    from auction.documents.layout import FONTS_DIR
    colour = tuple(int(v * (1 - 0.18 * (n - 1))) for v in PHOTO_COLOURS.get(category, (120, 120, 120)))
    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    big, small = (ImageFont.truetype(str(FONTS_DIR / name), size) for name, size in
                  (("DejaVuSans-Bold.ttf", 38), ("DejaVuSans.ttf", 24)))
    y = 120
    for part in title.split(" / "):
        for line in textwrap.wrap(part, 34):
            draw.text((60, y), line, font=big, fill=(255, 255, 255))
            y += 50
        y += 24
    draw.text((60, 560), f"Демо-сурет · Демонстрационное изображение · {n}", font=small, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _admit(run, uow, auction_id, bidders) -> None:
    for b in bidders:
        app = run(c.Apply, b, auction_id, {})
        _pay_all(run, uow, b, kind="deposit", application_id=app.id)


def _pay_all(run, uow, user, *, kind, application_id=None) -> None:
    for pid in run(payment_rows.pending_ids, user, kind, application_id):
        run(c.DevPay, user, pid)


def _print_accounts(echo) -> None:
    echo(f"Demo accounts (password for all: {PASSWORD}):")
    for email, role, name, _ in ACCOUNTS:
        echo(f"  {role:<10} {email:<22} {name}")


def start_simulation(app, socketio, period: tuple[int, int] = (12, 35)) -> None:
    """Simulated demo bidders: every 12–35 s one of them raises in each open demo auction,
    through the real bid service (stored, journaled, broadcast), so a newcomer sees it move."""
    import random

    from auction.errors import DomainError
    from service.queries import auctions as auction_rows

    emails = [e for e, role, *_ in ACCOUNTS if role == "bidder"]
    runner = app.extensions["mulik"]["runner"]

    def plan(uow, actor, rnd) -> list[tuple[int, int, object]]:
        """(auction, bidder, price): one raise by a demo bidder not leading, in each open ascending auction."""
        bidders = people.by_emails(uow, actor, emails)
        plans = []
        for a in auction_rows.open_ascending(uow, actor):
            ours = [x for x in a.admitted if x.user_id in bidders and x.participant_no != a.leader_no]
            if ours:
                plans.append((a.id, rnd.choice(ours).user_id, a.current_price + a.step))
        return plans

    def loop():
        rnd = random.Random()
        while True:
            socketio.sleep(rnd.uniform(*period))
            try:
                for auction_id, user_id, price in runner(Caller(system="system:demo"), plan, rnd):
                    runner(Caller(user_id=user_id), handle, c.PlaceBid(
                        auction_id, price, f"demo-sim-{auction_id}-{rnd.getrandbits(48)}"))
            except DomainError:
                continue  # outbid by a real visitor meanwhile: try again next round
            except Exception:
                app.logger.exception("demo simulation failed")

    socketio.start_background_task(loop)
