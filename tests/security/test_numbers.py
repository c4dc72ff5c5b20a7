"""Numbers from users: hostile numbers on every numeric input of every page, API operation and
importer are refused with a clear 4xx (or the page's error message), never a 5xx or a stall, and
nothing is written. The inputs are *found*, not listed: the pages are crawled and their forms
read, the Django form classes are imported and inspected, and the OpenAPI schema is walked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest

from parsoc import numbers
from parsoc.errors import InputError

pytestmark = pytest.mark.django_db

# What an attacker types into a number: huge, tiny, every spelling, non-ASCII digits, empty.
HOSTILE_TEXT = [
    str(2**70), str(-(2**70)), "1e400", "1e999999", "1" * 100_000, "1e10000000", "NaN", "Infinity", "-inf",
    "١٢", "1_000", "0x10", "1e-400", "", " ", "12\x00", "٣/٤",
]
# The same as JSON literals (a number where the schema says number, text elsewhere).
HOSTILE_JSON = [
    str(2**70), str(-(2**70)), "1e400", "1e999999", "1" * 100_000, "NaN", "Infinity", "-Infinity", '"١٢"',
    '"1_000"', '"0x10"', "1e-400", '""', '"1e10000000"', "true", "null", "[]",
]


# -- the parser itself ------------------------------------------------------------------------


HOSTILE_VALUES = HOSTILE_TEXT + [2**70, -(2**70), float("inf"), float("nan"), True, None, 10**100_000, Decimal("1e999999"),
                                 Decimal("NaN"), numbers.Fraction(10**50, 3)]


@pytest.mark.parametrize("parse", [numbers.parse_int, numbers.parse_decimal, numbers.parse_float,
                                   numbers.parse_fraction, numbers.parse_id])
@pytest.mark.parametrize("text", HOSTILE_VALUES, ids=[f"v{i}" for i in range(len(HOSTILE_VALUES))])
def test_the_parser_refuses_hostile_numbers_naming_the_field(parse, text):
    with pytest.raises(InputError) as refused:
        parse(text, "the field")
    message = str(refused.value)
    assert message.startswith("the field: ") and len(message) < 200


def test_the_parser_reads_plain_numbers():
    assert numbers.parse_int(" 42 ", "n") == 42
    assert numbers.parse_decimal("12.345", "n") == Decimal("12.34")  # half-even
    assert numbers.parse_decimal("1.5e3", "n") == Decimal("1500.00")
    assert numbers.parse_decimal(numbers.MONEY_MAX, "n") == numbers.MONEY_MAX
    assert numbers.parse_fraction("3/2", "w") == numbers.Fraction(3, 2)
    assert numbers.parse_fraction("60%", "q", high=1, percent=True) == numbers.Fraction(3, 5)
    assert numbers.parse_float("2,5", "h", comma=True) == 2.5
    with pytest.raises(InputError, match="out of range"):
        numbers.parse_decimal("1000000000000.01", "n")
    with pytest.raises(InputError, match="finer than"):
        numbers.parse_fraction("1/1001", "w")


# -- the pages: crawl them, find every form with a number in it, attack each number --------------


class _Forms(HTMLParser):
    """The POST forms of a page: action, and (name, type, value) of each field; and its links."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": [], "enctype": a.get("enctype", "")}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "button") and a.get("name"):
            kind = (a.get("type") or ("textarea" if tag == "textarea" else "text")).lower()
            if kind == "radio" and "checked" not in a and any(f[0] == a["name"] for f in self._form["fields"]):
                return  # one value per radio group
            self._form["fields"].append((a["name"], kind, a.get("value") or a.get("min") or ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = [a["name"], "select", None]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None and self._select[2] is None:
            self._select[2] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


NUMERIC_NAME = re.compile(
    r"^(budget|cost|points|max_choices|max_uses|minutes|quorum|quorum_minimum|hours|cap|point_value|disagreement|"
    r"param|weight|seats|dots|rank_.+|points_.+|option_\d+|e\d+|d\d+|effort\d+|for_member|person|proposal|option|"
    r"request|invitation|term|.*_id)$"
)
SKIP_LINKS = ("logout", "export", "stream", ".ics", "log.json", "/api/", "/admin/", "/static/", "/media/", "mailto:")


def _numeric_model_names() -> set[str]:
    from django.apps import apps
    from django.db import models

    kinds = (models.IntegerField, models.DecimalField, models.FloatField)
    return {f.name for m in apps.get_models() if m.__module__.startswith("parsoc.") for f in m._meta.get_fields()
            if isinstance(f, kinds) and not f.primary_key}


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m.__module__.startswith("parsoc.")}


@pytest.fixture
def full_world(council_world, make_user):
    """Something of each kind in the chapter: a proposal, a poll, a meeting poll with a time, a
    meeting with an agenda, budgeting processes in review and voting, work tasks and hours."""
    from datetime import timedelta

    from django.utils import timezone

    from parsoc.web.budgeting import services as budgeting
    from parsoc.web.budgeting.models import Phase
    from parsoc.web.councils.services import invite
    from parsoc.web.decisions import polls
    from parsoc.web.decisions import services as decisions
    from parsoc.web.meetings import services as meetings
    from parsoc.web.work import services as work

    w = council_world
    f, c = w.facilitator, w.chapter
    decisions.create_proposal(f, c, title="Bike racks", body="Four racks by the hall.")
    picnic = polls.create_poll(f, c, title="Picnic day", kind="score", options=["sat", "sun"], params={"low": 0, "high": 5})
    polls.open_poll(f, picnic)
    invite(f, c, [], link=True, max_uses=5)
    poll = meetings.create_poll(f, c, title="Assembly")
    start = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")
    meetings.add_option(f, poll, start=start, zone="Europe/London", minutes=90)
    meeting = meetings.create_meeting(f, c, title="Spring assembly", start=start, zone="Europe/London", minutes=60)
    meetings.add_agenda_item(f, meeting, title="Budget", minutes=10)
    for kind in ("approval", "cumulative", "ordinal"):
        process = budgeting.create_process(f, c, title=f"Fund {kind}", budget="1000", ballot_kind=kind)
        project = budgeting.propose(w.member, process, title="Swings")
        budgeting.propose(w.member, process, title="Benches")
        process.phase = Phase.REVIEW
        process.save(update_fields=["phase"])
        if kind != "approval":
            budgeting.review(f, project, feasible=True, cost="100")
            process.phase = Phase.VOTING
            process.save(update_fields=["phase"])
    work.add_task(f, c, name="cooking", hours=10)
    work.set_hours(w.member, c, hours=20)
    return w


def _crawl(client, start: list[str], limit: int = 80) -> dict[str, list[dict]]:
    """Pages reachable from ``start`` (same site, GET) → their POST forms."""
    seen, queue, found = set(), list(start), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} -> {response.status_code}"
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Forms()
        page.feed(response.content.decode())
        found[url] = page.forms
        for href in page.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or any(s in target for s in SKIP_LINKS):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                queue.append(path)
    return found


