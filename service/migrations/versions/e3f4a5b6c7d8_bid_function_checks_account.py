"""the bid function checks the caller's account itself: one round trip from a socket's bid, no read before it

Revision ID: e3f4a5b6c7d8
Revises: d2e3f4a5b6c7
Create Date: 2026-12-04 15:00:00

`mulik_place_bid` as in d2e3f4a5b6c7, and first the caller's account, as the runner's read of it checked it
before (service/queries/accounts.actor, service/access.require): it exists, is not blocked (SPEC §8) and is a
bidder's; otherwise the outcome says which ('no_account', 'blocked', 'not_a_bidder') and two new columns give
the account's role and the reason it was blocked, for the refusal's sentence. The runner then passes a bid's
caller by account id, unread (service/runner.py): a bid from a socket or the API's cookie session is the call
alone on the wire (tests/integration/test_bid_function.py). Its result has two more columns, so the function is
dropped and created again (CREATE OR REPLACE cannot change a function's result), in this one transaction.
The whole function is written out below, not patched from c1d2e3f4a5b6's text as d2e3f4a5b6c7 does: the function
as it now stands reads in one place (its body repeats c1d2e3f4a5b6's, a migration being a frozen snapshot).
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = 'e3f4a5b6c7d8'
down_revision = 'd2e3f4a5b6c7'
branch_labels = None
depends_on = None

SIGNATURE = "mulik_place_bid(integer, integer, bigint, text, text, timestamptz, text)"

FUNCTION = r"""
CREATE FUNCTION mulik_place_bid(p_auction integer, p_user integer, p_amount bigint, p_client text,
                                           p_kind text, p_now timestamptz, p_actor text)
RETURNS TABLE (outcome text, app_id integer, app_no integer, app_status text, a_status text, a_round integer,
               a_starts_at timestamptz, a_ends_at timestamptz, a_current bigint, a_step bigint, a_leader integer,
               a_lot integer, bid_id integer, bid_seq integer, bid_app integer, bid_no integer, bid_amount bigint,
               bid_kind text, bid_at timestamptz, ends_at timestamptz, auto_waiting boolean, raced_from bigint,
               u_role text, u_blocked_reason text)
LANGUAGE plpgsql AS $fn$
DECLARE
  who users%ROWTYPE;
  a auctions%ROWTYPE;
  app applications%ROWTYPE;
  prev bids%ROWTYPE;
  new_seq integer; new_end timestamptz; new_bid integer; v_chain text; head_seq integer; head_hash text;
  payload text; doc text; digest text; at_iso text; seen auctions%ROWTYPE;
