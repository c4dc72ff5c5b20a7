"""Stored script injection (XSS), attacked through the real HTTP interface.

Each sink gets hostile values (a ``</script>`` break-out, an attribute break-out with an event
handler, ``javascript:``/``data:`` links in several spellings) entered the way a user would
(pages and API), then the pages that show them are rendered for several viewers (an anonymous
one on the public council included) and parsed: no script element, event-handler attribute,
inline style, or ``javascript:``/``data:`` link may come from user text, and the hostile text
must be on the page as text (so the sink really was rendered). Every page carries the strict
Content-Security-Policy. A browser test checks that the live meeting page does not run a
hostile display name and shows it as text.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from parsoc.councils.kinds import Role
from parsoc.web.councils.models import Council, Membership

SCRIPT_BREAK = "X</script><script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT_BREAK} {ATTRIBUTE_BREAK}"  # 72 characters: fits every name field
HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]
FUTURE = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")

CSP_DIRECTIVES = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' data:", "connect-src": "'self'", "frame-ancestors": "'none'",
    "form-action": "'self'", "base-uri": "'none'", "object-src": "'none'",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class PageScan(HTMLParser):
    """What in a page could run: script elements, on* attributes, style attributes, links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: event handler attribute")
            if name == "style":
                self.problems.append(f"<{tag} style=...>: inline style")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = _INVISIBLE.sub("", value).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value!r}>: script or data link")
        if tag == "img" and not (attributes.get("src") or "").startswith(("/static/", "/media/")):
            self.problems.append(f"<img src={attributes.get('src')!r}>: image from user text")
        if tag in ("iframe", "object", "embed", "base", "style"):
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            self._script, self._script_text = attributes, []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)

    def check_scripts(self) -> None:
        for attributes, content in self.scripts:
            if attributes.get("src"):
                if not attributes["src"].startswith("/static/") or content.strip():
                    self.problems.append(f"<script src={attributes['src']!r}> with content or from elsewhere")
            elif attributes.get("type") == "application/json":
                if "<" in content:  # json_script escapes <, > and &
                    self.problems.append(f"JSON script with raw '<': {content[:80]!r}")
                try:
                    json.loads(content)
                except ValueError:
                    self.problems.append(f"JSON script cut short (a </script> break-out?): {content[:80]!r}")
            else:
                self.problems.append(f"inline script: {content[:80]!r}")


def scan(response) -> PageScan:
    """Parse a page, check its CSP header, and fail on anything that could run user text."""
    assert response.status_code == 200, (response.status_code, response.content[:300])
    check_csp(response)
    page = PageScan()
    page.feed(response.content.decode())
    page.close()
    page.check_scripts()
    assert not page.problems, page.problems
    return page


def check_csp(response) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }
    for name, value in CSP_DIRECTIVES.items():
        assert directives.get(name) == value, (name, directives.get(name), header)
    assert "unsafe" not in header


def shows_as_text(page: PageScan, value: str = HOSTILE) -> bool:
    return value in " ".join(page.text) or value in "".join(page.text)


@pytest.fixture
def hostile(council_world, make_user, client_as):
    """A member of the public chapter whose display name (set on the profile page) is hostile."""
    person = make_user("Hal Hostile")
    Membership.objects.create(council=council_world.chapter, user=person, role=Role.MEMBER)
    client = client_as(person)
    response = client.post("/accounts/profile/", {"display_name": HOSTILE, "city": HOSTILE, "bio": HOSTILE})
    assert response.status_code == 302, response.content[:500]
    person.refresh_from_db()
    assert person.display_name == HOSTILE
    return person, client


def viewers(world, client_as):
    return {"anonymous": client_as(None), "member": client_as(world.member),
            "facilitator": client_as(world.facilitator)}


def api(client, method, url, data=None):
    response = getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")
    assert response.status_code < 300, (url, response.status_code, response.content[:300])
    return response.json()


# -- display names, and the live meeting snapshot --------------------------------------------


