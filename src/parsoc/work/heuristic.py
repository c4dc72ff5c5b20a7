"""The heuristic composer for workplaces beyond the exact solver's range.

Start from the greedy composition (or from last period's jobs, when they are still a valid
composition), then improve it by *exchanges*: the member whose job is worst balanced gives
``q`` hours of one of their tasks to another member and takes ``q`` hours of one of that
member's tasks in return. Hours, coverage and skills stay valid by construction: ``q`` is a
whole number of units of splittable tasks (1, 2, 4, 8 or 16 units) or the whole of a task
that cannot be split, exchanged only for an equal amount. An exchange is made when both
jobs end up better balanced than the worst job was; the best such exchange is taken each
step. The search stops when no exchange improves the worst job.

Then *re-balancing by small exact problems* (large-neighbourhood search): take the worst job
and a few jobs whose imbalance points the other way (plus one at random), pool the task-hours
those members hold, and let the exact solver re-divide the pool among them against the
whole workplace's average. Every re-division keeps the composition valid and is kept only when
the worst of those jobs gets better; it repeats until the time limit or until a round finds
nothing to improve.

Large workplaces (from ``2 * PART_SIZE`` members) start instead from a composition *by parts*:
members are dealt into parts of about 50 with a similar mix of skills, every task's hours are
shared out among the parts in proportion to their hours, and each part is composed on its own
(against the whole workplace's average) before exchanges run on the whole.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from parsoc.errors import InputError
from parsoc.work.feasibility import infeasibility_reasons, refuse_if_infeasible
from parsoc.work.greedy import compose_greedy
from parsoc.work.job_complexes import JobComplexes, hours_changed, violations
from parsoc.work.problem import Problem
from parsoc.work.tasks import DEFAULT_UNIT, Member, Task, units_in

STEP_SIZES = (1, 2, 4, 8, 16)


def improve(p: Problem, hours: np.ndarray, deadline: float, max_steps: int = 1_000_000) -> np.ndarray:
    """Exchange pieces between jobs while the worst-balanced job gets better."""
    x = hours.copy()
    imbalance = x @ p.offsets
    H = p.member_hours
    whole_units = np.array([units_in(h, p.unit) is not None for h in p.task_hours])
    for _ in range(max_steps):
        if time.perf_counter() > deadline:
            break
        dev = np.abs(imbalance).max(axis=1) / H
        m = int(np.argmax(dev))
        move = _best_exchange(p, x, imbalance, m, dev[m], whole_units)
        if move is None:
            break
        n, a, b, q = move
        x[m, a] -= q
        x[n, a] += q
        x[n, b] -= q
        x[m, b] += q
        delta = q * (p.offsets[b] - p.offsets[a])
        imbalance[m] += delta
        imbalance[n] -= delta
    x[np.abs(x) < 1e-9] = 0.0
    return x


def _best_exchange(p, x, imbalance, m, worst, whole_units):
    held_n, held_b = np.nonzero(x > 1e-9)
    others = held_n != m
    held_n, held_b = held_n[others], held_b[others]
    amount = x[held_n, held_b]
    takes_b = p.eligible[m, held_b]
    best, best_value = None, worst - 1e-12
    H = p.member_hours
    for a in np.flatnonzero(x[m] > 1e-9):
        if p.splittable[a]:
            sizes = [k * p.unit for k in STEP_SIZES if k * p.unit <= x[m, a] + 1e-9]
        else:
            sizes = [p.task_hours[a]]
        base = takes_b & p.eligible[held_n, a] & (held_b != a)
        for q in sizes:
            ok_split = p.splittable[held_b] & (amount >= q - 1e-9) & (units_in(q, p.unit) is not None)
            ok_whole = ~p.splittable[held_b] & (np.abs(amount - q) < 1e-9)
            valid = base & (ok_split | ok_whole)
            if not valid.any():
                continue
            n, b = held_n[valid], held_b[valid]
            delta = q * (p.offsets[b] - p.offsets[a])
            dm = np.abs(imbalance[m] + delta).max(axis=1) / H[m]
            dn = np.abs(imbalance[n] - delta).max(axis=1) / H[n]
            value = np.maximum(dm, dn)
            k = int(np.argmin(value))
            if value[k] < best_value:
                best_value, best = value[k], (int(n[k]), int(a), int(b[k]), float(q))
    return best


NEIGHBOURS = 3
"""How many other jobs are re-divided together with the worst one."""


def rebalance(
    p: Problem, hours: np.ndarray, deadline: float, seed: int = 0, good_enough: float = 0.0
) -> np.ndarray:
    """Re-divide the pooled hours of the worst job and a few complementary jobs exactly."""
    from parsoc.work.composer import solve_milp

    rng = np.random.default_rng(seed)
    x = hours.copy()
    M = len(p.members)
    failures = 0
    while time.perf_counter() < deadline - 0.05 and failures < 2 * M and M > 1:
        imbalance = x @ p.offsets
        dev = np.abs(imbalance).max(axis=1) / p.member_hours
        if dev.max() <= good_enough:
            break
        order = np.argsort(-dev)
        worst = int(order[min(failures, M - 1)]) if failures else int(order[0])
        direction = imbalance[worst] / (np.linalg.norm(imbalance[worst]) or 1.0)
        scores = (imbalance / p.member_hours[:, None]) @ direction
        scores[worst] = np.inf
        group = list(np.argsort(scores)[: min(NEIGHBOURS - 1, M - 1)])
        rest = [i for i in range(M) if i != worst and i not in group]
        if rest:
            group.append(int(rng.choice(rest)))
        group = np.array(sorted({worst, *map(int, group)}))
        pool = x[group].sum(axis=0)
        cols = np.flatnonzero(pool > 1e-9)
        sub_tasks = [replace(p.tasks[j], hours=float(pool[j])) for j in cols]
        sub = Problem.build(sub_tasks, [p.members[i] for i in group], p.unit, average=p.average)
        current = x[np.ix_(group, cols)]
        before = float(sub.deviations(current).max())
        limit = min(1.0, deadline - time.perf_counter())
        if limit <= 0.05:
            break
        found, _, _, _ = solve_milp(sub, time_limit=limit, gap=1e-6, start=current, threads=1)
        if found is not None and sub.deviations(found).max() < before - 1e-9:
            x[np.ix_(group, cols)] = found
            failures = 0
        else:
            failures += 1
    return x


PART_SIZE = 50
"""Members per part when a large workplace is composed part by part."""


def compose_by_parts(p: Problem, deadline: float) -> np.ndarray | None:
    """Divide a large workplace into parts of about ``PART_SIZE`` members, share the task-hours
    out among the parts in proportion to their hours (see :func:`_share_out`), then compose each part's jobs with the exchange and re-balancing
    heuristic. ``None`` if some part cannot be composed (the caller falls back)."""

    M = len(p.members)
    k = max(2, int(round(M / PART_SIZE)))
    order = sorted(range(M), key=lambda i: (sorted(p.members[i].skills), p.member_hours[i], i))
    parts = [np.array(sorted(order[c::k])) for c in range(k)]
    fits = p.eligible & (p.splittable[None, :] | (p.member_hours[:, None] >= p.task_hours[None, :] - 1e-9))
    split = _share_out(p, parts, np.array([fits[part].any(axis=0) for part in parts]))
    if split is None:
        return None
    hours = np.zeros((M, len(p.tasks)))
    for c, part in enumerate(parts):
        cols = np.flatnonzero(split[c] > 1e-9)
        sub_tasks = [replace(p.tasks[j], hours=float(split[c, j])) for j in cols]
        sub = Problem.build(sub_tasks, [p.members[i] for i in part], p.unit, average=p.average)
        if infeasibility_reasons(sub):
            return None
        start = compose_greedy(sub)
        if start is None:
            start = compose_greedy(sub, balance=False)
        if start is None:
            return None
        end = time.perf_counter() + (deadline - time.perf_counter()) / (k - c)
        x = improve(sub, start, end)
        hours[np.ix_(part, cols)] = rebalance(sub, x, end)
    return hours


def _share_out(p: Problem, parts: list[np.ndarray], can: np.ndarray) -> np.ndarray | None:
    """Hours of each task for each part, so that every part's mix of tasks is the workplace's.

    Tasks that cannot be split go whole, largest first, to the part furthest below its share
    of such hours. Each splittable task's units are then shared in proportion to the parts'
    remaining hours (among the parts that can take it), rounded down or up so that every part's
    hours and every task's hours add up exactly: a transportation problem whose linear
    programme has whole-number vertices, solved by HiGHS.
    """
    from scipy import sparse

    from parsoc.work.composer import _highs, _pass

    k, T = len(parts), len(p.tasks)
    size = np.array([p.member_hours[part].sum() for part in parts])
    hours = np.zeros((k, T))
    whole = np.flatnonzero(~p.splittable)
    quota = size / size.sum() * p.task_hours[whole].sum()
    given = np.zeros(k)
    for j in sorted(whole, key=lambda j: -p.task_hours[j]):
        options = np.flatnonzero(can[:, j])
        if not len(options):
            return None
        c = options[np.argmax(quota[options] - given[options])]
        hours[c, j] = p.task_hours[j]
        given[c] += p.task_hours[j]
    room = (size - given) / p.unit
    split = np.flatnonzero(p.splittable)
    units = np.array([units_in(p.task_hours[j], p.unit) for j in split], dtype=float)
    cells_c, cells_t, lower, upper = [], [], [], []
    for n, j in zip(units, split, strict=True):
        options = np.flatnonzero(can[:, j])
        ideal = n * room[options] / room[options].sum() if room[options].sum() > 0 else np.zeros(len(options))
        cells_c += list(options)
        cells_t += [j] * len(options)
        lower += list(np.floor(ideal + 1e-9))
        upper += list(np.ceil(ideal - 1e-9))
    K = len(cells_c)
    col_of = {j: i for i, j in enumerate(split)}
    task_rows = sparse.coo_matrix((np.ones(K), ([col_of[j] for j in cells_t], np.arange(K))), shape=(len(split), K))
    part_rows = sparse.coo_matrix((np.ones(K), (cells_c, np.arange(K))), shape=(k, K))
    rows = sparse.vstack([task_rows, part_rows])
    rhs = np.r_[units, np.round(room)]
    h, highspy = _highs(60.0, 1e-6, None)
    _pass(h, highspy, np.zeros(K), lower, upper, None, rows, rhs, rhs)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    y = np.round(np.asarray(h.getSolution().col_value))
    np.add.at(hours, (np.array(cells_c, dtype=int), np.array(cells_t, dtype=int)), y * p.unit)
    return hours


def compose_heuristic(
    tasks: list[Task],
    members: list[Member],
    *,
    unit: float = DEFAULT_UNIT,
    previous: dict[str, dict[str, float]] | None = None,
    time_limit: float = 30.0,
    good_enough: float = 0.0,
) -> JobComplexes:
    """Compose job complexes: start from last period's jobs (when still valid) and from the
    greedy composition — or, from ``2 * PART_SIZE`` members on, from :func:`compose_by_parts` —
    improve each by exchanges and re-balancing, and keep the best (ties: fewer hours moved).

    Stops early once the largest deviation is at most ``good_enough`` (rating points)."""
    began = time.perf_counter()
    p = Problem.build(tasks, members, unit)
    refuse_if_infeasible(p)
    past = p.previous_matrix(previous)
    kinds = ["previous"] if past is not None and not violations(p, past) else []
    kinds.append("parts" if len(p.members) >= 2 * PART_SIZE else "greedy")
    results = []
    for i, kind in enumerate(kinds):
        share = began + time_limit * (i + 1) / len(kinds)
        start = past if kind == "previous" else None
        if kind == "parts":
            start = compose_by_parts(p, time.perf_counter() + 0.8 * (share - time.perf_counter()))
        if start is None:
            start = compose_greedy(p)
        if start is None:
            start = compose_greedy(p, balance=False)
        if start is None:
            raise InputError(
                "the heuristic could not pack the tasks that cannot be split into members' hours; "
                "try the exact solver (--method exact), which either finds a packing or proves none exists"
            )
        improved = improve(p, start, share)
        results.append(rebalance(p, improved, share, seed=i, good_enough=good_enough))
    changes = [hours_changed(h, past) or 0.0 for h in results]
    best = min(range(len(results)), key=lambda i: (round(p.deviations(results[i]).max(), 9), changes[i]))
    hours = results[best]
    return JobComplexes(
        problem=p,
        hours=hours,
        method="heuristic",
        optimal=False,
        seconds=time.perf_counter() - began,
        hours_changed=hours_changed(hours, past),
    )
