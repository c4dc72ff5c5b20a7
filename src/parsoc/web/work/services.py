"""Work actions for pages and API alike: permission, core checks, one transaction."""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone

from parsoc.errors import InputError
from parsoc.numbers import parse_float, shown
from parsoc.web.councils.services import require
from parsoc.web.work.models import Composition, TaskRating, Worker, WorkTask
from parsoc.work.rating_rounds import Rating, RatingRound, aggregate
from parsoc.work.tasks import Member, Task

SCALE = (1.0, 10.0)


def _skills(text: str) -> frozenset[str]:
    return frozenset(s.strip() for s in (text or "").split(";") if s.strip())


def _number(value, field: str, low: float = 0.0, high: float = math.inf, strict_low: bool = True) -> float:
    try:
        number = parse_float(value, field, low=None, high=None)
    except InputError:
        raise InputError(f"{field}: {shown(value)} is not a number", field=field) from None
    if number < low or (strict_low and number == low) or number > high:
        raise InputError(f"{field}: {number:g} is out of range", field=field)
    return number


def add_task(user, council, *, name: str, hours, skills: str = "", splittable: bool = True) -> WorkTask:
    require(user, "work.manage", council, "only facilitators list the council's tasks")
    name = (name or "").strip()
    if not name:
        raise InputError("name: a task needs a name", field="name")
    hours = _number(hours, "hours", 0, 168)
    if council.work_tasks.filter(name=name).exists():
        raise InputError(f"name: there is already a task {name!r}", field="name")
    Task(name, hours, 0, 0, _skills(skills), splittable)
    return WorkTask.objects.create(council=council, name=name, hours=hours, skills=skills.strip(), splittable=splittable)


def set_hours(user, council, *, hours, skills: str = "") -> Worker:
    require(user, "work.rate", council, "only members give their hours")
    hours = _number(hours, "hours", 0, 168)
    worker, _ = Worker.objects.update_or_create(council=council, user=user, defaults={"hours": hours, "skills": skills.strip()})
    return worker


def rating_round(council):
    from parsoc.web.work.models import RatingRoundSettings

    return RatingRoundSettings.objects.filter(council=council).first() or RatingRoundSettings(council=council)


def set_rating_round(user, council, *, deadline, disagreement=0.2):
    """Open (or re-open) the council's rating round until ``deadline`` (None: no deadline)."""
    from parsoc.web.work.models import RatingRoundSettings

    require(user, "work.manage", council, "only facilitators set the rating round")
    disagreement = _number(disagreement, "disagreement", 0, 1)
    if deadline is not None and timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    settings_, _ = RatingRoundSettings.objects.update_or_create(
        council=council, defaults={"deadline": deadline, "disagreement": disagreement})
    return settings_


def rate(user, council, ratings: dict[int, tuple]) -> int:
    """Record the user's ratings {task id: (empowerment, desirability)} on the 1–10 scale."""
    require(user, "work.rate", council, "only members rate the council's tasks")
    deadline = rating_round(council).deadline
    if deadline is not None and timezone.now() > deadline:
        raise InputError(f"the rating round closed at {timezone.localtime(deadline):%Y-%m-%d %H:%M}")
    tasks = {t.pk: t for t in council.work_tasks.all()}
    checked = {}
    for task_id, (e, d) in ratings.items():
        if task_id not in tasks:
            raise InputError(f"task {task_id} is not a task of this council")
        name = tasks[task_id].name
        checked[task_id] = (_number(e, f"{name} empowerment", *SCALE, strict_low=False),
                            _number(d, f"{name} desirability", *SCALE, strict_low=False))
    with transaction.atomic():
        for task_id, (e, d) in checked.items():
            TaskRating.objects.update_or_create(task=tasks[task_id], rater=user, defaults={"empowerment": e, "desirability": d})
    return len(checked)


def round_result(council):
    tasks = list(council.work_tasks.all())
    raters = sorted({r.rater_id for t in tasks for r in t.ratings.all()})
    settings_ = rating_round(council)
    rnd = RatingRound(tuple(t.name for t in tasks), tuple(map(str, raters)), scale=SCALE,
                      deadline=settings_.deadline, disagreement=settings_.disagreement)
    ratings = [Rating(str(r.rater_id), t.name, r.empowerment, r.desirability, r.submitted_at)
               for t in tasks for r in t.ratings.all()]
    return aggregate(rnd, ratings)