@pytest.mark.django_db
def test_hostile_display_name_is_text_on_every_page_that_shows_it(council_world, hostile, client_as):
    w = council_world
    person, client = hostile
    # a proposal comment and a live hand, so the name shows there too
    proposal = api(client, "post", "/api/decisions/councils/test-chapter/proposals",
                   {"title": "Plain title", "body": "Plain body"})
    api(client_as(w.facilitator), "post", f"/api/decisions/proposals/{proposal['id']}/stage", {"to": "discussion"})
    api(client, "post", f"/api/decisions/proposals/{proposal['id']}/comments", {"body": "plain", "tag": "question"})
    response = client_as(w.facilitator).post("/c/test-chapter/meetings/new", {
        "title": "Plain meeting", "start": FUTURE, "zone": "UTC", "minutes": "60"})
    meeting = response.url.rstrip("/").split("/")[-1]
    assert client.post(f"/meetings/{meeting}/live/raise", {"kind": "new"}).status_code == 200

    pages = [f"/accounts/people/{person.pk}/", "/c/test-chapter/members/",
             f"/c/test-chapter/decisions/{proposal['id']}/", f"/meetings/{meeting}/live/"]
    for role, viewer in viewers(w, client_as).items():
        for url in pages:
            response = viewer.get(url)
            if role != "facilitator" and url == "/c/test-chapter/members/" and response.status_code in (302, 403):
                continue  # the member list is for facilitators
            page = scan(response)
            if url.endswith("/live/"):
                (snapshot,) = [c for a, c in page.scripts if a.get("id") == "live-initial"]
                queue = json.loads(snapshot)["queue"]
                assert [h["name"] for h in queue] == [HOSTILE], (role, queue)
            else:
                assert shows_as_text(page), (role, url)
    # the person's own pages: the name in the navigation bar, the profile form
    for url in ("/", "/accounts/profile/", "/c/test-chapter/"):
        scan(client.get(url))
    # the anonymous viewer of the public council sees the live page: the snapshot is data
    live = scan(client_as(None).get(f"/meetings/{meeting}/live/"))
    assert sum(1 for a, _ in live.scripts if not a.get("src")) == 1


# -- agenda links -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_agenda_link_refuses_every_scheme_but_http_https_mailto(council_world, client_as, link):
    from parsoc.web.meetings.models import AgendaItem, Meeting

    fay = client_as(council_world.facilitator)
    fay.post("/c/test-chapter/meetings/new", {"title": "M", "start": FUTURE, "zone": "UTC", "minutes": "60"})
    meeting = Meeting.objects.get(title="M")
    response = fay.post(f"/meetings/{meeting.pk}/change/agenda",
                        {"title": "Item", "minutes": "10", "proposal_url": link}, follow=True)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    assert "proposal_url:" in response.content.decode()
    scan(response)


@pytest.mark.django_db
def test_agenda_links_that_are_allowed_are_kept(council_world, client_as):
    from parsoc.web.meetings.models import Meeting

    fay = client_as(council_world.facilitator)
    fay.post("/c/test-chapter/meetings/new", {"title": "M", "start": FUTURE, "zone": "UTC", "minutes": "60"})
    meeting = Meeting.objects.get(title="M")
    for link in ("https://example.org/a?b=1&c=2", "http://example.org/", "mailto:fay@example.org"):
        assert fay.post(f"/meetings/{meeting.pk}/change/agenda",
                        {"title": "Item", "minutes": "10", "proposal_url": link}).status_code == 303
    page = scan(client_as(None).get(f"/meetings/{meeting.pk}/"))
    assert list(meeting.agenda.values_list("proposal_url", flat=True)) == [
        "https://example.org/a?b=1&c=2", "http://example.org/", "mailto:fay@example.org"]
    assert page.problems == []


