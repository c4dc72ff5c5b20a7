"""Panels that meet the quotas: people grouped into profiles, and the integer program over them.

People with the same feature in every category are interchangeable for the quotas, so the
algorithms work on *profiles* (one per distinct combination of features, with its members in
file order) and a panel is first a *composition*: how many members of each profile it holds.
Within a profile, members are then chosen uniformly, so every member of a profile has the same
selection probability, ``E[count] / size``. (Leximin's probabilities are unique and treat
interchangeable people alike, so nothing is lost; on the published instances 2,000 people
become three profiles.)

:class:`PanelModel` is the integer program "a composition of ``k`` people that meets every
quota", solved by HiGHS's MIP solver, which the algorithms call with different objectives.
:func:`check_feasible` answers, before any algorithm runs, whether a panel exists at all, and
if not says which quota stands in the way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from parsoc.errors import InputError
from parsoc.highs import new_highs, pass_model
from parsoc.lot.instance import Instance, Quota


@dataclass(frozen=True)
class Profiles:
    """The instance's people grouped by their features."""

    features: tuple[tuple[str, ...], ...]
    """Each profile's feature in each category (the pool's categories)."""
    members: tuple[tuple[int, ...], ...]
    """Each profile's people, as indexes into the pool (file order)."""
    of_person: tuple[int, ...]
    """The profile of each person."""
    has: np.ndarray
    """``has[q, t]`` is 1 when profile ``t`` has quota ``q``'s feature."""

    @property
    def sizes(self) -> np.ndarray:
        return np.array([len(m) for m in self.members], dtype=float)

    def __len__(self) -> int:
        return len(self.members)


def profiles_of(instance: Instance) -> Profiles:
    pool = instance.pool
    index: dict[tuple[str, ...], int] = {}
    members: list[list[int]] = []
    of_person = []
    for i, person in enumerate(pool.people):
        key = tuple(v.casefold() for v in person)
        if key not in index:
            index[key] = len(members)
            members.append([])
        members[index[key]].append(i)
        of_person.append(index[key])
    features = tuple(pool.people[m[0]] for m in members)
    position = {c.casefold(): j for j, c in enumerate(pool.categories)}
    has = np.zeros((len(instance.quotas), len(members)))
    for qi, q in enumerate(instance.quotas):
        j = position[q.category.casefold()]
        for t, f in enumerate(features):
            if f[j].casefold() == q.feature.casefold():
                has[qi, t] = 1.0
    return Profiles(features, tuple(tuple(m) for m in members), tuple(of_person), has)


_pass = pass_model  # parsoc.highs: one way to hand HiGHS a problem


class PanelModel:
    """Compositions of ``k`` people meeting every quota; :meth:`best` maximises a weighted count."""

    def __init__(self, instance: Instance, profiles: Profiles, *, keep_improving: bool = False):
        self.instance, self.profiles = instance, profiles
        T = len(profiles)
        self.h, self.highspy = new_highs()
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 1e-12)
        self.h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        self.h.setOptionValue("threads", 1)
        self.h.setOptionValue("mip_improving_solution_save", keep_improving)
        rows = sparse.vstack([sparse.csr_matrix(np.ones((1, T))), sparse.csr_matrix(profiles.has)])
        k = float(instance.panel_size)
        lower = np.r_[k, [q.min for q in instance.quotas]]
        upper = np.r_[k, [q.max for q in instance.quotas]]
        _pass(self.h, self.highspy, np.zeros(T), np.zeros(T), profiles.sizes, [True] * T, rows, lower, upper)
        self.h.changeObjectiveSense(self.highspy.ObjSense.kMaximize)

    def best(self, weights: np.ndarray) -> tuple[float, np.ndarray] | None:
        """The composition with the largest ``weights @ counts`` (and that value), or None if there is none."""
        T = len(self.profiles)
        self.h.changeColsCost(T, np.arange(T, dtype=np.int32), np.asarray(weights, dtype=float))
        self.h.run()
        status = self.h.getModelStatus()
        if status == self.highspy.HighsModelStatus.kInfeasible:
            return None
        if status != self.highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS could not solve the panel program: {self.h.modelStatusToString(status)}")
        counts = np.rint(np.asarray(self.h.getSolution().col_value[:T])).astype(np.int64)
        return float(weights @ counts), counts

    def also_found(self) -> list[np.ndarray]:
        """The improving compositions the last :meth:`best` met on its way (with ``keep_improving``)."""
        T = len(self.profiles)
        return [np.rint(np.asarray(saved.col_value[:T])).astype(np.int64) for saved in self.h.getSavedMipSolutions()]


