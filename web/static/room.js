/* Mulik auction room: follows one auction over Socket.IO namespace "/live" (SPEC §3, §9).
 *
 * - Money stays a decimal string from the server. It is only formatted for display; the one sum
 *   the page makes (the next bid after a `bid` event = amount + step, Art. 80.3) is exact
 *   integer arithmetic in tiyn (BigInt), never floats. The server checks every bid anyway.
 * - Time: the server clock is the only clock. offset = server_time - local time, taken at each
 *   `state` / `price`; countdowns run on Date.now() + offset.
 * - Sequence numbers: every bid and state change has a gap-free `seq`. The page keeps the last
 *   one it applied; a `bid` that is not last_seq + 1 makes it rejoin with last_seq, and so does
 *   every reconnect (python-socketio keeps no state across a reconnect). The server answers with
 *   exactly the missed bids, or with a full snapshot.
 */
(function () {
  "use strict";

  const NBSP = "\u00a0";
  const TERMINAL = new Set(["closed", "sold", "failed", "cancelled"]);
  // the page's language: its strings (the `js` catalogue) and its number format, from the server
  const I18N = JSON.parse(document.getElementById("i18n").textContent);
  const NF = JSON.parse(document.getElementById("number-format").textContent);
  /** The translation of `msgid`, with {name} placeholders filled from `params`. */
  function t(msgid, params) {
    let s = I18N[msgid] || msgid;
    for (const k in params || {}) s = s.split("{" + k + "}").join(String(params[k]));
    return s;
  }
  const FAILURES = {
    "84.1": t("there was no application, or only one"),
    "84.2": t("no participant raised the price by the step"),
    "84.2/2": t("nobody accepted the price before the round ended at the floor"),
    "84.3": t("the winner did not pay the full price in time"),
    "84.4": t("fewer than two registered participants took part online"),
  };
  const TOKEN_KEY = "mulik.token";
  const USER_KEY = "mulik.user";

  const data = JSON.parse(document.getElementById("room-data").textContent);
  const AUCTION = data.auction.id;
  const $ = (id) => document.getElementById(id);

  // ---- money: decimal strings; exact tiyn arithmetic with BigInt ---------------------------------
  function toTiyn(s) {
    const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(s));
    if (!m) throw new Error("not a money string: " + s);
    const v = BigInt(m[2] + (m[3] || "").padEnd(2, "0"));
    return m[1] ? -v : v;
  }
  function fromTiyn(v) {
    const neg = v < 0n;
    const digits = (neg ? -v : v).toString().padStart(3, "0");
    return (neg ? "-" : "") + digits.slice(0, -2) + "." + digits.slice(-2);
  }
  function addMoney(a, b) { return fromTiyn(toTiyn(a) + toTiyn(b)); }
  /** "1050000.00" -> "1 050 000,00 ₸" (kk, ru) or "1,050,000.00 KZT" (en), as the server formats
   *  money in the page's language (web/i18n.py); display only. */
  function money(s) {
    if (s === null || s === undefined) return "—";
    const str = String(s);
    const neg = str.startsWith("-");
    const [int, frac] = (neg ? str.slice(1) : str).split(".");
    return (neg ? "−" : "") + int.replace(/\B(?=(\d{3})+(?!\d))/g, NF.group) + NF.decimal +
      (frac || "00").padEnd(2, "0") + NBSP + NF.currency;
  }

  // ---- time: the server's clock --------------------------------------------------------------------
  let offset = 0; // server time - local time, ms
  function parseTime(s) {
    if (!s) return null;
    // ISO 8601 from Python may carry microseconds; keep milliseconds for Date.parse.
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
    const t = m ? Date.parse(m[1] + (m[2] ? m[2].slice(0, 4).padEnd(4, "0") : "") + (m[3] || "Z")) : Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  function syncClock(serverTime) {
    const t = parseTime(serverTime);
    if (t !== null) offset = t - Date.now();
  }
  function serverNow() { return Date.now() + offset; }
  function duration(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const mm = String(m).padStart(2, "0"), ss = String(s).padStart(2, "0");
    return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  }
  let timeFormat = null;
  try {
    timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Almaty", hour: "2-digit", minute: "2-digit",
      second: "2-digit", hour12: false });
  } catch (e) { timeFormat = null; }
  function clockTime(ms) {
    if (ms === null) return "";
    return timeFormat ? timeFormat.format(new Date(ms)) : new Date(ms).toISOString().slice(11, 19) + " UTC";
  }

  // ---- the room's state ----------------------------------------------------------------------------
  const room = {
    status: data.auction.status, round: data.auction.round, price: null, next_price: null, step: data.auction.step,
    floor: data.auction.floor, ends_at: data.auction.ends_at, starts_at: data.auction.starts_at,
    opened_at: data.auction.opened_at, interval: data.auction.interval_seconds, online: 0, leader_no: null,
    my_no: null, outcome: null, next_tick_at: null,
  };
  let lastSeq = null;
  const ladder = new Map(); // seq -> bid
  if (TERMINAL.has(data.auction.status)) {
    room.outcome = { outcome: data.auction.status, winner_no: data.auction.winner_no, price: data.auction.final_price,
      article: data.auction.failure_reason };
  }

  /** A full snapshot: from the socket (`state`, `rejected`), the page or HTTP. */
  function applyState(s, source) {
    if (!s || s.auction_id !== AUCTION || s.status === "unknown") return;
    syncClock(s.server_time);
    if (source !== "http" && typeof s.online === "number") room.online = s.online; // HTTP counts differently
    if (s.my_no !== null && s.my_no !== undefined) room.my_no = s.my_no; // broadcasts carry none
    if (lastSeq !== null && s.seq < lastSeq) { render(); return; } // older than what is shown
    const newer = lastSeq === null || s.seq > lastSeq;
    for (const k of ["status", "round", "price", "next_price", "step", "floor", "ends_at", "starts_at", "leader_no"]) {
      if (k in s) room[k] = s[k];
    }
    lastSeq = s.seq;
    if (newer && source !== "page") loadLadder(); // bids may have happened that this page never saw
    // the `closed` event follows the closing state; ask over HTTP only if it does not come
    if (TERMINAL.has(room.status) && !room.outcome) setTimeout(() => { if (!room.outcome) loadOutcome(); }, 1500);
    render();
  }

  function applyBid(b) {
    lastSeq = b.seq;
    room.price = b.amount;
    room.leader_no = b.participant_no;
    if (b.ends_at) room.ends_at = b.ends_at;
    if (room.round === 1 && room.step) room.next_price = addMoney(b.amount, room.step);
    else room.next_price = null; // descending: the first acceptance ends the round
  }

  function onBid(b) {
    if (!b || b.auction_id !== AUCTION) return;
    ladder.set(b.seq, Object.assign({}, ladder.get(b.seq), b));
    if (lastSeq !== null && b.seq <= lastSeq) { renderLadder(); return; } // already counted
    if (lastSeq !== null && b.seq !== lastSeq + 1) { renderLadder(); resync(); return; } // a gap: missed something
    applyBid(b);
    render();
  }

  function onPrice(p) {
    if (!p || p.auction_id !== AUCTION) return;
    syncClock(p.server_time);
    if (lastSeq !== null && p.seq > lastSeq) { resync(); return; }
    room.price = p.price;
    if (room.round === 2 && room.leader_no === null) room.next_price = p.price;
    room.next_tick_at = p.next_tick_at;
    render();
  }

  // ---- HTTP: the ladder, a fresh snapshot, the outcome --------------------------------------------
  let token = sessionStorage.getItem(TOKEN_KEY);
  let user = null;
  try { user = JSON.parse(sessionStorage.getItem(USER_KEY) || "null"); } catch (e) { user = null; }

  function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    opts.headers = Object.assign({ Accept: "application/json" }, opts.headers);
    if (token) opts.headers.Authorization = "Bearer " + token;
    // a cookie session's changes carry the CSRF token as well as the browser's Origin (docs/decisions.md)
    const csrf = document.querySelector('meta[name="csrf-token"]');
    if (!token && csrf && opts.method && opts.method !== "GET") opts.headers["X-CSRFToken"] = csrf.content;
    return fetch("/api/v1" + path, opts).then((r) => r.json().catch(() => ({})).then((body) => ({ ok: r.ok, status: r.status, body })));
  }

  let ladderLoading = null;
  function loadLadder() {
    if (ladderLoading) { ladderLoading.again = true; return; }
    ladderLoading = { again: false };
    api(`/auctions/${AUCTION}/bids`).then((r) => {
      if (r.ok) for (const b of r.body.items || []) ladder.set(b.seq, Object.assign({}, ladder.get(b.seq), b));
      renderLadder();
    }).catch(() => {}).finally(() => {
      const again = ladderLoading.again;
      ladderLoading = null;
      if (again) loadLadder();
    });
  }

  function refreshState() {
    return api(`/auctions/${AUCTION}/state`).then((r) => { if (r.ok) applyState(r.body, "http"); }).catch(() => {});
  }

  function loadOutcome() {
    api(`/auctions/${AUCTION}`).then((r) => {
      if (!r.ok || room.outcome) return;
      room.outcome = { outcome: r.body.status, winner_no: r.body.winner_no, price: r.body.final_price,
        article: r.body.failure_reason };
      render();
    }).catch(() => {});
  }

  // ---- the socket ----------------------------------------------------------------------------------
  const socket = io("/live", {
    auth: (cb) => cb(token ? { token } : {}),
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
  });
  let everJoined = false;
  let resyncing = false;

  /** Join the room; after the first time, with the last seq applied, to receive what was missed. */
  function join() {
    const msg = { auction_id: AUCTION };
    const withSeq = everJoined && lastSeq !== null;
    if (withSeq) msg.last_seq = lastSeq;
    socket.timeout(10000).emit("join", msg, (err, ack) => {
      resyncing = false;
      if (err) { // no answer in time: ask again while connected
        if (socket.connected) setTimeout(join, 1000);
        return;
      }
      if (!ack || !ack.ok) return; // refused: the `rejected` event says why
      everJoined = true;
      room.my_no = ack.my_no === undefined ? null : ack.my_no;
      if (typeof ack.online === "number") room.online = ack.online;
      setConnection("live");
      // Missed bids come without the new end time; one snapshot over HTTP brings ends_at and the clock.
      if (withSeq) refreshState();
      render();
    });
  }

  function resync() {
    if (resyncing || !socket.connected) return;
    resyncing = true;
    join();
  }

  socket.on("connect", join);
  socket.on("state", (s) => applyState(s, "socket"));
  socket.on("bid", onBid);
  socket.on("price", onPrice);
  socket.on("closed", (c) => {
    if (!c || c.auction_id !== AUCTION) return;
    room.outcome = c;
    render();
  });
  socket.on("rejected", (r) => {
    if (r.state) applyState(r.state, "socket");
    showMessage(refusalText(r), false);
  });
  socket.on("disconnect", (reason) => {
    if (reason === "io client disconnect") { setConnection("connecting"); return; }
    setConnection(navigator.onLine === false ? "offline" : "reconnecting");
    if (reason === "io server disconnect") socket.connect(); // the server ended it: no automatic retry
  });
  socket.on("connect_error", () => {
    if (!socket.active) { // refused by the server, not a network failure
      if (token) { // a stale token (a login elsewhere replaces it): end the session too, go on as an observer
        forget();
        showLoginError(t("Your login has expired; log in again to bid."));
        api("/auth/logout", { method: "POST" }).catch(() => {}).finally(() => socket.connect());
      } else setConnection("offline");
      return;
    }
    setConnection(navigator.onLine === false ? "offline" : "reconnecting");
  });
  window.addEventListener("offline", () => setConnection("offline"));
  window.addEventListener("online", () => {
    if (socket.connected) { setConnection("live"); return; }
    setConnection("reconnecting");
    socket.connect(); // retry now rather than at the next back-off
  });

  /** Connect again as someone else (login, logout): a fresh join, so the snapshot carries my number. */
  function reconnect() {
    everJoined = false;
    setConnection("connecting");
    socket.disconnect();
    socket.connect();
  }

  // ---- actions -------------------------------------------------------------------------------------
  function newClientId() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // plain http off localhost has no randomUUID
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  let inFlight = false;
  const ANSWERS = { // what the sender sees: the server's answer in the page's language
    bid: { sent: t("No answer from the server yet; the ladder shows whether your bid was stored."),
      accepted: (amount) => t("Your bid of {amount} is accepted.", { amount }) },
    accept: { sent: t("No answer from the server yet; the ladder shows whether your acceptance was stored."),
      accepted: (amount) => t("Your acceptance of {amount} is accepted.", { amount }) },
  };
  function trade(event, field) {
    const value = room.next_price; // exactly the server's string (or its exact successor)
    if (!value || inFlight) return;
    inFlight = true;
    render();
    const msg = { auction_id: AUCTION, client_id: newClientId() };
    msg[field] = value;
    socket.timeout(10000).emit(event, msg, (err, ack) => {
      inFlight = false;
      if (err) showMessage(ANSWERS[event].sent, false);
      else if (ack && ack.ok) showMessage(ANSWERS[event].accepted(money(ack.amount)), true);
      // a refusal arrives as `rejected`, with the article and the current state
      render();
    });
  }
  $("bid-btn").addEventListener("click", () => trade("bid", "amount"));

  // ---- auto-bid (ascending round): my ceiling, never anyone else's -------------------------------------
  let ceiling = null, ceilingFor = null; // ceilingFor: the participant number it was loaded for
  function loadCeiling() {
    if (room.my_no === null || room.round !== 1 || ceilingFor === room.my_no) return;
    ceilingFor = room.my_no;
    api(`/auctions/${AUCTION}/auto-bid`).then((r) => { if (r.ok) { ceiling = r.body.ceiling; render(); } }).catch(() => {});
  }
  function setCeiling(value) {
    return api(`/auctions/${AUCTION}/auto-bid`, { method: "PUT", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ceiling: value }) }).then((r) => {
      if (r.ok) {
        ceiling = r.body.ceiling;
        showMessage(ceiling ? t("Auto-bid set: up to {price}.", { price: money(ceiling) }) : t("Auto-bid stopped."), true);
      } else showMessage(r.body.error ? refusalText(r.body.error) : t("The ceiling was not set."), false);
      render();
    }).catch(() => showMessage(t("The ceiling was not set."), false));
  }
  $("autobid-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const typed = $("autobid-ceiling").value.replace(/[\s\u00a0]/g, "").replace(",", ".");
    setCeiling(typed);
  });
  $("autobid-clear").addEventListener("click", () => setCeiling(null));
  $("accept-btn").addEventListener("click", () => trade("accept", "price"));

  // A refusal in the page's language. English: the server's message, article first. Kazakh or Russian: the
  // article as the language writes it (REFUSALS[""], e.g. "{article}-бап") and the sentence for its code, no English.
  const REFUSALS = JSON.parse(document.getElementById("refusals").textContent || "{}");
  const PRICE_CODES = ["outbid", "wrong_price", "already_leading", "price_changed", "ceiling_too_low"];
  function refusalText(r) {
    const english = r.article && !String(r.message).startsWith("Art. ") ? `Art. ${r.article}: ${r.message}` : r.message;
    if (!REFUSALS[""]) return english; // an English page
    let sentence = REFUSALS[r.code] || t("The action was refused.");
    // the figures of a price refusal, from the state the refusal carried (or the page's own), as the page writes money
    const figures = [];
    const priceLabel = t("current price"), nextLabel = t("next valid bid");
    if (PRICE_CODES.includes(r.code) && room.price) figures.push(priceLabel + ": " + money(room.price));
    if (PRICE_CODES.includes(r.code) && room.next_price && room.round === 1) {
      figures.push(nextLabel + ": " + money(room.next_price));
    }
    if (figures.length) sentence = `${sentence.replace(/\.$/, "")} (${figures.join("; ")}).`;
    return r.article ? `${REFUSALS[""].split("{article}").join(r.article)}: ${sentence}` : sentence;
  }

  let messageTimer = null;
  function showMessage(text, ok) {
    const el = $("message");
    el.textContent = text;
    el.classList.toggle("ok", !!ok);
    el.hidden = false;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { el.hidden = true; }, ok ? 6000 : 15000);
  }
  function showLoginError(text) {
    const el = $("login-error");
    el.textContent = text || "";
    el.hidden = !text;
  }

  // ---- login ---------------------------------------------------------------------------------------
  function forget() {
    token = null;
    user = null;
    room.my_no = null;
    ceiling = null;
    ceilingFor = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    renderAccount();
    render();
  }

  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    showLoginError("");
    const email = $("login-email").value.trim(), password = $("login-password").value;
    $("login-btn").disabled = true;
    fetch("/api/v1/auth/login", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ email, password }),
    }).then((r) => r.json().then((body) => ({ ok: r.ok, body }))).then(({ ok, body }) => {
      if (!ok) { showLoginError((body.error && body.error.message) || t("Login failed.")); return; }
      token = body.token;
      user = body.user;
      sessionStorage.setItem(TOKEN_KEY, token);
      sessionStorage.setItem(USER_KEY, JSON.stringify({ email: user.email, role: user.role }));
      $("login-password").value = "";
      renderAccount();
      refreshHeader(); // the login set the session cookie: the header says who is logged in
      reconnect(); // the socket authenticates at connect: connect again with the token
    }).catch(() => showLoginError(t("No connection to the server."))).finally(() => { $("login-btn").disabled = false; });
  });

  $("logout-btn").addEventListener("click", () => {
    api("/auth/logout", { method: "POST" }).catch(() => {}).finally(() => {
      forget();
      refreshHeader();
      reconnect();
    });
  });

  function renderAccount() {
    $("login-form").hidden = !!user;
    $("who").hidden = !user;
    $("who-email").textContent = user ? user.email : "";
  }

  if (!token) { // logged in elsewhere on the site: the session cookie also authenticates the socket
    api("/me").then((r) => {
      if (r.ok && !user) { user = { email: r.body.email, role: r.body.role }; renderAccount(); }
    }).catch(() => {});
  }

  // ---- rendering -----------------------------------------------------------------------------------
  let connection = "connecting";
  function setConnection(c) {
    connection = c;
    const el = $("conn");
    el.dataset.state = c;
    el.textContent = { connecting: t("connecting…"), live: t("live"), reconnecting: t("reconnecting…"),
      offline: t("offline") }[c];
    // the socket is cut: what the page shows may be behind the auction until it rejoins (a deliberate
    // reconnect after login or logout is "connecting", not a loss)
    $("stale").hidden = !(c === "reconnecting" || c === "offline");
    render();
  }

  /** The header's own "Log out" ends the session cookie; the room forgets its token with it. */
  function forgetOnHeaderLogout() {
    const form = document.querySelector("header.top form.logout");
    if (form) form.addEventListener("submit", () => { sessionStorage.removeItem(TOKEN_KEY); sessionStorage.removeItem(USER_KEY); });
  }
  forgetOnHeaderLogout();

  /** The page header as the server renders it for the session now (the login or logout in the room
   *  set or ended the session cookie): "My cabinet" and the e-mail instead of "Log in", or back. */
  function refreshHeader() {
    fetch(location.pathname + location.search, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((r) => (r.ok ? r.text() : null)).then((html) => {
        if (!html) return;
        const doc = new DOMParser().parseFromString(html, "text/html");
        const fresh = doc.querySelector("header.top"), old = document.querySelector("header.top");
        if (!fresh || !old) return;
        const conn = old.querySelector(".conn-wrap"), slot = fresh.querySelector(".conn-wrap");
        if (conn && slot) slot.replaceWith(conn); // the live connection badge stays as it is
        old.replaceWith(document.adoptNode(fresh));
        forgetOnHeaderLogout();
        const meta = doc.querySelector('meta[name="csrf-token"]'), mine = document.querySelector('meta[name="csrf-token"]');
        if (mine) mine.remove();
        if (meta) document.head.append(document.adoptNode(meta));
      }).catch(() => {});
  }

  function outcomeText(o) {
    if (o.outcome === "cancelled") return t("The auction was cancelled; deposits are refunded.");
    if (o.outcome === "failed") {
      // `article` is the failure's article (Art. 84.n); the socket's `closed` also spells it out in `reason`
      const why = (room.round === 2 && FAILURES[o.article + "/2"]) || FAILURES[o.article];
      if (!o.article) return t("The auction failed.");
      return why ? t("The auction failed (Art. {article}): {why}.", { article: o.article, why })
        : t("The auction failed (Art. {article}).", { article: o.article });
    }
    const winner = o.winner_no !== null && o.winner_no !== undefined ? number(o.winner_no) : "—";
    if (o.outcome === "sold") return t("Sold to participant {winner} for {price}.", { winner, price: money(o.price) });
    return t("Bidding is over. Winner: participant {winner} at {price}.", { winner, price: money(o.price) }) + " " +
      t("The winner pays within 5 working days after the results are approved (Art. 80.4).");
  }

  function number(no) { return t("No. {no}", { no }); }
  const STATUSES = { announced: t("announced"), open: t("bidding now"), closed: t("bidding over"), sold: t("sold"),
    failed: t("failed"), cancelled: t("cancelled") };

  function render() {
    const open = room.status === "open";
    const descending = room.round === 2;
    $("round").textContent = descending ? t("Round 2 — descending") : t("Round 1 — ascending");
    $("status").textContent = STATUSES[room.status] || room.status;
    $("status").dataset.status = room.status;
    const over = TERMINAL.has(room.status);
    $("price-label").textContent = descending && open ? t("Price now") : room.status === "announced" ? t("Starting price")
      : over ? t("Final price") : t("Current price");
    $("leader-label").textContent = room.status === "closed" || room.status === "sold" ? t("Winner") : t("Leader");
    $("price").textContent = money(room.price);
    $("next-price-label").textContent = descending ? t("Floor") : t("Next bid");
    $("next-price").textContent = descending ? money(room.floor) : open || room.status === "announced" ? money(room.next_price) : "—";
    $("leader").textContent = room.leader_no !== null ? number(room.leader_no) : "—";
    $("my-no").textContent = room.my_no !== null ? number(room.my_no) : user ? t("not a participant") : t("observer");
    $("online").textContent = room.online === 1 ? t("1 participant online")
      : t("{count} participants online", { count: room.online });

    const participant = room.my_no !== null;
    const bid = $("bid-btn"), accept = $("accept-btn");
    bid.hidden = !(participant && open && !descending && room.next_price);
    accept.hidden = !(participant && open && descending && room.leader_no === null && room.next_price);
    const leading = room.leader_no !== null && room.leader_no === room.my_no;
    loadCeiling();
    $("autobid-form").hidden = !(participant && !descending && (open || room.status === "announced"));
    $("autobid-clear").hidden = !ceiling;
    $("autobid-state").textContent = ceiling ? t("Auto-bid is on: up to {price}.", { price: money(ceiling) })
      : t("Auto-bid is off.");
    bid.disabled = inFlight || leading || connection !== "live";
    accept.disabled = inFlight || connection !== "live";
    if (room.next_price) {
      bid.textContent = t("Bid {price}", { price: money(room.next_price) });
      accept.textContent = t("Accept {price}", { price: money(room.next_price) });
    }
    let hint = "";
    if (!participant && !TERMINAL.has(room.status)) {
      hint = user ? t("You watch this auction: only admitted participants with a confirmed deposit bid (Art. 80.1).")
        : t("You are watching as an observer. Log in as an admitted participant to bid.");
    } else if (participant && open && !descending && leading) hint = t("You lead; you cannot outbid yourself.");
    else if (participant && open && connection !== "live") hint = t("Waiting for the connection to bid.");
    $("hint").textContent = hint;

    const out = $("outcome");
    if (room.outcome) { // a closed auction becomes sold once the winner has paid (a later state)
      out.textContent = outcomeText(room.status === "sold" ? Object.assign({}, room.outcome, { outcome: "sold" }) : room.outcome);
      out.hidden = false;
    } else out.hidden = true;
    renderLadder(); // "(you)" follows my number
    tick();
  }

  const rowsBySeq = new Map(); // seq -> <li>: rows are added and updated in place, never rebuilt
  function renderLadder() {
    const list = $("ladder");
    const bids = Array.from(ladder.values()).sort((a, b) => b.seq - a.seq);
    bids.forEach((b, i) => {
      let li = rowsBySeq.get(b.seq);
      if (!li) {
        li = document.createElement("li");
        li.dataset.seq = String(b.seq);
        li.append(document.createElement("span"), document.createElement("span"), document.createElement("time"));
        li.children[0].className = "no";
        li.children[1].className = "amount";
        rowsBySeq.set(b.seq, li);
      }
      const mine = room.my_no !== null && b.participant_no === room.my_no;
      li.classList.toggle("mine", mine);
      li.children[0].textContent = number(b.participant_no) + (mine ? " " + t("(you)") : "");
      li.children[1].textContent = money(b.amount) + (b.kind === "auto" || b.auto ? " " + t("(auto)")
        : b.kind === "accept" ? " " + t("(accepted)") : "");
      li.children[2].dateTime = b.at || "";
      li.children[2].textContent = clockTime(parseTime(b.at));
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
    $("ladder-empty").hidden = bids.length > 0;
  }

  let refreshedFor = null;
  function nextDrop(now) {
    if (room.next_tick_at) {
      const t = parseTime(room.next_tick_at);
      if (t !== null && t > now - 1000) return t;
    }
    const opened = parseTime(room.opened_at || room.starts_at), interval = (room.interval || 0) * 1000;
    if (opened === null || !interval) return null;
    return opened + (Math.max(0, Math.floor((now - opened) / interval)) + 1) * interval;
  }

  /** Countdown, from the server's clock. Runs every 250 ms. */
  function tick() {
    const now = serverNow();
    const ENDS = t("Ends in");
    let label = ENDS, target = null, at = "";
    if (room.status === "announced") {
      label = t("Starts in");
      target = parseTime(room.starts_at);
    } else if (room.status === "open" && room.round === 2 && room.price !== room.floor) {
      label = t("Price drops in");
      target = nextDrop(now);
      // no `price` broadcast came for the drop (missed, or a server without the ticker): ask over HTTP
      if (target !== null && now > target + 1500 && refreshedFor !== target) { refreshedFor = target; refreshState(); }
    } else if (room.status === "open") {
      target = parseTime(room.ends_at);
    }
    if (TERMINAL.has(room.status)) label = t("Bidding");
    $("countdown-label").textContent = label;
    const cd = $("countdown");
    if (target === null) { cd.textContent = TERMINAL.has(room.status) ? t("ended") : "—"; cd.classList.remove("urgent"); }
    else {
      const left = target - now;
      cd.textContent = left > 0 ? duration(left) : room.status === "open" && label === ENDS ? t("closing…") : duration(0);
      cd.classList.toggle("urgent", left < 60000);
      at = t("at {time} Almaty time", { time: clockTime(target) });
    }
    $("countdown-at").textContent = at;
  }

  // ---- start ---------------------------------------------------------------------------------------
  for (const b of data.ladder) ladder.set(b.seq, b);
  applyState(data.state, "page");
  renderAccount();
  renderLadder();
  render();
  setInterval(tick, 250);

  // for people debugging in the console (and the browser tests): read-only views
  window.mulikRoom = { socket, room, get lastSeq() { return lastSeq; }, get offset() { return offset; } };
})();
