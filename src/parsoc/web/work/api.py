"""Work endpoints: the same services and permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from ninja import Router, Schema

from parsoc.errors import InputError
from parsoc.web.api import login_required
from parsoc.web.core.api_errors import with_errors
from parsoc.web.core.numbers import Hours, Rating
from parsoc.web.core.shortcuts import get_visible_or_404
from parsoc.web.councils.models import Council
from parsoc.web.work import services

router = Router(tags=["work"])


class TaskIn(Schema):
    name: str
    hours: Hours
    skills: str = ""
    splittable: bool = True


class RatingIn(Schema):
    task: str
    empowerment: Rating
    desirability: Rating


def _council(request, slug):
    return get_visible_or_404(request.auth, Council, "work.view", slug=slug)


class TaskOut(Schema):
    name: str
    hours: float


class SavedOut(Schema):
    saved: int


@router.get("/{slug}", response=with_errors({200: dict[str, Any]}))
def work_of(request, slug: str):
    council = _council(request, slug)
    result = services.round_result(council)
    composition = council.compositions.first()
    return {
        "tasks": [
            {"name": t.name, "hours": t.hours, "skills": t.skills, "splittable": t.splittable,
             "empowerment": r.empowerment.mean if r.empowerment.count else None,
             "desirability": r.desirability.mean if r.desirability.count else None,
             "ratings": r.empowerment.count, "flagged": r.flagged, "reasons": r.reasons}
            for t, r in zip(council.work_tasks.all(), result.tasks, strict=False)
        ],
        "composition": composition.report if composition else None,
    }


@router.post("/{slug}/tasks", response=with_errors({200: TaskOut}))
def add_task(request, slug: str, payload: TaskIn):
    user = login_required(request)
    return services.add_task(user, _council(request, slug), **payload.dict())


@router.post("/{slug}/ratings", response=with_errors({200: SavedOut}))
def rate(request, slug: str, payload: list[RatingIn]):
    user = login_required(request)
    council = _council(request, slug)
    ids = dict(council.work_tasks.values_list("name", "pk"))
    unknown = [r.task for r in payload if r.task not in ids]
    if unknown:
        raise InputError(f"no task {unknown[0]!r} in this council", field="task")
    return {"saved": services.rate(user, council, {ids[r.task]: (r.empowerment, r.desirability) for r in payload})}


@router.post("/{slug}/compose", response=with_errors({200: dict[str, Any]}))
@transaction.non_atomic_requests  # the solver runs for seconds: no request-wide transaction (see views.compose)
def compose(request, slug: str):
    user = login_required(request)
    return services.compose(user, _council(request, slug)).report


@router.get("/{slug}/entitlements", response=with_errors({200: list[dict[str, Any]]}))
def council_entitlements(request, slug: str):
    """Each member's income from effort, for the consumer councils: [{member, council, income}]."""
    from django.core.exceptions import PermissionDenied

    from parsoc.work.effort import income_table

    user = login_required(request)
    council = _council(request, slug)
    if not user.has_perm("work.view_entitlements", council):
        raise PermissionDenied("only the council's members see its entitlements")
    _, rows = services.council_entitlements(council)
    return income_table(rows)


@router.get("/{slug}/federation", response=with_errors({200: dict[str, Any]}))
def federation(request, slug: str):
    """The member councils' average job complexes against the federation's, with suggestions."""
    average, rows, suggestions = services.federation(request.auth, _council(request, slug))
    return {
        "average": None if average is None else {"empowerment": float(average[0]), "desirability": float(average[1])},
        "councils": [r.__dict__ for r in rows],
        "suggestions": [s.__dict__ for s in suggestions],
    }
