// Live status for forms whose answer takes seconds (composing jobs, importing a large file).
// A form with data-busy="… {s} s …" shows that text under itself once submitted, counting the
// seconds while the server works, and its buttons are disabled so it is not sent twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.busy || event.defaultPrevented) return;
  let status = form.nextElementSibling;
  if (!status || !status.classList.contains("busy")) {
    status = document.createElement("p");
    status.className = "busy";
    status.setAttribute("role", "status");
    form.after(status);
  }
  const started = Date.now();
  const show = () => {
    status.textContent = form.dataset.busy.replace("{s}", Math.floor((Date.now() - started) / 1000));
  };
  show();
  setInterval(show, 1000);
  setTimeout(() => form.querySelectorAll("button, input[type=submit]").forEach((b) => { b.disabled = true; }), 0);
});
