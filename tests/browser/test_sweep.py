"""The page sweep: every page of the demo world, as anonymous, member and facilitator, at 1280
and 390 px wide, in every language of ``settings.LANGUAGES``, in one real Chromium.

Each page must: answer without a server error; be no wider than the viewport
(``scrollWidth <= innerWidth``: no sideways scrolling of the page on a phone); log no console
error, break no Content-Security-Policy rule and ask nothing of another origin
(:class:`tests.fixtures_browser.PageWatch`); and pass axe-core with no serious or critical
violation (``tests/browser/axe.py``, the rule ``target-size``, 24 px, switched on).

What is visited comes from the URL configuration (``tests/browser/sweep_pages.py``): a pattern
that is neither visited nor excluded with a reason fails the sweep. The list of what was
visited is printed and written to ``sweep-<language>.txt`` (in ``PARSOC_SWEEP_REPORT_DIR``, or
the test's temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.axe import axe_violations, describe
from tests.browser.sweep_pages import AXE_EXEMPT, demo_objects, plan
from tests.fixtures_browser import PageWatch, _origin

WIDTHS = ((1280, 900), (390, 844))
ROLES = ("anonymous", "member", "facilitator")


def languages() -> list[str]:
    """The site's languages: ``settings.LANGUAGES`` once the project sets it, else the default."""
    if settings.is_overridden("LANGUAGES"):
        return [code for code, _ in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE]


#: The elements that stick out past the viewport's right edge (the deepest first): what to fix.
_OVERFLOW = """() => {
  const limit = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= limit + 0.5 || box.width === 0) continue;
    let inside = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === "auto" || style.overflowX === "scroll" || style.overflowX === "hidden") { inside = true; break; }
    }
    if (inside) continue;
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    out.push(el.tagName.toLowerCase() + id + cls + " right=" + Math.round(box.right));
  }
  return out.slice(-4);
}"""


def _session_cookie(user, base: str) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}


def check_page(page, watch: PageWatch, url: str, axe: bool = True) -> tuple[str, int, list[str]]:
    """Open ``url`` and check it; return the URL it ended at, its status and the problems."""
    try:
        response = page.goto(url, wait_until="load")
    except Exception as error:  # a refused navigation (a 405 page Chromium will not show)
        return url, 0, [f"could not be opened: {str(error).splitlines()[0]}"]
    problems = []
    status = response.status if response is not None else 0
    if status >= 500:
        problems.append(f"answered {status}")
    content_type = response.headers.get("content-type", "") if response is not None else ""
    if not content_type.startswith("text/html"):
        problems.append(f"not an HTML page ({content_type}): list it in sweep_pages.EXCLUDED")
        return page.url, status, problems
    wide, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if wide > viewport:
        problems.append(f"{wide}px wide in a {viewport}px viewport: " + ", ".join(page.evaluate(_OVERFLOW)))
    title = page.title()
    if "<" in title or ">" in title or not title.strip():
        problems.append(f"the tab title is {title!r}")
    if axe:
        problems += describe(axe_violations(page))
    watch.flush(page.context)
    # Chromium logs the page's own 4xx answer (a 403 for a member on a facilitator's page) as
    # a console error; that one is the answer under test, not a fault.
    own = f"the server responded with a status of {status} "
    problems += [p for p in watch.problems if not (own in p and f"({url})" in p)]
    watch.problems.clear()
    return page.url, status, problems


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", languages())
def test_every_page_for_every_role_at_both_widths(language, live_server, browser, tmp_path):
    from django.test import Client

    base = live_server.url
    demo = demo_objects()
    prober = Client()
    prober.force_login(demo.facilitator)  # some actions refuse anonymous people before the method
    sweep = plan(demo, prober)
    lines = [f"language {language}", *sweep.report()]
    failures = [f"{route.key} ({route.route}): neither visited nor excluded; add it to "
                f"tests/browser/sweep_pages.py PAGES or EXCLUDED" for route in sweep.unclassified]
    people = {"anonymous": None, "member": demo.member, "facilitator": demo.facilitator}
    only_roles = os.environ.get("PARSOC_SWEEP_ROLES", "").split(",")  # to rerun a part while fixing
    only_widths = os.environ.get("PARSOC_SWEEP_WIDTHS", "").split(",")
    for role in ROLES:
        if only_roles != [""] and role not in only_roles:
            continue
        context = browser.new_context(viewport={"width": WIDTHS[0][0], "height": WIDTHS[0][1]},
                                      locale=language, extra_http_headers={"Accept-Language": language})
        context.set_default_timeout(15_000)
        try:
            watch = PageWatch(_origin(base))
            watch.attach(context)
            if people[role] is not None:
                context.add_cookies([_session_cookie(people[role], base)])
            page = context.new_page()
            watch._watch_page(page)
            # Ask Django first (in this process: cheap): a redirect (to the login page, say) is not
            # loaded in the browser, its target is a page of its own; of the error pages (403,
            # 404: one template) the first of each status is.
            asking = Client(HTTP_ACCEPT_LANGUAGE=language)
            if people[role] is not None:
                asking.force_login(people[role])
            answers = {path: asking.get(path).status_code for _, path in sweep.pages}
            for width, height in WIDTHS:
                if only_widths != [""] and str(width) not in only_widths:
                    continue
                page.set_viewport_size({"width": width, "height": height})
                checked: set[str] = set()
                errors: set[int] = set()
                for route, path in sweep.pages:
                    url = base + path
                    answer = answers[path]
                    if url in checked or 300 <= answer < 400 or answer in errors:
                        lines.append(f"{role:11} {width:4}px {answer} {path} (not loaded: "
                                     + ("a redirect)" if 300 <= answer < 400 else "an error page already checked)"))
                        continue
                    if 400 <= answer < 500:
                        errors.add(answer)
                    landed, status, problems = check_page(page, watch, url, route.name not in AXE_EXEMPT)
                    checked.update({url, landed})
                    where = landed.removeprefix(base)
                    lines.append(f"{role:11} {width:4}px {status} {path}" + (f" -> {where}" if landed != url else ""))
                    failures += [f"{role} {width}px {path}: {problem}" for problem in problems]
        finally:
            context.close()
    report = Path(os.environ.get("PARSOC_SWEEP_REPORT_DIR") or tmp_path) / f"sweep-{language}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("\n".join(lines + ["", "problems:", *failures]) + "\n")
    print("\n".join(lines))
    assert not failures, f"{len(failures)} problems (the whole list in {report}):\n" + "\n".join(failures)
