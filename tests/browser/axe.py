"""axe-core in a Playwright page, under the page's own Content-Security-Policy.

The vendored ``vendor/axe-core/axe.min.js`` (see its README) is evaluated through Playwright's
``page.evaluate`` (the DevTools protocol), which the page's CSP does not govern: the site's
``script-src 'self'`` stays as it is, and nothing is added to the page's own origin.
``add_script_tag`` would insert an inline ``<script>``, which the CSP refuses (rightly).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_JS = VENDOR / "axe.min.js"
#: The impacts that fail a page (axe's scale: minor, moderate, serious, critical).
FAILING = ("serious", "critical")


def recorded() -> dict:
    """``package.json``: the version, source and sha256 of the vendored file."""
    return json.loads((VENDOR / "package.json").read_text())


def sha256_of(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def axe_source() -> str:
    expected = recorded()["files"]["axe.min.js"]
    if sha256_of(AXE_JS) != expected:  # pragma: no cover - test_axe_vendor says more
        raise AssertionError(f"{AXE_JS} does not match its recorded {expected}")
    return AXE_JS.read_text()


_RUN = """async () => {
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    rules: {"target-size": {enabled: true}},  // WCAG 2.2 AA: 24 px targets (axe leaves it off by default)
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


def axe_violations(page, impacts=FAILING) -> list[dict]:
    """axe's violations on the page as it is now, those of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return [v for v in page.evaluate(_RUN) if v["impact"] in impacts]


def describe(violations: list[dict], limit: int = 4) -> list[str]:
    """One line per violation, with the first few elements it found."""
    lines = []
    for v in violations:
        where = "; ".join(n["target"] for n in v["nodes"][:limit])
        more = f" (+{len(v['nodes']) - limit} more)" if len(v["nodes"]) > limit else ""
        lines.append(f"axe {v['impact']} {v['id']}: {v['help']} at {where}{more}")
    return lines
