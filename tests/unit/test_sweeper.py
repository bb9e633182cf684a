"""The sweeper performs what falls due by calling the use cases everyone calls (issue 12): it finds
the due items, claims each with a lease and hands it to the handler; it changes nothing itself. A
copy of a use case inside the sweeper drifts from the original (the self-sale lapse once skipped the
`payment.cancelled` entry the shared handler writes), so this reads the sweeper's source."""
from __future__ import annotations

import ast
from pathlib import Path

SWEEPER = Path(__file__).resolve().parents[2] / "service" / "sweeper.py"
# What the sweeper itself may set: who acts and who is online (for the handler), and its own lease.
OWN = {("uow", "actor"), ("uow", "online"), ("obj", "lease_until")}
WRITES = {"journal", "post", "publish", "add", "delete", "hold"}  # a unit of work's or a session's writes


def _tree():
    return ast.parse(SWEEPER.read_text(encoding="utf-8"))


def test_the_sweeper_sets_nothing_but_the_actor_the_presence_and_its_lease():
    set_here = set()
    for node in ast.walk(_tree()):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(t, ast.Attribute):
                    set_here.add((ast.unparse(t.value), t.attr))
    assert set_here <= OWN, f"the sweeper changes state itself: {sorted(set_here - OWN)}"


def test_the_sweeper_journals_and_posts_nothing_itself():
    calls = {node.func.attr for node in ast.walk(_tree())
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert not calls & WRITES, f"the sweeper writes itself: {sorted(calls & WRITES)}"


def test_each_due_item_goes_to_a_use_case_of_the_service_floor():
    handlers = set()
    for node in ast.walk(_tree()):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)):
            if node.func.value.id in {"auctions", "retention", "lifecycle", "deposits"}:
                handlers.add(f"{node.func.value.id}.{node.func.attr}")
    assert handlers == {"auctions.open_auction", "auctions.close_auction", "auctions.winner_defaulted",
                        "retention.retention_charge_lapsed", "retention.decide_retention",
                        "lifecycle.self_sale_window_ran_out", "lifecycle.resume_when_period_ran_out",
                        "deposits.pay_refund"}
