"""Refusals in the reader's language (SPEC §8, issue 4, issue 13 point 2): the domain speaks English with the
article (`Art. 74.2: self-sale price 700000.00 is below 75% of the valuation (750000.00)`), which the API answers
as it is (its contract) and an English page shows. A page in Kazakh or Russian shows no English: the article
in its language ("74.2-бап", "ст. 74.2"), the sentence for the refusal's code, then the refusal's figures
(`DomainError.facts`) by their names, formatted as the page formats them. A form's field errors are told in
the page's language too, each beside its field (`field_errors`)."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from auction.errors import DomainError

from . import i18n

REFUSALS = {
    "already_accepted": _l("Another participant has already accepted the price."),
    "already_disqualified": _l("The participant is already disqualified."),
    "already_leading": _l("You already hold the highest bid."),
    "announcement_too_late": _l("The auction must be announced at least 10 calendar days ahead."),
    "applications_closed": _l("Applications for this auction are closed."),
    "auction_closed": _l("The auction is over."),
    "auction_not_open": _l("The auction is not open for bids."),
    "bad_basis": _l("Choose how the appraiser was chosen."),
    "bad_category": _l("Choose a category of property."),
    "bad_claim_kind": _l("Choose the kind of the claim."),
    "kind_unchanged": _l("The claim is already of this kind."),
    "basis_required": _l("Name the writ or the document that shows the kind of the claim."),
    "claim_distributed": _l("Proceeds were already distributed to this claim: its kind can no longer be corrected."),
    "bad_year": _l("The year is not valid."),
    "no_mci": _l("The monthly calculation index of the year is not recorded."),
    "bad_override_ground": _l("The order of realization changes only on a ground of Art. 72.4."),
    "bad_production": _l("This kind of property is of the first queue whatever its use."),
    "claim_fixed": _l("Only alimony arrears are determined by the bailiff's resolution."),
    "debtor_kind": _l("The debtor's kind does not match the IIN/BIN."),
    "override_ground_false": _l("The facts of the case do not support this ground."),
    "override_not_needed": _l("No lot of an earlier queue is unrealized: nothing to change."),
    "override_reason_required": _l("State the circumstances of the ground."),
    "stale_resolution": _l("A later resolution already set these arrears."),
    "bad_claim": _l("The collector's claim is not valid."),
    "bad_credentials": _l("Wrong e-mail or password."),
    "bad_cutoff": _l("Applications would already be closed."),
    "bad_date": _l("The date is not valid."),
    "bad_decision": _l("The answer is not valid."),
    "bad_forum": _l("Choose the expert council or the court."),
    "bad_ground": _l("Choose one of the grounds the law names for having no right to take part."),
    "bad_outcome": _l("Choose the outcome of the dispute."),
    "bad_photo": _l("The photo was not accepted: a JPEG or PNG photo of at most 8 MB."),
    "bad_region": _l("Choose a region of Kazakhstan."),
    "bad_report_date": _l("The report date is not valid."),
    "bad_report_no": _l("The valuation report is filed with its number."),
    "bad_setting": _l("The setting is outside what the rules allow."),
    "bad_step": _l("The price step is not valid."),
    "bad_value": _l("The value must be positive."),
    "bankruptcy": _l("A bankruptcy case against the debtor is pending: realization is suspended."),
    "blocked": _l("Your account is blocked by the platform's operator under the platform rules: you cannot log in, "
                  "apply or bid until it is unblocked."),
    "ceiling_too_low": _l("The auto-bid ceiling is below the next valid bid."),
    "collector_request_only": _l("An application date and a mediation agreement belong to a suspension at the "
                                 "collector's request."),
    "dev_payments_off": _l("Test payments are switched off on this platform."),
    "dispute_open": _l("A dispute of this valuation is already open."),
    "duplicate": _l("This already exists."),
    "duplicate_application": _l("You have already applied for this auction."),
    "duplicate_email": _l("An account with this e-mail exists."),
    "dwelling_at_auction": _l("The dwelling's auction is under way: the self-sale can be granted when it ends."),
    "empty_inventory": _l("The inventory is incomplete."),
    "empty_wallet": _l("Your wallet holds no free deposit money."),
    "wallet_short": _l("Your wallet does not hold the deposit free."),
    "exempt_property": _l("The law exempts this property from seizure."),
    "expired": _l("The time for this has run out."),
    "floor_below_limit": _l("The floor of the repeat auction is below the limit: 50 percent of the valuation for "
                            "movable property, the operator's setting for real estate."),
    "floor_in_first_auction": _l("The first auction has no floor: its price only rises."),
    "forbidden": _l("This action is not yours to take."),
    "iin_mismatch": _l("Apply with the IIN/BIN of your account."),
    "ineligible": _l("You may not be a buyer at this auction."),
    "invalid_declaration": _l("The declaration is not valid."),
    "invalid_iin_bin": _l("The IIN/BIN is not valid."),
    "invalid_money": _l("The amount is not valid."),
    "invalid_state": _l("This is not possible at the current stage."),
    "no_collector": _l("A proceeding has at least one collector."),
    "no_dispute": _l("There is no open dispute on this lot."),
    "no_preemption": _l("The lot is not a share in common property."),
    "no_self_sale": _l("There is no open self-sale for this lot."),
    "no_such_participant": _l("There is no admitted participant with this number in the auction."),
    "no_third_auction": _l("A lot is never auctioned more than twice."),
    "not_a_bailiff": _l("A proceeding passes to a bailiff only."),
    "not_a_participant": _l("Only admitted participants with a confirmed deposit bid."),
    "not_a_party": _l("You are not a party of this proceeding."),
    "not_appointed": _l("Only the appraiser appointed for this lot files its report."),
    "not_found": _l("Not found."),
    "not_pending": _l("This payment is not awaiting payment."),
    "not_your_case": _l("This proceeding is run by another bailiff."),
    "outbid": _l("Someone bid first: the price has changed."),
    "outside_trading_hours": _l("The auction must start on a working day within the trading hours."),
    "perishable": _l("Perishable goods go to commission sale, never to auction."),
    "preemption_pending": _l("The co-owners' right of first refusal has not yet run out."),
    "price_changed": _l("The price has changed: accept the current price."),
    "priority_order": _l("Lots of an earlier priority queue are not yet realized."),
    "reason_required": _l("Give the reason."),
    "rate_limited": _l("Too many attempts in a short time: wait and try again."),
    "retention_open": _l("The collectors may still keep the lot: the repeat auction waits for their refusal."),
    "report_too_old": _l("The valuation report is more than one year old."),
    "resolved": _l("This dispute is already resolved."),
    "sale_completed": _l("The price is paid and the sale contract concluded: only a court can undo the sale."),
    "same_bailiff": _l("The proceeding is already run by this bailiff."),
    "self_sale_pending": _l("An application for self-sale of this lot already awaits the bailiff's answer."),
    "no_self_sale_application": _l("No application for self-sale of this lot awaits an answer."),
    "bad_refusal_ground": _l("A refusal of self-sale names one of the grounds the law gives."),
    "refusal_reason_required": _l("A refusal of self-sale states its reasons."),
    "refusal_ground_false": _l("The ground named for the refusal does not hold for this lot."),
    "bad_encumbrance_basis": _l("An encumbrance rests on a writ or on a court's measure securing a claim."),
    "encumbrance_document_required": _l("An encumbrance names the document behind it: its number and issuer."),
    "bad_encumbrance_date": _l("The document's date cannot be in the future."),
    "self_sale_expired": _l("The self-sale window has ended."),
    "self_sale_price": _l("The self-sale price is below three quarters (75 percent) of the valuation."),
    "self_sale_used": _l("The right to self-sale was already used in this proceeding."),
    "self_sale_window": _l("The self-sale window is open: the lot waits for it to end."),
    "suspended": _l("The proceeding is suspended."),
    "too_early": _l("Too early: the law's waiting period has not ended."),
    "too_many_photos": _l("The lot has as many photos as it may have."),
    "unauthorized": _l("Log in first."),
    # the codes of a refusal raised without its own (auction/errors.py RuleViolation, Conflict)
    "rule_violation": _l("A rule of the law forbids this action now."),
    "conflict": _l("This conflicts with what is already recorded."),
    "unavailable": _l("The platform's database did not answer. Send the same request again: a bid with the same "
                      "client_id is taken once."),
    "wrong_amount": _l("The amount differs from what is due."),
    "wrong_price": _l("A bid is exactly the current price plus one step."),
    "wrong_round": _l("This is not possible in this round."),
    "bad_area": _l("The area is a positive number of square metres."),
    "bad_coowner": _l("A co-owner is recorded with his name."),
    "bad_exclusion_reason": _l("The specialist's conclusion excludes property only when it cannot be sold or its "
                               "proceeds would not cover the expenses."),
    "coowner_decided": _l("This co-owner has already answered the offer."),
    "coowner_not_notified": _l("Record the co-owner's notification first."),
    "coowners_required": _l("Record each co-owner to be notified, or that they cannot be notified."),
    "no_coowner": _l("No such co-owner of this share."),
    "not_movable": _l("Only movable property is excluded from the inventory."),
    "not_real_estate": _l("A cadastral number, address, area and title describe real estate only."),
    "preemption_over": _l("The co-owners' pre-emption period is over."),
    "real_estate_items": _l("No inventory is drawn up for real estate: record its title instead."),
    "real_estate_title_required": _l("Real estate is recorded with its cadastral number, address, area and title."),
    "specialist_conclusion_required": _l("The exclusion rests on the specialist's conclusion: give its number, date, "
                                         "the specialist and the reason."),
    # the EDS sign-in (issue 14): the login page's script shows them (EDS_REFUSALS)
    "eds_bad_cms": _l("NCALayer's answer is not a signature the platform can read. Try again."),
    "eds_bad_nonce": _l("The sign-in request has expired or was already used. Try again."),
    "eds_expired": _l("The certificate of this key has expired or is not yet valid."),
    "eds_gost_unsupported": _l("GOST keys are not accepted: choose your RSA authentication key (AUTH_RSA)."),
    "eds_no_account": _l("No account holds the IIN/BIN of this certificate: register first."),
    "eds_no_identity": _l("The certificate names no valid IIN or BIN."),
    "eds_revocation_unknown": _l("Whether the certificate is revoked could not be checked. Try again later."),
    "eds_revoked": _l("The certificate of this key has been revoked."),
    "eds_several_accounts": _l("Several accounts hold this IIN/BIN: log in with the e-mail and password of one."),
    "eds_signature_mismatch": _l("The signature does not match the signed data."),
    "eds_unknown_authority": _l("The certificate was not issued by the National Certification Authority."),
    "eds_wrong_usage": _l("This key is not for authentication: choose your authentication key (AUTH_RSA)."),
    # signed acts (issue 14 point 2)
    "eds_not_signing_key": _l("This key is not for signing: choose your signing key (RSA), not the authentication "
                              "key."),
    "eds_act_changed": _l("The act changed after you signed it: look at it again and sign it anew."),
    "eds_wrong_signer": _l("The act is signed with another person's certificate: sign it with your own key."),
    "signature_required": _l("This act is taken only with your EDS signature."),
    "eds_not_a_signer": _l("You are not among those who sign this document."),
    "eds_already_signed": _l("You have already signed this document."),
    "eds_signer_order": _l("The buyer signs the sale contract first, then the bailiff."),
    "document_not_signable": _l("This document is not signed on the platform."),
    "no_platform_signers": _l("A self-sale contract is signed off the platform: nobody signs it here."),
    "protocol_not_signed": _l("Sign the auction protocol with your EDS before approving the results."),
}
EDS_REFUSALS = sorted(code for code in REFUSALS if code.startswith("eds_"))
# Codes only the API answers with (its own checks: signatures, idempotency keys, ISO times...): no page meets them.
API_ONLY = {"bad_client_id", "bad_request", "bad_signature", "client_id_taken", "idempotency_conflict", "naive_time",
            "missing_field", "not_ready", "unknown_fee_category", "unknown_user"}


GENERIC = _l("The action was refused.")  # a code with no sentence of its own (API_ONLY): never shown in English

# The figures of a refusal (DomainError.facts): name -> (what it is, how it is written).
FACTS = {
    "price": (_l("current price"), "money"), "offered": (_l("price offered"), "money"),
    "next_bid": (_l("next valid bid"), "money"),
    "ceiling": (_l("your ceiling"), "money"), "floor": (_l("floor price"), "money"),
    "minimum": (_l("lowest price allowed"), "money"), "due": (_l("amount due"), "money"),
    "received": (_l("amount received"), "money"), "free": (_l("free in your wallet"), "money"),
    "deposit": (_l("deposit"), "money"), "paid": (_l("already distributed"), "money"),
    "floor_percent": (_l("floor, percent of the valuation"), "number"),
    "limit_percent": (_l("lowest floor allowed, percent of the valuation"), "number"),
    "opens_at": (_l("opens at"), "instant"), "ended_at": (_l("bidding ended at"), "instant"),
    "closed_at": (_l("applications closed at"), "instant"), "day": (_l("date"), "date"),
    "ended_on": (_l("ended on"), "date"), "from_day": (_l("possible from"), "date"),
    "report_date": (_l("report date"), "date"), "announce_by": (_l("latest date of the announcement"), "date"),
    "opens": (_l("trading opens at"), "time"), "latest_start": (_l("latest start"), "time"),
    "lot_status": (_l("status of the lot"), "lot_status"), "auction_status": (_l("status of the auction"),
                                                                             "auction_status"),
    "proceeding_status": (_l("status of the proceeding"), "proceeding_status"),
    "participant_no": (_l("participant No"), "int"), "max_photos": (_l("photos at most"), "int"),
}


def article(number: str | None) -> str:
    """An article of the law as the page's language writes it: "Art. 80.3", "80.3-бап", "ст. 80.3"."""
    return _("Art. %(a)s", a=number) if number else ""  # kk "74.2-бап", ru "ст. 74.2"


