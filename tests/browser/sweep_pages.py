"""What the browser sweep (``test_sweep.py``) visits: every GET page of the URL configuration.

The sweep walks Django's URL resolver and sorts each pattern into one of four kinds:

* **excluded**: its URL name is in :data:`EXCLUDED`, or its route starts with one of
  :data:`EXCLUDED_PREFIXES`, each with the reason (not a page: a file, a stream, JSON...);
* **action**: it answers 405 to GET (``require_POST``): a form's target, not a page;
* **page**: it is visited: patterns without parameters, or whose only parameter is a council's
  ``slug`` (filled with :data:`COUNCIL`), are visited as they are; any other parameter is filled
  by the entry for its URL name in :data:`PAGES`, from the demo world's objects;
* **unclassified**: anything else (a new page with parameters the sweep cannot fill). The sweep
  fails and names it, so a new page is never skipped silently.

**Adding a page**: a page under ``c/<slug:slug>/...`` with no other parameter needs nothing. A
page with other parameters gets one line in :data:`PAGES` (a function from :class:`Demo` to the
keyword arguments of each URL to visit; add the objects it needs to :func:`demo_objects`). A
GET pattern that is not an HTML page (a feed, a file, a fragment) gets a line in
:data:`EXCLUDED` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: The council whose pages the sweep visits when a pattern's only parameter is ``slug``.
COUNCIL = "demo-glasgow"

#: Route prefixes that hold no pages of ours (the reason is printed with the visit list).
EXCLUDED_PREFIXES = {
    "api/": "the JSON API (its documentation page, api:openapi-view, is visited)",
    "admin/": "Django's admin site: staff only, Django's own markup",
    "^media/": "uploaded photos (images, not pages)",
}

#: URL name -> why the sweep does not visit it.
EXCLUDED = {
    "councils:unread": "an htmx fragment (the unread badge) inside every page's header",
    "notifications:unread": "an htmx fragment (the unread badge) inside every page's header",
    "notifications:open": "opens a notice: marks it read and redirects to the page it is about (visited)",
    "lot:result_json": "JSON: a draw's published result, for replay",
    "lot:detail": "a selection by lot: the demo world has none yet (tests/lot/test_web.py covers the page)",
    "orgs:export": "a file download (standard CSV or GeoJSON of the directory)",
    "planning:export_csv": "a CSV file: a planning year's export",
    "planning:export_edn": "an EDN file: a planning year's export in the engine's layout",
    "decisions:log": "JSON: the decision record's export",
    "meetings:meeting_ics": "an iCalendar file",
    "meetings:calendar_feed": "an iCalendar feed",
    "meetings:live_stream": "the live page's Server-Sent Events stream (the live page is visited)",
    "budgeting:export": "a .pb file (Pabulib)",
    "meetings:outside_answer": "the scheduling poll's page for guests (meetings/poll.html, visited as meetings:poll); "
                               "the demo's councils do not allow outside answers",
}

#: Patterns under an excluded prefix that are pages all the same.
INCLUDED = {"api:openapi-view"}

#: URL name -> why axe-core is not run on it (every other check still is).
AXE_EXEMPT = {
    "api:openapi-view": "Swagger UI's own markup (nested buttons, small links), served as django-ninja ships it",
}


@dataclass
class Demo:
    """Objects of the demo world that fill URL parameters (see :func:`demo_objects`)."""

    facilitator: Any
    member: Any
    newcomer: Any  # an account whose address is not confirmed yet
    proposals: list[Any]
    secret_proposal: Any
    decision_poll: Any
    meeting_poll: Any
    meetings: list[Any]
    budget_process: Any
    invitation: Any
    extra: dict[str, Any] = field(default_factory=dict)


def _confirm(d: Demo) -> list[dict]:
    from parsoc.web.accounts.tokens import confirmation_token

    return [{"token": confirmation_token(d.newcomer)}]


def _password_reset(d: Demo) -> list[dict]:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return [{"uidb64": urlsafe_base64_encode(force_bytes(d.newcomer.pk)),
             "token": default_token_generator.make_token(d.newcomer)}]


#: URL name -> the keyword arguments of each URL the sweep visits for it.
PAGES: dict[str, Callable[[Demo], list[dict]]] = {
    "accounts:confirm": _confirm,
    "accounts:password_reset_confirm": _password_reset,
    "accounts:person": lambda d: [{"pk": d.facilitator.pk}],
    "councils:invitation": lambda d: [{"token": d.invitation.token}],
    "decisions:proposal": lambda d: [{"slug": COUNCIL, "pk": p.pk} for p in d.proposals],
    "decisions:ballot": lambda d: [{"slug": COUNCIL, "pk": d.secret_proposal.pk}],
    "decisions:poll": lambda d: [{"slug": COUNCIL, "pk": d.decision_poll.pk}],
    "meetings:poll": lambda d: [{"pk": d.meeting_poll.pk}],
    "meetings:meeting": lambda d: [{"pk": m.pk} for m in d.meetings],
    "meetings:live": lambda d: [{"pk": d.meetings[-1].pk}],
    "budgeting:detail": lambda d: [{"slug": COUNCIL, "pk": d.budget_process.pk}],
    "budgeting:results": lambda d: [{"slug": COUNCIL, "pk": d.budget_process.pk}],
    # The worker council's pages live in the demo's worker co-op.
    "work:page": lambda d: [{"slug": "demo-winnipeg-coop"}],
    "work:effort": lambda d: [{"slug": "demo-winnipeg-coop"}],
    "work:federation": lambda d: [{"slug": "demo-winnipeg"}],
    "comments:edit": lambda d: [{"pk": _first("parsoc.web.comments.models", "Comment").pk}],
    "comments:history": lambda d: [{"pk": _first("parsoc.web.comments.models", "Comment").pk}],
    "orgs:detail": lambda d: [{"pk": _first("parsoc.web.orgs.models", "Entry").pk}],
    "orgs:change": lambda d: [{"pk": _first("parsoc.web.orgs.models", "Entry").pk}],
    "planning:year": lambda d: [{"slug": y.federation.slug, "pk": y.pk} for y in _all("parsoc.web.planning.models",
                                                                                      "PlanningYear")],
    "planning:council": lambda d: [
        {"slug": y.federation.slug, "pk": y.pk, "council_slug": p.council.slug}
        for y in _all("parsoc.web.planning.models", "PlanningYear")
        for p in y.participants.select_related("council").exclude(council__memberships=None).order_by("pk")[:2]],
}


def _all(module: str, model: str) -> list:
    import importlib

    return list(getattr(importlib.import_module(module), model).objects.order_by("pk"))


def _first(module: str, model: str):
    found = _all(module, model)
    assert found, f"the demo world has no {model} for the sweep to visit"
    return found[0]


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined
    name: str | None  # namespaced URL name
    params: tuple[tuple[str, str], ...]  # (converter, name) of each parameter

    @property
    def key(self) -> str:
        return self.name or self.route

    def path(self, kwargs: dict) -> str:
        def fill(match: re.Match) -> str:
            return str(kwargs[match.group(2)])

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.route)


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes() -> Iterator[Route]:
    """Every pattern of the URL configuration, depth first."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix: str, namespaces: list[str]):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                spaces = namespaces + [pattern.namespace] if pattern.namespace else namespaces
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), spaces)
            else:
                route = prefix + str(pattern.pattern)
                name = ":".join([*namespaces, pattern.name]) if pattern.name else None
                params = tuple((m.group(1) or "str", m.group(2)) for m in _PARAM.finditer(route))
                yield Route(route, name, params)

    yield from walk(get_resolver().url_patterns, "", [])


