"""JSON views of the resources. Each has a public view and a private one (parties, the
case's bailiff, operators): personal data never reaches the public view (SPEC §8)."""
from __future__ import annotations

from auction import calendar as cal
from auction.bidding import ascending
from auction.identity import mask
from auction.money import fmt


def m(value):
    return None if value is None else fmt(value)


def t(value):
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def d(value):
    return None if value is None else value.isoformat()


def user(u) -> dict:
    return {"id": u.id, "email": u.email, "role": u.role, "full_name": u.full_name, "iin_bin": u.iin_bin,
            "office": u.office, "phone": u.phone}


def proceeding(p, private: bool) -> dict:
    out = {"id": p.id, "number": p.number, "status": p.status, "private_bailiff": p.private_bailiff,
           "debtor": {"name": p.debtor_name if private else "(hidden)",
                      "iin_bin": p.debtor_iin_bin if private else mask(p.debtor_iin_bin),
                      "is_entity": p.debtor_is_entity},
           "self_sale_used": p.self_sale_used,
           "suspension_ends_on": d(p.suspension_ends_on)}  # Art. 44 item 8: resumed the day after at the latest
    if private:
        out.update(bailiff_id=p.bailiff_id, judge_iin=p.judge_iin, pledgee_bin=p.pledgee_bin, fines=m(p.fines),
                   expenses=m(p.expenses), suspension_reason=p.suspension_reason,
                   suspension={"at_collector_request": p.suspended_at_collector_request,
                               "application_on": d(p.collector_application_on),
                               "mediation_agreement": p.mediation_agreement, "ends_on": d(p.suspension_ends_on)},
                   collectors=[{"id": c.id, "name": c.name, "iin_bin": c.iin_bin, "kind": c.kind, "queue": c.queue,
                                "queue_article": c.queue_article, "fee_category": c.fee_category,
                                "fee_charged": m(c.fee_charged), "claim": m(c.claim),
                                "paid": m(c.paid), "outstanding": m(c.outstanding), "user_id": c.user_id,
                                "determinations": [{"old_claim": m(x.old_claim), "new_claim": m(x.new_claim),
                                                    "arrears": m(x.arrears), "penalty": m(x.penalty),
                                                    "resolution_no": x.resolution_no,
                                                    "resolution_date": d(x.resolution_date), "at": t(x.at)}
                                                   for x in c.determinations],
                                "kind_corrections": [{"old_kind": x.old_kind, "new_kind": x.new_kind, "basis": x.basis,
                                                      "reason": x.reason, "at": t(x.at), "by": x.by}
                                                     for x in c.kind_corrections]}
                               for c in p.collectors])
    return out


def transfer(r) -> dict:
    """A proceeding passed to another bailiff (for the case's people and operators only)."""
    return {"at": t(r.at), "from_bailiff_id": r.from_bailiff_id, "from_private": r.from_private,
            "to_bailiff_id": r.to_bailiff_id, "to_private": r.to_private, "basis": r.basis, "moved": r.moved}


