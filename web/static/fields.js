/* A form the server refused: each field's error, in the page's language, written beside its input
   (web/forms.py `form_errors` hands them over as {action, fields: {input name: message}}); the input is
   marked invalid for screen readers and the first one gets the focus. */
(function () {
  "use strict";
  const holder = document.getElementById("field-errors");
  if (!holder) return;
  let data;
  try { data = JSON.parse(holder.dataset.errors || "{}"); } catch (e) { return; }
  const forms = [...document.querySelectorAll("form")];
  const form = forms.find((f) => data.action && f.querySelector(`input[name="action"][value="${CSS.escape(data.action)}"]`))
    || forms.find((f) => Object.keys(data.fields || {}).some((n) => f.elements.namedItem(n)));
  if (!form) return;
  let first = null;
  for (const [name, message] of Object.entries(data.fields || {})) {
    const input = form.elements.namedItem(name);
    if (!input || !input.insertAdjacentElement) continue;
    const note = document.createElement("p");
    note.className = "field-error";
    note.id = `error-${name}`;
    note.textContent = message;
    const after = input.type === "checkbox" && input.labels && input.labels[0] ? input.labels[0] : input;
    after.insertAdjacentElement("afterend", note);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
    first = first || input;
  }
  if (first) first.focus();
})();
