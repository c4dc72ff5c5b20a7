"""The exact job-complex composer: a mixed-integer programme solved by HiGHS.

Variables. For each member *m* and each task *t* member *m* has the skills for, an integer
``z[m,t]``: for a splittable task, the number of units (``unit`` hours each) of it in *m*'s
job, ``0 <= z <= hours_t / unit``; for a task that cannot be split, ``z`` is 0 or 1 and *m*
gets all of it or none. Hours are ``x[m,t] = unit * z`` or ``hours_t * z``. One more
variable ``D`` is the largest deviation.

Constraints.
* cover every task exactly: ``sum_m z[m,t] = hours_t / unit`` (or ``= 1`` when not splittable);
* fill every member's hours exactly: ``sum_t x[m,t] = H_m``;
* balance, for each member and each rating *r* (empowerment, desirability) with workplace
  average ``a_r``: ``-D * H_m <= sum_t x[m,t] * (r_t - a_r) <= D * H_m``. Because ``H_m`` is
  fixed this is linear, and it says exactly that the job's hours-weighted average of *r* lies
  within ``D`` of ``a_r``.

Objective: minimise ``D``. Secondary objective, when last period's jobs ``p[m,t]`` are given:
keep ``D`` optimal — at most the proven lower bound plus the tolerance ``gap`` (so every
composition counted optimal is allowed), or at most the value found when optimality was not
proven — and minimise ``sum |x[m,t] - p[m,t]|`` (twice the hours moved).

"Optimal" means HiGHS proved the largest deviation is within ``gap`` (absolute, in rating
points) of the best possible; the proven lower bound is reported either way.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse

from parsoc.errors import InputError
from parsoc.highs import new_highs, pass_model
from parsoc.work.feasibility import packing_reason, refuse_if_infeasible
from parsoc.work.job_complexes import JobComplexes, hours_changed
from parsoc.work.problem import Problem
from parsoc.work.tasks import DEFAULT_UNIT, Member, Task, units_in

RELATIVE_GAP = 0.002
"""Default optimality tolerance: 0.2% of the range of the tasks' ratings (0.018 points on a
1–10 scale). Ratings are averages of opinions given to a tenth of a point; two compositions
whose worst jobs differ by less are the same to the council. Near a largest deviation of zero
a relative MIP gap means nothing, so the tolerance is absolute."""


HEURISTIC_SHARE = 0.6
"""Share of the time limit the exact solver lets the heuristic use for its first solution. The
heuristic stops as soon as it is within the tolerance of zero (then HiGHS only has to confirm);
where it is not, its exchanges and small exact re-balancings improve faster than HiGHS's own
search, and HiGHS gets the rest of the time to improve on it or prove it."""


def default_gap(p: Problem) -> float:
    """The default absolute optimality tolerance for this workplace (see RELATIVE_GAP)."""
    spread = float(p.ratings.max() - p.ratings.min())
    return RELATIVE_GAP * spread if spread > 0 else 1e-6


class _Model:
    """Column data for HiGHS: the pair variables z, then D, then (optionally) change c."""

    def __init__(self, p: Problem):
        pm, pt = np.nonzero(p.eligible)
        keep = p.splittable[pt] | (p.task_hours[pt] <= p.member_hours[pm] + 1e-9)
        self.pm, self.pt = pm[keep], pt[keep]
        self.scale = np.where(p.splittable[self.pt], p.unit, p.task_hours[self.pt])
        units = np.array([units_in(h, p.unit) or 0 for h in p.task_hours], dtype=float)
        self.upper = np.where(p.splittable[self.pt], units[self.pt], 1.0)
        self.cover = np.where(p.splittable, units, 1.0)
        self.p = p

    def hours(self, z: np.ndarray) -> np.ndarray:
        p = self.p
        x = np.zeros((len(p.members), len(p.tasks)))
        np.add.at(x, (self.pm, self.pt), np.round(z) * self.scale)
        return x

    def z_of(self, hours: np.ndarray) -> np.ndarray:
        return hours[self.pm, self.pt] / self.scale


def _highs(time_limit: float, gap: float, threads: int | None):
    h, highspy = new_highs()
    h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", float(gap))
    if threads:
        h.setOptionValue("threads", int(threads))
    return h, highspy


_pass = pass_model  # parsoc.highs: one way to hand HiGHS a problem


def _balance_rows(model: _Model):
    """Cover, hours and balance rows over columns (z..., D)."""
    p = model.p
    K, M, T = len(model.pm), len(p.members), len(p.tasks)
    k = np.arange(K)
    cover = sparse.coo_matrix((np.ones(K), (model.pt, k)), shape=(T, K + 1))
    work = sparse.coo_matrix((model.scale, (model.pm, k)), shape=(M, K + 1))
    blocks, lower, upper = [cover, work], [model.cover, p.member_hours], [model.cover, p.member_hours]
    for r in range(2):
        values = np.concatenate([model.scale * p.offsets[model.pt, r], -p.member_hours])
        cols = np.concatenate([k, np.full(M, K)])
        rows_ = np.concatenate([model.pm, np.arange(M)])
        blocks.append(sparse.coo_matrix((values, (rows_, cols)), shape=(M, K + 1)))
        lower.append(np.full(M, -np.inf))
        upper.append(np.zeros(M))
        values = np.concatenate([model.scale * p.offsets[model.pt, r], p.member_hours])
        blocks.append(sparse.coo_matrix((values, (rows_, cols)), shape=(M, K + 1)))
        lower.append(np.zeros(M))
        upper.append(np.full(M, np.inf))
    return sparse.vstack(blocks), np.concatenate(lower), np.concatenate(upper)


def solve_relaxation(p: Problem) -> float | None:
    """The linear relaxation's largest deviation (tasks divisible without limit), or None if infeasible."""
    model = _Model(p)
    rows, lo, up = _balance_rows(model)
    h, highspy = _highs(60.0, 1e-6, None)
    K = len(model.pm)
    cost = np.r_[np.zeros(K), 1.0]
    _pass(h, highspy, cost, np.zeros(K + 1), np.r_[model.upper, np.inf], None, rows, lo, up)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(h.getInfo().objective_function_value)