def _number_inputs(crawled, numeric_names):
    """(page, form, field name) for every field of every POST form that carries a number."""
    out, seen = [], set()
    for url, forms in crawled.items():
        for form in forms:
            action = urljoin(url, form["action"] or url)
            for name, kind, _ in form["fields"]:
                if kind in ("hidden", "submit", "checkbox", "radio", "file") and not (
                        kind == "hidden" and name in numeric_names | {"request", "invitation", "term", "proposal"}):
                    continue
                if kind == "number" or name in numeric_names or NUMERIC_NAME.match(name):
                    key = (urlsplit(action).path, name)
                    if key not in seen:
                        seen.add(key)
                        out.append((url, action, form, name))
    return out


def _baseline(form) -> dict[str, str]:
    data = {}
    for name, kind, value in form["fields"]:
        if kind == "checkbox":
            continue
        if kind in ("text", "textarea") and not value:
            value = "x"
        data.setdefault(name, value)
    return data


def _error_shown(response) -> bool:
    if 400 <= response.status_code < 500:
        return bool(response.content)
    messages = list(response.context["messages"]) if response.context and "messages" in response.context else []
    return any(m.level_tag == "error" for m in messages)


def test_every_number_on_every_page_refuses_hostile_values(full_world, client_as):
    w = full_world
    client = client_as(w.facilitator, raise_request_exception=False)
    start = ["/", f"/c/{w.chapter.slug}/", f"/c/{w.chapter.slug}/members/", f"/c/{w.chapter.slug}/meetings/",
             f"/c/{w.chapter.slug}/budgeting/", f"/c/{w.chapter.slug}/decisions/", f"/c/{w.chapter.slug}/work/",
             f"/c/{w.chapter.slug}/work/effort/", f"/c/{w.chapter.slug}/budgeting/new",
             f"/c/{w.chapter.slug}/polls/new/", f"/c/{w.chapter.slug}/invite/", "/accounts/profile/"]
    crawled = _crawl(client, start)
    inputs = _number_inputs(crawled, _numeric_model_names())
    actions = {urlsplit(a).path for _, a, _, _ in inputs}
    # The crawl must reach the numeric inputs we know about; a new one is found by itself.
    for expected in ("/budgeting/new", "/meetings/settings", "/option", "/change/agenda", "/vote", "/review",
                     "/work/tasks/", "/work/hours/", "/polls/new/"):
        assert any(expected in a for a in actions), f"no form posting to *{expected} found; crawled {sorted(crawled)}"
    problems = []
    for page, action, form, name in inputs:
        base = _baseline(form)
        for value in HOSTILE_TEXT:
            before = _row_counts()
            response = client.post(action, {**base, name: value}, follow=True)
            label = f"{urlsplit(action).path} {name}={value[:20]!r} (form on {page})"
            if response.status_code >= 500:
                problems.append(f"{label} -> {response.status_code}")
                continue
            if value.strip() == "":
                continue  # an empty optional number may be valid; it only must not be a 5xx
            if _row_counts() != before:
                problems.append(f"{label} wrote {set(_row_counts().items()) - set(before.items())}")
            if not _error_shown(response):
                problems.append(f"{label} -> {response.status_code} without an error")
    assert not problems, "\n".join(problems)