def lot(x, private: bool, today=None, auctions=()) -> dict:
    v = x.valuation
    out = {
        "id": x.id, "proceeding_id": x.proceeding_id, "title": x.title, "description": x.description,
        "category": x.category, "priority": x.priority, "priority_article": x.priority_article,
        "used_in_production": x.used_in_production, "status": x.status, "perishable": x.perishable,
        "photos": list(x.photos or []), "region": x.region,
        "storage_place": x.storage_place, "viewing": x.viewing,  # where and how buyers may see it (public)
        "valuation": None if v is None else {"value": m(v.value), "method": v.method, "report_no": v.report_no,
                                             "report_date": d(v.report_date)},
        "items": [{"name": i.name, "marks": i.marks, "price": m(i.price), "kind": i.kind, "quantity": i.quantity}
                  for i in x.items],
        # Art. 63.2: real estate carries its title instead of inventory items (public: it is in the register).
        "real_estate": None if x.cadastral_number is None else {
            "cadastral_number": x.cadastral_number, "address": x.address,
            "area": None if x.area is None else str(x.area),
            "title_reg_no": x.title_reg_no, "title_reg_date": d(x.title_reg_date)},
        "self_sale": None if x.self_sale_status is None else {"status": x.self_sale_status,
                                                               "ends_on": d(x.self_sale_ends_on)},
        "auction_count": x.auction_count, "sale_price": m(x.sale_price),
        "auctions": [{"id": a.id, "round": a.round, "status": a.status, "starts_at": t(a.starts_at)} for a in auctions],
        "deadlines": {"valuation_due_on": d(x.valuation_due_on), "self_sale_ends_on": d(x.self_sale_ends_on),
                      "retention_ends_on": d(x.retention_ends_on), "repeat_auction_from": d(x.repeat_auction_from),
                      "preemption_ends_on": d(x.preemption_ends_on)},
    }
    if private:
        out.update(
            valuation_overdue=x.valuation_overdue(today) if today else None,
            appraiser_id=x.appraiser_id, valuation_appointed_on=d(x.valuation_appointed_on),
            parties_notified_by=d(x.parties_notified_by), dispute_open=x.dispute_open,
            agreement={"value": m(x.agreement_value), "signed_by": list(x.agreement_signers or [])},
            valuations=[{"id": v.id, "value": m(v.value), "method": v.method, "report_no": v.report_no,
                         "report_date": d(v.report_date), "superseded": v.superseded} for v in x.valuations],
            realization_ordered_on=d(x.realization_ordered_on), priority_override_ground=x.priority_override_ground,
            priority_override_reason=x.priority_override_reason, pledged=x.pledged,
            custodian=x.custodian, self_sale_price=m(x.self_sale_price),
            self_sale_buyer=x.self_sale_buyer, retained_by_collector_id=x.retained_by_collector_id,
            common_share=x.common_share, preemption_declined=x.preemption_declined,
            self_sale_application=self_sale_application(x),
            encumbrances=[encumbrance(e) for e in x.encumbrances],
            coowners_notifiable=x.coowners_notifiable,
            coowners=[{"id": c.id, "name": c.name, "iin_bin": c.iin_bin, "notified_on": d(c.notified_on),
                       "period_ends_on": d(c.period_ends_on(real_estate=x.is_real_estate)),
                       "decision": c.decision, "decided_on": d(c.decided_on)} for c in x.coowners])
    return out


def self_sale_application(x) -> dict | None:
    """Art. 74.2: the debtor's application and the bailiff's answer (private)."""
    if x.self_sale_application is None:
        return None
    return {"status": x.self_sale_application, "applied_on": d(x.self_sale_applied_on),
            "expected_price": m(x.self_sale_expected_price), "granted_on": d(x.self_sale_granted_on),
            "refusal_ground": x.self_sale_refusal_ground, "refusal_reason": x.self_sale_refusal_reason}


def encumbrance(e) -> dict:
    return {"id": e.id, "basis": e.basis, "document_no": e.document_no, "document_date": d(e.document_date),
            "issuer": e.issuer, "this_proceeding": e.this_proceeding, "recorded_on": d(e.recorded_on),
            "lifted_on": d(e.lifted_on), "stays": not e.lifted_by_self_sale}


def auction(a, now, me=None, staff: bool = False) -> dict:
    out = {
        "id": a.id, "lot_id": a.lot_id, "round": a.round, "status": a.status,
        "kind": "ascending" if a.round == 1 else "descending",
        "announced_at": t(a.announced_at), "starts_at": t(a.starts_at),
        "applications_close_at": t(a.applications_close_at), "start_price": m(a.start_price), "step": m(a.step),
        "deposit": m(a.deposit), "floor": m(a.floor), "interval_seconds": a.interval_s, "quiet_seconds": a.quiet_s,
        "ends_at": t(a.ends_at), "final_price": m(a.final_price), "winner_no": a.winner_no,
        "failure_reason": a.failure_reason, "payment_due_on": d(a.payment_due_on),
        "participants": len(a.admitted),
    }
    if staff:
        out["applications"] = [{"participant_no": x.participant_no, "user_id": x.user_id, "iin_bin": x.iin_bin,
                                "status": x.status, "deposit_state": x.deposit_state,
                                "disqualification": None if x.disqualified_at is None else {
                                    "at": t(x.disqualified_at), "ground": x.disqualification_ground,
                                    "reason": x.disqualification_reason}} for x in a.applications]
    return out


