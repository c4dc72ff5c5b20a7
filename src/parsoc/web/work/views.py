"""Work pages: one page per council (tasks, ratings, hours, composition), and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parsoc.errors import InputError
from parsoc.numbers import parse_id
from parsoc.web.councils.views import visible_council
from parsoc.web.work import services


def page(request: HttpRequest, slug: str, status: int = 200) -> HttpResponse:
    council = visible_council(request, slug)
    user = request.user
    tasks = list(council.work_tasks.prefetch_related("ratings"))
    result = services.round_result(council)
    mine = {}
    if user.is_authenticated:
        mine = {r.task_id: r for t in tasks for r in t.ratings.all() if r.rater_id == user.pk}
    rows = [
        {"task": t, "rating": r, "mine": mine.get(t.pk)} for t, r in zip(tasks, result.tasks, strict=False)
    ]
    composition = council.compositions.first()
    worker = council.workers.filter(user=user).first() if user.is_authenticated else None
    context = {
        "council": council,
        "rows": rows,
        "composition": composition,
        "chart": _chart(composition.report) if composition else None,
        "worker": worker,
        "workers": council.workers.select_related("user").order_by("user__display_name"),
        "can_rate": user.has_perm("work.rate", council),
        "can_manage": user.has_perm("work.manage", council),
        "round": services.rating_round(council),
    }
    return render(request, "work/page.html", context, status=status)


def _chart(report: dict) -> list[dict]:
    """Bars on the 1–10 scale as percentages, with the workplace average marked."""
    avg = report["workplace_average"]

    def pct(v):
        return max(0.0, min(100.0, (v - 1) / 9 * 100))

    return [
        {
            "member": j["member"],
            "e": j["empowerment"], "d": j["desirability"],
            "e_pct": pct(j["empowerment"]), "d_pct": pct(j["desirability"]),
            "avg_e_pct": pct(avg["empowerment"]), "avg_d_pct": pct(avg["desirability"]),
        }
        for j in report["jobs"]
    ]


def _act(request, slug, action, show=None, back: str = "work:page") -> HttpResponse:
    """Run ``action(council)``: its message and a redirect to ``back``, or the page ``show``
    again with the error and status 400."""
    council = visible_council(request, slug)
    try:
        text = action(council)
    except InputError as error:
        messages.error(request, str(error))
        return (show or page)(request, slug, status=400)
    messages.success(request, text)
    return redirect(back, slug)


@require_POST
def add_task(request: HttpRequest, slug: str) -> HttpResponse:
    p = request.POST
    return _act(request, slug, lambda c: (
        services.add_task(request.user, c, name=p.get("name", ""), hours=p.get("hours"),
                          skills=p.get("skills", ""), splittable=p.get("splittable") == "on"),
        f"Task {p.get('name', '').strip()!r} added.")[1])


@require_POST
def set_round(request: HttpRequest, slug: str) -> HttpResponse:
    from datetime import datetime

    p = request.POST
    text = p.get("deadline", "").strip()
    try:
        deadline = datetime.fromisoformat(text) if text else None
    except ValueError:
        deadline = "bad"

    def action(council):
        if deadline == "bad":
            raise InputError(f"deadline: {text!r} is not a date and time", field="deadline")
        services.set_rating_round(request.user, council, deadline=deadline, disagreement=p.get("disagreement", "0.2"))
        return "Rating round saved."

    return _act(request, slug, action)


@require_POST
def set_hours(request: HttpRequest, slug: str) -> HttpResponse:
    p = request.POST
    return _act(request, slug, lambda c: (
        services.set_hours(request.user, c, hours=p.get("hours"), skills=p.get("skills", "")), "Your hours are saved.")[1])


@require_POST
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    def action(council):
        ratings = {}
        for task in council.work_tasks.all():
            e, d = request.POST.get(f"e{task.pk}", ""), request.POST.get(f"d{task.pk}", "")
            if e or d:
                ratings[task.pk] = (e, d)
        count = services.rate(request.user, council, ratings)
        return f"{count} ratings saved."

    return _act(request, slug, action)


@require_POST
def compose(request: HttpRequest, slug: str) -> HttpResponse:
    def action(council):
        composition = services.compose(request.user, council)
        return f"Jobs composed: largest deviation {composition.report['largest_deviation']:.3f}."

    return _act(request, slug, action)


def _deny_anonymous_posts(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise PermissionDenied("log in first")
        return view(request, *args, **kwargs)

    return wrapper


add_task, set_hours, rate, compose, set_round = map(_deny_anonymous_posts, (add_task, set_hours, rate, compose, set_round))
# Composing runs the solver for up to 20 s: it is not held in a request-wide transaction (on
# SQLite that would hold the write lock); services.compose writes its one row at the end.
compose = transaction.non_atomic_requests(compose)


def effort_page(request: HttpRequest, slug: str, status: int = 200) -> HttpResponse:
    council = visible_council(request, slug)
    user = request.user
    current = services.effort_settings(council)
    can_see = user.has_perm("work.view_entitlements", council)
    efforts, incomes = services.council_entitlements(council) if can_see else ([], [])
    mine = {}
    if user.is_authenticated:
        mine = {r.ratee_id: r.value for r in council.effort_ratings.filter(rater=user)}
    coworkers = [
        {"worker": w, "mine": mine.get(w.user_id, "")}
        for w in council.workers.select_related("user").order_by("user__display_name")
        if not user.is_authenticated or w.user_id != user.pk
    ]
    from parsoc.work.effort import DEFAULT_CATEGORIES, SCHEMES

    context = {
        "council": council, "settings": current, "schemes": SCHEMES, "categories": DEFAULT_CATEGORIES,
        "rows": list(zip(efforts, incomes, strict=False)), "coworkers": coworkers, "can_see": can_see,
        "can_rate": user.has_perm("work.rate", council) and current.scheme != "hours",
        "can_manage": user.has_perm("work.manage", council),
    }
    return render(request, "work/effort.html", context, status=status)


def _act_effort(request, slug, action) -> HttpResponse:
    return _act(request, slug, action, show=effort_page, back="work:effort")


@require_POST
def effort_scheme(request: HttpRequest, slug: str) -> HttpResponse:
    p = request.POST
    return _act_effort(request, slug, lambda c: (
        services.set_effort_scheme(request.user, c, scheme=p.get("scheme", ""), cap=p.get("cap"),
                                   point_value=p.get("point_value")), "Effort scheme saved.")[1])


@require_POST
def rate_effort(request: HttpRequest, slug: str) -> HttpResponse:
    def action(council):
        ratings = {}
        for key, value in request.POST.items():
            if key.startswith("effort") and value.strip():
                ratings[parse_id(key[6:], key)] = value
        return f"{services.rate_effort(request.user, council, ratings)} effort ratings saved."

    return _act_effort(request, slug, action)


effort_scheme, rate_effort = map(_deny_anonymous_posts, (effort_scheme, rate_effort))


def federation_page(request: HttpRequest, slug: str) -> HttpResponse:
    council = visible_council(request, slug)
    average, rows, suggestions = services.federation(request.user, council)
    return render(request, "work/federation.html", {
        "council": council, "average": average, "rows": rows, "suggestions": suggestions,
    })
