"""How balanced a composition is, and what stops it being better.

The report gives the workplace average, each job's average empowerment and desirability and
its deviation, the largest deviation and (for the exact solver) the proven lower bound. Then
it names the *limits* — the features of the input that keep the worst job from the average:

* **skill**: a skill only one member has (that member must do all the hours of the tasks
  needing it), or a task only one member can do;
* **indivisible**: a task that cannot be split and makes up a large share of a worst-balanced
  job, with how far its ratings lie from the average;
* **relaxation**: what the linear relaxation (every task divisible without limit) could reach.
  If it is far below the result, the tasks that cannot be split and the unit are what stop a
  better balance; if it is itself above the tolerance, the skills are, and the skills whose
  removal would lower it are named (up to ``MAX_SKILL_PROBES`` rare skills are probed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from parsoc.work.job_complexes import JobComplexes
from parsoc.work.problem import Problem

MAX_SKILL_PROBES = 8
RELAXATION_LIMIT = 100_000  # member × task pairs up to which linear relaxations are solved
WORST_SHARE = 0.9  # jobs within 90% of the largest deviation count as worst-balanced
RATING_NAMES = ("empowerment", "desirability")


@dataclass(frozen=True)
class Limit:
    kind: str  # "skill", "indivisible", "relaxation", "balanced", "unproven"
    message: str


def limits(jc: JobComplexes, tolerance: float | None = None) -> list[Limit]:
    """The named limits of a composition (see the module docstring)."""
    from parsoc.work.composer import default_gap, solve_relaxation

    p = jc.problem
    tol = tolerance if tolerance is not None else (jc.gap or default_gap(p))
    found: list[Limit] = []
    worst_value = jc.largest_deviation
    if worst_value <= tol:
        found.append(Limit("balanced", f"every job is within {worst_value:.3f} of the workplace average — within the tolerance {tol:.3f}"))
    if jc.method == "exact" and not jc.optimal:
        found.append(Limit("unproven", f"not proven optimal in the time given: the best possible is at least {jc.bound:.3f}"))
    found += _skill_limits(p, jc)
    relaxed = None
    if worst_value > tol and len(p.members) * len(p.tasks) <= RELAXATION_LIMIT:
        relaxed = solve_relaxation(p)
    if relaxed is None or worst_value - relaxed > tol:
        found += _indivisible_limits(p, jc, worst_value, tol)
    if relaxed is not None:
        found += _relaxation_limits(p, worst_value, relaxed, tol, solve_relaxation)
    return found


def _skill_limits(p: Problem, jc: JobComplexes) -> list[Limit]:
    out = []
    skills = sorted(set().union(*(t.skills for t in p.tasks)))
    for s in skills:
        holders = [m for m in p.members if s in m.skills]
        if len(holders) == 1:
            needing = [t for t in p.tasks if s in t.skills]
            hours = sum(t.hours for t in needing)
            out.append(Limit("skill", (
                f"skill {s!r} is held only by {holders[0].name!r}, who must do all {hours:g} h of the "
                f"tasks needing it ({', '.join(t.name for t in needing[:4])}{'…' if len(needing) > 4 else ''})"
            )))
    for j in np.flatnonzero(p.eligible.sum(axis=0) == 1):
        t = p.tasks[j]
        if any(len([m for m in p.members if s in m.skills]) == 1 for s in t.skills):
            continue  # already named through its skill
        who = p.members[int(np.flatnonzero(p.eligible[:, j])[0])].name
        out.append(Limit("skill", f"only {who!r} has all the skills task {t.name!r} needs ({t.hours:g} h)"))
    return out


def _indivisible_limits(p: Problem, jc: JobComplexes, worst_value: float, tol: float) -> list[Limit]:
    if worst_value <= tol:
        return []
    out = []
    devs = jc.deviations
    for i in np.flatnonzero(devs >= WORST_SHARE * worst_value):
        m = p.members[i]
        for j in np.flatnonzero((jc.hours[i] > 0) & ~p.splittable):
            t = p.tasks[j]
            share = jc.hours[i, j] / m.hours
            r = int(np.argmax(np.abs(p.offsets[j])))
            off = p.offsets[j, r]
            if share * abs(off) < 0.25 * devs[i]:
                continue
            out.append(Limit("indivisible", (
                f"task {t.name!r} ({t.hours:g} h, cannot be split) is {share:.0%} of the job of {m.name!r}, and "
                f"rated {abs(off):.2f} {'above' if off > 0 else 'below'} the average {RATING_NAMES[r]}"
            )))
    return out


def _relaxation_limits(p: Problem, worst_value: float, relaxed: float, tol: float, solve_relaxation) -> list[Limit]:
    out = []
    if worst_value - relaxed > tol:
        out.append(Limit("relaxation", (
            f"with every task divisible without limit the worst job could be within {relaxed:.3f}; "
            f"tasks that cannot be split and the unit of {p.unit:g} h keep it at {worst_value:.3f}"
        )))
    if relaxed > tol:
        out.append(Limit("relaxation", f"even with every task divisible the worst job is at least {relaxed:.3f} off: skills restrict it"))
        held = {s: sum(s in m.skills for m in p.members) for s in set().union(*(t.skills for t in p.tasks))}
        for s in sorted(held, key=lambda s: (held[s], s))[:MAX_SKILL_PROBES]:
            members = [replace(m, skills=m.skills | {s}) for m in p.members]
            probe = Problem.build(p.tasks, members, p.unit, average=p.average)
            value = solve_relaxation(probe)
            if value is not None and relaxed - value > tol:
                out.append(Limit("skill", (
                    f"if more members had skill {s!r} (now {held[s]}), the worst job could come within {value:.3f} instead of {relaxed:.3f}"
                )))
    return out


def balance_report(jc: JobComplexes, tolerance: float | None = None) -> dict[str, Any]:
    """The composition as plain data, with its limits."""
    report = jc.to_dict()
    report["limits"] = [{"kind": limit.kind, "message": limit.message} for limit in limits(jc, tolerance)]
    return report