@pytest.mark.django_db
def test_a_hostile_link_stored_before_the_rules_is_not_a_link(council_world, client_as):
    """Old data (or data written around the service) is shown through the same sanitiser."""
    from django.core.exceptions import ValidationError

    from parsoc.web.meetings.models import AgendaItem, Meeting

    fay = client_as(council_world.facilitator)
    fay.post("/c/test-chapter/meetings/new", {"title": "M", "start": FUTURE, "zone": "UTC", "minutes": "60"})
    meeting = Meeting.objects.get(title="M")
    for i, link in enumerate(HOSTILE_LINKS):
        item = AgendaItem(meeting=meeting, title=f"Item {i}", minutes=5, proposal_url=link, position=i)
        with pytest.raises(ValidationError) as refused:
            item.full_clean()  # the model refuses it too
        assert "proposal_url" in refused.value.message_dict
        item.save()  # written around the checks, as old rows were
    for viewer in viewers(council_world, client_as).values():
        page = scan(viewer.get(f"/meetings/{meeting.pk}/"))
        assert "Item 8" in " ".join(page.text)


# -- proposals, comments, council names, polls, meetings, budgets -----------------------------


@pytest.mark.django_db
def test_hostile_proposal_and_comment_text(council_world, client_as):
    w = council_world
    mo = client_as(w.member)
    proposal = api(mo, "post", "/api/decisions/councils/test-chapter/proposals",
                   {"title": HOSTILE, "body": HOSTILE + "\n" + HOSTILE_LINKS[0]})
    api(client_as(w.facilitator), "post", f"/api/decisions/proposals/{proposal['id']}/stage", {"to": "discussion"})
    api(mo, "post", f"/api/decisions/proposals/{proposal['id']}/comments", {"body": HOSTILE, "tag": "concern"})
    for viewer in viewers(w, client_as).values():
        for url in (f"/c/test-chapter/decisions/{proposal['id']}/", "/c/test-chapter/decisions/"):
            assert shows_as_text(scan(viewer.get(url)))
    scan(client_as(w.facilitator).get("/notifications/"))


@pytest.mark.django_db
def test_hostile_council_name_and_description(council_world, client_as):
    w = council_world
    fay = client_as(w.facilitator)
    response = fay.post("/councils/new/", {
        "name": HOSTILE, "kind": "working_group", "description": HOSTILE, "city": "Leith",
        "parent": w.chapter.pk, "visibility": "public", "join_policy": "request"})
    assert response.status_code == 302, response.content[:500]
    council = Council.objects.get(name=HOSTILE)
    for viewer in viewers(w, client_as).values():
        for url in (council.get_absolute_url(), "/councils/", "/c/test-chapter/",
                    f"/c/{council.slug}/meetings/", f"/c/{council.slug}/decisions/"):
            assert shows_as_text(scan(viewer.get(url))), url
    scan(fay.get("/"))  # the facilitator's home lists their councils


@pytest.mark.django_db
def test_hostile_poll_options_and_title(council_world, client_as):
    w = council_world
    fay = client_as(w.facilitator)
    poll = api(fay, "post", "/api/decisions/councils/test-chapter/polls",
               {"title": HOSTILE, "kind": "approval", "options": [HOSTILE, ATTRIBUTE_BREAK, "plain"]})
    api(fay, "post", f"/api/decisions/polls/{poll['id']}/open", {})
    api(client_as(w.member), "post", f"/api/decisions/polls/{poll['id']}/votes", {"ballot": [HOSTILE]})
    for viewer in viewers(w, client_as).values():
        page = scan(viewer.get(f"/c/test-chapter/polls/{poll['id']}/"))
        assert shows_as_text(page)
    api(fay, "post", f"/api/decisions/polls/{poll['id']}/close", {})
    for viewer in viewers(w, client_as).values():
        assert shows_as_text(scan(viewer.get(f"/c/test-chapter/polls/{poll['id']}/")))