# -- the form classes: every numeric field of every form refuses hostile values ----------------


def _form_classes():
    import importlib
    import pkgutil

    import django.forms as dj

    import parsoc.web

    found = []
    for module_info in pkgutil.walk_packages(parsoc.web.__path__, "parsoc.web."):
        if module_info.name.endswith(".forms"):
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, dj.BaseForm) and value.__module__ == module.__name__:
                    found.append(value)
    return found


def _instantiate(form_class, data, w):
    import inspect

    params = list(inspect.signature(form_class.__init__).parameters)[1:]
    first = params[0] if params else ""
    if first == "user":
        return form_class(w.facilitator, data)
    if first == "council":
        return form_class(w.chapter, data)
    return form_class(data)


def test_every_numeric_form_field_refuses_hostile_values(full_world):
    import django.forms as dj

    numeric = (dj.IntegerField, dj.DecimalField, dj.FloatField)
    model_numeric = _numeric_model_names()
    checked = 0
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if not (isinstance(field, numeric) or name in model_numeric):
                continue
            for value in HOSTILE_TEXT:
                form = _instantiate(form_class, {name: value}, full_world)
                assert not form.is_valid() or form.cleaned_data.get(name) in (None, ""), (form_class, name, value)
                if value.strip():
                    assert name in form.errors, (form_class.__name__, name, value)
                    assert len(" ".join(form.errors[name])) < 300
            checked += 1
    assert checked >= 3  # budget, max_choices, points at least


# -- the API: walk the OpenAPI schema, attack every number in every operation -------------------


