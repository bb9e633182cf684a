// Socket.IO clients for the fan-out, connection and Redis benchmarks (socket.io-client, websocket
// transport, one connection per client). One argument: a JSON file with the configuration.
//
// mode "fanout": `receivers` clients join the auction room at receiver_url; `bidders` (API tokens)
//   join at bidder_url and bid in turn at `rate` bids/s (the next bid is sent at its slot, or as
//   soon as the previous one is acknowledged when that is later). For each accepted bid: the time
//   from sending it to its acknowledgement, to its first receipt and to its last receipt among
//   the receivers (process.hrtime, one clock). Prints one JSON line.
// mode "idle": `clients` connect and join the room, `concurrency` connecting at a time; prints
//   `connected N` when done, then holds them until stdin closes or a line arrives; then a JSON line.
// mode "bids": the `bidders` of each of `auctions` connect at `url`, join their auction's room and bid
//   for `seconds`: a bidder that does not lead sends the next price it knows (from the broadcasts and
//   its answers), at most `inflight` bids in flight over all; prints one JSON line (decisions by code):
//   the answers received within the `seconds`, and apart the `late` ones (bids sent in time, answered after).
// `local_addresses` (optional): the sockets' source addresses, in turn (a balancer hashing the client
//   address then spreads them).
// `tag` (optional): the prefix of the bids' client ids; runs on one database need distinct tags, or the
//   server answers a repeated client id with the bid it already holds (idempotency) and broadcasts nothing.
"use strict";
const fs = require("fs");
const readline = require("readline");
const { io } = require("socket.io-client");

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const now = () => process.hrtime.bigint();
const ms = (ns) => Number(ns) / 1e6;
const tiyn = (s) => Math.round(parseFloat(s) * 100);
const fmt = (t) => (t / 100).toFixed(2);
const sleep = (t) => new Promise((r) => setTimeout(r, t));

const sources = cfg.local_addresses || [];
let nextSource = 0;

function connect(url, auth) {
  const from = sources.length ? { localAddress: sources[nextSource++ % sources.length] } : {};
  return new Promise((resolve, reject) => {
    const s = io(`${url}/live`, {
      transports: ["websocket"], forceNew: true, reconnection: false, timeout: 60000, auth: auth || {}, ...from,
    });
    s.once("connect", () => resolve(s));
    s.once("connect_error", (e) => { s.close(); reject(e); });
  });
}

async function join(s, auctionId) {
  const r = await s.timeout(60000).emitWithAck("join", { auction_id: auctionId });
  if (!r || !r.ok) throw new Error(`join refused: ${JSON.stringify(r)}`);
  return r;
}

async function pool(n, concurrency, make) {
  const out = new Array(n);
  let next = 0;
  const errors = [];
  async function worker() {
    while (next < n) {
      const i = next++;
      try { out[i] = await make(i); } catch (e) { errors.push(String(e && e.message || e)); }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { sockets: out.filter(Boolean), errors };
}

// CPU seconds (user + system) the server processes have used, from /proc/PID/stat
function serverCpu() {
  let total = 0;
  for (const pid of cfg.server_pids || []) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      total += (Number(f[11]) + Number(f[12])) / (cfg.clk_tck || 100);
    } catch (e) { return null; }
  }
  return total;
}

function pct(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))];
}

async function fanout() {
  const t0 = now();
  const received = new Map(); // amount -> {first, last, n}
  const { sockets: receivers, errors } = await pool(cfg.receivers, cfg.concurrency || 100, async () => {
    const s = await connect(cfg.receiver_url);
    s.on("bid", (b) => {
      const t = now();
      const r = received.get(b.amount);
      if (r) { r.last = t; r.n += 1; } else received.set(b.amount, { first: t, last: t, n: 1 });
    });
    await join(s, cfg.auction_id);
    return s;
  });
  const connectS = ms(now() - t0) / 1000;
  const bidders = [];
  for (const b of cfg.bidders) {
    const s = await connect(cfg.bidder_url, { token: b.token, participant_no: b.participant_no });
    await join(s, cfg.auction_id);
    bidders.push({ s, no: b.participant_no });
  }
  await sleep(1000);
  let price = tiyn(cfg.start_price);
  const step = tiyn(cfg.step);
  let leader = null;
  const sent = []; // {amount, at, ack, ok}
  const period = 1e9 / cfg.rate;
  const cpu0 = serverCpu();
  const start = now();
  let turn = 0;
  for (let k = 0; k < cfg.bids; k++) {
    const slot = start + BigInt(Math.round(k * period));
    const wait = ms(slot - now());
    if (wait > 0) await sleep(wait);
    let b = bidders[turn++ % bidders.length];
    if (b.no === leader) b = bidders[turn++ % bidders.length];
    const amount = fmt(price + step);
    const rec = { amount, at: now(), ack: null, ok: false, k };
    sent.push(rec);
    const r = await b.s.timeout(30000).emitWithAck("bid", { auction_id: cfg.auction_id, amount, client_id: `${cfg.tag || "f"}${k}` })
      .catch((e) => ({ ok: false, code: String(e) }));
    rec.ack = now();
    rec.ok = !!r.ok;
    if (r.ok) { price = tiyn(r.amount); leader = b.no; } else if (r.state && r.state.price) price = tiyn(r.state.price);
  }
  const elapsed = ms(now() - start) / 1000;
  await sleep(3000);
  const cpu1 = serverCpu();
  const measured = sent.filter((r) => r.ok && r.k >= (cfg.warmup || 0));
  const ack = [], first = [], last = [];
  let incomplete = 0, lost = 0;
  for (const r of measured) {
    ack.push(ms(r.ack - r.at));
    const got = received.get(r.amount);
    if (!got) { lost += 1; continue; }
    first.push(ms(got.first - r.at));
    if (got.n < receivers.length) incomplete += 1; else last.push(ms(got.last - r.at));
  }
  const summary = (v) => ({ p50: pct(v, 50), p99: pct(v, 99), max: pct(v, 100), n: v.length });
  console.log(JSON.stringify({
    receivers: receivers.length, connect_errors: errors.length, first_error: errors[0] || null,
    connect_s: connectS, bids_sent: sent.length, bids_accepted: sent.filter((r) => r.ok).length,
    refused: sent.filter((r) => !r.ok).length, rate: sent.length / elapsed, measured: measured.length,
    incomplete, lost, ack: summary(ack), first: summary(first), last: summary(last),
    server_cpu_s: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, bidding_s: elapsed + 3,
  }));
  for (const s of receivers) s.close();
  for (const b of bidders) b.s.close();
}