@pytest.mark.django_db
def test_hostile_meeting_title_description_and_outside_poll_answer(council_world, client_as):
    from parsoc.web.meetings.models import Meeting, Poll

    w = council_world
    fay = client_as(w.facilitator)
    fay.post("/c/test-chapter/meetings/new", {"title": HOSTILE, "start": FUTURE, "zone": "UTC",
                                              "minutes": "60", "description": HOSTILE, "location": HOSTILE})
    meeting = Meeting.objects.get(title=HOSTILE)
    fay.post("/c/test-chapter/meetings/settings", {"allow_outside_answers": "on", "quorum": "1/2",
                                                   "quorum_minimum": "1"})
    fay.post("/c/test-chapter/meetings/poll", {"title": HOSTILE, "description": HOSTILE, "open_link": "on"})
    poll = Poll.objects.get(title=HOSTILE)
    assert fay.post(f"/meetings/poll/{poll.pk}/option", {"start": FUTURE, "zone": "UTC", "minutes": 60}).status_code == 303
    option = poll.options.get()
    # someone outside the council, anonymous, answers through the link with a hostile name
    outside = client_as(None).post(f"/meetings/answer/{poll.link_token}/",
                                   {"name": HOSTILE, "comment": HOSTILE, f"option-{option.pk}": "yes"})
    assert outside.status_code in (302, 303), outside.content[:300]
    for viewer in viewers(w, client_as).values():
        for url in (f"/meetings/{meeting.pk}/", "/c/test-chapter/meetings/", f"/meetings/{meeting.pk}/live/",
                    f"/meetings/poll/{poll.pk}/"):
            page = scan(viewer.get(url))
            if not url.endswith("/live/"):
                assert shows_as_text(page), url


@pytest.mark.django_db
def test_hostile_budget_project_names(council_world, client_as):
    from parsoc.web.budgeting.models import Process, Project

    w = council_world
    fay, mo = client_as(w.facilitator), client_as(w.member)
    assert fay.post("/c/test-chapter/budgeting/new", {
        "title": HOSTILE, "budget": "100", "currency": "EUR", "ballot_kind": "approval",
        "points": "10", "rule": "greedy"}).status_code == 302
    process = Process.objects.get(title=HOSTILE)
    base = f"/c/test-chapter/budgeting/{process.pk}"
    assert mo.post(f"{base}/propose", {"title": HOSTILE, "description": HOSTILE}).status_code == 302
    project = Project.objects.get(title=HOSTILE)
    assert mo.post(f"{base}/projects/{project.pk}/comment", {"body": HOSTILE}).status_code == 302
    fay.post(f"{base}/advance")
    assert fay.post(f"{base}/projects/{project.pk}/review", {"feasible": "yes", "cost": "30"}).status_code == 302
    fay.post(f"{base}/advance")
    assert mo.post(f"{base}/vote", {"project": [project.code]}).status_code == 302
    fay.post(f"{base}/advance")
    process.refresh_from_db()
    assert process.phase == "results"
    for viewer in viewers(w, client_as).values():
        for url in (f"{base}/", f"{base}/results", "/c/test-chapter/budgeting/"):
            assert shows_as_text(scan(viewer.get(url))), url


# -- the policy on every page -----------------------------------------------------------------