def _deref(spec, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node, seen = target, seen + 1
    return node


def _is_number(spec, node) -> bool:
    node = _deref(spec, node)
    if not isinstance(node, dict):
        return False
    if node.get("type") in ("integer", "number"):
        return True
    return any(_is_number(spec, n) for n in node.get("anyOf", []) + node.get("oneOf", []))


def _example(spec, node, slot, path=()):
    """A plausible value for ``node``, with ``slot`` (a path into it) left as a marker; and the
    list of paths to number-valued places."""
    node = _deref(spec, node)
    places = []
    if _is_number(spec, node):
        places.append(path)
        return 1, places
    options = [o for o in node.get("anyOf", []) + node.get("oneOf", [])
               if _deref(spec, o).get("type") not in ("null", None) or "properties" in _deref(spec, o)]
    if options:  # the alternative with the most numbers in it
        return max((_example(spec, o, slot, path) for o in options), key=lambda found: len(found[1]))
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        value = {}
        for key, sub in node.get("properties", {}).items():
            value[key], more = _example(spec, sub, slot, path + (key,))
            if key in NUMBERS_AS_TEXT:
                value[key], more = "1/2", [path + (key,)]
            places += more
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            value["1"], more = _example(spec, extra, slot, path + ("1",))
            places += more
        return value, places
    if kind == "array":
        item, more = _example(spec, node.get("items", {}), slot, path + (0,))
        return [item], places + more
    if kind == "boolean":
        return False, places
    if node.get("enum"):
        return node["enum"][0], places
    if node.get("format") == "date-time":
        return "2031-01-01T10:00:00Z", places
    if node.get("format") == "date":
        return "2031-01-01", places
    return "x", places


MARK = "\u0000HOSTILE\u0000"
NUMBERS_AS_TEXT = {"weight", "quorum", "stand_aside_limit", "supermajority", "threshold"}
"""Text properties that carry a number (weights and shares such as "3/2"): attacked as numbers too."""


def _put(value, path, mark):
    if not path:
        return mark
    head, rest = path[0], path[1:]
    value = json.loads(json.dumps(value))
    value[head] = _put(value[head], rest, mark)
    return value


def _api_targets(spec, world_ids):
    """(method, path template, where, name or body path, body example) for every numeric place."""
    targets = []
    for template, ops in spec["paths"].items():
        if any(word in template for word in ("stream", "events", "feed")):
            continue
        for method, op in ops.items():
            body_schema = (op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema"))
            body, places = _example(spec, body_schema, None) if body_schema else (None, [])
            for param in op.get("parameters", []):
                if _is_number(spec, param.get("schema", {})):
                    targets.append((method, template, param["in"], param["name"], body))
            for place in places:
                targets.append((method, template, "body", place, body))
    return targets


def _fill(template, ids, hostile_param=None, hostile=None):
    def repl(match):
        name = match.group(1)
        if name == hostile_param:
            return quote(hostile, safe="")
        return str(ids(template, name))
    return re.sub(r"\{(\w+)\}", repl, template)


def test_every_number_in_every_api_operation_refuses_hostile_values(full_world, client_as):
    from parsoc.web.accounts.models import ApiToken
    from parsoc.web.api import api
    from parsoc.web.budgeting.models import Process
    from parsoc.web.decisions.models import Poll as DecisionPoll
    from parsoc.web.decisions.models import Proposal
    from parsoc.web.meetings.models import Meeting, Poll

    w = full_world
    spec = api.get_openapi_schema(path_prefix="/api/")
    token = ApiToken.issue(w.facilitator, "numbers")[1]
    client = client_as(None, HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)

    def ids(template, name):
        if name == "slug":
            return w.chapter.slug
        if name == "user_id":
            return w.member.pk
        if name == "poll_id":
            return Poll.objects.first().pk
        if name == "meeting_id":
            return Meeting.objects.first().pk
        if name == "action":
            return "raise"
        if "/decisions/polls/" in template:
            return DecisionPoll.objects.first().pk
        if "/decisions/proposals/" in template:
            return Proposal.objects.first().pk
        if "/budgeting/" in template:
            return Process.objects.first().pk
        return 1

    targets = _api_targets(spec, ids)
    assert len(targets) >= 30, targets  # every path id, body number, query number
    problems = []
    for method, template, where, name, body in targets:
        for literal in HOSTILE_JSON:
            text = literal.strip('"') if literal.startswith('"') else literal
            query = ""
            if where == "path":
                url = _fill(template, ids, name, text)
            else:
                url = _fill(template, ids)
                if where == "query":
                    query = f"?{name}={quote(text, safe='')}"
            payload = json.dumps(body) if body is not None else None
            if where == "body":
                payload = json.dumps(_put(body, name, MARK)).replace(json.dumps(MARK), literal)
            before = _row_counts()
            response = client.generic(method.upper(), url + query, payload or "", content_type="application/json")
            label = f"{method.upper()} {template} {where}:{name} = {literal[:20]}"
            if response.status_code >= 500:
                problems.append(f"{label} -> {response.status_code}: {response.content[:200]!r}")
                continue
            if 200 <= response.status_code < 300 and literal in ('"1e10000000"', "null", '""', "[]", "true"):
                continue  # text where text is allowed, or an optional number left out: not our concern here
            if response.status_code < 400:
                problems.append(f"{label} -> {response.status_code} accepted")
                continue
            detail = response.json().get("detail") if response.get("Content-Type", "").startswith("application/json") else None
            if not detail:
                problems.append(f"{label} -> {response.status_code} without a JSON detail")
            if _row_counts() != before:
                problems.append(f"{label} wrote something")
    assert not problems, "\n".join(problems)


# -- importers: .pb upload, parsoc budget run, parsoc jobs balance ----------------------------------

PB = """META
key;value
description;Hostile
num_projects;2
num_votes;2
budget;{budget}
vote_type;cumulative
PROJECTS
project_id;cost;name
a;{cost};Park
b;40;Bench
VOTES
voter_id;vote;points
1;a,b;{points},1
2;b;1
"""

PB_ATTACKS = [("budget", v) for v in ("1e30", "1e400", "1e20", str(2**70), "1" * 100_000, "NaN", "١٢", "1e10000000")] + [
    ("cost", v) for v in ("1e20", "1e400", "1e30", "-1", "Infinity", "0x10", "1" * 100_000)] + [
    ("points", v) for v in ("1e400", str(2**70), "1_000", "nan")]


def _pb(**hostile) -> str:
    return PB.format(**{"budget": "100", "cost": "60", "points": "2", **hostile})


@pytest.mark.parametrize(("field", "value"), PB_ATTACKS, ids=[f"{f}={v[:12]}" for f, v in PB_ATTACKS])
def test_pb_upload_with_hostile_numbers_is_refused_whole(council_world, client_as, field, value):
    from io import BytesIO

    from django.urls import reverse

    from parsoc.web.budgeting.models import Process, Project

    upload = BytesIO(_pb(**{field: value}).encode())
    upload.name = "hostile.pb"
    response = client_as(council_world.facilitator).post(
        reverse("budgeting:import", args=["test-chapter"]), {"file": upload}, follow=True)
    assert response.status_code < 500
    text = response.content.decode()
    assert field in text or "the budget" in text or "cost" in text, text[:500]
    assert not Process.objects.exists() and not Project.objects.exists()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "parsoc.cli.main", *args], check=False, capture_output=True, text=True,
                          timeout=120)


