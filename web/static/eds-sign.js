/* Sign an act with the EDS (issue 14 point 2), on any form marked form[data-eds-act]: the lot page's application,
   the console's realization order and approval of the results, the collector's retention, a document's "sign
   with EDS" button. On submit, the act's route (data-eds-act) is asked for the act's exact bytes, with the
   session cookie and the form's CSRF token: by GET (data-eds-method="GET"), or by POST with the form's fields as
   JSON (the default). The page shows their text (what the person signs); on "sign", NCALayer (the vendored
   ncalayer-js-client, vendor/ncalayer-client.js) makes a CMS over them with the SIGNATURE key, content attached;
   the CMS goes into the form's hidden `cms` input and the form is sent: the page's handler files the act with
   it, or shows the refusal of the signature in the page's language.
   The JSON body: every named field but csrf_token, cms, action, confirmed and those in data-eds-exclude; a
   checkbox as true/false; a field marked data-eds-list as the list of its words (spaces or commas); one marked
   data-eds-null as null when empty; any other empty field left out (as the page's handler drops it).
   Without NCALayer the form is sent unsigned, unless the deployment takes the act only signed
   (data-eds-required): then the page says NCALayer must run. A change of a field after the act was shown
   hides it: the act is fetched anew on the next submit. */
(function () {
  "use strict";
  const forms = document.querySelectorAll("form[data-eds-act]");
  if (!forms.length || !window.NCALayerClient) return;
  let sentences = {};
  try { sentences = JSON.parse(document.getElementById("eds-i18n").textContent || "{}"); } catch (e) { /* none */ }
  const NOT_SENT = ["csrf_token", "cms", "action", "confirmed"];

  function words(value) {
    return String(value || "").replace(/,/g, " ").split(/\s+/).filter(Boolean);
  }

  // what the page's handler reads from the same form, so that the act signed is the act filed
  function fields(form) {
    const skip = NOT_SENT.concat(words(form.dataset.edsExclude));
    const out = {};
    Array.prototype.forEach.call(form.elements, (el) => {
      if (!el.name || skip.indexOf(el.name) >= 0 || el.disabled || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox") { out[el.name] = Boolean(el.checked); return; }
      if (el.type === "radio" && !el.checked) return;
      if ("edsList" in el.dataset) { out[el.name] = words(el.value); return; }
      const value = (el.value || "").trim();
      if (value) out[el.name] = value;
      else if ("edsNull" in el.dataset) out[el.name] = null;
    });
    return out;
  }

  async function connect(ncalayer) {
    const client = new window.NCALayerClient(ncalayer || undefined, false);
    try {
      await client.connect();
      return client;
    } catch (e) {
      return null;
    }
  }

  function close(client) {
    try { if (client && client.wsConnection) client.wsConnection.close(); } catch (e) { /* closed */ }
  }

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  function askAct(form, body) {
    const token = form.elements.csrf_token ? form.elements.csrf_token.value : "";
    const headers = { Accept: "application/json", "X-CSRFToken": token };
    if ((form.dataset.edsMethod || "POST").toUpperCase() === "GET") {
      return fetch(form.dataset.edsAct, { method: "GET", credentials: "same-origin", headers });
    }
    headers["Content-Type"] = "application/json";
    return fetch(form.dataset.edsAct, { method: "POST", credentials: "same-origin", headers, body });
  }

  forms.forEach((form) => {
    const panel = form.querySelector(".eds-act");
    const shown = form.querySelector(".eds-text");
    const hash = form.querySelector(".eds-sha256");
    const status = form.querySelector(".eds-status");
    const submit = form.querySelector("button[type=submit]");
    const signButton = form.querySelector(".eds-sign");
    const back = form.querySelector(".eds-back");
    const required = () => form.dataset.edsRequired === "1";
    let act = null;
    let asked = "";
    let client = null;

    function say(code) {
      status.textContent = sentences[code] || sentences.refused || "";
      status.hidden = false;
    }

    function hide() {
      act = null;
      panel.hidden = true;
      submit.hidden = false;
      close(client);
      client = null;
    }

    function send(cms) {
      form.elements.cms.value = cms || "";
      HTMLFormElement.prototype.submit.call(form); // no submit event: not intercepted again
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.hidden = true;
      submit.disabled = true;
      try {
        client = await connect(form.dataset.ncalayer);
        if (!client) {
          if (required()) { say("required"); return; }
          send(""); // the deployment takes the act unsigned
          return;
        }
        asked = JSON.stringify(fields(form));
        const r = await askAct(form, asked);
        if (!r.ok) { close(client); send(""); return; } // the page's handler refuses it the same way, in words
        act = await r.json();
        shown.textContent = pretty(act.text);
        hash.textContent = act.sha256;
        panel.hidden = false;
        submit.hidden = true;
        signButton.focus();
      } catch (e) {
        say("refused");
      } finally {
        submit.disabled = false;
      }
    });

    signButton.addEventListener("click", async () => {
      if (!act) return;
      if (JSON.stringify(fields(form)) !== asked) { hide(); say("eds_act_changed"); return; }
      signButton.disabled = true;
      status.hidden = true;
      try {
        if (!client || !client.wsConnection || client.wsConnection.readyState !== 1) {
          close(client);
          client = await connect(form.dataset.ncalayer);
          if (!client) { say(required() ? "required" : "unreachable"); return; }
        }
        let cms;
        try {
          cms = await client.createCMSSignatureFromBase64(window.NCALayerClient.fileStorageType, act.content,
            "SIGNATURE", true);
        } catch (e) {
          const cancelled = e && (e.canceledByUser || /action\.canceled/.test(String(e.message)));
          say(cancelled ? "cancelled" : "unreachable");
          return;
        }
        close(client);
        send(cms);
      } finally {
        signButton.disabled = false;
      }
    });

    back.addEventListener("click", () => { hide(); submit.focus(); });
    form.addEventListener("input", () => { if (act) hide(); });
  });
})();
