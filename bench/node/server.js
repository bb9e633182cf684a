// The minimal Node Socket.IO server the fan-out benchmark compares Mulik with: namespace /live,
// `join {auction_id}` puts the socket in room "auction:<id>", `bid {auction_id, amount, client_id}`
// is checked against an in-memory price (current + step), then broadcast to the room with the
// payload Mulik sends, and acknowledged. No database, no journal: the floor for a broadcast.
//
// usage: node server.js PORT START_PRICE STEP   (prices as "10000000.00"); prints "listening PORT"
"use strict";
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 5990);
const tiyn = (s) => Math.round(parseFloat(s) * 100);
const fmt = (t) => (t / 100).toFixed(2);
let price = tiyn(process.argv[3] || "10000000.00");
const step = tiyn(process.argv[4] || "1000.00");
let seq = 0;
let leader = null;
const z = (d) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

const io = new Server(port, { cors: { origin: false }, pingInterval: 25000, pingTimeout: 20000 });
const live = io.of("/live");
live.on("connection", (socket) => {
  const me = Number((socket.handshake.auth || {}).participant_no) || null;
  socket.on("join", (data, ack) => {
    socket.join(`auction:${data.auction_id}`);
    if (typeof ack === "function") ack({ ok: true, my_no: me });
  });
  socket.on("bid", (data, ack) => {
    const amount = tiyn(data.amount);
    if (me === null || amount !== price + step || leader === me) {
      const code = me === null ? "unauthorized" : leader === me ? "already_leading" : "wrong_price";
      if (typeof ack === "function") ack({ ok: false, code, client_id: data.client_id, state: { price: fmt(price) } });
      return;
    }
    price = amount;
    seq += 1;
    leader = me;
    const now = new Date();
    live.to(`auction:${data.auction_id}`).emit("bid", {
      seq, amount: fmt(amount), participant_no: me, at: z(now),
      ends_at: z(new Date(now.getTime() + 600000)), auction_id: data.auction_id,
    });
    if (typeof ack === "function") ack({ ok: true, seq, amount: fmt(amount), client_id: data.client_id });
  });
});
console.log(`listening ${port}`);