def test_pb_readers_refuse_every_hostile_number(tmp_path):
    from parsoc.choice import parse_pabulib

    for field, value in PB_ATTACKS:
        with pytest.raises(InputError) as refused:
            parse_pabulib(_pb(**{field: value}), "f.pb")
        assert len(str(refused.value)) < 200 and "f.pb" in str(refused.value)


@pytest.mark.parametrize("value", ["1e400", "1" * 100_000, "١٢"])
def test_budget_run_cli_refuses_hostile_numbers_in_one_line(tmp_path, value):
    path = tmp_path / "hostile.pb"
    path.write_text(_pb(cost=value), encoding="utf-8")
    result = _cli("budget", "run", str(path), "--rule", "greedy")
    assert result.returncode not in (0, 1) and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cost" in lines[0] and len(lines[0]) < 300


TASKS = "task,hours,empowerment,desirability\ncook,{hours},3,4\n"
MEMBERS = "member,hours\nAna,{hours}\n"


def test_work_csv_readers_refuse_every_hostile_number(tmp_path):
    from parsoc.work import csv_io

    for value in HOSTILE_TEXT:
        tasks = tmp_path / "tasks.csv"
        if value == "12\x00":
            continue  # a CSV cell cannot hold NUL
        tasks.write_text(TASKS.format(hours=value), encoding="utf-8")
        with pytest.raises(InputError) as refused:
            csv_io.read_tasks(tasks)
        assert "line 2" in str(refused.value) and len(str(refused.value)) < 400


