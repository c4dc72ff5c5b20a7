"""Why a set of tasks cannot be composed into jobs for a set of members.

Composition is refused, never half-done. The checks run before any solver, cheapest first,
and each names the tasks, members or skills at fault:

1. hours: the task-hours must equal the members' hours (each member works exactly the hours
   they said; more task-hours than member-hours cannot be covered, fewer would leave members
   idle);
2. skills nobody has: a task needs a skill no member has, or no single member has all of
   its skills;
3. skill capacity (Hall's condition on each group of qualified members): the tasks that only
   a group of members can do need more hours than that group works;
4. a member who can do fewer hours of listed tasks than they work;
5. a task that cannot be split and is bigger than the job of everyone who could do it.

When all of these pass and a solver still finds no assignment, the hours cannot be packed
exactly (tasks that cannot be split, and the unit splittable tasks are cut into, do not add
up to members' hours); :func:`packing_reason` says so with the tasks concerned.
"""

from __future__ import annotations

import numpy as np

from parsoc.errors import InputError
from parsoc.work.problem import Problem
from parsoc.work.tasks import units_in


def _names(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(repr(s) for s in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def infeasibility_reasons(p: Problem) -> list[str]:
    """Every reason found why no valid composition exists (empty when none is found)."""
    reasons: list[str] = []
    task_total, member_total = p.task_hours.sum(), p.member_hours.sum()
    if task_total > member_total + 1e-6:
        reasons.append(
            f"the tasks need {task_total:g} hours a week but the members work only "
            f"{member_total:g}: {task_total - member_total:g} task-hours would be left uncovered"
        )
    elif member_total > task_total + 1e-6:
        reasons.append(
            f"the members work {member_total:g} hours a week but the tasks need only "
            f"{task_total:g}: list {member_total - task_total:g} more task-hours or lower members' hours"
        )
    held = set().union(*(m.skills for m in p.members))
    for j, t in enumerate(p.tasks):
        if p.eligible[:, j].any():
            continue
        missing = sorted(t.skills - held)
        if missing:
            reasons.append(f"task {t.name!r} needs skill {_names(missing)} that no member has")
        else:
            reasons.append(f"task {t.name!r} needs skills {_names(sorted(t.skills))} that no single member has together")
    reasons += _skill_capacity(p)
    for i, m in enumerate(p.members):
        can_do = p.task_hours[p.eligible[i]].sum()
        if can_do < m.hours - 1e-6:
            reasons.append(f"member {m.name!r} works {m.hours:g} hours but has the skills for only {can_do:g} hours of tasks")
    for j, t in enumerate(p.tasks):
        who = np.flatnonzero(p.eligible[:, j])
        if not t.splittable and len(who) and (p.member_hours[who] < t.hours - 1e-6).all():
            reasons.append(
                f"task {t.name!r} ({t.hours:g} h) cannot be split and is bigger than the job of "
                f"everyone who can do it (at most {p.member_hours[who].max():g} h)"
            )
    return reasons


def _skill_capacity(p: Problem) -> list[str]:
    """Hall's condition for each distinct group of members qualified for some task."""
    reasons = []
    groups = {tuple(np.flatnonzero(col)) for col in p.eligible.T if col.any()}
    for group in sorted(groups, key=len):
        inside = np.zeros(len(p.members), dtype=bool)
        inside[list(group)] = True
        only_them = ~(p.eligible & ~inside[:, None]).any(axis=0) & p.eligible.any(axis=0)
        need, have = p.task_hours[only_them].sum(), p.member_hours[inside].sum()
        if need > have + 1e-6 and len(group) < len(p.members):
            tasks = [p.tasks[j].name for j in np.flatnonzero(only_them)]
            people = [p.members[i].name for i in group]
            reasons.append(
                f"only {_names(people)} can do {_names(tasks)}: {need:g} hours a week, "
                f"but they work {have:g}"
            )
    return reasons


def packing_reason(p: Problem) -> str:
    """The reason when the checks pass but no exact packing of the hours exists."""
    whole = [f"{t.name} {t.hours:g} h" for t in p.tasks if not t.splittable]
    odd = [m.name for m in p.members if units_in(m.hours, p.unit) is None]
    text = "the hours cannot be packed exactly into members' jobs"
    if whole:
        text += f": tasks that cannot be split ({_names(whole)})"
        text += " and pieces of splittable tasks" if p.splittable.any() else ""
        text += f" (whole multiples of {p.unit:g} h) do not add up to every member's hours"
    elif odd:
        text += f": members' hours of {_names(odd)} are not whole multiples of the unit {p.unit:g} h"
    return text + " — allow splitting, change hours, or change the unit"


def refuse_if_infeasible(p: Problem) -> None:
    """Raise :class:`InputError` naming every reason found why no composition exists."""
    reasons = infeasibility_reasons(p)
    if reasons:
        raise InputError("cannot compose job complexes: " + "; ".join(reasons))