def solve_milp(
    p: Problem,
    *,
    time_limit: float,
    gap: float,
    start: np.ndarray | None = None,
    threads: int | None = None,
) -> tuple[np.ndarray | None, bool, float, str]:
    """Minimise the largest deviation: (hours or None, proven optimal, lower bound, status)."""
    model = _Model(p)
    K = len(model.pm)
    rows, lo, up = _balance_rows(model)
    h, highspy = _highs(time_limit, gap, threads)
    cost = np.r_[np.zeros(K), 1.0]
    _pass(h, highspy, cost, np.zeros(K + 1), np.r_[model.upper, np.inf], [True] * K + [False], rows, lo, up)
    if start is not None:
        _set_start(h, highspy, np.r_[model.z_of(start), float(p.deviations(start).max())])
    h.run()
    status = h.getModelStatus()
    z = _solution(h, highspy, K)
    name = {
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kTimeLimit: "time limit",
        highspy.HighsModelStatus.kOptimal: "optimal",
    }.get(status, h.modelStatusToString(status))
    if z is None:
        return None, False, 0.0, name
    hours = model.hours(z)
    dual = h.getInfo().mip_dual_bound
    bound = max(0.0, float(dual)) if np.isfinite(dual) else 0.0
    optimal = status == highspy.HighsModelStatus.kOptimal
    best = float(p.deviations(hours).max())
    if start is not None and p.deviations(start).max() < best:
        hours, best = start, float(p.deviations(start).max())
    return hours, optimal, min(bound, best), name


def compose_exact(
    tasks: list[Task],
    members: list[Member],
    *,
    unit: float = DEFAULT_UNIT,
    previous: dict[str, dict[str, float]] | None = None,
    time_limit: float = 30.0,
    gap: float | None = None,
    start: np.ndarray | str | None = "heuristic",
    threads: int | None = None,
) -> JobComplexes:
    """Compose balanced job complexes exactly (see the module docstring for the model).

    ``start`` is a valid (M, T) hours matrix handed to HiGHS as its first solution, or
    ``"heuristic"`` (the default) to start from :func:`compose_heuristic`, given ``HEURISTIC_SHARE`` of the
    time, or ``None``. ``gap`` is the absolute optimality tolerance (default
    :func:`default_gap`). Raises :class:`InputError` with the reason when no valid composition
    exists. When the time limit stops HiGHS before it proves optimality, the best composition
    found is returned with ``optimal=False`` and the proven lower bound.
    """
    began = time.perf_counter()
    p = Problem.build(tasks, members, unit)
    refuse_if_infeasible(p)
    gap = default_gap(p) if gap is None else gap
    if isinstance(start, str):
        from parsoc.work.heuristic import compose_heuristic

        try:
            start = compose_heuristic(
                tasks, members, unit=unit, time_limit=time_limit * HEURISTIC_SHARE, good_enough=gap
            ).hours
        except InputError:
            start = None
    remaining = time_limit - (time.perf_counter() - began)
    hours, optimal, bound, status = solve_milp(p, time_limit=remaining, gap=gap, start=start, threads=threads)
    if hours is None:
        if status == "infeasible":
            raise InputError("cannot compose job complexes: " + packing_reason(p))
        if status == "time limit":
            raise InputError(
                f"no composition found within the time limit of {time_limit:g} s — "
                "try the heuristic (--method heuristic) or a longer limit"
            )
        raise InputError(f"the solver stopped without a composition ({status})")
    best = float(p.deviations(hours).max())
    past = p.previous_matrix(previous)
    if past is not None:
        remaining = time_limit - (time.perf_counter() - began)
        ceiling = max(best, bound + gap) if optimal else best
        hours = _least_change(_Model(p), hours, ceiling, past, remaining, threads)
    result = JobComplexes(
        problem=p,
        hours=hours,
        method="exact",
        optimal=optimal,
        bound=bound,
        gap=gap,
        seconds=time.perf_counter() - began,
        hours_changed=hours_changed(hours, past),
    )
    if not optimal:
        result.notes.append(
            f"time limit reached: largest deviation {best:.4f}, proven at least {bound:.4f}"
        )
    return result