def state(a, now, me_no=None, online: int | None = None) -> dict:
    """The live snapshot (SPEC §9 `state`): the same over HTTP and the socket."""
    price = a.price_at(now)
    if a.status == "open":
        next_price = a.next_price(now)
    elif a.status == "announced":
        next_price = a.start_price + a.step if a.round == 1 else a.start_price
    else:
        next_price = None
    return {"auction_id": a.id, "status": a.status, "round": a.round, "price": m(price), "next_price": m(next_price),
            "step": m(a.step), "floor": m(a.floor), "ends_at": t(a.ends_at), "server_time": t(now), "seq": a.seq,
            "online": online if online is not None else sum(1 for x in a.admitted if x.last_seen_at),
            "leader_no": a.leader_no, "my_no": me_no, "starts_at": t(a.starts_at)}


def application(x, a=None) -> dict:
    return {"id": x.id, "auction_id": x.auction_id, "participant_no": x.participant_no, "status": x.status,
            "deposit": m(x.deposit), "deposit_state": x.deposit_state, "keep_in_wallet": x.keep_in_wallet,
            "created_at": t(x.created_at), "auction_status": a.status if a is not None else None}


def payment(p) -> dict:
    return {"id": p.id, "kind": p.kind, "amount": m(p.amount), "status": p.status, "reference": p.reference,
            "lot_id": p.lot_id, "auction_id": p.auction_id, "due_on": d(p.due_on), "paid_at": t(p.paid_at)}


def bid_event(a, b) -> dict:
    """A stored bid as the `bid` socket message (SPEC §9), with the end and the next price it set:
    a bid moves the end to `at + quiet_period` (soft close); an acceptance ends the round."""
    if b.kind == "accept":
        ends_at, next_price = b.at, None
    else:
        ends_at, next_price = ascending.soft_close_end(b.at, a.quiet_period), ascending.next_price(b.amount, a.step)
    return {"auction_id": a.id, "seq": b.seq, "amount": m(b.amount), "participant_no": b.participant_no,
            "at": t(b.at), "ends_at": t(ends_at), "next_price": m(next_price), "auto": b.kind == "auto"}


def bid(b) -> dict:
    return {"seq": b.seq, "amount": m(b.amount), "participant_no": b.participant_no, "kind": b.kind,
            "client_id": b.client_id, "at": t(b.at)}


def journal_entry(e, private: bool) -> dict:
    return {"chain": e.chain, "seq": e.seq, "at": t(e.at), "kind": e.kind, "actor": e.actor if private else None,
            "article": e.article, "lot_id": e.lot_id, "auction_id": e.auction_id,
            "payload": e.payload if private else _public_payload(e.payload), "hash": e.hash, "prev_hash": e.prev_hash}


_PUBLIC_KEYS = {"from", "to", "seq", "amount", "participant_no", "round", "starts_at", "start_price", "step",
                "deposit", "floor", "reason", "failure_reason", "price", "winner_no", "ends_at", "auction_on",
                "value", "method", "retention_ends_on", "applications_close_at", "online", "admitted"}


def _public_payload(payload: dict) -> dict:
    return {k: v for k, v in (payload or {}).items() if k in _PUBLIC_KEYS}


def local_day(now):
    return cal.local_date(now)


def act_signature(s, private: bool) -> dict:
    """An EDS signature of a document (service/signing.py): the act, who signed it and by which certificate;
    the signer's IIN/BIN masked for the public."""
    number = s.signer_bin or s.signer_iin
    return {"act": s.act, "signer": s.signer_name, "iin_bin": number if private else mask(number),
            "signed_at": t(s.signed_at), "cert_serial": s.cert_serial}