def _fact(kind: str, value) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return i18n.money(value)
    if kind == "number":
        return i18n.number(value)
    if kind == "instant" and isinstance(value, datetime):
        return i18n.when(value)
    if kind == "date" and isinstance(value, date):
        return i18n.day(value)
    if kind == "time" and isinstance(value, time):
        return value.strftime("%H:%M")
    if kind == "lot_status":
        return str(i18n.LOT_STATUS_NAMES.get(str(value), "—"))
    if kind == "auction_status":
        return str(i18n.AUCTION_STATUS_NAMES.get(str(value), "—"))
    if kind == "proceeding_status":
        return str(i18n.PROCEEDING_STATUS_NAMES.get(str(value), "—"))
    if kind == "int" and isinstance(value, (int, Decimal)):
        return str(value)
    return "—"


def facts(exc: DomainError) -> str:
    """The refusal's figures in the page's language: "current price: 1 200 000,00 ₸; next valid bid: …"."""
    shown = [f"{FACTS[k][0]}: {_fact(FACTS[k][1], v)}" for k, v in exc.facts.items() if k in FACTS]
    return "; ".join(shown)


def refusal(exc: DomainError) -> str:
    """What a page shows for a refusal. English: the domain's message (`Art. N: …`). Kazakh or Russian:
    `<article>: <sentence for the code> (<figures>)`, with no English in it."""
    locale = get_locale()
    if locale is None or locale.language == "en":
        return exc.message  # DomainError has put the article first
    sentence = str(REFUSALS.get(exc.code, GENERIC))
    figures = facts(exc)
    text = f"{sentence.rstrip('.')} ({figures})." if figures else sentence
    return f"{article(exc.article)}: {text}" if exc.article else text


