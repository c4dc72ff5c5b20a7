// Sizes that come from data (chart bars, heat maps) without style="" attributes, which the
// Content-Security-Policy (style-src 'self') refuses: the page writes data-width / data-left
// (percent) or data-heat (0 to 1) and this script sets them through the CSSOM, which the
// policy allows. Runs on load and on every piece of page htmx swaps in.
(function () {
  "use strict";
  function number(text, most) {
    const value = parseFloat(text);
    return Number.isFinite(value) ? Math.min(Math.max(value, 0), most) : 0;
  }
  function apply(root) {
    if (!root || !root.querySelectorAll) return;
    for (const el of root.querySelectorAll("[data-width]")) el.style.width = number(el.dataset.width, 100) + "%";
    for (const el of root.querySelectorAll("[data-left]")) el.style.left = number(el.dataset.left, 100) + "%";
    for (const el of root.querySelectorAll("[data-heat]")) el.style.setProperty("--heat", number(el.dataset.heat, 1));
  }
  apply(document);
  document.addEventListener("htmx:load", (event) => apply(event.detail.elt));
})();
