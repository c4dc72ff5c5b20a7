"""Demo data for work: the Winnipeg worker council's tasks, hours, ratings and first jobs."""

from __future__ import annotations

TASKS = [  # name, hours, skills, splittable, (empowerment, desirability) per rater offset
    ("bookkeeping", 8, "accounts", False, (8, 5)),
    ("ordering stock", 6, "", True, (7, 6)),
    ("shelving", 10, "", True, (3, 4)),
    ("till", 12, "", True, (3, 5)),
    ("barista", 14, "coffee", True, (4, 7)),
    ("cleaning", 6, "", True, (2, 2)),
    ("events", 4, "", False, (8, 9)),
]
HOURS = [(20, "accounts;coffee"), (16, "coffee"), (12, ""), (12, "coffee"), (10, "")]


def load_work_demo() -> None:
    """Idempotent: only fills the worker council when it has no tasks yet."""
    from parsoc.web.councils.models import Council
    from parsoc.web.work import services
    from parsoc.web.work.models import TaskRating, Worker, WorkTask

    council = Council.objects.filter(slug="demo-winnipeg-coop").first()
    if council is None or council.work_tasks.exists():
        return
    people = [m.user for m in council.memberships.select_related("user").order_by("joined_at", "pk")][: len(HOURS)]
    if not people:
        return
    tasks = [WorkTask.objects.create(council=council, name=n, hours=h, skills=s, splittable=sp) for n, h, s, sp, _ in TASKS]
    total = sum(h for _, h, _, _, _ in TASKS)
    weights = [h for h, _ in HOURS[: len(people)]]
    hours = [round(w * total / sum(weights) * 2) / 2 for w in weights]
    hours[-1] += total - sum(hours)  # the task-hours and the members' hours must agree
    for person, h, (_, skills) in zip(people, hours, HOURS, strict=False):
        Worker.objects.create(council=council, user=person, hours=h, skills=skills)
        for k, task in enumerate(tasks):
            e, d = TASKS[k][4]
            shift = (person.pk + k) % 3 - 1  # opinions differ a little
            TaskRating.objects.create(task=task, rater=person, empowerment=min(10, max(1, e + shift)), desirability=d)
    facilitator = council.facilitators().select_related("user").first()
    if facilitator is not None:
        services.compose(facilitator.user, council, time_limit=10)


def load(world) -> None:
    """The app's demo loader, as its declaration names it (world: parsoc.web.demo.DemoWorld)."""
    load_work_demo()