def compose(user, council, *, time_limit: float = 20.0) -> Composition:
    from parsoc.work.balance_report import balance_report
    from parsoc.work.composer import compose_jobs

    require(user, "work.manage", council, "only facilitators compose the jobs")
    specs = [Task(t.name, t.hours, 0, 0, _skills(t.skills), t.splittable) for t in council.work_tasks.all()]
    if not specs:
        raise InputError("list the council's tasks first")
    tasks = round_result(council).rated_tasks(specs)
    workers = list(council.workers.select_related("user").order_by("user__display_name"))
    members = [Member(w.user.display_name or w.user.email, w.hours, _skills(w.skills)) for w in workers]
    if not members:
        raise InputError("no member has given their hours yet")
    previous = council.compositions.first()
    past = {j["member"]: j["tasks"] for j in previous.report["jobs"]} if previous else None
    report = balance_report(compose_jobs(tasks, members, previous=past, time_limit=time_limit))
    return Composition.objects.create(council=council, created_by=user, report=report)


def effort_settings(council):
    from parsoc.web.work.models import EffortSettings

    return EffortSettings.objects.filter(council=council).first() or EffortSettings(council=council)


def set_effort_scheme(user, council, *, scheme: str, cap, point_value):
    from parsoc.web.work.models import EffortSettings
    from parsoc.work.effort import EffortScheme

    require(user, "work.manage", council, "only facilitators choose how effort is rated")
    cap = _number(cap, "cap", 0, 10)
    point_value = _number(point_value, "value of an effort point", 0, 1e9, strict_low=False)
    EffortScheme(scheme, cap=cap)  # checks the scheme's name
    settings_, _ = EffortSettings.objects.update_or_create(
        council=council, defaults={"scheme": scheme, "cap": cap, "point_value": point_value})
    return settings_


def rate_effort(user, council, ratings: dict[int, str]) -> int:
    """Record the user's effort ratings {member user id: intensity or category} of co-workers."""
    from parsoc.web.work.models import EffortRatingRecord
    from parsoc.work.effort import EffortScheme, rating_factor

    require(user, "work.rate", council, "only members rate their co-workers' effort")
    current = effort_settings(council)
    scheme = EffortScheme(current.scheme, cap=current.cap)
    if scheme.kind == "hours":
        raise InputError("this council pays by hours only: there is nothing to rate")
    workers = {w.user_id: w for w in council.workers.select_related("user")}
    checked = {}
    for ratee, value in ratings.items():
        if ratee not in workers:
            raise InputError(f"member {ratee} has not given hours in this council")
        if ratee == user.pk:
            raise InputError("you do not rate your own effort")
        try:
            rating_factor(scheme, str(value).strip())
        except InputError as error:
            raise InputError(f"{workers[ratee].user.display_name}: {error}") from None
        checked[ratee] = str(value).strip()
    with transaction.atomic():
        for ratee, value in checked.items():
            EffortRatingRecord.objects.update_or_create(council=council, rater=user, ratee_id=ratee, defaults={"value": value})
    return len(checked)


def council_entitlements(council):
    """Each member's effort points and income (``parsoc.work.effort``), from the hours they
    gave and their co-workers' ratings, under the council's scheme and cap."""
    from parsoc.work.effort import EffortRating, EffortScheme, effort_points, entitlements

    current = effort_settings(council)
    scheme = EffortScheme(current.scheme, cap=current.cap)
    workers = list(council.workers.select_related("user").order_by("user__display_name"))
    names = {w.user_id: w.user.display_name or w.user.email for w in workers}
    ratings = [
        EffortRating(names[r.rater_id], names[r.ratee_id], r.value)
        for r in council.effort_ratings.all()
        if r.rater_id in names and r.ratee_id in names
    ]
    efforts = effort_points(scheme, {names[w.user_id]: w.hours for w in workers}, ratings)
    return efforts, entitlements(council.slug, efforts, current.point_value)


def federation(user, council):
    """Compare the average job complexes of ``council``'s member councils (its children with
    rated tasks that ``user`` may see) and suggest outside tasks for those below the
    federation average."""
    from parsoc.work.federation import Workplace, compare_workplaces, suggest_outside_tasks

    workplaces = []
    for child in council.children.visible_to(user).order_by("name"):
        specs = [Task(t.name, t.hours, 0, 0, _skills(t.skills), t.splittable) for t in child.work_tasks.all()]
        if not specs:
            continue
        try:
            tasks = round_result(child).rated_tasks(specs)
        except InputError:
            continue  # a council still rating its tasks is left out of the comparison
        members = [Member(w.user.display_name or w.user.email, w.hours, _skills(w.skills))
                   for w in child.workers.select_related("user")]
        workplaces.append(Workplace(child.name, tasks, members))
    if not workplaces:
        return None, [], []
    average, rows = compare_workplaces(workplaces)
    return average, rows, suggest_outside_tasks(workplaces)
