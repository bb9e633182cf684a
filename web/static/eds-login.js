/* Sign in with the EDS (issue 14): a one-time challenge from the server, its nonce signed by NCALayer
   (the vendored ncalayer-js-client, vendor/ncalayer-client.js) as a CMS with the nonce attached, made with
   the authentication key, then POST {nonce, cms} to the API's EDS login, which sets the page session.
   A refusal is told in the page's language (the sentences the page hands over in #eds-i18n, by code);
   a certificate no account holds opens the registration, filled from the certificate by the server. */
(function () {
  "use strict";
  const box = document.getElementById("eds");
  const button = document.getElementById("eds-login");
  const status = document.getElementById("eds-status");
  if (!box || !button || !status || !window.NCALayerClient) return;
  let sentences = {};
  try { sentences = JSON.parse(document.getElementById("eds-i18n").textContent || "{}"); } catch (e) { /* none */ }

  function say(code) {
    status.textContent = sentences[code] || sentences.refused || "";
    status.hidden = false;
  }

  async function api(url, body) {
    const r = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await r.json(); } catch (e) { /* not JSON */ }
    return { ok: r.ok, data };
  }

  function base64(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return window.btoa(binary);
  }

  async function sign(nonce) {
    const client = new window.NCALayerClient(box.dataset.ncalayer || undefined, false);
    try {
      await client.connect();
    } catch (e) {
      return { error: "unreachable" };
    }
    try {
      const cms = await client.createCMSSignatureFromBase64(window.NCALayerClient.fileStorageType, base64(nonce),
        "AUTHENTICATION", true);
      return { cms };
    } catch (e) {
      const cancelled = e && (e.canceledByUser || /action\.canceled/.test(String(e.message)));
      return { error: cancelled ? "cancelled" : "unreachable" };
    } finally {
      try { if (client.wsConnection) client.wsConnection.close(); } catch (e) { /* closed */ }
    }
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    status.hidden = true;
    try {
      const challenge = await api(box.dataset.challenge);
      if (!challenge.ok) { say((challenge.data.error || {}).code); return; }
      const nonce = challenge.data.nonce;
      const signed = await sign(nonce);
      if (signed.error) { say(signed.error); return; }
      const done = await api(box.dataset.login, { nonce, cms: signed.cms });
      if (done.ok) {
        const role = (done.data.user || {}).role;
        window.location.assign(box.dataset.next || (role === "bailiff" ? box.dataset.console : box.dataset.home));
        return;
      }
      const error = done.data.error || {};
      if (error.code === "eds_no_account") { window.location.assign(box.dataset.register); return; }
      say(error.code);
    } catch (e) {
      say("refused");
    } finally {
      button.disabled = false;
    }
  });
})();