def _set_start(h, highspy, values: np.ndarray) -> None:
    solution = highspy.HighsSolution()
    solution.col_value = list(map(float, values))
    solution.value_valid = True
    h.setSolution(solution)


def _solution(h, highspy, K: int) -> np.ndarray | None:
    info = h.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    return np.asarray(h.getSolution().col_value[:K], dtype=float)


def _least_change(model, hours, best, past, time_limit, threads):
    """Keep the largest deviation at most ``best``; move as few hours as possible."""
    p = model.p
    rows, lo, up = _balance_rows(model)
    K = len(model.pm)
    prev = past[model.pm, model.pt]
    k = np.arange(K)
    # columns: z (K), D, c (K); rows: balance rows, then x - c <= p and x + c >= p
    wide = sparse.hstack([rows, sparse.csr_matrix((rows.shape[0], K))])
    x_part = sparse.coo_matrix((model.scale, (k, k)), shape=(K, K + 1))
    c_part = sparse.identity(K, format="coo")
    change = sparse.vstack([sparse.hstack([x_part, -c_part]), sparse.hstack([x_part, c_part])])
    all_rows = sparse.vstack([wide, change])
    row_lower = np.r_[lo, np.full(K, -np.inf), prev]
    row_upper = np.r_[up, prev, np.full(K, np.inf)]
    cost = np.r_[np.zeros(K), 0.0, np.ones(K)]
    ceiling = best + 1e-9
    upper = np.r_[model.upper, ceiling, np.full(K, np.inf)]
    integer = [True] * K + [False] * (K + 1)
    h, highspy = _highs(max(time_limit, 1.0), 1e-6, threads)
    _pass(h, highspy, cost, np.zeros(2 * K + 1), upper, integer, all_rows, row_lower, row_upper)
    z0 = model.z_of(hours)
    _set_start(h, highspy, np.r_[z0, best, np.abs(z0 * model.scale - prev)])
    h.run()
    z = _solution(h, highspy, K)
    if z is None:
        return hours
    improved = model.hours(z)
    if p.deviations(improved).max() > best + 1e-7:
        return hours
    return improved


EXACT_LIMIT = 40_000
"""``method="auto"`` uses the exact solver up to this many member × task pairs (200 × 200),
the heuristic beyond."""


def compose_jobs(
    tasks: list[Task],
    members: list[Member],
    *,
    method: str = "auto",
    unit: float = DEFAULT_UNIT,
    previous: dict[str, dict[str, float]] | None = None,
    time_limit: float = 30.0,
    gap: float | None = None,
) -> JobComplexes:
    """Compose job complexes with ``method`` "exact", "heuristic", "greedy" or "auto"."""
    from parsoc.work.greedy import compose_greedy
    from parsoc.work.heuristic import compose_heuristic

    if method == "auto":
        method = "exact" if len(tasks) * len(members) <= EXACT_LIMIT else "heuristic"
    if method == "exact":
        return compose_exact(tasks, members, unit=unit, previous=previous, time_limit=time_limit, gap=gap)
    if method == "heuristic":
        return compose_heuristic(tasks, members, unit=unit, previous=previous, time_limit=time_limit)
    if method == "greedy":
        began = time.perf_counter()
        p = Problem.build(tasks, members, unit)
        refuse_if_infeasible(p)
        hours = compose_greedy(p)
        if hours is None:
            raise InputError("greedy could not pack the tasks that cannot be split; try --method exact")
        past = p.previous_matrix(previous)
        return JobComplexes(p, hours, "greedy", seconds=time.perf_counter() - began,
                            hours_changed=hours_changed(hours, past))
    raise InputError(f"unknown method {method!r}: choose auto, exact, heuristic or greedy")
