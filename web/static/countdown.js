/* Countdowns to auction starts on the catalogue and lot pages. The server's clock is the only
 * clock (SPEC §3): the page carries the server time it was made at (`data-server-time` on
 * <main>), and every countdown runs on the local clock corrected by that offset. */
(function () {
  "use strict";
  const I18N = JSON.parse((document.getElementById("i18n") || { textContent: "{}" }).textContent);
  function t(msgid, params) {
    let s = I18N[msgid] || msgid;
    for (const k in params || {}) s = s.split("{" + k + "}").join(params[k]);
    return s;
  }
  const main = document.getElementById("main");
  const server = Date.parse(main && main.dataset.serverTime);
  const offset = Number.isNaN(server) ? 0 : server - Date.now();
  const items = Array.from(document.querySelectorAll("[data-until]"));

  function text(ms) {
    if (ms <= 0) return t("now");
    const total = Math.ceil(ms / 1000);
    const d = Math.floor(total / 86400), h = Math.floor((total % 86400) / 3600);
    const m = Math.floor((total % 3600) / 60), s = total % 60;
    const hms = [h, m, s].map((v) => String(v).padStart(2, "0")).join(":");
    return d > 0 ? t("{days} d {hms}", { days: d, hms: hms }) : hms;
  }
  function tick() {
    const now = Date.now() + offset;
    for (const el of items) el.textContent = text(Date.parse(el.dataset.until) - now);
  }
  if (items.length) { tick(); setInterval(tick, 1000); }
})();
