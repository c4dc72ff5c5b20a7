// Live facilitation page: shows the newest snapshot from the Server-Sent Events stream and
// posts changes. EventSource reconnects by itself; each snapshot carries its version and an
// older or repeated one is ignored.
(function () {
  "use strict";
  const root = document.getElementById("live");
  if (!root) return;
  const $ = (sel) => root.querySelector(sel);
  const csrf = (document.body.getAttribute("hx-headers") || "").match(/"X-CSRFToken":\s*"([^"]+)"/);
  let shown = -1;

  function text(sel, value) { const el = $(sel); if (el) el.textContent = value; }

  function render(state) {
    if (state.version <= shown) return;
    shown = state.version;
    text('[data-testid="version"]', state.version);
    text('[data-testid="participants"]', state.participants);
    text('[data-testid="speaking"]', state.speaking ? state.speaking.name : "nobody");
    text('[data-testid="next"]', state.next ? state.next.name : "nobody");
    const queue = $('[data-testid="queue"]');
    queue.replaceChildren(...state.queue.map((h) => {
      const li = document.createElement("li");
      li.dataset.person = h.id;
      li.dataset.kind = h.kind;
      li.textContent = h.name + " — " + h.kind_label;
      return li;
    }));
    const rules = root.querySelector("[data-rules]");
    if (rules) for (const box of rules.querySelectorAll("input")) box.checked = !!state.rules[box.name];
    const check = $('[data-testid="check"]');
    check.hidden = !state.check;
    if (state.check) {
      text('[data-testid="check-question"]', state.check.question);
      for (const k of ["agree", "neutral", "disagree", "waiting"]) text('[data-testid="' + k + '"]', state.check[k]);
    }
  }

  function fail(message) {
    const el = $('[data-testid="live-error"]');
    el.textContent = message;
    el.hidden = !message;
  }

  async function act(action, body) {
    fail("");
    const response = await fetch(root.dataset.act + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf[1] : "" },
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({ detail: "the server did not answer" }));
    if (!response.ok) fail(data.detail || "refused");
    else render(data);
  }

  root.addEventListener("click", (event) => {
    const b = event.target.closest("button");
    if (!b) return;
    if (b.dataset.raise) act("raise", { kind: b.dataset.raise, under_heard: $("#under-heard").checked });
    else if (b.dataset.lower) act("lower", {});
    else if (b.dataset.keeper) act(b.dataset.keeper, {});
    else if (b.dataset.signal) act("signal", { signal: b.dataset.signal });
  });
  const rulesBox = root.querySelector("[data-rules]");
  if (rulesBox) rulesBox.addEventListener("change", () => {
    const rules = {};
    for (const box of rulesBox.querySelectorAll("input")) rules[box.name] = box.checked;
    act("rules", { rules: rules });
  });
  const form = root.querySelector("[data-check-form]");
  if (form) form.addEventListener("submit", (event) => {
    event.preventDefault();
    act("check", { question: form.question.value });
  });

  render(JSON.parse(document.getElementById("live-initial").textContent));
  const source = new EventSource(root.dataset.stream);
  source.addEventListener("state", (event) => render(JSON.parse(event.data)));
  source.onopen = () => text('[data-testid="connection"]', "live");
  source.onerror = () => text('[data-testid="connection"]', "reconnecting…");
})();
