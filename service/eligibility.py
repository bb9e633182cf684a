"""The facts the Art. 80.2 rules (auction/eligibility.py) are checked against, as the database holds
them: the case's persons, and an applicant's declaration. Read when an application is filed and
again at the opening (SPEC §5)."""
from __future__ import annotations

from sqlalchemy import select

from auction.auctions import Application
from auction.eligibility import CaseParties, Declaration
from auction.lots.model import Lot
from auction.proceedings import Proceeding

from .orm import ProceedingTransfer, User
from .uow import UnitOfWork


def case_parties(uow: UnitOfWork, lot: Lot) -> tuple[Proceeding, CaseParties]:
    """The case's Art. 80.2 persons as the database holds them now: read afresh at each filing and at
    the opening, so an appraiser appointed or a pledgee recorded after an application counts. "The
    bailiffs of the case" are every bailiff who has run it: the current one and those it passed from."""
    p = uow.get(Proceeding, lot.proceeding_id)
    former = uow.session.execute(select(User.iin_bin).join(ProceedingTransfer, ProceedingTransfer.from_bailiff_id
                                                           == User.id)
                                 .where(ProceedingTransfer.proceeding_id == p.id)).scalars().all()
    bailiffs = {b for b in (p.bailiff_iin, uow.get(User, p.bailiff_id).iin_bin, *former) if b}
    appraisers = ({v.appraiser_iin for v in lot.valuations if v.appraiser_iin}
                  | ({lot.appraiser_iin} if lot.appraiser_iin else set()))
    return p, CaseParties(debtor=p.debtor_iin_bin, bailiffs=frozenset(bailiffs),
                          judge=p.judge_iin, appraisers=frozenset(appraisers), pledgee=p.pledgee_bin)


def declaration_of(app_or_data) -> Declaration:
    """An application's declaration (or the declared fields of a new one) as the rules read it."""
    d = app_or_data.declaration if isinstance(app_or_data, Application) else app_or_data
    return Declaration(iin_bin=d["iin_bin"], is_entity=bool(d.get("is_entity")), spouse=d.get("spouse") or None,
                       close_relatives=frozenset(d.get("close_relatives") or ()),
                       employers=frozenset(d.get("employers") or ()), founded=frozenset(d.get("founded") or ()),
                       people=frozenset(d.get("people") or ()))