def _routes() -> list[str]:
    """Every route of the site (pages and API), as written in the URL configuration."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def _sweep_urls(world, client_as):
    """Every route filled in with objects that exist after a few ordinary actions (a route
    whose object is missing still answers, with 404, and must carry the policy too)."""
    from parsoc.web.budgeting.models import Process
    from parsoc.web.meetings.models import Meeting, Poll

    fay = client_as(world.facilitator)
    proposal = api(fay, "post", "/api/decisions/councils/test-chapter/proposals", {"title": "P", "body": "B"})
    poll = api(fay, "post", "/api/decisions/councils/test-chapter/polls",
               {"title": "Q", "kind": "approval", "options": ["a", "b"]})
    fay.post("/c/test-chapter/meetings/new", {"title": "M", "start": FUTURE, "zone": "UTC", "minutes": "60"})
    meeting = Meeting.objects.get(title="M")
    fay.post("/c/test-chapter/meetings/poll", {"title": "When"})
    time_poll = Poll.objects.get(title="When")
    fay.post("/c/test-chapter/budgeting/new", {"title": "B", "budget": "100", "currency": "EUR",
                                                "ballot_kind": "approval", "points": "10", "rule": "greedy"})
    process = Process.objects.get(title="B")

    def fill(route: str) -> str:
        if "meetings/poll/" in route or "meetings/polls/" in route:
            pk = time_poll.pk
        elif "meetings/" in route:
            pk = meeting.pk
        elif "polls/" in route:
            pk = poll["id"]
        elif "decisions/" in route or "proposals/" in route:
            pk = proposal["id"]
        elif "budgeting/" in route or "processes/" in route:
            pk = process.pk
        else:
            pk = world.member.pk
        values = {"slug": "test-chapter", "what": "agenda", "action": "raise", "project": "1",
                  "user_id": str(world.member.pk)}
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>",
                            lambda m: values.get(m.group(1), "nope" if m.group(1) in ("token", "uidb64") else str(pk)),
                            route)

    urls = [fill(route) for route in _routes()
            if not route.startswith(("^", "admin/")) and not route.endswith("live/stream")]
    return urls + ["/admin/login/", "/static/parsoc/parsoc.css", "/no-such-page/", "/c/no-such-council/"]


@pytest.mark.django_db
def test_every_page_carries_the_strict_policy(council_world, client_as):
    """A sweep of every route (GET) as three viewers: every answer, whatever its status, has the
    policy, and every HTML page is free of inline script and style."""
    w = council_world
    urls = _sweep_urls(w, client_as)
    assert len(urls) > 100
    statuses = set()
    for role in ("anonymous", "member", "facilitator"):
        client = client_as(w.person(role), raise_request_exception=False)
        for url in urls:
            response = client.get(url)
            statuses.add(response.status_code)
            check_csp(response)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                scan(response)  # no inline script or style on any page
    assert {200, 302, 404, 405} <= statuses  # answers of every kind were swept


# -- in a real browser ------------------------------------------------------------------------

BROWSER_HOSTILE = '</script><script>__pwned=1</script>"><img src=x onerror=__pwned=2>'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_live_page_shows_a_hostile_display_name_as_text_and_never_runs_it(
        live_server, new_page, council_world, make_user, client_as):
    """An anonymous viewer of the public council's live meeting: the hostile name arrives in the
    page's snapshot (json_script) and again through the live stream; it is shown as text, nothing
    runs (``window.__pwned`` stays undefined), and the page watch sees no CSP violation."""
    from playwright.sync_api import expect

    w = council_world
    hal = make_user("Hal Hostile")
    Membership.objects.create(council=w.chapter, user=hal, role=Role.MEMBER)
    hal_client = client_as(hal)
    assert hal_client.post("/accounts/profile/", {"display_name": BROWSER_HOSTILE}).status_code == 302
    client_as(w.facilitator).post("/c/test-chapter/meetings/new", {
        "title": "Open meeting", "start": FUTURE, "zone": "UTC", "minutes": "60"})
    from parsoc.web.meetings.models import Meeting

    meeting = Meeting.objects.get(title="Open meeting")
    url = f"{live_server.url}/meetings/{meeting.pk}/live/"
    page = new_page()
    page.goto(url)
    expect(page.get_by_test_id("connection")).to_have_text("live")
    # the name arrives through the stream
    assert hal_client.post(f"/meetings/{meeting.pk}/live/raise", {"kind": "new"}).status_code == 200
    queue = page.get_by_test_id("queue").locator("li")
    expect(queue).to_have_text([f"{BROWSER_HOSTILE} — new point"])
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # and in the snapshot of a fresh page
    page.reload()
    expect(page.get_by_test_id("connection")).to_have_text("live")
    expect(queue).to_have_text([f"{BROWSER_HOSTILE} — new point"])
    expect(page.get_by_test_id("next")).to_have_text(BROWSER_HOSTILE)
    assert page.locator("#live img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