ROOM_CODES = ("blocked", "outbid", "wrong_price", "already_leading", "auction_not_open", "auction_closed",
              "not_a_participant", "price_changed", "already_accepted", "ceiling_too_low", "wrong_round",
              "unauthorized", "forbidden", "rate_limited", "unavailable")


def for_room() -> dict[str, str]:
    """The room's refusals (socket `rejected`, auto-bid answers) in the page's language; none in English,
    where the server's message is shown as it is."""
    locale = get_locale()
    if locale is None or locale.language == "en":
        return {}
    return {"": article("{article}"),  # how the script writes an article: "{article}-бап", "ст. {article}"
            **{code: str(REFUSALS[code]) for code in ROOM_CODES}}


def init_refusals(app) -> None:
    app.jinja_env.globals.update(room_refusals=for_room, art=article)


# ---- a form's field errors (marshmallow's and web/api/fields.py's English messages) in the page's language ----
def _example(text: str) -> str:
    """An example figure of a message ("1250000.00") as the page's language writes it ("1 250 000,00")."""
    places = len(text.partition(".")[2])
    return i18n.money(Decimal(text), with_currency=False) if places == 2 else i18n.number(Decimal(text))


def _low_high(m) -> dict:
    return {"low": m.group("low"), "high": m.group("high")}


