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

function connect(url, auth) {
  return new Promise((resolve, reject) => {
    const s = io(`${url}/live`, {
      transports: ["websocket"], forceNew: true, reconnection: false, timeout: 60000, auth: auth || {},
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
    const r = await b.s.timeout(30000).emitWithAck("bid", { auction_id: cfg.auction_id, amount, client_id: `f${k}` })
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

(cfg.mode === "idle" ? idle() : fanout()).then(() => process.exit(0), (e) => {
  console.log(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
