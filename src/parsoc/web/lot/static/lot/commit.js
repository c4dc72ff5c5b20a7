// Selection by lot: the commitment to a secret is computed here, in the browser, so the secret
// itself is sent only when it is revealed. commitment = SHA-256("parsoc-lot-commit\0" + secret).
(function () {
  "use strict";
  async function digest(secret) {
    const bytes = new TextEncoder().encode("parsoc-lot-commit\u0000" + secret);
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(hash)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.lot-commit").forEach(function (form) {
      const secret = form.querySelector(".lot-secret");
      const out = form.querySelector(".lot-digest");
      if (!secret || !out || !window.crypto || !crypto.subtle) { return; }
      secret.addEventListener("input", async function () {
        out.value = secret.value ? await digest(secret.value) : "";
      });
    });
  });
})();