def meets_quotas(instance: Instance, panel: list[int] | tuple[int, ...]) -> list[str]:
    """What is wrong with a panel of pool indexes (empty when it is a valid panel)."""
    problems = []
    if len(set(panel)) != len(panel):
        problems.append("someone is on the panel twice")
    if len(panel) != instance.panel_size:
        problems.append(f"{len(panel)} people instead of {instance.panel_size}")
    categories = [c.casefold() for c in instance.pool.categories]
    for q in instance.quotas:
        j = categories.index(q.category.casefold())
        n = sum(1 for i in panel if instance.pool.people[i][j].casefold() == q.feature.casefold())
        if not q.min <= n <= q.max:
            problems.append(f"{q.name}: {n} on the panel, quota {q.min} to {q.max}")
    return problems


def _counted(instance: Instance, profiles: Profiles) -> list[tuple[Quota, int]]:
    sizes = profiles.sizes
    return [(q, int(profiles.has[qi] @ sizes)) for qi, q in enumerate(instance.quotas)]


def check_feasible(instance: Instance, profiles: Profiles | None = None) -> Profiles:
    """Raise :class:`InputError` naming the quota (or quotas) that make every panel impossible."""
    profiles = profiles or profiles_of(instance)
    k, source = instance.panel_size, instance.source
    for q, available in _counted(instance, profiles):
        if q.min > k:
            raise InputError(f"{q.where()} asks for at least {q.min} people on a panel of {k}")
        if q.min > available:
            raise InputError(f"{q.where()} asks for at least {q.min} people but {source} has only "
                             f"{available} with {q.category} {q.feature}")
    by_category: dict[str, list[tuple[Quota, int]]] = {}
    for q, available in _counted(instance, profiles):
        by_category.setdefault(q.category.casefold(), []).append((q, available))
    for entries in by_category.values():
        name = entries[0][0].category
        least = sum(q.min for q, _ in entries)
        most = sum(min(q.max, available) for q, available in entries)
        if least > k:
            raise InputError(f"the minimums of category {name} add up to {least}, more than the panel of {k} "
                             f"({', '.join(q.where() for q, _ in entries)})")
        if most < k:
            raise InputError(f"category {name} can fill at most {most} seats of the panel of {k} (its maximums, "
                             f"and the people {source} has with each feature: "
                             f"{', '.join(f'{q.feature} {min(q.max, a)}' for q, a in entries)})")
    if PanelModel(instance, profiles).best(np.zeros(len(profiles))) is None:
        raise InputError(_joint_conflict(instance, profiles))
    return profiles


def _joint_conflict(instance: Instance, profiles: Profiles) -> str:
    """Each quota can be met alone but not all together: the smallest change that would allow a panel."""
    T, Q = len(profiles), len(instance.quotas)
    h, highspy = new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    eye = sparse.identity(Q, format="csr")
    zero = sparse.csr_matrix((Q, Q))
    rows = sparse.vstack([
        sparse.hstack([sparse.csr_matrix(np.ones((1, T))), sparse.csr_matrix((1, 2 * Q))]),
        sparse.hstack([sparse.csr_matrix(profiles.has), eye, zero]),   # count + lowered >= min
        sparse.hstack([sparse.csr_matrix(profiles.has), zero, -eye]),  # count - raised <= max
    ])
    k = float(instance.panel_size)
    mins = np.array([q.min for q in instance.quotas], dtype=float)
    maxs = np.array([q.max for q in instance.quotas], dtype=float)
    inf = np.inf
    _pass(h, highspy, np.r_[np.zeros(T), np.ones(2 * Q)], np.zeros(T + 2 * Q),
          np.r_[profiles.sizes, mins, np.full(Q, k)], [True] * (T + 2 * Q), rows,
          np.r_[k, mins, np.full(Q, -inf)], np.r_[k, np.full(Q, inf), maxs])
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return "the quotas cannot all be met together"
    x = np.rint(np.asarray(h.getSolution().col_value))
    changes = []
    for qi, q in enumerate(instance.quotas):
        if x[T + qi] > 0:
            changes.append(f"{q.where()}: min {q.min} → {q.min - int(x[T + qi])}")
        if x[T + Q + qi] > 0:
            changes.append(f"{q.where()}: max {q.max} → {q.max + int(x[T + Q + qi])}")
    return ("the quotas cannot all be met together; the smallest change that allows a panel: "
            + "; ".join(changes))