BEGIN
  -- the caller's account, as service/queries/accounts.actor and access.require read it: it exists, is not
  -- blocked (SPEC §8) and is a bidder's; the runner then needs no read of its own before the call
  SELECT * INTO who FROM users WHERE id = p_user;
  IF who.id IS NULL OR who.blocked_at IS NOT NULL OR who.role <> 'bidder' THEN
    RETURN QUERY SELECT CASE WHEN who.id IS NULL THEN 'no_account' WHEN who.blocked_at IS NOT NULL THEN 'blocked'
                             ELSE 'not_a_bidder' END::text,
      NULL::integer, NULL::integer, NULL::text, NULL::text, NULL::integer, NULL::timestamptz, NULL::timestamptz,
      NULL::bigint, NULL::bigint, NULL::integer, NULL::integer, NULL::integer, NULL::integer, NULL::integer,
      NULL::integer, NULL::bigint, NULL::text, NULL::timestamptz, NULL::timestamptz, false, NULL::bigint,
      who.role::text, who.blocked_reason::text;
    RETURN;
  END IF;
  SELECT * INTO app FROM applications
   WHERE auction_id = p_auction AND user_id = p_user AND status <> 'withdrawn' ORDER BY id LIMIT 1;
  SELECT * INTO prev FROM bids WHERE auction_id = p_auction AND client_id = p_client;
  IF prev.id IS NOT NULL THEN  -- a retry gets the first answer; another participant's id is refused
    RETURN QUERY SELECT CASE WHEN app.id IS NOT NULL AND prev.application_id = app.id THEN 'replayed'
                             ELSE 'client_id_taken' END::text,
      app.id, app.participant_no, app.status::text, NULL::text, NULL::integer, NULL::timestamptz, NULL::timestamptz,
      NULL::bigint, NULL::bigint, NULL::integer, NULL::integer, prev.id, prev.seq, prev.application_id,
      prev.participant_no, prev.amount, prev.kind::text, prev.at, NULL::timestamptz, false, NULL::bigint,
      who.role::text, NULL::text;
    RETURN;
  END IF;
  -- judged first on what a reader sees now, without a lock (the Python path's read): a bid refused on it never
  -- waits for the row; one allowed on it is judged again on the row locked, which is the state then updated
  SELECT * INTO seen FROM auctions WHERE id = p_auction;
  IF seen.id IS NOT NULL AND mulik_bid_allowed(seen, app, p_amount, p_now) THEN
    SELECT * INTO a FROM auctions WHERE id = p_auction FOR NO KEY UPDATE;
  ELSE
    a := seen;
  END IF;
  IF a.seq IS DISTINCT FROM seen.seq THEN  -- another bid came in while we waited: this very one, resent?
    SELECT * INTO prev FROM bids WHERE auction_id = p_auction AND client_id = p_client;
    IF prev.id IS NOT NULL THEN
      RETURN QUERY SELECT CASE WHEN app.id IS NOT NULL AND prev.application_id = app.id THEN 'replayed'
                               ELSE 'client_id_taken' END::text,
        app.id, app.participant_no, app.status::text, NULL::text, NULL::integer, NULL::timestamptz,
        NULL::timestamptz, NULL::bigint, NULL::bigint, NULL::integer, NULL::integer, prev.id, prev.seq,
        prev.application_id, prev.participant_no, prev.amount, prev.kind::text, prev.at, NULL::timestamptz, false,
        NULL::bigint, who.role::text, NULL::text;
      RETURN;
    END IF;
  END IF;
  IF a.id IS NULL OR NOT mulik_bid_allowed(a, app, p_amount, p_now) THEN
    -- refused: the state judged, for the rules in Python to name (auction/bidding/ascending.check_bid)
    RETURN QUERY SELECT CASE WHEN a.id IS NULL THEN 'no_auction' ELSE 'refused' END::text,
      app.id, app.participant_no, app.status::text, a.status::text, a.round, a.starts_at, a.ends_at, a.current_price,
      a.step, a.leader_no, a.lot_id, NULL::integer, NULL::integer, NULL::integer, NULL::integer, NULL::bigint,
      NULL::text, NULL::timestamptz, NULL::timestamptz, false,
      CASE WHEN a.seq IS DISTINCT FROM seen.seq THEN seen.current_price END,  -- another bid came in meanwhile
      who.role::text, NULL::text;
    RETURN;
  END IF;
  new_end := p_now + make_interval(secs => a.quiet_s);
  UPDATE auctions SET current_price = p_amount, leader_no = app.participant_no, leader_user_id = p_user,
         ends_at = new_end, seq = auctions.seq + 1, bids_count = bids_count + 1
   WHERE id = p_auction RETURNING auctions.seq INTO new_seq;
  INSERT INTO bids (auction_id, seq, application_id, participant_no, amount, kind, client_id, at)
  VALUES (p_auction, new_seq, app.id, app.participant_no, p_amount, p_kind, p_client, p_now) RETURNING id INTO new_bid;
  -- the bid's journal entry, on the lot's chain (auction/journal.canonical, byte for byte)
  v_chain := 'lot:' || a.lot_id;
  INSERT INTO journal_heads (chain, seq, hash) VALUES (v_chain, 0, repeat('0', 64)) ON CONFLICT DO NOTHING;
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM journal_heads h WHERE h.chain = v_chain FOR UPDATE;
  at_iso := to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  payload := '{"amount":"' || (p_amount::numeric / 100)::numeric(20, 2)::text
          || '","at":"' || at_iso
          || '","auto":' || CASE WHEN p_kind = 'auto' THEN 'true' ELSE 'false' END
          || ',"ends_at":"' || to_char(new_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
          || '","participant_no":' || app.participant_no
          || ',"seq":' || new_seq || '}';
  doc := '{"actor":' || coalesce(to_json(p_actor)::text, 'null')
      || ',"article":"80.3","at":"' || at_iso
      || '","auction_id":' || p_auction
      || ',"chain":' || to_json(v_chain)::text
      || ',"kind":"bid.accepted","lot_id":' || a.lot_id
      || ',"payload":' || payload
      || ',"prev_hash":"' || head_hash
      || '","seq":' || (head_seq + 1) || '}';
  digest := encode(sha256(convert_to(doc, 'UTF8')), 'hex');
  INSERT INTO journal (chain, seq, at, kind, actor, lot_id, auction_id, article, payload, prev_hash, hash)
  VALUES (v_chain, head_seq + 1, p_now, 'bid.accepted', p_actor, a.lot_id, p_auction, '80.3', payload::json,
          head_hash, digest);
  UPDATE journal_heads h SET seq = head_seq + 1, hash = digest WHERE h.chain = v_chain;
  RETURN QUERY SELECT 'accepted'::text, app.id, app.participant_no, app.status::text, 'open'::text, a.round,
    a.starts_at, new_end, p_amount, a.step, app.participant_no, a.lot_id, new_bid, new_seq, app.id, app.participant_no,
    p_amount, p_kind, p_now, new_end,
    EXISTS (SELECT 1 FROM applications o WHERE o.auction_id = p_auction AND o.status = 'admitted'
            AND o.auto_bid_ceiling >= p_amount + a.step AND o.participant_no <> app.participant_no),
    NULL::bigint, who.role::text, NULL::text;
END
$fn$;
"""


def _previous() -> str:
    """d2e3f4a5b6c7's function text (a migration module is a file, not a package module)."""
    path = Path(__file__).with_name("d2e3f4a5b6c7_bid_lock_no_key_update.py")
    spec = importlib.util.spec_from_file_location("mulik_migration_d2e3f4a5b6c7", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._previous().replace(module.LOCK, module.NO_KEY)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {SIGNATURE}")
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {SIGNATURE}")
        op.execute(_previous())
