"""One handler per command (STYLE.md; model cosmicpython `service_layer/handlers.py`): every
state-changing use case of auction/commands.py and valuation/commands.py, and `handle`, the one
entry the runners call. The handlers themselves live with their area (lifecycle, auctions, trading…).
"""
from __future__ import annotations

from typing import Callable

from auction import commands as c

from . import (
    accounts,
    auctions,
    calendar_admin,
    claims,
    deposits,
    disqualification,
    lifecycle,
    payments,
    photos,
    retention,
    settings,
    signed_documents,
    trading,
    transfer,
    valuation,
)
from .uow import UnitOfWork

HANDLERS: dict[type[c.Command], Callable] = {
    c.CreateProceeding: lifecycle.create_proceeding,
    c.DetermineArrears: lifecycle.determine_arrears,
    c.CorrectClaimKind: claims.correct_kind,
    c.SuspendProceeding: lifecycle.suspend_proceeding,
    c.ResumeProceeding: lifecycle.resume_proceeding,
    c.ReleaseProceeding: lifecycle.release_proceeding,
    c.TransferProceeding: transfer.transfer_proceeding,
    c.CreateLot: lifecycle.create_lot,
    c.RecordCoOwnerNotified: lifecycle.record_coowner_notified,
    c.RecordCoOwnerDecision: lifecycle.record_coowner_decision,
    c.DeclinePreemption: lifecycle.record_preemption_declined,
    c.RecordEncumbrance: lifecycle.record_encumbrance,
    c.DescribeViewing: lifecycle.describe_viewing,
    c.WithdrawLot: lifecycle.withdraw_lot,
    c.OrderRealization: lifecycle.order_realization,
    c.DeclareNotRealizable: lifecycle.declare_not_realizable,
    c.ApplySelfSale: lifecycle.apply_self_sale,
    c.GrantSelfSale: lifecycle.grant_self_sale,
    c.RefuseSelfSale: lifecycle.refuse_self_sale,
    c.RecordSelfSaleContract: lifecycle.record_self_sale_contract,
    c.ScheduleAuction: auctions.schedule_auction,
    c.CancelAuction: auctions.cancel_by_bailiff,
    c.ApproveResults: auctions.approve_results,
    c.Apply: trading.apply,
    c.Join: trading.join,
    c.PlaceBid: trading.place_bid,
    c.Accept: trading.accept,
    c.SetCeiling: trading.set_ceiling,
    c.Disqualify: disqualification.disqualify,
    c.AnswerRetention: retention.retention,
    c.SignDocument: signed_documents.sign_document,
    c.PaymentNotice: payments.webhook,
    c.ConfirmPayment: payments.confirm,
    c.DevPay: payments.dev_pay,
    c.RequestWalletRefund: deposits.request_wallet_refund,
    c.AddPhoto: photos.add_photo,
    c.ChangeSettings: settings.change,
    c.SetMci: settings.set_mci,
    c.SetCalendarDay: calendar_admin.set_override,
    c.RemoveCalendarDay: calendar_admin.remove_override,
    c.BlockUser: accounts.block_user,
    c.UnblockUser: accounts.unblock_user,
    **valuation.HANDLERS,
}


# The use cases that read and check their caller's account themselves, in their one database call (on
# PostgreSQL); the runner passes them an account id unread (service/runner.py, access.AccountId).
READS_ACCOUNT: frozenset[type[c.Command]] = frozenset({c.PlaceBid})


def reads_account(fn, args: tuple) -> bool:
    """Whether `fn(uow, actor, *args)` is `handle` of such a command, or `entry` of one."""
    if fn is handle:
        return bool(args) and type(args[0]) in READS_ACCOUNT
    return getattr(fn, "command", None) in READS_ACCOUNT


def handle(uow: UnitOfWork, actor, cmd: c.Command):
    """Run the command's one handler (a runner has opened the unit of work and resolved the actor)."""
    return HANDLERS[type(cmd)](uow, actor, cmd)


def entry(command: type[c.Command]):
    """`fn(uow, actor, *targets, data)` for the runners that pass the targets of a page or a route and
    a schema's loaded data: builds the command and handles it."""
    def run(uow, actor, *args):
        return handle(uow, actor, command.of(*args))
    run.__name__ = HANDLERS[command].__name__
    run.command = command
    run.__doc__ = command.__doc__
    return run
