"""Kazakh, Russian and English (Flask-Babel): the language of each request, and the formats of
money, dates and times per language, always in Kazakhstan time (SPEC §6).

The language is, in this order: `?lang=` on any page (then remembered in a cookie for a year),
the cookie, the browser's Accept-Language, Kazakh (the state language). Page strings are in the
`messages` domain (templates, Python); the strings of the room script in the `js` domain, handed
to the page as one JSON object (`js_messages`).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from flask import Flask, g, request
from flask_babel import Babel, Domain, get_locale
from flask_babel import lazy_gettext as _l

from auction import calendar as cal

LANGUAGES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "kk"  # the state language (Constitution, Art. 7)
COOKIE = "mulik_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
CURRENCY = {"kk": "₸", "ru": "₸", "en": "KZT"}
NBSP = "\u00a0"

# Names shown for the codes of the domain; each is a msgid of the `messages` catalogue.
CATEGORY_NAMES = {  # the kinds of property of Art. 72 (auction/lots/priority.py)
    "valuables": _l("Valuables and jewellery"), "securities": _l("Securities"), "currency": _l("Currency values"),
    "decor": _l("Décor and furnishing items"), "movable": _l("Movable property"),
    "finished_goods": _l("Finished goods"), "vehicle": _l("Vehicle"),
    "raw_materials": _l("Raw materials and materials"),
    "equipment": _l("Machine tools and equipment"), "real_estate": _l("Real estate"), "dwelling": _l("Dwelling"),
}
CLAIM_KIND_NAMES = {  # Art. 111–112 (auction/claims.py)
    "alimony": _l("Alimony"), "health_harm": _l("Harm to life or health, loss of a breadwinner"),
    "labour": _l("Labour claims"), "authors_remuneration": _l("Authors' remuneration"),
    "citizen_crime_damage": _l("Damage to a citizen from a crime or an offence"),
    "pledge_secured": _l("Claim secured by pledge"), "taxes_budget": _l("Taxes and payments to the budget"),
    "entity_crime_damage": _l("Damage to a legal entity from a crime or an offence"),
    "asset_recovery": _l("Recovery of illegally acquired assets"), "other": _l("Other claim"),
}
OVERRIDE_GROUND_NAMES = {  # Art. 72.4 (auction/lots/priority.py)
    "pledged": _l("The property is pledged or secures an obligation"),
    "writ_not_satisfied": _l("The order of Art. 72 would not satisfy the writ in full"),
    "time_limits": _l("The order of Art. 72 would extend the time limits of execution"),
}
DISQUALIFICATION_GROUND_NAMES = {  # Art. 80.2 (auction/disqualification.py)
    "debtor": _l("The debtor (Art. 80.2)"),
    "bailiff_or_judge": _l("A bailiff of this proceeding or the judge who decided the case (Art. 80.2)"),
    "appraiser": _l("The appraiser who valued the property (Art. 80.2)"),
    "official_relative": _l("A close relative or spouse of the bailiff, the judge or the appraiser (Art. 80.2)"),
    "pledgee": _l("The pledgee, its employee or a person it controls (Art. 80.2)"),
    "related_entity": _l("A legal entity related to another participant, or that person (Art. 80.2)"),
    "related_persons": _l("A close relative or spouse of another participant (Art. 80.2)"),
}
REGION_NAMES = {
    "astana": _l("Astana"), "almaty": _l("Almaty"), "shymkent": _l("Shymkent"), "abai": _l("Abai Region"),
    "akmola": _l("Akmola Region"), "aktobe": _l("Aktobe Region"), "almaty_region": _l("Almaty Region"),
    "atyrau": _l("Atyrau Region"), "east_kazakhstan": _l("East Kazakhstan Region"), "zhambyl": _l("Zhambyl Region"),
    "zhetysu": _l("Zhetysu Region"), "west_kazakhstan": _l("West Kazakhstan Region"),
    "karaganda": _l("Karaganda Region"), "kostanay": _l("Kostanay Region"), "kyzylorda": _l("Kyzylorda Region"),
    "mangystau": _l("Mangystau Region"), "pavlodar": _l("Pavlodar Region"),
    "north_kazakhstan": _l("North Kazakhstan Region"), "turkistan": _l("Turkistan Region"),
    "ulytau": _l("Ulytau Region"),
}
LOT_STATUS_NAMES = {
    "ARRESTED": _l("Arrested"), "VALUATION": _l("Being valued"), "VALUED": _l("Valued"),
    "REALIZATION_ORDERED": _l("Realization ordered"), "AUCTION_1": _l("First auction"),
    "RETENTION_1": _l("Offered to the collectors"), "FAILED_1": _l("Awaiting the repeat auction"),
    "AUCTION_2": _l("Repeat auction"), "RETENTION_2": _l("Offered to the collectors again"), "SOLD": _l("Sold"),
    "SOLD_BY_DEBTOR": _l("Sold by the debtor"), "RETAINED": _l("Kept by a collector"),
    "WITHDRAWN": _l("Withdrawn"), "RELEASED": _l("Released from arrest"), "SUSPENDED": _l("Suspended"),
    "COMMISSION_SALE": _l("Commission sale"), "NOT_REALIZABLE": _l("Not realizable"),
}
AUCTION_STATUS_NAMES = {
    "announced": _l("announced"), "open": _l("bidding now"), "closed": _l("bidding over"), "sold": _l("sold"),
    "failed": _l("failed"), "cancelled": _l("cancelled"),
}
# the public timeline of a lot: the journal entries a visitor sees, in words (`lot.status` is shown
# as the lot's new status)
EVENT_NAMES = {
    "lot.arrested": _l("Arrested and listed"), "valuation.agreement_signed": _l("Value agreed by the parties"),
    "valuation.disputed": _l("Valuation disputed"), "valuation.upheld": _l("Valuation upheld"),
    "valuation.reappointed": _l("New valuation ordered"), "self_sale.opened": _l("Self-sale granted, window opened"),
    "self_sale.applied": _l("Self-sale applied for"), "self_sale.refused": _l("Self-sale refused"),
    "encumbrance.recorded": _l("Encumbrance recorded"), "encumbrance.lifted": _l("Encumbrance lifted"),
    "encumbrance.kept": _l("Encumbrance remains"),
    "self_sale.contracted": _l("Self-sale contract recorded"), "self_sale.lapsed": _l("Self-sale window ended"),
    "self_sale.cancelled": _l("Self-sale cancelled"), "preemption.declined": _l("Co-owners declined pre-emption"),
    "auction.announced": _l("Auction announced"), "auction.opened": _l("Auction opened"),
    "auction.closed": _l("Bidding over"), "auction.failed": _l("Auction failed"),
    "auction.cancelled": _l("Auction cancelled"), "auction.approved": _l("Results approved"),
    "auction.sold": _l("Sold at auction"), "retention.settled": _l("Kept by a collector"),
    "distribution.made": _l("Proceeds distributed"), "document.issued": _l("Document issued"),
}
FAILURE_NAMES = {  # Art. 84
    "84.1": _l("there was no application, or only one"), "84.2": _l("no participant raised the price by the step"),
    "84.3": _l("the winner did not pay the full price in time"),
    "84.4": _l("fewer than two registered participants took part online"),
}
PROCEEDING_STATUS_NAMES = {"active": _l("in progress"), "suspended": _l("suspended"), "closed": _l("closed")}
APPLICATION_STATUS_NAMES = {
    "pending_deposit": _l("awaiting the deposit"), "admitted": _l("admitted"), "disqualified": _l("disqualified"),
    "withdrawn": _l("withdrawn"),
}
DEPOSIT_STATE_NAMES = {
    "due": _l("to be paid"), "held": _l("held"), "applied": _l("counted toward the price"),
    "freed": _l("freed"), "forfeited": _l("forfeited"),
}
PAYMENT_KIND_NAMES = {
    "deposit": _l("Deposit"), "winner": _l("Price of a lot won"), "self_sale": _l("Self-sale price"),
    "retention_excess": _l("Retention: the excess over the claim"),
    "retention_charge": _l("Retention: the share of expenses and fee, the excess over the claim (Art. 85.3)"),
}
ROLE_NAMES = {
    "bidder": _l("bidder"), "debtor": _l("debtor"), "collector": _l("collector"), "appraiser": _l("appraiser"),
    "bailiff": _l("bailiff"), "operator": _l("operator"),
}
PARTY_NAMES = {"debtor": _l("debtor"), "collector": _l("collector")}
FORUM_NAMES = {"expert_council": _l("expert council of the appraisers' chamber"), "court": _l("court")}
LINE_KIND_NAMES = {  # the lines of a distribution statement (Art. 108, 110–112)
    "fine": _l("Fines to the state budget"), "bailiff_fee": _l("Private bailiff's fee"),
    "expenses": _l("Execution expenses"), "collector": _l("Collector's claim"), "debtor": _l("Returned to the debtor"),
}
DOCUMENT_NAMES = {
    "realization_order": _l("Realization order"), "self_sale_permission": _l("Self-sale permission"),
    "auction_announcement": _l("Auction announcement"), "auction_protocol": _l("Auction protocol"),
    "sale_contract": _l("Sale contract"), "retention_act": _l("Retention act"),
    "distribution_statement": _l("Distribution statement"),
    "appraiser_appointment": _l("Resolution appointing the appraiser"),
    "auction_application": _l("Application to the auction"),
}

_js = Domain(domain="js")


def select_locale() -> str:
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        g.remember_lang = lang
        return lang
    saved = request.cookies.get(COOKIE)
    if saved in LANGUAGES:
        return saved
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def lang() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


# ---- formats ----------------------------------------------------------------------------------------
def money(value, with_currency: bool = True) -> str:
    """1250000.00 -> "1 250 000,00 ₸" (kk, ru) or "1,250,000.00 KZT" (en); None -> "—"."""
    if value is None:
        return "—"
    number = format_decimal(Decimal(value), format="#,##0.00", locale=lang())
    return f"{number}{NBSP}{CURRENCY[lang()]}" if with_currency else number


def number(value) -> str:
    """A decimal as the page's language writes it: 50.5 -> "50,5" (kk, ru), "50.5" (en)."""
    return "—" if value is None else format_decimal(Decimal(value), locale=lang())


