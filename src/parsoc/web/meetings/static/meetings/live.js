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

  // What a screen reader hears: one short sentence per change, in the status region.
  let before = null;
  function announce(message) {
    const el = $('[data-testid="announce"]');
    if (el && message) el.textContent = message;
  }

  function changes(old, state) {
    if (!old) return "";
    const said = [];
    const name = (p) => (p ? p.name : "nobody");
    if (name(old.speaking) !== name(state.speaking)) {
      said.push(state.speaking ? "Now speaking: " + state.speaking.name + "." : "Nobody is speaking.");
    }
    const key = (h) => h.id + "|" + h.kind;
    const was = new Set(old.queue.map(key));
    const now = new Set(state.queue.map(key));
    for (const h of state.queue) if (!was.has(key(h))) said.push(h.name + " raised a hand: " + h.kind_label + ".");
    const spoke = state.speaking ? state.speaking.id : null;
    for (const h of old.queue) {
      if (!now.has(key(h)) && h.id !== spoke) said.push(h.name + " lowered a hand: " + h.kind_label + ".");
    }
    if (name(old.next) !== name(state.next) && state.next) said.push("Next: " + state.next.name + ".");
    if (!old.check && state.check) said.push("Temperature check: " + state.check.question);
    if (old.check && !state.check) said.push("The temperature check ended.");
    if (said.length && state.queue.length !== old.queue.length) {
      said.push(state.queue.length === 1 ? "1 hand raised." : state.queue.length + " hands raised.");
    }
    return said.join(" ");
  }

  function render(state) {
    if (state.version <= shown) return;
    shown = state.version;
    announce(changes(before, state));
    before = state;
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
    const empty = $('[data-testid="queue-empty"]');
    if (empty) empty.hidden = state.queue.length > 0;
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
  let lost = false;
  source.onopen = () => {
    text('[data-testid="connection"]', "live");
    if (lost) announce("Connected again.");
    lost = false;
  };
  source.onerror = () => {
    text('[data-testid="connection"]', "reconnecting…");
    if (!lost) announce("Connection lost; reconnecting.");
    lost = true;
  };
})();