def excluded_because(route: Route) -> str | None:
    if route.name in INCLUDED:
        return None
    if route.name in EXCLUDED:
        return EXCLUDED[route.name]
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if route.route.startswith(prefix):
            return reason
    return None


def placeholder_kwargs(route: Route) -> dict:
    """Parameters good enough to ask a pattern whether it answers GET at all."""
    return {name: 1 if converter in ("int", "id") else COUNCIL if name == "slug" else "x"
            for converter, name in route.params}


@dataclass
class Plan:
    pages: list[tuple[Route, str]] = field(default_factory=list)  # (route, path) to visit
    actions: list[Route] = field(default_factory=list)
    excluded: list[tuple[Route, str]] = field(default_factory=list)
    unclassified: list[Route] = field(default_factory=list)

    def report(self) -> list[str]:
        lines = [f"visit  {route.key}  {path}" for route, path in self.pages]
        lines += [f"action {route.key}  (answers 405 to GET)" for route in self.actions]
        lines += [f"skip   {route.key}  ({reason})" for route, reason in self.excluded]
        lines += [f"UNCLASSIFIED {route.key}  {route.route}" for route in self.unclassified]
        return lines


def plan(demo: Demo, client) -> Plan:
    """Sort every pattern (see the module's docstring); ``client``: a Django test client used to
    ask each pattern without a :data:`PAGES` entry whether it answers GET."""
    result = Plan()
    seen: set[str] = set()
    for route in routes():
        if route.key in seen:  # the same name on two patterns (the API's GET and POST)
            continue
        seen.add(route.key)
        reason = excluded_because(route)
        if reason is not None:
            result.excluded.append((route, reason))
            continue
        if route.name in PAGES:
            result.pages.extend((route, route.path(kwargs)) for kwargs in PAGES[route.name](demo))
            continue
        names = {name for _, name in route.params}
        fillable = names <= {"slug"}
        probe = route.path(placeholder_kwargs(route))
        if client.get(probe).status_code == 405:
            result.actions.append(route)
        elif fillable:
            result.pages.append((route, probe))
        else:
            result.unclassified.append(route)
    return result