def when(value: datetime | None) -> str:
    """An instant as a Kazakhstan date and time: "1 дек. 2026 г., 11:00"."""
    if value is None:
        return "—"
    local = cal.to_local(value) if hasattr(cal, "to_local") else value.astimezone(cal.KZ_TZ)
    return f"{format_date(local.date(), format='medium', locale=lang())}, {format_time(local, 'HH:mm', locale=lang())}"


def day(value: date | None) -> str:
    return "—" if value is None else format_date(value, format="medium", locale=lang())


def weekday(value: date | None) -> str:
    """A date with its weekday: "Monday, 14 December 2026"."""
    return "—" if value is None else format_date(value, format="full", locale=lang())


def clock(value: datetime | None) -> str:
    return "" if value is None else format_time(value, format="HH:mm:ss", tzinfo=cal.KZ_TZ, locale=lang())


def number_format() -> dict:
    """What the room script needs to format money as the page does."""
    return {"group": get_group_symbol(lang()), "decimal": get_decimal_symbol(lang()), "currency": CURRENCY[lang()],
            "lang": lang()}


def js_messages() -> dict[str, str]:
    """The `js` catalogue of the request's language: msgid -> translation."""
    catalog = getattr(_js.get_translations(), "_catalog", {})
    return {k: v for k, v in catalog.items() if isinstance(k, str) and k and v}


