"""the bid function returns the auction's seq and floor: a refused socket bid's `rejected` state from the call

Revision ID: f7a8b9c0d1e2
Revises: e3f4a5b6c7d8
Create Date: 2026-12-04 21:00:00

`mulik_place_bid` as in e3f4a5b6c7d8, with two more result columns, `a_seq` and `a_floor`: the auction's event
sequence number and floor as the function judged it (after an accepted bid, the new seq). With the columns it
already returns they make the whole `state` message of an ascending auction (SPEC §9), so a refused bid from a
socket answers with the state it was judged on and reads nothing more: one round trip, the call alone
(web/live.py, tests/e2e/test_live_socket.py). The text is e3f4a5b6c7d8's with those columns added, each change
checked to apply once; the result changes, so the function is dropped and created again.
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = 'f7a8b9c0d1e2'
down_revision = 'e3f4a5b6c7d8'
branch_labels = None
depends_on = None


def _e3f4():
    path = Path(__file__).with_name("e3f4a5b6c7d8_bid_function_checks_account.py")
    spec = importlib.util.spec_from_file_location("mulik_migration_e3f4a5b6c7d8", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) == count, (old, text.count(old))
    return text.replace(old, new)


def function() -> str:
    f = _e3f4().FUNCTION
    f = _replace(f, "u_role text, u_blocked_reason text)", "u_role text, u_blocked_reason text, a_seq integer,\n"
                 "               a_floor bigint)")
    f = _replace(f, "who.role::text, who.blocked_reason::text;", "who.role::text, who.blocked_reason::text, "
                 "NULL::integer, NULL::bigint;")
    f = _replace(f, "-- another bid came in meanwhile\n      who.role::text, NULL::text;",
                 "-- another bid came in meanwhile\n      who.role::text, NULL::text, a.seq, a.floor;")
    f = _replace(f, "    NULL::bigint, who.role::text, NULL::text;\nEND",
                 "    NULL::bigint, who.role::text, NULL::text, new_seq, a.floor;\nEND")
    return _replace(f, "who.role::text, NULL::text;", "who.role::text, NULL::text, NULL::integer, NULL::bigint;",
                    count=2)  # the two answers of a resent client_id


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        signature = _e3f4().SIGNATURE
        op.execute(f"DROP FUNCTION {signature}")
        op.execute(function())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        module = _e3f4()
        op.execute(f"DROP FUNCTION {module.SIGNATURE}")
        op.execute(module.FUNCTION)