async function idle() {
  const t0 = now();
  const { sockets, errors } = await pool(cfg.clients, cfg.concurrency || 200, async () => {
    const s = await connect(cfg.url);
    if (cfg.join) await join(s, cfg.auction_id);
    return s;
  });
  const connectS = ms(now() - t0) / 1000;
  console.log(`connected ${sockets.length}`);
  await new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin });
    rl.once("line", resolve);
    rl.once("close", resolve);
  });
  const alive = sockets.filter((s) => s.connected).length;
  console.log(JSON.stringify({ clients: sockets.length, alive, connect_errors: errors.length,
    first_error: errors[0] || null, connect_s: connectS }));
  for (const s of sockets) s.close();
}

// One auction as the bidders know it: the last price, its leader and seq; waiters are woken by a change.
function seen(a, seq, amount, leader) {
  if (seq <= a.seq) return;
  a.seq = seq; a.price = tiyn(amount); a.leader = leader;
  const w = a.waiters; a.waiters = [];
  for (const f of w) f();
}

function changed(a, timeoutMs) {
  return new Promise((resolve) => { a.waiters.push(resolve); setTimeout(resolve, timeoutMs); });
}

function semaphore(n) {
  let free = n;
  const queue = [];
  return {
    acquire: () => (free > 0 ? (free--, Promise.resolve()) : new Promise((r) => queue.push(r))),
    release: () => { const next = queue.shift(); if (next) next(); else free++; },
  };
}

async function bids() {
  const auctions = new Map(cfg.auctions.map((a) => [a.id, {
    id: a.id, price: tiyn(a.start), step: tiyn(a.step), leader: a.leader_no, seq: a.seq || 0, waiters: [] }]));
  const people = cfg.auctions.flatMap((a) => a.bidders.map((b) => ({ ...b, auction: auctions.get(a.id) })));
  const t0 = now();
  const { sockets: bidders, errors } = await pool(people.length, cfg.concurrency || 50, async (i) => {
    const p = people[i];
    const s = await connect(cfg.url, { token: p.token, participant_no: p.participant_no });
    s.on("bid", (b) => seen(p.auction, b.seq, b.amount, b.participant_no));
    await join(s, p.auction.id);
    return { s, p };
  });
  const connectS = ms(now() - t0) / 1000;
  await sleep(1000);
  const slots = semaphore(cfg.inflight || 48);
  const codes = {};
  const lat = [];
  let accepted = 0, acceptedLate = 0, late = 0; // answers after the window are counted apart
  const cpu0 = serverCpu();
  const start = now();
  const end = start + BigInt(Math.round(cfg.seconds * 1e9));
  let lastAck = start;
  let cpuEnd = null;
  const window = sleep(cfg.seconds * 1000).then(() => { cpuEnd = serverCpu(); });
  async function bidder({ s, p }, k) {
    const a = p.auction;
    let n = 0;
    while (now() < end) {
      if (a.leader === p.participant_no) { await changed(a, 100); continue; }
      await slots.acquire();
      if (a.leader === p.participant_no || now() >= end) { slots.release(); continue; }
      const t = now();
      const r = await s.timeout(30000).emitWithAck("bid", {
        auction_id: a.id, amount: fmt(a.price + a.step), client_id: `${cfg.tag || "s"}${k}-${n++}` })
        .catch((e) => ({ ok: false, code: String(e) }));
      lastAck = now();
      slots.release();
      const inWindow = lastAck <= end;
      if (inWindow) lat.push(ms(lastAck - t)); else late += 1;
      if (r.ok) {
        if (inWindow) accepted += 1; else acceptedLate += 1;
        seen(a, r.seq, r.amount, p.participant_no);
      } else {
        if (inWindow) codes[r.code] = (codes[r.code] || 0) + 1;
        if (r.state && r.state.price) seen(a, r.state.seq, r.state.price, r.state.leader_no);
        if (r.code === "rate_limited") await sleep(1000 * (r.retry_after || 1));
      }
    }
  }
  await Promise.all([window, ...bidders.map((b, k) => bidder(b, k))]);
  const drained = ms(lastAck - start) / 1000;
  const refused = Object.values(codes).reduce((x, y) => x + y, 0);
  console.log(JSON.stringify({
    bidders: bidders.length, auctions: auctions.size, connect_errors: errors.length, first_error: errors[0] || null,
    connect_s: connectS, elapsed: cfg.seconds, drained_s: drained, accepted, refused, codes,
    decisions: accepted + refused, late, accepted_late: acceptedLate,
    latency: { p50: pct(lat, 50), p99: pct(lat, 99), max: pct(lat, 100), n: lat.length },
    server_cpu_s: cpu0 === null || cpuEnd === null ? null : cpuEnd - cpu0,
  }));
  for (const b of bidders) b.s.close();
}

const modes = { idle, fanout, bids };
modes[cfg.mode || "fanout"]().then(() => process.exit(0), (e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