@pytest.mark.parametrize("value", ["1e400", str(2**70), "1" * 100_000])
def test_jobs_balance_cli_refuses_hostile_numbers_in_one_line(tmp_path, value):
    tasks, members = tmp_path / "tasks.csv", tmp_path / "members.csv"
    tasks.write_text(TASKS.format(hours="10"))
    members.write_text(MEMBERS.format(hours=value))
    result = _cli("jobs", "balance", str(tasks), str(members))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "hours" in lines[0] and len(lines[0]) < 300


# -- the largest allowed numbers never break a page ------------------------------------------------


@pytest.mark.parametrize("rule", ["equal-shares", "greedy", "phragmen"])
def test_largest_allowed_costs_render_every_page(council_world, client_as, rule):
    from django.urls import reverse

    from parsoc.web.budgeting import services
    from parsoc.web.budgeting.models import Ballot, Phase, Process, Rule

    if rule not in Rule.values():
        pytest.skip(f"no rule {rule}")
    w = council_world
    process = services.create_process(w.facilitator, w.chapter, title="Largest", budget=str(numbers.MONEY_MAX),
                                      rule=rule, ballot_kind="cumulative", points=numbers.COUNT_MAX)
    costs = [str(numbers.MONEY_MAX), "0.01", str(numbers.MONEY_MAX / 3)]
    projects = [services.propose(w.member, process, title=f"P{n}") for n in range(len(costs))]
    process.phase = Phase.REVIEW
    process.save()
    for project, cost in zip(projects, costs):
        project.refresh_from_db()
        services.review(w.facilitator, project, feasible=True, cost=cost)
    process.phase = Phase.VOTING
    process.save()
    codes = list(process.projects.values_list("code", flat=True))
    services.cast_ballot(w.member, process, choices=codes[:2], points=[numbers.COUNT_MAX - 1, 1])
    services.cast_ballot(w.facilitator, process, choices=codes, points=[1, 1, 1])
    Process.objects.filter(pk=process.pk).update(phase=Phase.RESULTS)
    assert Ballot.objects.count() == 2
    client = client_as(w.facilitator)
    slug = w.chapter.slug
    for url in (reverse("budgeting:index", args=[slug]), reverse("budgeting:detail", args=[slug, process.pk]),
                reverse("budgeting:results", args=[slug, process.pk]), reverse("budgeting:export", args=[slug, process.pk]),
                f"/api/budgeting/councils/{slug}/processes", f"/api/budgeting/processes/{process.pk}/results", f"/c/{slug}/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    # the export imports again, within the bounds
    exported = client.get(reverse("budgeting:export", args=[slug, process.pk])).content.decode()
    again = services.import_pb(w.facilitator, w.chapter, exported)
    assert again.budget == numbers.MONEY_MAX


def test_a_long_spelling_of_a_valid_share_is_stored_short(council_world, client_as):
    """``0.50000000000000000000`` is a valid quorum; it is stored as ``1/2``, not as 22 characters
    in a 16-character column (PostgreSQL would refuse the write with a 500)."""
    from parsoc.web.meetings.models import MeetingSettings

    client = client_as(council_world.facilitator, raise_request_exception=False)
    response = client.post(f"/c/{council_world.chapter.slug}/meetings/settings",
                           {"quorum": "0.50000000000000000000", "quorum_minimum": "2"})
    assert response.status_code < 500
    assert MeetingSettings.objects.get(council=council_world.chapter).quorum == "1/2"
