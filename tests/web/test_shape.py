"""The one shape of a web app (docs/web.md), checked over the source: no switch on a hidden
``action`` field, no URL written out by hand, no hand-written look-up-then-404."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "parsoc" / "web"
TEMPLATES = sorted(WEB.rglob("templates/**/*.html"))
MODULES = sorted(p for p in WEB.rglob("*.py") if "migrations" not in p.parts)


def _hits(paths, pattern: str) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(WEB)}:{number}: {line.strip()}")
    return found


def test_the_walk_finds_the_templates_and_modules():
    assert len(TEMPLATES) > 30 and len(MODULES) > 50


def test_no_view_switches_on_a_hidden_action_field():
    assert _hits(TEMPLATES, r'name="action"') == []
    assert _hits(MODULES, r'(POST|post)(\.get\(|\[)"action"') == []


def test_templates_name_urls_with_the_url_tag():
    assert _hits(TEMPLATES, r'(href|action|src)="/') == []


def test_python_names_urls_with_reverse():
    # a path of a page written out: f"/c/{slug}/...", "/accounts/login/", "/meetings/..."
    assert _hits(MODULES, r'''(redirect\(|build_absolute_uri\(|return )f?["'](/c/|/accounts/|/meetings/|/councils/)''') == []
    assert _hits(MODULES, r'''f["']/c/\{''') == []


def test_one_look_up_for_what_a_person_may_see():
    # get_visible_or_404 (web/core/shortcuts.py) is the one place that turns "not allowed to
    # see" into a 404; nothing else raises Http404 after asking a permission
    hand_written = []
    for path in MODULES:
        if path.name == "shortcuts.py":
            continue
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines[:-1]):
            if "if not" in line and "has_perm(" in line and "raise Http404" in lines[i + 1]:
                hand_written.append(f"{path.relative_to(WEB)}:{i + 1}")
    assert hand_written == []