def lang_url(code: str) -> str:
    """This page in another language (the other query arguments kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    from urllib.parse import urlencode
    return f"{request.path}?{urlencode(args, doseq=True)}"


def _session_uid() -> int | None:
    from flask import session
    return None if request.path.startswith(("/api/", "/socket.io")) else session.get("uid")


def remember_language(uid: int, chosen: str) -> None:
    """The person's e-mails follow the language they read the pages in: at a page login or
    registration, and when they pick another language. Call it with no unit of work of the request open."""
    from service.accounts import ChooseLanguage, choose_language
    from service.runner import Caller

    from .runner import call
    call(choose_language, ChooseLanguage(chosen), caller=Caller(user_id=uid))


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Almaty")

    @app.after_request
    def remember(response):
        chosen = g.get("remember_lang")
        if chosen:
            response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                                secure=bool(app.config["SESSION_COOKIE_SECURE"]))
            if session_uid := _session_uid():
                remember_language(session_uid, chosen)
        return response

    app.jinja_env.filters.update(money=money, number=number, when=when, day=day, clock=clock, weekday=weekday)
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, lang=lang, lang_url=lang_url, CATEGORY_NAMES=CATEGORY_NAMES,
        CLAIM_KIND_NAMES=CLAIM_KIND_NAMES, OVERRIDE_GROUND_NAMES=OVERRIDE_GROUND_NAMES, REGION_NAMES=REGION_NAMES,
        DISQUALIFICATION_GROUND_NAMES=DISQUALIFICATION_GROUND_NAMES,
        LOT_STATUS_NAMES=LOT_STATUS_NAMES, AUCTION_STATUS_NAMES=AUCTION_STATUS_NAMES, EVENT_NAMES=EVENT_NAMES,
        DOCUMENT_NAMES=DOCUMENT_NAMES, FAILURE_NAMES=FAILURE_NAMES, APPLICATION_STATUS_NAMES=APPLICATION_STATUS_NAMES,
        DEPOSIT_STATE_NAMES=DEPOSIT_STATE_NAMES, PROCEEDING_STATUS_NAMES=PROCEEDING_STATUS_NAMES,
        PAYMENT_KIND_NAMES=PAYMENT_KIND_NAMES, ROLE_NAMES=ROLE_NAMES,
        PARTY_NAMES=PARTY_NAMES, FORUM_NAMES=FORUM_NAMES, LINE_KIND_NAMES=LINE_KIND_NAMES,
        js_messages=js_messages, number_format=number_format)