def _days(m) -> dict:
    return {"low": i18n.day(date.fromisoformat(m.group("low"))), "high": i18n.day(date.fromisoformat(m.group("high")))}


_F = r"(?P<low>\S+?)"
_T = r"(?P<high>\S+?)"
# (pattern of the English message, the message in the page's language, its parameters from the match)
FIELD_MESSAGES = [
    (r"Missing data for required field\.|Field may not be null\.", _l("Fill in this field."), None),
    (r"Unknown field\.", _l("This field is not expected here."), None),
    (r"Not a valid email address\.", _l("This is not an e-mail address."), None),
    (r"Not a valid (string|integer|number|boolean|mapping type|list|date|datetime)\.|Invalid input type\.|"
     r"Invalid value\.", _l("The value is not valid."), None),
    (r"Shorter than minimum length (?P<n>\d+)\.", _l("At least %(n)s characters."), lambda m: {"n": m["n"]}),
    (r"Longer than maximum length (?P<n>\d+)\.", _l("At most %(n)s characters."), lambda m: {"n": m["n"]}),
    (rf"Length must be between {_F} and {_T}\.", _l("From %(low)s to %(high)s characters."), _low_high),
    (r"Length must be (?P<n>\d+)\.", _l("Exactly %(n)s characters."), lambda m: {"n": m["n"]}),
    (rf"Must be greater than or equal to {_F} and less than or equal to {_T}\.",
     _l("A number from %(low)s to %(high)s."), _low_high),
    (rf"Must be greater than or equal to {_F}\.", _l("At least %(low)s."), lambda m: {"low": m["low"]}),
    (rf"Must be less than or equal to {_T}\.", _l("At most %(high)s."), lambda m: {"high": m["high"]}),
    (r"Must be one of: .*", _l("Choose one of the offered values."), None),
    (r"control character (?P<c>U\+[0-9A-F]{4}) is not allowed \(only line breaks and tabs are allowed\)",
     _l("The character %(c)s is not allowed: text, line breaks and tabs only."), lambda m: {"c": m["c"]}),
    (r"control character (?P<c>U\+[0-9A-F]{4}) is not allowed \(a single line of text\)",
     _l("The character %(c)s is not allowed: a single line of text."), lambda m: {"c": m["c"]}),
    (r"an integer is required \(digits 0-9, no decimals\)", _l("A whole number is required (digits 0-9)."), None),
    (rf"an integer between {_F} and {_T} is required", _l("A whole number from %(low)s to %(high)s."), _low_high),
    (r"true or false is required", _l("Yes or no is required."), None),
    (r'money is a string of the digits 0-9 with at most 2 decimals after a point, e\.g\. "(?P<e>[\d.]+)" .*',
     _l("An amount in tenge with at most 2 decimals, e.g. %(example)s."), lambda m: {"example": _example(m["e"])}),
    (r'.+ is a string of the digits 0-9 with at most (?P<p>\d) decimals after a point, e\.g\. "(?P<e>[\d.]+)" .*',
     _l("A number with at most %(places)s decimals, e.g. %(example)s."),
     lambda m: {"places": m["p"], "example": _example(m["e"])}),
    (r".+ is at most (?P<high>[\d.]+)", _l("At most %(high)s."), lambda m: {"high": _example(m["high"])}),
    (r'a date is required, e\.g\. .*', _l("A date is required."), None),
    (rf"a date between {_F} and {_T} is required", _l("A date from %(low)s to %(high)s."), _days),
    (r"a time with its offset is required, e\.g\. .*", _l("A date and a time are required."), None),
    (rf"a time between {_F} and {_T} is required", _l("A date from %(low)s to %(high)s."), _days),
    (r"an account id \(an integer\) or an e-mail is required", _l("An account number or an e-mail is required."),
     None),
    (r"an account id is between 1 and (?P<high>\d+)", _l("An account number from 1 to %(high)s."),
     lambda m: {"high": m["high"]}),
    (r"not a telephone number", _l("This is not a telephone number."), None),
    (r"an e-mail is at most 200 characters", _l("At most %(n)s characters."), lambda m: {"n": "200"}),
]
_COMPILED = [(re.compile(p), text, params) for p, text, params in FIELD_MESSAGES]


def field_message(message: str) -> str:
    """One field error in the page's language (English: as marshmallow or the field says it)."""
    locale = get_locale()
    if locale is None or locale.language == "en":
        return message
    for pattern, text, params in _COMPILED:
        m = pattern.fullmatch(message)
        if m:
            return str(text) % params(m) if params else str(text)
    return str(_l("The value is not valid."))


def field_errors(messages: dict, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages as {path: message in the page's language}: "collectors.0.claim"."""
    out: dict[str, str] = {}
    for key, value in messages.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(field_errors(value, f"{path}."))
        else:
            items = value if isinstance(value, list) else [value]
            out[path] = " ".join(field_message(str(v)) for v in items)
    return out


def form_name(path: str) -> str:
    """The page form's input for a schema path: "debtor.name" -> "debtor_name", "collectors.0.claim" ->
    "collector1_claim", "items.1.price" -> "item2_price" (web/console.py builds them so)."""
    parts, out = path.split("."), []
    for part in parts:
        if part.isdigit() and out:
            out[-1] = f"{out[-1].removesuffix('s')}{int(part) + 1}"
        else:
            out.append(part)
    return "_".join(out)