def demo_objects() -> Demo:
    """Load the demo world (as ``parsoc demo`` does) and the few objects it lacks for a page."""
    from parsoc.web.accounts.models import User
    from parsoc.web.budgeting.models import Process
    from parsoc.web.councils.models import Council, Invitation, Membership
    from parsoc.web.decisions import polls
    from parsoc.web.decisions.models import Poll as DecisionPoll
    from parsoc.web.decisions.models import Proposal
    from parsoc.web.demo import email_for, load_demo_world
    from parsoc.web.meetings.models import Meeting
    from parsoc.web.meetings.models import Poll as MeetingPoll

    load_demo_world()
    glasgow = Council.objects.get(slug=COUNCIL)
    facilitator = User.objects.get(email=email_for("Amara Okafor"))  # facilitates the Glasgow chapter
    member = User.objects.get(email=email_for("Greta Lindqvist"))  # a member of it
    # So that the worker council's pages show both roles too.
    coop = Council.objects.get(slug="demo-winnipeg-coop")
    Membership.objects.get_or_create(council=coop, user=facilitator, defaults={"role": "facilitator"})
    Membership.objects.get_or_create(council=coop, user=member, defaults={"role": "member"})
    newcomer = User.objects.filter(email="newcomer@demo.parsoc.org").first() or User.objects.create_user(
        "newcomer@demo.parsoc.org", None, display_name="Nia Newcomer", email_confirmed=False)
    poll = DecisionPoll.objects.filter(council=glasgow).first() or polls.create_poll(
        facilitator, glasgow, title="Where should the summer school be?", kind="approval",
        options=["Glasgow", "Dundee", "Online"], params={}, secret=False)
    proposals = list(Proposal.objects.filter(council=glasgow).order_by("pk"))
    return Demo(
        facilitator=facilitator, member=member, newcomer=newcomer, proposals=proposals,
        secret_proposal=next(p for p in proposals if p.secret), decision_poll=poll,
        meeting_poll=MeetingPoll.objects.filter(council=glasgow).order_by("pk").first(),
        meetings=list(Meeting.objects.filter(council=glasgow).order_by("start")),
        budget_process=Process.objects.filter(council=glasgow).order_by("pk").first(),
        invitation=Invitation.objects.filter(council=glasgow).first() or Invitation.objects.create(
            council=glasgow, created_by=facilitator),
    )
